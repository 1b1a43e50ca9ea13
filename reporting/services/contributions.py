"""Writing a contribution and moving it through its states, from draft to approved."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from livskvalitet.core.text import as_typed
from programme.models import Sdg

from .. import notifications, workflow
from ..attachments import attachments_add, check_uploads
from ..content import MAX_ACTIONS, TOO_MANY_ACTIONS, ContributionContent
from ..models import (
    Action,
    Answer,
    Contribution,
    ContributionVersion,
    IndicatorComment,
    ReviewComment,
)
from ..permissions import is_member
from .common import ChangedSinceSeen, ConcurrentEdit, Event, WorkflowError, within_limit
from .register import check_initiatives, register_actions


def record_version(contribution: Contribution, *, by, event: str) -> ContributionVersion:
    number = (contribution.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ContributionVersion.objects.create(
        contribution=contribution,
        number=number,
        state=contribution.state,
        data=ContributionContent.of(contribution).to_json(),
        created_by=by,
        event=event,
    )


def locked(contribution: Contribution) -> Contribution:
    return Contribution.objects.select_for_update().select_related("cycle").get(pk=contribution.pk)


def _write_content(contribution: Contribution, content: ContributionContent, *, by, files):
    """Make the contribution's rows hold ``content``; attach ``files`` (checked uploads)."""
    for name, value in content.row_values().items():
        setattr(contribution, name, value)
    contribution.version += 1
    contribution.updated_by = by
    contribution.save()

    sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
    contribution.actions.all().delete()
    for position, action in enumerate(content.actions):
        row = Action.objects.create(
            contribution=contribution, position=position, **action.row_values()
        )
        row.sdgs.set([sdgs[n] for n in action.sdgs if n in sdgs])
    questions = set(contribution.cycle.questions.values_list("pk", flat=True))
    for question_id, value in content.answers.items():
        if int(question_id) in questions:
            Answer.objects.update_or_create(
                contribution=contribution, question_id=int(question_id), defaults={"value": value}
            )
    indicators = set(contribution.focus_area.indicators.values_list("pk", flat=True))
    contribution.indicator_comments.exclude(
        indicator_id__in=[int(pk) for pk in content.indicator_comments]
    ).delete()
    for indicator_id, text in content.indicator_comments.items():
        if int(indicator_id) in indicators:
            IndicatorComment.objects.update_or_create(
                contribution=contribution, indicator_id=int(indicator_id), defaults={"text": text}
            )
    kept = {attachment.pk for attachment in content.attachments}
    contribution.attachments.filter(removed_at__isnull=True).exclude(pk__in=kept).update(
        removed_at=timezone.now(), removed_by=by
    )
    attachments_add(contribution=contribution, files=files, by=by)


@transaction.atomic
def contribution_save(
    *, contribution: Contribution, content: ContributionContent, expected_version: int, by, files=()
) -> Contribution:
    """Save a draft. Never needs the required fields; refuses a save from a stale form.

    ``content`` replaces what the contribution holds (see content.py); ``files`` are new
    attachments, checked by attachments.py before anything is stored.
    """
    current = locked(contribution)
    # A form saved from an older version is told so before anything else, with the text
    # saved meanwhile, so that its user can keep what they typed (the page shows both):
    # only to members, who may read that text.
    if current.version != expected_version and is_member(by, current.organisation_id):
        raise ConcurrentEdit(current)
    workflow.require(by, workflow.Step.SAVE, current)
    if len(content.actions) > MAX_ACTIONS:
        raise WorkflowError(TOO_MANY_ACTIONS % {"num": MAX_ACTIONS})
    check_uploads(files, already=len(content.attachments))
    check_initiatives(current, content)
    _write_content(current, content, by=by, files=files)
    record_version(current, by=by, event=Event.SAVED)
    return current


def missing_for_submission(contribution: Contribution) -> list[str]:
    """The labels of what must be filled in before the contribution can be submitted."""
    content = ContributionContent.of(contribution)
    return content.missing(contribution.cycle.questions.filter(required=True))


@transaction.atomic
def contribution_submit(*, contribution: Contribution, by, seen: int | None = None) -> Contribution:
    """Submit as it stands; with ``seen``, only the contribution's version its user read."""
    current = locked(contribution)
    workflow.require(by, workflow.Step.SUBMIT, current)
    _check_saved(current, seen)
    missing = missing_for_submission(current)
    if missing:
        raise WorkflowError(_("Fill in before submitting: %s.") % ", ".join(missing))
    current.state = workflow.target(workflow.Step.SUBMIT, current)
    resubmission = current.state == Contribution.State.RESUBMITTED
    current.correcting = False
    current.submitted_at = timezone.now()
    current.updated_by = by
    current.save()
    record_version(current, by=by, event=Event.RESUBMITTED if resubmission else Event.SUBMITTED)
    notifications.contribution_submitted(contribution=current)
    return current


def _record_step(current: Contribution, *, by, event, kind, text: str) -> None:
    """Keep the version a hand-over step leaves, and its words in the thread (if any)."""
    version = record_version(current, by=by, event=event)
    if text.strip():
        ReviewComment.objects.create(
            contribution=current, author=by, kind=kind, text=text, version_number=version.number
        )


@transaction.atomic
def contribution_mark_ready(
    *, contribution: Contribution, by, note: str = "", seen: int | None = None
) -> Contribution:
    """A reporter hands the draft to the organisation's approver, who is told; with ``seen``,
    only the contribution's version its user read."""
    current = locked(contribution)
    workflow.require(by, workflow.Step.MARK_READY, current)
    _check_saved(current, seen)
    note = within_limit(as_typed(note))
    current.state = workflow.target(workflow.Step.MARK_READY, current)
    current.updated_by = by
    current.save(update_fields=["state", "updated_by", "updated_at"])
    _record_step(current, by=by, event=Event.READY, kind=ReviewComment.Kind.READY, text=note)
    notifications.contribution_ready(contribution=current, by=by, note=note)
    return current


@transaction.atomic
def contribution_send_back(*, contribution: Contribution, by, comment: str) -> Contribution:
    """The approver sends a draft marked ready back to the reporters, saying why."""
    current = locked(contribution)
    workflow.require(by, workflow.Step.SEND_BACK, current)
    comment = within_limit(as_typed(comment))
    if not comment.strip():
        raise WorkflowError(_("Say what needs to change: sending back needs a comment."))
    current.state = workflow.target(workflow.Step.SEND_BACK, current)
    current.updated_by = by
    current.save(update_fields=["state", "updated_by", "updated_at"])
    _record_step(
        current, by=by, event=Event.SENT_BACK, kind=ReviewComment.Kind.SENT_BACK, text=comment
    )
    notifications.contribution_sent_back(contribution=current, by=by, comment=comment)
    return current


def _check_saved(current: Contribution, seen: int | None) -> None:
    """Refuse a hand-over of a contribution saved since its user opened it (its row's
    version, checked under the row's lock)."""
    if seen is not None and current.version != seen:
        raise ChangedSinceSeen


def _check_seen(current: Contribution, seen_version: int | None) -> None:
    """Refuse to act on a contribution that changed since the reviewer read it."""
    if seen_version is None:
        return
    latest = current.versions.aggregate(n=Max("number"))["n"] or 0
    if latest != seen_version:
        raise ChangedSinceSeen


@transaction.atomic
def contribution_return(
    *, contribution: Contribution, comment: str, by, seen_version: int | None = None
) -> Contribution:
    current = locked(contribution)
    workflow.require(by, workflow.Step.RETURN, current)
    _check_seen(current, seen_version)
    comment = within_limit(as_typed(comment))
    if not comment.strip():
        raise WorkflowError(_("Say what needs to change: returning needs a comment."))
    current.state = workflow.target(workflow.Step.RETURN, current)
    current.correcting = True
    current.save(update_fields=["state", "correcting", "updated_at"])
    _record_step(current, by=by, event=Event.RETURNED, kind=ReviewComment.Kind.RETURN, text=comment)
    notifications.contribution_returned(contribution=current, comment=comment)
    return current


@transaction.atomic
def contribution_approve(
    *, contribution: Contribution, by, seen_version: int | None = None
) -> Contribution:
    current = locked(contribution)
    workflow.require(by, workflow.Step.APPROVE, current)
    _check_seen(current, seen_version)
    current.state = workflow.target(workflow.Step.APPROVE, current)
    current.approved_at = timezone.now()
    current.save(update_fields=["state", "approved_at", "updated_at"])
    register_actions(current, by=by)
    record_version(current, by=by, event=Event.APPROVED)
    notifications.contribution_approved(contribution=current)
    return current
