"""Demo users for trying the app out. Everything here is fictional and marked as demo."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Indicator, Membership, Organisation
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
    DemoUser(
        "strateg",
        "Stina",
        "Strateg (demo)",
        organisation="Avdelningen för strategisk samhällsutveckling",
        strategist=True,
    ),
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
def demo_load() -> int:
    """Create the demo users; returns how many were new. Needs the programme loaded."""
    User = get_user_model()
    created_count = 0
    for demo in DEMO_USERS:
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
        if demo.strategist:
            user.groups.add(strategists_group())
        if demo.organisation:
            organisation = Organisation.objects.get(name=demo.organisation)
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


# Fictional series for a few indicators: (KPI, start value, yearly step, gender split).
DEMO_SERIES = [
    ("N00401", 4.2, -0.15, False),
    ("U07801", 460.0, -4.0, False),
    ("N00914", 76.0, 0.4, True),
    ("N07609", 24.0, 0.6, True),
    ("N09801", 4.1, -0.05, False),
]
DEMO_YEARS = range(2019, 2027)


@transaction.atomic
def demo_values_load() -> int:
    """Fictional values for some indicators, marked demo wherever they show."""
    from .indicators import values_import
    from .kolada import KoladaValue

    values = []
    for kpi, start, step, split in DEMO_SERIES:
        if not Indicator.objects.filter(external_id=kpi).exists():
            continue
        if split:
            Indicator.objects.filter(external_id=kpi).update(gender_split=True)
        for offset, year in enumerate(DEMO_YEARS):
            for municipality, shift in (("1283", 0.0), ("0000", start * 0.05)):
                genders = {"T": 0.0, "K": -1.5, "M": 1.5} if split else {"T": 0.0}
                for gender, delta in genders.items():
                    missing = municipality == "1283" and year == 2021 and gender == "T"
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
    return summary.created
