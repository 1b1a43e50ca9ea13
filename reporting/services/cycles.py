"""Running a follow-up cycle: create, open, review, close; requests and questions."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.models import FocusArea, Organisation

from .. import notifications, reminders, workflow
from ..models import Contribution, Cycle, Question
from ..selectors import opening_plan, question_source
from ..workflow import Step
from .common import Event, WorkflowError
from .contributions import locked, record_version

logger = logging.getLogger(__name__)


def _move(current: Cycle, action, *, by, caller: Cycle) -> Cycle:
    """Take ``action`` on the locked cycle: to the state the workflow says."""
    current.state = caller.state = workflow.target(action, current)
    current._history_user = by
    current.save(update_fields=["state"])
    return current


@transaction.atomic
def _take(cycle: Cycle, action, *, by) -> Cycle:
    current = cycle.locked()
    workflow.require(by, action, current)
    return _move(current, action, by=by, caller=cycle)


@transaction.atomic
def cycle_create(
    *,
    by,
    programme,
    title,
    first_year,
    last_year,
    opens_on,
    due_on,
    baseline_year=None,
    instructions="",
    copy_questions=False,
) -> Cycle:
    """A new cycle in planning: nobody is asked anything until it is opened. With
    ``copy_questions``, it starts with the questions of the cycle before (questions_copy)."""
    cycle = Cycle(
        programme=programme,
        title=title,
        first_year=first_year,
        last_year=last_year,
        baseline_year=baseline_year,
        opens_on=opens_on,
        due_on=due_on,
        instructions=instructions,
    )
    workflow.require(by, Step.CREATE, cycle)
    cycle.full_clean()
    cycle._history_user = by
    cycle.save()
    if copy_questions:
        questions_copy(cycle=cycle, by=by)
    return cycle


@transaction.atomic
def cycle_edit(*, cycle: Cycle, by, **changes) -> Cycle:
    """Change what the cycle is until it opens; its history keeps what it was."""
    unknown = set(changes) - set(Cycle.EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    current = cycle.locked()
    workflow.require(by, Step.EDIT, current)
    for name, value in changes.items():
        setattr(current, name, value)
    workflow.require_given(by, Step.EDIT, current)
    return _save_changes(current, changes, by=by, caller=cycle)


@transaction.atomic
def cycle_open(*, cycle: Cycle, by, expected: str | None = None) -> int:
    """Open the cycle and send its requests; returns how many were sent.

    An organisation is asked about the focus areas it is responsible for; where the
    programme sets no responsibilities at all, every organisation is asked about every
    focus area (and may answer "not relevant for us"). ``expected`` is the fingerprint of
    the plan the strategist confirmed (selectors.opening_plan): if the plan has changed
    since, nothing is sent.
    """
    cycle = _take(cycle, Step.OPEN, by=by)
    plan = opening_plan(cycle)
    if expected is not None and plan.fingerprint != expected:
        raise WorkflowError(
            _(
                "Who would be asked has changed since you looked (responsibilities or "
                "organisations were edited). Look at the preview again, then open."
            )
        )
    today = timezone.localdate()
    if cycle.opens_on > today:  # opened before its planned day: it opens today
        cycle.opens_on = today
        cycle.save(update_fields=["opens_on"])
    Contribution.objects.bulk_create(
        Contribution(cycle=cycle, organisation=organisation, focus_area=area)
        for organisation, area in plan.requests
    )
    notifications.cycle_opened(cycle=cycle)
    return len(plan.requests)


@transaction.atomic
def cycle_schedule(*, cycle: Cycle, by, expected: str) -> Cycle:
    """Open the cycle on its opening date: the daily command sends the requests then."""
    current = cycle.locked()
    workflow.require(by, Step.SCHEDULE, current)
    if opening_plan(current).fingerprint != expected:
        raise WorkflowError(
            _("Who would be asked has changed since you looked. Look at the preview again.")
        )
    current.scheduled_by = by
    current.save(update_fields=["scheduled_by"])
    return _move(current, Step.SCHEDULE, by=by, caller=cycle)


@transaction.atomic
def cycle_unschedule(*, cycle: Cycle, by) -> Cycle:
    """Back to planning: nothing will be sent on the opening date."""
    current = cycle.locked()
    workflow.require(by, Step.UNSCHEDULE, current)
    current.scheduled_by = None
    current.save(update_fields=["scheduled_by"])
    return _move(current, Step.UNSCHEDULE, by=by, caller=cycle)


def cycles_open_scheduled(today) -> list[tuple[Cycle, int]]:
    """The daily job: open every scheduled cycle whose opening date has come, in the name
    of the strategist who scheduled it (as long as they still are one)."""
    opened = []
    for cycle in Cycle.objects.filter(state=Cycle.State.SCHEDULED, opens_on__lte=today):
        if cycle.scheduled_by is None or not workflow.allowed(cycle.scheduled_by, Step.OPEN, cycle):
            logger.warning("Cycle %s was scheduled by someone who may no longer open it", cycle.pk)
            continue
        opened.append((cycle, cycle_open(cycle=cycle, by=cycle.scheduled_by)))
    return opened


def cycle_start_review(*, cycle: Cycle, by) -> None:
    """Reporting ends: what was not submitted stays as it is, unless it is being corrected
    (workflow.takes_text). The strategist confirms it on a page that says who still writes."""
    _take(cycle, Step.START_REVIEW, by=by)


@transaction.atomic
def cycle_reopen(*, cycle: Cycle, due_on, by) -> Cycle:
    """Reporting again, until a new due date: possible until the first approval."""
    current = cycle.locked()
    workflow.require(by, Step.REOPEN, current)
    current.due_on = due_on
    workflow.require_given(by, Step.REOPEN, current)
    cycle.due_on = due_on
    current.state = cycle.state = workflow.target(Step.REOPEN, current)
    current._history_user = by
    current.save(update_fields=["state", "due_on"])
    notifications.cycle_reopened(cycle=current)
    return current


def cycle_close(*, cycle: Cycle, by) -> None:
    _take(cycle, Step.CLOSE, by=by)


@transaction.atomic
def cycle_change_due_date(*, cycle: Cycle, due_on, by) -> None:
    """Move the due date, as the workflow allows it (while reporting is open, not into the
    past); the cycle's history keeps the old date, who changed it and when."""
    current = cycle.locked()
    workflow.require(by, Step.CHANGE_DUE_DATE, current)
    current.due_on = due_on
    workflow.require_given(by, Step.CHANGE_DUE_DATE, current)
    cycle.due_on = due_on
    current._history_user = by
    current.save(update_fields=["due_on"])


@transaction.atomic
def question_add(
    *, cycle: Cycle, by, text, kind, help_text="", choices="", required=False, position=0
) -> Question:
    """A question of the strategy department's, asked in every contribution of the cycle."""
    workflow.require(by, Step.ADD_QUESTION, cycle.locked())
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


# What a question is: written when it is added, changed until the cycle opens.
QUESTION_FIELDS = ("text", "help_text", "kind", "choices", "required", "position")


@transaction.atomic
def questions_copy(*, cycle: Cycle, by) -> tuple[Cycle | None, list[Question]]:
    """Start the cycle with the questions of the latest cycle before it
    (selectors.question_source): copies, exactly as they were typed, which are the new
    cycle's own to change or remove until it opens; the old cycle's stay as they are.
    Returns the cycle copied from (None if there is none) and the copies."""
    current = cycle.locked()
    workflow.require(by, Step.CHANGE_QUESTIONS, current)
    source = question_source(current)
    if source is None:
        return None, []
    copies = []
    for question in source.questions.order_by("position", "pk"):
        # Not cleaned again: a question asked before is kept as it was written.
        copy = Question(
            cycle=current, **{name: getattr(question, name) for name in QUESTION_FIELDS}
        )
        copy._history_user = by
        copy.save()
        copies.append(copy)
    return source, copies


@transaction.atomic
def question_edit(*, question: Question, by, **changes) -> Question:
    """Change a question until the cycle opens; its history keeps what it was."""
    unknown = set(changes) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    workflow.require(by, Step.CHANGE_QUESTIONS, question.cycle.locked())
    current = Question.objects.get(pk=question.pk)
    for name, value in changes.items():
        setattr(current, name, value)
    return _save_changes(current, changes, by=by, caller=question)


def _save_changes(current, changes: dict, *, by, caller):
    """Save the changed fields of the locked row, validated, with who changed them in its
    history; the caller's copy shows them too."""
    current.full_clean()
    current._history_user = by
    current.save(update_fields=list(changes))
    for name, value in changes.items():
        setattr(caller, name, value)
    return current


@transaction.atomic
def question_remove(*, question: Question, by) -> None:
    """Remove a question until the cycle opens: nobody has been asked it yet."""
    workflow.require(by, Step.CHANGE_QUESTIONS, question.cycle.locked())
    current = Question.objects.get(pk=question.pk)
    current._history_user = by
    current.delete()


@transaction.atomic
def request_add(*, cycle: Cycle, organisation: Organisation, focus_area: FocusArea, by):
    """Ask an organisation about a focus area (again, if the request was withdrawn: the
    workflow's ask_again); what it is asked already is refused, saying so."""
    workflow.require(by, Step.ADD_REQUEST, cycle.locked())
    if focus_area.programme_id != cycle.programme_id:
        raise WorkflowError(_("The focus area belongs to another programme than the cycle."))
    contribution, created = Contribution.objects.get_or_create(
        cycle=cycle, organisation=organisation, focus_area=focus_area
    )
    if not created:
        contribution = locked(contribution)
        workflow.require(by, Step.ASK_AGAIN, contribution)
    contribution.withdrawn = False
    contribution.save(update_fields=["withdrawn"])
    record_version(contribution, by=by, event=Event.REQUESTED)
    return contribution


@transaction.atomic
def organisation_remind(*, cycle: Cycle, organisation: Organisation, by) -> list:
    """Remind one organisation by hand of what it can still write (reminders.py says to
    whom, and when it is refused); the people written to."""
    current = cycle.locked()
    workflow.require(by, Step.REMIND, current)
    return reminders.send_to_organisation(current, organisation, by=by, today=timezone.localdate())


@transaction.atomic
def request_withdraw(*, contribution: Contribution, by) -> None:
    """Take a question back. What was written is kept, should it be asked again."""
    current = locked(contribution)
    workflow.require(by, Step.WITHDRAW, current)
    current.withdrawn = True
    current.save(update_fields=["withdrawn"])
    record_version(current, by=by, event=Event.WITHDRAWN)
    notifications.request_withdrawn(contribution=current)
