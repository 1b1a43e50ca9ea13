"""Who may see and do what in the follow-up. Every view, queryset and service asks here.

The rule that matters most: a member of one organisation never sees or changes another
organisation's unsubmitted work. Strategists see every contribution's state, but its
content only while it is submitted or approved (not a draft, not a returned one being
corrected), and of its saved versions only those the organisation handed over.

Views call the functions that raise (``require_*``, ``*_for_user``) before anything else;
services call the ``can_*`` predicates again, so that a rule holds whoever calls them.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from programme.models import Membership
from programme.permissions import is_strategist

from .models import Attachment, Contribution, ContributionVersion, Cycle, Report, ReviewComment

# Submitted contributions are returned or approved while the cycle runs, not once closed.
REVIEW_CYCLE_STATES = (Cycle.State.OPEN, Cycle.State.REVIEW)


def organisation_ids(user) -> set[int]:
    if not user.is_authenticated or not user.is_active:
        return set()
    if not hasattr(user, "_organisation_ids"):
        user._organisation_ids = set(
            Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
        )
    return user._organisation_ids


def is_member(user, organisation_id: int) -> bool:
    return organisation_id in organisation_ids(user)


def is_approver(user, organisation_id: int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Membership.Role.APPROVER
    ).exists()


def approver_organisation_ids(user) -> set[int]:
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(
        Membership.objects.filter(user=user, role=Membership.Role.APPROVER).values_list(
            "organisation_id", flat=True
        )
    )


def require_strategist(user) -> None:
    """The strategy department's pages: 404 for everybody else, so nothing is revealed."""
    if not is_strategist(user):
        raise Http404


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
        # The cycle's programme too: it gives the baseline year of the indicators' trends.
        return queryset.select_related("cycle__programme", "organisation", "focus_area").get(pk=pk)
    except Contribution.DoesNotExist:
        raise Http404 from None


# A version's text was handed over when it was saved in a shared state, or when it is
# the version the strategist returned (whose text is the submitted text).
HANDED_OVER = Q(state__in=Contribution.SHARED_STATES) | Q(event=ContributionVersion.Event.RETURNED)


def versions_readable_by(user, contribution: Contribution) -> QuerySet[ContributionVersion]:
    """The saved versions of a contribution the user may read.

    Members of the organisation read all of them; anybody else only those that were
    handed over, never the drafts saved before (or between) submissions.
    """
    versions = contribution.versions.all()
    if is_member(user, contribution.organisation_id):
        return versions
    return versions.filter(HANDED_OVER)


def cycle_accepts_text(contribution: Contribution) -> bool:
    """Whether the contribution's cycle lets the organisation write in it now.

    Contributions are written while the cycle is open; once it is in review, only those
    the strategy department returned for correction. Never in planning or once closed.
    """
    state = contribution.cycle.state
    if state == Cycle.State.OPEN:
        return True
    return state == Cycle.State.REVIEW and contribution.correcting


def can_edit(user, contribution: Contribution) -> bool:
    return (
        is_member(user, contribution.organisation_id)
        and contribution.state in Contribution.EDITABLE_STATES
        and not contribution.withdrawn
        and cycle_accepts_text(contribution)
    )


def has_approver(contribution: Contribution) -> bool:
    """Asked once per contribution object (a page asks several rules that need it)."""
    if not hasattr(contribution, "_has_approver"):
        contribution._has_approver = Membership.objects.filter(
            organisation_id=contribution.organisation_id, role=Membership.Role.APPROVER
        ).exists()
    return contribution._has_approver


def can_submit(user, contribution: Contribution) -> bool:
    """Where the organisation has an approver, only an approver submits."""
    if not can_edit(user, contribution):
        return False
    return not has_approver(contribution) or is_approver(user, contribution.organisation_id)


def wrote(user, contribution: Contribution) -> bool:
    """Whether the user saved or submitted any version of the contribution."""
    if not user.is_authenticated:
        return False
    return contribution.versions.filter(
        created_by=user,
        event__in=[
            ContributionVersion.Event.SAVED,
            ContributionVersion.Event.SUBMITTED,
            ContributionVersion.Event.RESUBMITTED,
        ],
    ).exists()


def can_mark_ready(user, contribution: Contribution) -> bool:
    """A reporter hands a draft to the organisation's approver."""
    return (
        can_edit(user, contribution)
        and contribution.state != Contribution.State.READY
        and has_approver(contribution)
        and not is_approver(user, contribution.organisation_id)
    )


def can_send_back(user, contribution: Contribution) -> bool:
    return (
        can_edit(user, contribution)
        and contribution.state == Contribution.State.READY
        and is_approver(user, contribution.organisation_id)
    )


def can_read_content(user, contribution: Contribution) -> bool:
    """Members read their organisation's work; strategists what was handed over."""
    return is_member(user, contribution.organisation_id) or (
        is_strategist(user) and contribution.state in Contribution.SHARED_STATES
    )


def contribution_page_for_user(user, pk: int) -> tuple[Contribution, bool]:
    """The contribution whose page the user may open, and whether they may read its content.

    Strategists open every contribution's page, to follow its state and its thread with
    the organisation, but read its content only once it was handed over. 404 otherwise.
    """
    contributions = Contribution.objects.filter(withdrawn=False)
    if not is_strategist(user):
        contributions = contributions.filter(organisation_id__in=organisation_ids(user))
    try:
        contribution = contributions.select_related("cycle", "organisation", "focus_area").get(
            pk=pk
        )
    except Contribution.DoesNotExist:
        raise Http404 from None
    return contribution, can_read_content(user, contribution)


def thread_for_user(user, contribution: Contribution):
    """The thread's entries the user may read: the organisation's own notes stay with it."""
    entries = contribution.comments.select_related("author")
    if is_member(user, contribution.organisation_id):
        return entries
    return entries.exclude(kind__in=ReviewComment.INTERNAL_KINDS)


def can_write_in_thread(user, contribution: Contribution) -> bool:
    return (
        (is_member(user, contribution.organisation_id) or is_strategist(user))
        and not contribution.withdrawn
        and contribution.cycle.state != Cycle.State.CLOSED
    )


def attachment_for_user(user, pk: int, attachment_pk: int) -> Attachment:
    """An attachment, for whoever may read a version that lists it (members: any)."""
    contribution = contribution_for_user(user, pk)
    try:
        attachment = contribution.attachments.get(pk=attachment_pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    if is_member(user, contribution.organisation_id):
        return attachment
    for data in versions_readable_by(user, contribution).values_list("data", flat=True):
        if any(ref.get("pk") == attachment.pk for ref in (data or {}).get("attachments", [])):
            return attachment
    raise Http404


def can_review(user, contribution: Contribution) -> bool:
    """Strategists return or approve what was submitted, while the cycle runs."""
    return (
        is_strategist(user)
        and contribution.state in Contribution.REVIEWABLE_STATES
        and not contribution.withdrawn
        and contribution.cycle.state in REVIEW_CYCLE_STATES
    )


def can_approve(user, contribution: Contribution) -> bool:
    """Four eyes: whoever wrote or submitted the contribution cannot also approve it."""
    return can_review(user, contribution) and not wrote(user, contribution)


def can_manage_cycles(user) -> bool:
    return is_strategist(user)


def cycle_for_strategist(user, pk: int) -> Cycle:
    require_strategist(user)
    try:
        return Cycle.objects.select_related("programme").get(pk=pk)
    except Cycle.DoesNotExist:
        raise Http404 from None


def published_report(cycle_pk: int, number: int) -> Report:
    """A published report, for everybody: its public page lists what it was built from.
    Any other version is not found, whoever asks (the strategists' pages show those)."""
    report = (
        Report.objects.filter(
            cycle_id=cycle_pk, number=number, status=Report.Status.DONE, published=True
        )
        .select_related("cycle__programme")
        .first()
    )
    if report is None:
        raise Http404
    return report


def published_contribution_version(report: Report, version_pk: int):
    """One approved contribution a published report was built from; nothing else."""
    version = (
        report.built_from.filter(pk=version_pk, event="approved")
        .select_related(
            "contribution__organisation",
            "contribution__focus_area",
            "contribution__cycle",
        )
        .first()
    )
    if version is None:
        raise Http404
    return version


def report_for_user(user, cycle_pk: int, number: int) -> Report:
    """A compiled report: strategists read every version; everybody else, the public
    included, the published one only."""
    reports = Report.objects.filter(cycle_id=cycle_pk, number=number, status=Report.Status.DONE)
    if not is_strategist(user):
        reports = reports.filter(published=True)
    report = reports.select_related("cycle").first()
    if report is None:
        raise Http404
    return report
