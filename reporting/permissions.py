"""Who may see and do what in the follow-up. Every view and queryset goes through here.

The rule that matters most: a member of one organisation never sees or changes another
organisation's unsubmitted work. Strategists see every contribution's state, but its
content only while it is submitted or approved (not a draft, not a returned one being
corrected).
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from programme.models import Membership
from programme.permissions import is_strategist

from .models import Contribution, Cycle


def organisation_ids(user) -> set[int]:
    if not user.is_authenticated or not user.is_active:
        return set()
    if not hasattr(user, "_organisation_ids"):
        user._organisation_ids = set(
            Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
        )
    return user._organisation_ids


def is_approver(user, organisation_id: int) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Membership.Role.APPROVER
    ).exists()


def contributions_readable_by(user) -> QuerySet[Contribution]:
    """Contributions whose content the user may read."""
    contributions = Contribution.objects.filter(withdrawn=False)
    if not user.is_authenticated or not user.is_active:
        return contributions.none()
    own = Q(organisation_id__in=organisation_ids(user))
    if is_strategist(user):
        return contributions.filter(own | Q(state__in=Contribution.SHARED_STATES))
    return contributions.filter(own)


def contribution_for_user(user, pk: int, *, write: bool = False) -> Contribution:
    """The contribution if the user may read it (or, with write, edit it); else 404.

    A 404 rather than 403 so that nobody learns which ids exist.
    """
    queryset = contributions_readable_by(user)
    if write:
        queryset = queryset.filter(organisation_id__in=organisation_ids(user))
    try:
        return queryset.select_related("cycle", "organisation", "focus_area").get(pk=pk)
    except Contribution.DoesNotExist:
        raise Http404 from None


def can_edit(user, contribution: Contribution) -> bool:
    return (
        contribution.organisation_id in organisation_ids(user)
        and contribution.state in Contribution.EDITABLE_STATES
        and contribution.cycle.state in (Cycle.State.OPEN, Cycle.State.REVIEW)
        and not contribution.withdrawn
    )


def can_submit(user, contribution: Contribution) -> bool:
    """Where the organisation has an approver, only an approver submits."""
    if not can_edit(user, contribution):
        return False
    has_approver = Membership.objects.filter(
        organisation_id=contribution.organisation_id, role=Membership.Role.APPROVER
    ).exists()
    return not has_approver or is_approver(user, contribution.organisation_id)


def can_review(user, contribution: Contribution) -> bool:
    return is_strategist(user) and contribution.state in Contribution.REVIEWABLE_STATES


def cycle_for_strategist(user, pk: int) -> Cycle:
    if not is_strategist(user):
        raise Http404
    try:
        return Cycle.objects.select_related("programme").get(pk=pk)
    except Cycle.DoesNotExist:
        raise Http404 from None
