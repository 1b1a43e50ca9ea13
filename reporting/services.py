"""Functions that change the follow-up's state. Views, commands and the demo call these."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from livskvalitet.text import as_typed
from programme.models import FocusArea, Organisation, Responsibility
from programme.permissions import is_strategist

from . import notifications
from .models import (
    Action,
    Answer,
    Contribution,
    ContributionVersion,
    Cycle,
    IndicatorComment,
    Question,
    ReviewComment,
)
from .permissions import (
    can_approve,
    can_manage_cycles,
    can_review,
    cycle_accepts_text,
    has_approver,
    is_approver,
    is_member,
)

Event = ContributionVersion.Event

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


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise WorkflowError(message)


def _require_strategist(by) -> None:
    _require(can_manage_cycles(by), _("Only the strategy department runs follow-up cycles."))


@transaction.atomic
def _set_cycle_state(cycle: Cycle, allowed_from, new_state, *, by) -> Cycle:
    """Move the cycle on, judged by its state in the database (not a stale copy)."""
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.state not in allowed_from:
        raise WorkflowError(
            _("The cycle is %(state)s; it cannot become %(new)s.")
            % {"state": locked.get_state_display(), "new": Cycle.State(new_state).label}
        )
    locked.state = cycle.state = new_state
    locked._history_user = by
    locked.save(update_fields=["state"])
    return locked


def reporting_organisations():
    return Organisation.objects.filter(active=True, kind__in=Organisation.REPORTING_KINDS)


@transaction.atomic
def cycle_create(*, by, programme, title, first_year, last_year, opens_on, due_on) -> Cycle:
    """A new cycle in planning: nobody is asked anything until it is opened."""
    _require_strategist(by)
    cycle = Cycle(
        programme=programme,
        title=title,
        first_year=first_year,
        last_year=last_year,
        opens_on=opens_on,
        due_on=due_on,
    )
    cycle.full_clean()
    cycle._history_user = by
    cycle.save()
    return cycle


@transaction.atomic
def cycle_open(*, cycle: Cycle, by) -> int:
    """Open the cycle and ask every active nämnd and bolag; returns how many were asked.

    An organisation is asked about the focus areas it is responsible for; where the
    programme sets no responsibilities at all, every organisation is asked about every
    focus area (and may answer "not relevant for us").
    """
    _require_strategist(by)
    cycle = _set_cycle_state(cycle, [Cycle.State.PLANNING], Cycle.State.OPEN, by=by)
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
    _require_strategist(by)
    _set_cycle_state(cycle, [Cycle.State.OPEN], Cycle.State.REVIEW, by=by)


def cycle_close(*, cycle: Cycle, by) -> None:
    _require_strategist(by)
    _set_cycle_state(cycle, [Cycle.State.REVIEW], Cycle.State.CLOSED, by=by)


def cycle_change_due_date(*, cycle: Cycle, due_on, by) -> None:
    """Move the due date; the cycle's history keeps the old date, who changed it and when."""
    _require_strategist(by)
    if cycle.state == Cycle.State.CLOSED:
        raise WorkflowError(_("The cycle is closed."))
    if due_on < cycle.opens_on:
        raise WorkflowError(_("The due date cannot be before the cycle opens."))
    cycle.due_on = due_on
    cycle._history_user = by
    cycle.save(update_fields=["due_on"])


@transaction.atomic
def question_add(
    *, cycle: Cycle, by, text, kind, help_text="", choices="", required=False, position=0
) -> Question:
    """A question of the strategy department's, asked in every contribution of the cycle."""
    _require_strategist(by)
    _require(cycle.state != Cycle.State.CLOSED, _("The cycle is closed."))
    question = Question(
        cycle=cycle,
        text=text,
        kind=kind,
        help_text=help_text,
        choices=choices,
        required=required,
        position=position,
    )
    question.full_clean()
    question._history_user = by
    question.save()
    return question


@transaction.atomic
def request_add(*, cycle: Cycle, organisation: Organisation, focus_area: FocusArea, by):
    """Ask an organisation about a focus area (again, if the request was withdrawn)."""
    _require_strategist(by)
    if cycle.state == Cycle.State.CLOSED:
        raise WorkflowError(_("The cycle is closed."))
    _require(
        focus_area.programme_id == cycle.programme_id,
        _("The focus area belongs to another programme than the cycle."),
    )
    contribution, created = Contribution.objects.get_or_create(
        cycle=cycle, organisation=organisation, focus_area=focus_area
    )
    if created or contribution.withdrawn:
        contribution.withdrawn = False
        contribution.save(update_fields=["withdrawn"])
        _record_version(contribution, by=by, event=Event.REQUESTED)
    return contribution


@transaction.atomic
def request_withdraw(*, contribution: Contribution, by) -> None:
    """Take a question back. What was written is kept, should it be asked again."""
    _require_strategist(by)
    current = _locked(contribution)
    if current.state == Contribution.State.APPROVED:
        raise WorkflowError(_("An approved contribution cannot be withdrawn."))
    if current.cycle.state == Cycle.State.CLOSED:
        raise WorkflowError(_("The cycle is closed."))
    if current.withdrawn:
        return
    current.withdrawn = True
    current.save(update_fields=["withdrawn"])
    _record_version(current, by=by, event=Event.WITHDRAWN)
    notifications.request_withdrawn(contribution=current)


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


def _require_writer(contribution: Contribution, by) -> None:
    _require(
        is_member(by, contribution.organisation_id),
        _("Only members of the organisation can change its contribution."),
    )


def _require_writable(contribution: Contribution) -> None:
    """The contribution's own state and its cycle's both let the organisation write."""
    if contribution.withdrawn:
        raise WorkflowError(_("The strategy department has withdrawn this request."))
    if contribution.state not in Contribution.EDITABLE_STATES:
        raise WorkflowError(
            _("This contribution is %(state)s and cannot be changed.")
            % {"state": contribution.get_state_display()}
        )
    if cycle_accepts_text(contribution):
        return
    state = contribution.cycle.state
    if state == Cycle.State.PLANNING:
        raise WorkflowError(_("The cycle has not opened yet; nothing can be saved in it."))
    if state == Cycle.State.REVIEW:
        raise WorkflowError(
            _(
                "The cycle is in review: only contributions returned for correction can be "
                "changed now. Contact the strategy department."
            )
        )
    raise WorkflowError(_("The cycle is closed; nothing can be changed in it."))


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
    _require_writer(current, by)
    if current.version != expected_version:
        raise ConcurrentEdit(current)
    _require_writable(current)
    for field in CONTENT_FIELDS:
        if field in fields:
            value = fields[field]
            setattr(current, field, as_typed(value) if field in TEXT_FIELDS else value)
    current.not_relevant_reason = as_typed(current.not_relevant_reason)
    current.version += 1
    current.updated_by = by
    current.save()

    current.actions.all().delete()
    for position, data in enumerate(actions):
        action = Action.objects.create(
            contribution=current,
            position=position,
            title=data["title"].strip(),
            description=as_typed(data.get("description", "")),
            status=data["status"],
            groups=list(data.get("groups", [])),
            reference=data.get("reference", "").strip(),
        )
        action.sdgs.set(data.get("sdgs", []))
    for question, value in answers.items():
        Answer.objects.update_or_create(
            contribution=current,
            question=question,
            defaults={"value": _answer_text(value)},
        )
    for indicator, text in (indicator_comments or {}).items():
        text = as_typed(text)
        if text.strip():
            IndicatorComment.objects.update_or_create(
                contribution=current, indicator=indicator, defaults={"text": text}
            )
        else:
            IndicatorComment.objects.filter(contribution=current, indicator=indicator).delete()
    _record_version(current, by=by, event=Event.SAVED)
    return current


def _answer_text(value) -> str:
    """How an answer is stored: text as typed, a number written out (never "1E+2")."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


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
    _require_writer(current, by)
    _require_writable(current)
    if has_approver(current) and not is_approver(by, current.organisation_id):
        raise WorkflowError(_("Only an approver of the organisation can submit."))
    missing = missing_for_submission(current)
    if missing:
        raise WorkflowError(_("Fill in before submitting: %s.") % ", ".join(missing))
    resubmission = current.state == Contribution.State.RETURNED
    current.state = Contribution.State.RESUBMITTED if resubmission else Contribution.State.SUBMITTED
    current.submitted_at = timezone.now()
    current.updated_by = by
    current.save()
    _record_version(current, by=by, event=Event.RESUBMITTED if resubmission else Event.SUBMITTED)
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


def _require_reviewable(current: Contribution, by, seen_version: int | None) -> None:
    _require(
        is_strategist(by), _("Only the strategy department returns or approves contributions.")
    )
    _check_seen(current, seen_version)
    if current.cycle.state not in (Cycle.State.OPEN, Cycle.State.REVIEW):
        raise WorkflowError(_("The cycle is closed; contributions can no longer be reviewed."))
    _require(
        can_review(by, current), _("Only a submitted contribution can be returned or approved.")
    )


@transaction.atomic
def contribution_return(
    *, contribution: Contribution, comment: str, by, seen_version: int | None = None
) -> Contribution:
    current = _locked(contribution)
    _require_reviewable(current, by, seen_version)
    comment = as_typed(comment)
    if not comment.strip():
        raise WorkflowError(_("Say what needs to change: returning needs a comment."))
    current.state = Contribution.State.RETURNED
    current.save(update_fields=["state", "updated_at"])
    version = _record_version(current, by=by, event=Event.RETURNED)
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
    _require_reviewable(current, by, seen_version)
    _require(
        can_approve(by, current),
        _("You wrote or submitted this contribution, so somebody else must approve it."),
    )
    current.state = Contribution.State.APPROVED
    current.approved_at = timezone.now()
    current.save(update_fields=["state", "approved_at", "updated_at"])
    _record_version(current, by=by, event=Event.APPROVED)
    notifications.contribution_approved(contribution=current)
    return current
