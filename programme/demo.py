"""The demo for trying the app out: fictional users, key figure values and a follow-up
cycle. What they are is data, in a demo file (the shipped one is fixtures/demo.json;
docs/development.md#demo-data says what it holds); this module and reporting/demo.py only
read it and make it through the services. Everything made is marked as demo."""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

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
from .services import DEFAULT_DATA_DIR

DEMO_PASSWORD = "demo-livskvalitet"  # noqa: S105 - printed for the demo on purpose
DEMO_FILE = DEFAULT_DATA_DIR / "demo.json"


@cache
def demo_data(file: Path = DEMO_FILE) -> dict:
    """The demo file, read once (callers must not change what it returns)."""
    return json.loads(Path(file).read_text("utf-8"))


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation: str | None = None
    role: str | None = None
    staff: bool = False
    # A member of the programme's owner, the unit that runs the follow-up.
    strategist: bool = False


def demo_logins(*, logins_only: bool = False, file: Path = DEMO_FILE) -> list[DemoUser]:
    """The demo's users whose organisation the installation has (a demo file made for
    another programme names some it lacks); with ``logins_only`` the administrator and the
    strategist alone, who belong to no organisation (for another city's programme)."""
    users = [DemoUser(**entry) for entry in demo_data(file).get("users", [])]
    if logins_only:
        return [d for d in users if not d.organisation]
    present = set(
        Organisation.objects.of_installation()
        .filter(name__in=[d.organisation for d in users if d.organisation])
        .values_list("name", flat=True)
    )
    return [d for d in users if not d.organisation or d.organisation in present]


def demo_load(*, logins_only: bool = False, file: Path = DEMO_FILE) -> int:
    """Create the demo users; returns how many were new. Needs the programme loaded."""
    User = get_user_model()
    created_count = 0
    programme = Programme.objects.current()
    for demo in demo_logins(logins_only=logins_only, file=file):
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


@transaction.atomic
def demo_values_load(file: Path = DEMO_FILE) -> int:
    """Fictional values for some indicators, comparisons with fictional municipalities and
    targets, marked demo wherever they show. Key figures the programme lacks are left out."""
    from .indicators import values_import
    from .kolada import KoladaValue

    demo = demo_data(file).get("values")
    # The programme's own municipality: the demo's values are its.
    programme = Programme.objects.current()
    own_code = programme.own_municipality_code if programme else ""
    if not demo or not own_code:
        return 0
    # The installation's own indicators: another city's with the same KPI is not its.
    indicators = Indicator.objects.filter(
        focus_area__programme__in=Programme.objects.of_installation()
    )
    first, last = demo["years"]
    values = []
    for series in demo.get("series", []):
        kpi, start, step, women = (series[key] for key in ("kpi", "start", "step", "women"))
        if not indicators.filter(external_id=kpi).exists():
            continue
        split = women is not None
        if split:
            indicators.filter(external_id=kpi).update(gender_split=True)
        for offset, year in enumerate(range(first, last + 1)):
            for municipality, shift in ((own_code, 0.0), (SWEDEN, start * 0.05)):
                genders = {"T": 0.0, "K": women, "M": -women} if split else {"T": 0.0}
                for gender, delta in genders.items():
                    missing = (
                        municipality == own_code
                        and year == demo.get("missing_year")
                        and gender == "T"
                    )
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
    _demo_comparisons_load(demo, values, own_code, year=last)
    for target in demo.get("targets", []):
        for indicator in indicators.filter(external_id=target["kpi"]):
            IndicatorTarget.objects.get_or_create(
                indicator=indicator,
                year=target["year"],
                defaults={
                    "direction": IndicatorTarget.Direction(target["direction"]),
                    "value": Decimal(target["value"]),
                    "is_demo": True,
                },
            )
    return summary.created


def _demo_comparisons_load(demo: dict, values, own_code: str, year: int) -> None:
    """Every (fictional) municipality's value in the latest demo year, spread around
    Sweden's, and a fictional group with the programme's municipality in it."""
    from .indicators import comparison_import, groups_import
    from .kolada import KoladaGroup, KoladaValue

    kpis = demo.get("compared", [])
    if not kpis:
        return
    places = demo["places"]
    codes = [f"{places['first_code'] + n}" for n in range(places["count"])]
    own = {
        (v.kpi, v.municipality): v.value
        for v in values
        if v.year == year and v.gender == "T" and v.kpi in kpis
    }
    compared = []
    for kpi in kpis:
        sweden = own.get((kpi, SWEDEN))
        if sweden is None:
            continue
        for code, value in [(own_code, own.get((kpi, own_code))), (SWEDEN, sweden)]:
            compared.append(KoladaValue(kpi, code, year, "T", value, "", 1))
        for n, code in enumerate(codes):
            number = sweden * (Decimal("0.5") + Decimal(n) / len(codes))
            missing = n % 50 == 7  # a few have no value, as in Kolada
            value = None if missing else number.quantize(Decimal("0.01"))
            compared.append(KoladaValue(kpi, code, year, "T", value, "", 1))
    if not compared:
        return
    comparison_import(compared, source="Demo", is_demo=True)
    group = demo["group"]
    members = (own_code, *codes[:: group["every"]])
    groups_import([KoladaGroup(group["code"], group["name"], members)], is_demo=True)
    made = MunicipalityGroup.objects.get(code=group["code"])
    Municipality.objects.filter(code=own_code, comparison_group=None).update(comparison_group=made)
