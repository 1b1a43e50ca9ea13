"""Demo users for trying the app out. Everything here is fictional and marked as demo."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import (
    SWEDEN,
    Indicator,
    IndicatorTarget,
    Membership,
    Municipality,
    MunicipalityGroup,
    Organisation,
    Programme,
)
from .permissions import strategists_group

DEMO_PASSWORD = "demo-livskvalitet"  # noqa: S105 - printed for the demo on purpose


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation: str | None = None
    role: str | None = None
    staff: bool = False
    strategist: bool = False


DEMO_USERS = [
    DemoUser("admin", "Ada", "Admin (demo)", staff=True),
    # A member of the programme's owner, the unit that runs the follow-up.
    DemoUser("strateg", "Stina", "Strateg (demo)", strategist=True),
    DemoUser(
        "miljo.rapportor",
        "Mira",
        "Miljö (demo)",
        organisation="Miljönämnden",
        role=Membership.Role.REPORTER,
    ),
    DemoUser(
        "miljo.godkannare",
        "Gustav",
        "Miljö (demo)",
        organisation="Miljönämnden",
        role=Membership.Role.APPROVER,
    ),
    DemoUser(
        "hem.rapportor",
        "Hanna",
        "Hem (demo)",
        organisation="Helsingborgshem AB",
        role=Membership.Role.REPORTER,
    ),
    DemoUser(
        "hem.godkannare",
        "Henrik",
        "Hem (demo)",
        organisation="Helsingborgshem AB",
        role=Membership.Role.APPROVER,
    ),
]


@transaction.atomic
def demo_logins(*, logins_only: bool = False) -> list[DemoUser]:
    """The demo's users; with ``logins_only`` the administrator and the strategist alone,
    who belong to no organisation of the shipped programme (for another city's)."""
    return [d for d in DEMO_USERS if not (logins_only and d.organisation)]


def demo_load(*, logins_only: bool = False) -> int:
    """Create the demo users; returns how many were new. Needs the programme loaded."""
    User = get_user_model()
    created_count = 0
    programme = Programme.objects.current()
    for demo in demo_logins(logins_only=logins_only):
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@example.invalid",
                "is_staff": demo.staff,
                "is_superuser": demo.staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created_count += 1
        organisation = None
        if demo.strategist:
            user.groups.add(strategists_group())
            organisation = programme.owner if programme is not None else None
        if demo.organisation:
            organisation = Organisation.objects.of_installation().get(name=demo.organisation)
        if organisation is not None:
            Membership.objects.get_or_create(
                user=user,
                organisation=organisation,
                defaults={
                    "role": demo.role or Membership.Role.REPORTER,
                    "is_demo": True,
                },
            )
    return created_count


def describe(demo: DemoUser) -> str:
    """What the demo user is, in the active language."""
    from django.utils.translation import gettext as _

    if demo.staff:
        return _("administrator")
    if demo.strategist:
        return _("strategist")
    return f"{Membership.Role(demo.role).label}, {demo.organisation}"


# Fictional series for a few indicators: (KPI, start value, yearly step, women's value
# above the total, None where not split by gender). Fictional, but not against what the
# programme says: women feel less safe out late (focus area 3.1), so their value is higher.
DEMO_SERIES = [
    ("N00401", 4.2, -0.15, None),
    ("U07801", 460.0, -4.0, None),
    ("N00914", 76.0, 0.4, -1.5),
    ("N07609", 24.0, 0.6, 1.5),
    ("N09801", 4.1, -0.05, None),
]
DEMO_YEARS = range(2019, 2027)
# Fictional comparisons for four of them in the latest demo year: every municipality's
# value (fictional municipalities 9001–9288, codes no real municipality has) and a
# fictional group.
DEMO_COMPARED = ["N00401", "U07801", "N00914", "N09801"]
DEMO_GROUP = ("DEMO", "Demo: påhittad jämförelsegrupp")
DEMO_PLACES = [f"{9000 + n}" for n in range(1, 289)]
# Fictional targets for three of them, one for each way the rule can judge with the
# demo values: (KPI, direction, value, year). Nothing sets them: each shows as a demo target.
DEMO_TARGETS = [
    ("N00401", IndicatorTarget.Direction.AT_MOST, "2.0", 2030),  # not on track
    ("U07801", IndicatorTarget.Direction.AT_MOST, "425", 2030),  # on track
    ("N09801", IndicatorTarget.Direction.AT_LEAST, "3.5", 2027),  # reached
]


@transaction.atomic
def demo_values_load() -> int:
    """Fictional values for some indicators, and targets for three, marked demo wherever
    they show."""
    from .indicators import values_import
    from .kolada import KoladaValue

    # The programme's own municipality: the demo's values are its.
    programme = Programme.objects.current()
    own_code = programme.own_municipality_code if programme else ""
    if not own_code:
        return 0
    values = []
    for kpi, start, step, women in DEMO_SERIES:
        if not Indicator.objects.filter(external_id=kpi).exists():
            continue
        split = women is not None
        if split:
            Indicator.objects.filter(external_id=kpi).update(gender_split=True)
        for offset, year in enumerate(DEMO_YEARS):
            for municipality, shift in ((own_code, 0.0), (SWEDEN, start * 0.05)):
                genders = {"T": 0.0, "K": women, "M": -women} if split else {"T": 0.0}
                for gender, delta in genders.items():
                    missing = municipality == own_code and year == 2021 and gender == "T"
                    number = round(start + shift + step * offset + delta, 2)
                    values.append(
                        KoladaValue(
                            kpi=kpi,
                            municipality=municipality,
                            year=year,
                            gender=gender,
                            value=None if missing else Decimal(str(number)),
                            status="",
                            count=1,
                        )
                    )
    summary = values_import(values, source="Demo", is_demo=True)
    _demo_comparisons_load(values, own_code)
    for kpi, direction, value, year in DEMO_TARGETS:
        for indicator in Indicator.objects.filter(external_id=kpi):
            IndicatorTarget.objects.get_or_create(
                indicator=indicator,
                year=year,
                defaults={
                    "direction": direction,
                    "value": Decimal(value),
                    "is_demo": True,
                },
            )
    return summary.created


def _demo_comparisons_load(values, own_code: str) -> None:
    """Every (fictional) municipality's value in the latest demo year, spread around
    Sweden's, and a fictional group with the programme's municipality in it."""
    from .indicators import comparison_import, groups_import
    from .kolada import KoladaGroup, KoladaValue

    year = DEMO_YEARS[-1]
    own = {
        (v.kpi, v.municipality): v.value
        for v in values
        if v.year == year and v.gender == "T" and v.kpi in DEMO_COMPARED
    }
    compared = []
    for kpi in DEMO_COMPARED:
        sweden = own.get((kpi, SWEDEN))
        if sweden is None:
            continue
        for code, value in [(own_code, own.get((kpi, own_code))), (SWEDEN, sweden)]:
            compared.append(KoladaValue(kpi, code, year, "T", value, "", 1))
        for n, code in enumerate(DEMO_PLACES):
            number = sweden * (Decimal("0.5") + Decimal(n) / len(DEMO_PLACES))
            missing = n % 50 == 7  # a few have no value, as in Kolada
            value = None if missing else number.quantize(Decimal("0.01"))
            compared.append(KoladaValue(kpi, code, year, "T", value, "", 1))
    if not compared:
        return
    comparison_import(compared, source="Demo", is_demo=True)
    groups_import(
        [KoladaGroup(DEMO_GROUP[0], DEMO_GROUP[1], (own_code, *DEMO_PLACES[::14]))], is_demo=True
    )
    group = MunicipalityGroup.objects.get(code=DEMO_GROUP[0])
    Municipality.objects.filter(code=own_code, comparison_group=None).update(comparison_group=group)
