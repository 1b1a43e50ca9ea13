"""Who may see what in the follow-up: querysets of what a user may read, and lookups that
answer 404 for anything else, so that nobody learns which ids exist.

The rule that matters most: a member of one organisation never sees another
organisation's unsubmitted work. Strategists see every contribution's state, but its
content only while it is submitted or approved (not a draft, not a returned one being
corrected), and of its saved versions only those the organisation handed over.

What a user may DO with what they see is the workflow's (workflow.py): views look up
the object here first, then the workflow decides.

An installation serves one municipality: the cycles, contributions and reports of
another's programmes are not found here, for strategists and the public alike.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from programme.models import FocusArea, Membership, Organisation, Programme, of_installation
from programme.permissions import is_strategist

from .models import (
    Attachment,
    Contribution,
    ContributionVersion,
    Cycle,
    Initiative,
    Report,
    ReviewComment,
)


def _memberships(user) -> dict[int, str]:
    """The user's role in each of their organisations, read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return {}
    if not hasattr(user, "_memberships"):
        user._memberships = dict(
            Membership.objects.filter(user=user).values_list("organisation_id", "role")
        )
    return user._memberships


def membership_role(user, organisation_id: int) -> str | None:
    """ "reporter" or "approver" in the organisation, or None for a non-member."""
    return _memberships(user).get(organisation_id)


def organisation_ids(user) -> set[int]:
    return set(_memberships(user))


def is_member(user, organisation_id: int) -> bool:
    return organisation_id in _memberships(user)


def installation_cycles() -> QuerySet[Cycle]:
    """The cycles of the installation's own programmes."""
    return Cycle.objects.filter(programme__in=Programme.objects.of_installation())


def _of_installation(queryset):
    """Contributions or reports of the installation's cycles."""
    return queryset.filter(cycle__in=installation_cycles())


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
        shared = Q(state__in=Contribution.SHARED_STATES, cycle__in=installation_cycles())
        return contributions.filter(own | shared)
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
    if is_strategist(user):
        contributions = _of_installation(contributions)
    else:
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


def cycle_for_strategist(user, pk: int) -> Cycle:
    require_strategist(user)
    try:
        return installation_cycles().select_related("programme").get(pk=pk)
    except Cycle.DoesNotExist:
        raise Http404 from None


def installation_initiatives() -> QuerySet[Initiative]:
    """The action register's entries of the installation's own organisations."""
    return of_installation(Initiative.objects.all(), "organisation__municipality")


def initiative_for_strategist(user, pk: int) -> Initiative:
    """An entry of the register, for the strategy department's pages; 404 otherwise."""
    require_strategist(user)
    try:
        return (
            installation_initiatives()
            .select_related("organisation")
            # Its areas with their edition, which names the level (Programme.levels).
            .prefetch_related(
                Prefetch("focus_areas", FocusArea.objects.select_related("programme")),
                "sdgs",
                "documents",
            )
            .get(pk=pk)
        )
    except Initiative.DoesNotExist:
        raise Http404 from None


def asked_organisation_for_strategist(user, pk: int, organisation_pk: int):
    """A cycle and an organisation it asks something of, for a strategist's pages about
    that organisation in the cycle; 404 for anybody else, or an organisation not asked."""
    cycle = cycle_for_strategist(user, pk)
    organisation = (
        Organisation.objects.filter(pk=organisation_pk, contributions__cycle=cycle)
        .distinct()
        .first()
    )
    if organisation is None:
        raise Http404
    return cycle, organisation


# Reports are looked up by their cycle's address as cycle__pk, not cycle_id: a number in the
# address too large for the database is then not found (Django's integer lookups), rather
# than an error of the server (SQLite cannot take it as a foreign key's value).


def published_report(cycle_pk: int, number: int) -> Report:
    """A published report, for everybody: its public page lists what it was built from.
    Any other version is not found, whoever asks (the strategists' pages show those)."""
    report = (
        published_reports()
        .filter(cycle__pk=cycle_pk, number=number)
        .select_related("cycle__programme")
        .first()
    )
    if report is None:
        raise Http404
    return report


def published_reports() -> QuerySet[Report]:
    """The installation's published, compiled reports: public documents."""
    return _of_installation(Report.objects.filter(published=True, status=Report.Status.DONE))


def withdrawn_reports():
    """Reports that were published and whose publication was withdrawn: their public page
    stays and says so, their files are gone (410)."""
    return _of_installation(
        Report.objects.filter(
            status=Report.Status.DONE, published=False, published_at__isnull=False
        )
    ).select_related("cycle__programme")


def withdrawn_report(cycle_pk: int, number: int) -> Report | None:
    return withdrawn_reports().filter(cycle__pk=cycle_pk, number=number).first()


def replacement_of(report: Report) -> Report | None:
    """The published version that replaced a withdrawn one: a later version of its cycle
    published since (an earlier one published again does not replace it)."""
    return published_reports().filter(cycle=report.cycle_id, number__gt=report.number).first()


def published_contribution_version(report: Report, version_pk: int):
    """One approved contribution a published report was built from; nothing else."""
    version = (
        report.built_from.filter(pk=version_pk, event=ContributionVersion.Event.APPROVED)
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
    reports = _of_installation(
        Report.objects.filter(cycle__pk=cycle_pk, number=number, status=Report.Status.DONE)
    )
    if not is_strategist(user):
        reports = reports.filter(published=True)
    report = reports.select_related("cycle").first()
    if report is None:
        raise Http404
    return report
