"""Demo users for trying the app out. Everything here is fictional and marked as demo."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Organisation
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
