"""Functions that change the follow-up's state. Views, commands and the demo call these."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.models import FocusArea, Organisation, Responsibility

from . import notifications
from .models import (
    Action,
    Answer,
    Contribution,
    ContributionVersion,
    Cycle,
    IndicatorComment,
    ReviewComment,
)
from .permissions import can_review, can_submit
from .richtext import clean_text

TEXT_FIELDS = ["done", "results", "assessment_motivation", "challenges", "next_steps"]
CONTENT_FIELDS = ["not_relevant", "not_relevant_reason", *TEXT_FIELDS, "assessment"]
REQUIRED_FIELDS = ["done", "results", "assessment", "assessment_motivation"]


class WorkflowError(Exception):
    """A state change that is not allowed now; the message says why, for the user."""


class ConcurrentEdit(Exception):
    """Someone saved the contribution after this user opened it."""

    def __init__(self, contribution: Contribution):
        super().__init__(_("Someone else saved this contribution while you were editing it."))
        self.contribution = contribution


# Cycles


def _set_cycle_state(cycle: Cycle, allowed_from, new_state) -> None:
    if cycle.state not in allowed_from:
        raise WorkflowError(
            _("The cycle is %(state)s; it cannot become %(new)s.")
            % {"state": cycle.get_state_display(), "new": Cycle.State(new_state).label}
        )
    cycle.state = new_state
    cycle.save(update_fields=["state"])


def reporting_organisations():
    return Organisation.objects.filter(active=True, kind__in=Organisation.REPORTING_KINDS)


@transaction.atomic
def cycle_open(*, cycle: Cycle, by) -> int:
    """Open the cycle and ask every active nämnd and bolag; returns how many were asked.

    An organisation is asked about the focus areas it is responsible for; where the
    programme sets no responsibilities at all, every organisation is asked about every
    focus area (and may answer "not relevant for us").
    """
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _set_cycle_state(cycle, [Cycle.State.PLANNING], Cycle.State.OPEN)
    focus_areas = list(FocusArea.objects.filter(programme=cycle.programme_id))
    responsibilities = Responsibility.objects.filter(focus_area__programme=cycle.programme_id)
    has_responsibilities = responsibilities.exists()
    responsible = set(responsibilities.values_list("organisation_id", "focus_area_id"))
    existing = set(cycle.contributions.values_list("organisation_id", "focus_area_id"))
    new = [
        Contribution(cycle=cycle, organisation=organisation, focus_area=area)
        for organisation in reporting_organisations()
        for area in focus_areas
        if (not has_responsibilities or (organisation.pk, area.pk) in responsible)
        and (organisation.pk, area.pk) not in existing
    ]
    Contribution.objects.bulk_create(new)
    notifications.cycle_opened(cycle=cycle)
    return len(new)


def cycle_start_review(*, cycle: Cycle, by) -> None:
    _set_cycle_state(cycle, [Cycle.State.OPEN], Cycle.State.REVIEW)


def cycle_close(*, cycle: Cycle, by) -> None:
    _set_cycle_state(cycle, [Cycle.State.REVIEW], Cycle.State.CLOSED)


def cycle_change_due_date(*, cycle: Cycle, due_on, by) -> None:
    """Move the due date; the cycle's history keeps the old date, who changed it and when."""
    if cycle.state == Cycle.State.CLOSED:
        raise WorkflowError(_("The cycle is closed."))
    if due_on < cycle.opens_on:
        raise WorkflowError(_("The due date cannot be before the cycle opens."))
    cycle.due_on = due_on
    cycle._history_user = by
    cycle.save(update_fields=["due_on"])


@transaction.atomic
def request_add(*, cycle: Cycle, organisation: Organisation, focus_area: FocusArea, by):
    if cycle.state == Cycle.State.CLOSED:
        raise WorkflowError(_("The cycle is closed."))
    contribution, created = Contribution.objects.get_or_create(
        cycle=cycle, organisation=organisation, focus_area=focus_area
    )
    if not created and contribution.withdrawn:
        contribution.withdrawn = False
        contribution.save(update_fields=["withdrawn"])
    return contribution


def request_withdraw(*, contribution: Contribution, by) -> None:
    """Take a question back. What was written is kept, should it be asked again."""
    if contribution.state == Contribution.State.APPROVED:
        raise WorkflowError(_("An approved contribution cannot be withdrawn."))
    contribution.withdrawn = True
    contribution.save(update_fields=["withdrawn"])
    notifications.request_withdrawn(contribution=contribution)


# Contributions


def contribution_snapshot(contribution: Contribution) -> dict:
    """Everything the organisation wrote, as plain data for versions and diffs."""
    return {
        **{field: getattr(contribution, field) for field in CONTENT_FIELDS},
        "actions": [
            {
                "title": action.title,
                "description": action.description,
                "status": action.status,
                "groups": list(action.groups),
                "sdgs": sorted(sdg.number for sdg in action.sdgs.all()),
                "reference": action.reference,
            }
            for action in contribution.actions.prefetch_related("sdgs")
        ],
        "answers": {str(answer.question_id): answer.value for answer in contribution.answers.all()},
        "indicator_comments": {
            str(comment.indicator_id): comment.text
            for comment in contribution.indicator_comments.all()
            if comment.text
        },
    }


def _record_version(contribution: Contribution, *, by, event: str) -> ContributionVersion:
    number = (contribution.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ContributionVersion.objects.create(
        contribution=contribution,
        number=number,
        state=contribution.state,
        data=contribution_snapshot(contribution),
        created_by=by,
        event=event,
    )


def _locked(contribution: Contribution) -> Contribution:
    return Contribution.objects.select_for_update().select_related("cycle").get(pk=contribution.pk)


@transaction.atomic
def contribution_save(
    *,
    contribution: Contribution,
    fields: dict,
    actions: list[dict],
    answers: dict,
    expected_version: int,
    by,
    indicator_comments: dict | None = None,
) -> Contribution:
    """Save a draft. Never needs the required fields; refuses a save from a stale form.

    ``actions`` replaces the contribution's actions; each dict holds an action's fields
    and its ``sdgs`` (Sdg objects). ``answers`` maps a Question to its value and
    ``indicator_comments`` an Indicator to the organisation's comment on it.
    """
    current = _locked(contribution)
    if current.version != expected_version:
        raise ConcurrentEdit(current)
    if current.state not in Contribution.EDITABLE_STATES:
        raise WorkflowError(
            _("This contribution is %(state)s and cannot be changed.")
            % {"state": current.get_state_display()}
        )
    for field in CONTENT_FIELDS:
        if field in fields:
            value = fields[field]
            setattr(current, field, clean_text(value) if field in TEXT_FIELDS else value)
    current.not_relevant_reason = clean_text(current.not_relevant_reason)
    current.version += 1
    current.updated_by = by
    current.save()

    current.actions.all().delete()
    for position, data in enumerate(actions):
        action = Action.objects.create(
            contribution=current,
            position=position,
            title=data["title"].strip(),
            description=clean_text(data.get("description", "")),
            status=data["status"],
            groups=list(data.get("groups", [])),
            reference=data.get("reference", "").strip(),
        )
        action.sdgs.set(data.get("sdgs", []))
    for question, value in answers.items():
        Answer.objects.update_or_create(
            contribution=current,
            question=question,
            defaults={"value": "" if value is None else str(value).strip()},
        )
    for indicator, text in (indicator_comments or {}).items():
        text = clean_text(text)
        if text:
            IndicatorComment.objects.update_or_create(
                contribution=current, indicator=indicator, defaults={"text": text}
            )
        else:
            IndicatorComment.objects.filter(contribution=current, indicator=indicator).delete()
    _record_version(current, by=by, event="saved")
    return current


def missing_for_submission(contribution: Contribution) -> list[str]:
    """The labels of what must be filled in before the contribution can be submitted."""
    missing = []
    if contribution.not_relevant:
        if not contribution.not_relevant_reason.strip():
            missing.append(str(Contribution._meta.get_field("not_relevant_reason").verbose_name))
        return missing
    for field in REQUIRED_FIELDS:
        if not str(getattr(contribution, field)).strip():
            missing.append(str(Contribution._meta.get_field(field).verbose_name))
    answered = {a.question_id: a.value for a in contribution.answers.all()}
    for question in contribution.cycle.questions.filter(required=True):
        if not answered.get(question.pk, "").strip():
            missing.append(question.text)
    return missing


@transaction.atomic
def contribution_submit(*, contribution: Contribution, by) -> Contribution:
    current = _locked(contribution)
    if current.state not in Contribution.EDITABLE_STATES:
        raise WorkflowError(_("Only a draft or a returned contribution can be submitted."))
    if current.cycle.state not in (Cycle.State.OPEN, Cycle.State.REVIEW):
        raise WorkflowError(_("The cycle is not open for contributions."))
    if not can_submit(by, current):
        raise WorkflowError(_("Only an approver of the organisation can submit."))
    missing = missing_for_submission(current)
    if missing:
        raise WorkflowError(_("Fill in before submitting: %s.") % ", ".join(missing))
    resubmission = current.state == Contribution.State.RETURNED
    current.state = Contribution.State.RESUBMITTED if resubmission else Contribution.State.SUBMITTED
    current.submitted_at = timezone.now()
    current.updated_by = by
    current.save()
    _record_version(current, by=by, event="resubmitted" if resubmission else "submitted")
    notifications.contribution_submitted(contribution=current)
    return current


def _check_seen(current: Contribution, seen_version: int | None) -> None:
    """Refuse to act on a contribution that changed since the reviewer read it."""
    if seen_version is None:
        return
    latest = current.versions.aggregate(n=Max("number"))["n"] or 0
    if latest != seen_version:
        raise WorkflowError(
            _("The contribution has changed since you opened it. Read it again, then decide.")
        )


@transaction.atomic
def contribution_return(
    *, contribution: Contribution, comment: str, by, seen_version: int | None = None
) -> Contribution:
    current = _locked(contribution)
    _check_seen(current, seen_version)
    if not can_review(by, current):
        raise WorkflowError(_("Only a submitted contribution can be returned, by a strategist."))
    comment = clean_text(comment)
    if not comment:
        raise WorkflowError(_("Say what needs to change: returning needs a comment."))
    current.state = Contribution.State.RETURNED
    current.save(update_fields=["state", "updated_at"])
    version = _record_version(current, by=by, event="returned")
    ReviewComment.objects.create(
        contribution=current, author=by, text=comment, version_number=version.number
    )
    notifications.contribution_returned(contribution=current, comment=comment)
    return current


@transaction.atomic
def contribution_approve(
    *, contribution: Contribution, by, seen_version: int | None = None
) -> Contribution:
    current = _locked(contribution)
    _check_seen(current, seen_version)
    if not can_review(by, current):
        raise WorkflowError(_("Only a submitted contribution can be approved, by a strategist."))
    current.state = Contribution.State.APPROVED
    current.approved_at = timezone.now()
    current.save(update_fields=["state", "approved_at", "updated_at"])
    _record_version(current, by=by, event="approved")
    notifications.contribution_approved(contribution=current)
    return current
