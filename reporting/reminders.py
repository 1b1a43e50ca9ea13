"""Reminders of unsubmitted contributions, one digest per person and day."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programme.models import Membership

from .models import ReminderSent
from .notifications import deliverable, in_site_language
from .selectors import active_cycles
from .tasks import queue_email
from .workflow import WRITABLE_STATES, WorkflowError, open_for_writing


@dataclass
class Digest:
    user: object
    contributions: list = field(default_factory=list)
    overdue: bool = False


def _still_writable(contributions) -> list:
    """Of a cycle's contributions, those that can still be written
    (workflow.open_for_writing): unsubmitted and asked; in review, only those returned for
    correction. The query only leaves out what the workflow would: nothing else is read."""
    return [
        contribution
        for contribution in contributions.filter(
            withdrawn=False, state__in=WRITABLE_STATES
        ).select_related("cycle", "organisation", "focus_area")
        if open_for_writing(contribution)
    ]


def _due_contributions(today):
    """Unsubmitted contributions of cycles whose reminder day is today, and whether late.
    Only those that can still be written: in review, the ones returned for correction."""
    for cycle in active_cycles():
        days_left = (cycle.due_on - today).days
        if days_left in settings.REMINDER_DAYS_BEFORE:
            overdue = False
        elif -days_left in settings.REMINDER_DAYS_AFTER:
            overdue = True
        else:
            continue
        for contribution in _still_writable(cycle.contributions):
            yield contribution, overdue


def _reminded(members: list, overdue: bool) -> list:
    """Whom of an organisation's members a reminder writes to: before the due date every
    member; after it the approvers (every member where the organisation has none)."""
    if overdue:
        approvers = [m for m in members if m.role == Membership.Role.APPROVER]
        return approvers or members
    return members


def reminder_digests(today) -> list[Digest]:
    """Who gets the daily reminder today, with what (see _reminded)."""
    memberships = defaultdict(list)
    for membership in Membership.objects.select_related("user").filter(user__is_active=True):
        memberships[membership.organisation_id].append(membership)
    already = set(
        ReminderSent.objects.filter(sent_on=today, sent_by=None).values_list("user_id", flat=True)
    )
    digests: dict[int, Digest] = {}
    for contribution, overdue in _due_contributions(today):
        members = _reminded(memberships.get(contribution.organisation_id, []), overdue)
        for membership in members:
            user = membership.user
            if user.pk in already or not deliverable(user.email):
                continue
            digest = digests.setdefault(user.pk, Digest(user=user))
            digest.contributions.append(contribution)
            digest.overdue = digest.overdue or overdue
    return sorted(digests.values(), key=lambda d: d.user.username)


@in_site_language
def digest_text(digest: Digest) -> tuple[str, str]:
    lines = []
    for contribution in digest.contributions:
        url = settings.SITE_URL.rstrip("/") + reverse(
            "reporting:contribution-edit", args=[contribution.pk]
        )
        lines.append(
            f"- {contribution.cycle.title}, {contribution.organisation.name}: "
            f"{contribution.focus_area.code} {contribution.focus_area.title} "
            f"({_('due %(due)s') % {'due': date_format(contribution.cycle.due_on)}})\n  {url}"
        )
    if digest.overdue:
        subject = _("Livskvalitet: contributions are overdue")
        intro = _("These contributions are past their due date and not yet submitted:")
    else:
        subject = _("Livskvalitet: reminder of contributions to submit")
        intro = _("These contributions are not yet submitted:")
    return subject, intro + "\n\n" + "\n".join(lines)


def send_reminders(today, *, dry_run: bool = False) -> list[Digest]:
    digests = reminder_digests(today)
    if dry_run:
        return digests
    for digest in digests:
        subject, body = digest_text(digest)
        with transaction.atomic():
            record, created = ReminderSent.objects.get_or_create(
                user=digest.user, sent_on=today, sent_by=None, defaults={"overdue": digest.overdue}
            )
            if not created:
                continue
            record.contributions.set(digest.contributions)
            queue_email(subject, body, digest.user.email)
    return digests


def _by_hand(cycle, organisation, *, today) -> tuple[list, list, bool]:
    """What a reminder by hand would be about, to whom, and whether after the due date;
    refused, with why, when there is nothing to write, nobody to write to, or it was done
    today."""
    contributions = _still_writable(cycle.contributions.filter(organisation=organisation))
    if not contributions:
        raise WorkflowError(
            _("%(organisation)s has nothing left to write in this cycle.")
            % {"organisation": organisation.name}
        )
    earlier = (
        ReminderSent.objects.filter(
            sent_on=today, sent_by__isnull=False, contributions__in=contributions
        )
        .select_related("sent_by")
        .first()
    )
    if earlier is not None:
        raise WorkflowError(
            _("%(name)s reminded %(organisation)s today already; one reminder a day is enough.")
            % {"name": earlier.sent_by.get_full_name() or earlier.sent_by.get_username(),
               "organisation": organisation.name}
        )  # fmt: skip
    overdue = cycle.due_on < today
    members = list(
        Membership.objects.select_related("user").filter(
            organisation=organisation, user__is_active=True
        )
    )
    if not members:
        raise WorkflowError(
            _(
                "%(organisation)s has no members, so nobody can be reminded. Members are "
                "added in the administration."
            )
            % {"organisation": organisation.name}
        )
    users = [m.user for m in _reminded(members, overdue) if deliverable(m.user.email)]
    if not users:
        raise WorkflowError(
            _(
                "Nobody of %(organisation)s can be reached: none of those the reminder goes "
                "to has an e-mail address. Members are added in the administration."
            )
            % {"organisation": organisation.name}
        )
    return contributions, users, overdue


def reminder_refused(cycle, organisation, *, today) -> str:
    """Why a reminder by hand to the organisation would be refused now ("" when it would
    go): the cycle's page says so instead of offering a button that can only fail."""
    try:
        _by_hand(cycle, organisation, today=today)
    except WorkflowError as error:
        return str(error)
    return ""


def send_to_organisation(cycle, organisation, *, by, today) -> list:
    """A reminder by hand (services.organisation_remind, which checks the workflow): one
    mail to each person of the organisation the daily reminder would write to, about what
    it can still write in the cycle, logged on those contributions. Refused as _by_hand
    says."""
    contributions, users, overdue = _by_hand(cycle, organisation, today=today)
    for user in users:
        subject, body = digest_text(Digest(user=user, contributions=contributions, overdue=overdue))
        record = ReminderSent.objects.create(user=user, sent_on=today, overdue=overdue, sent_by=by)
        record.contributions.set(contributions)
        queue_email(subject, body, user.email)
    return users
