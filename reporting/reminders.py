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
from .workflow import WRITABLE_STATES, takes_text


@dataclass
class Digest:
    user: object
    contributions: list = field(default_factory=list)
    overdue: bool = False


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
        contributions = cycle.contributions.filter(
            withdrawn=False, state__in=WRITABLE_STATES
        ).select_related("cycle", "organisation", "focus_area")
        for contribution in contributions:
            if takes_text(cycle.state, contribution.correcting):
                yield contribution, overdue


def reminder_digests(today) -> list[Digest]:
    """Who gets a reminder today, with what. Before the due date every member; after it
    the approvers (every member where the organisation has none)."""
    memberships = defaultdict(list)
    for membership in Membership.objects.select_related("user").filter(user__is_active=True):
        memberships[membership.organisation_id].append(membership)
    already = set(ReminderSent.objects.filter(sent_on=today).values_list("user_id", flat=True))
    digests: dict[int, Digest] = {}
    for contribution, overdue in _due_contributions(today):
        members = memberships.get(contribution.organisation_id, [])
        if overdue:
            approvers = [m for m in members if m.role == Membership.Role.APPROVER]
            members = approvers or members
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
                user=digest.user, sent_on=today, defaults={"overdue": digest.overdue}
            )
            if not created:
                continue
            record.contributions.set(digest.contributions)
            queue_email(subject, body, digest.user.email)
    return digests
