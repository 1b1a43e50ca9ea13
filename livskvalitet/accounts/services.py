"""The city's sign-in: the user it signs in, kept up to date with the mappings."""

import hashlib
import logging
import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from programme.models import Membership
from programme.permissions import strategists_group

from .models import CityAccount, SignInMapping

logger = logging.getLogger("livskvalitet.auth")


def _free_username(wanted: str, subject: str) -> str:
    """The provider's user name if free and valid here, else it with a number; never an
    existing local account's name (a sign-in does not take over an account)."""
    User = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", wanted)[:140]
    if not base:
        base = f"konto-{hashlib.sha256(subject.encode()).hexdigest()[:8]}"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def city_sign_in(
    *,
    issuer: str,
    subject: str,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    claim_values: set[str] | None,
):
    """The user who signed in with the city's account, made at the first sign-in and
    brought up to date at each: name and address, and what the administrators' sign-in
    mappings give for the group claims sent this time. Memberships and the strategist
    status a mapping gave are taken away when the claim is no longer sent; those given
    by hand in the administration are left alone. Without claim values (None: the
    provider could not send them) nothing is changed."""
    User = get_user_model()
    account = (
        CityAccount.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    names = {"email": email[:254], "first_name": first_name[:150], "last_name": last_name[:150]}
    if account is None:
        user = User.objects.create_user(_free_username(username, subject), **names)
        account = CityAccount.objects.create(user=user, issuer=issuer, subject=subject)
        logger.info("City sign-in: new user %s", user.pk)
    else:
        user = account.user
        changed = [key for key, value in names.items() if getattr(user, key) != value]
        for key in changed:
            setattr(user, key, names[key])
        if changed:
            user.save(update_fields=changed)
    account.last_signed_in = timezone.now()
    changes = [] if claim_values is None else _apply_sign_in_mappings(account, claim_values)
    account.save()
    logger.info(
        "City sign-in: user %s, %s group values, %s",
        user.pk,
        "no" if claim_values is None else len(claim_values),
        "; ".join(changes) or "nothing changed",
    )
    return user


def _apply_sign_in_mappings(account: CityAccount, claim_values: set[str]) -> list[str]:
    user = account.user
    mappings = list(SignInMapping.objects.filter(claim_value__in=claim_values))
    wanted: dict[int, str] = {}
    for mapping in mappings:
        # Two groups for one organisation: the approver's role includes the reporter's.
        organisation_id = mapping.organisation_id
        if organisation_id is not None and wanted.get(organisation_id) != Membership.Role.APPROVER:
            wanted[organisation_id] = mapping.role
    changes = []
    existing = {membership.organisation_id: membership for membership in user.memberships.all()}
    for organisation_id, membership in existing.items():
        if membership.from_sign_in and organisation_id not in wanted:
            membership.delete()
            changes.append(f"left organisation {organisation_id}")
    for organisation_id, role in wanted.items():
        membership = existing.get(organisation_id)
        if membership is None:
            Membership.objects.create(
                user=user, organisation_id=organisation_id, role=role, from_sign_in=True
            )
            changes.append(f"joined organisation {organisation_id} as {role}")
        elif membership.from_sign_in and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
            changes.append(f"now {role} in organisation {organisation_id}")
    group = strategists_group()
    strategist = any(mapping.strategist for mapping in mappings)
    is_strategist = user.groups.filter(pk=group.pk).exists()
    if strategist and not is_strategist:
        user.groups.add(group)
        account.strategist_from_sign_in = True
        changes.append("became strategist")
    elif not strategist and is_strategist and account.strategist_from_sign_in:
        user.groups.remove(group)
        account.strategist_from_sign_in = False
        changes.append("no longer strategist")
    elif not is_strategist:
        account.strategist_from_sign_in = False
    return changes
