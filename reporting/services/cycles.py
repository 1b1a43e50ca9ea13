"""Running a follow-up cycle: create, open, review, close; requests and questions."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.models import FocusArea, Organisation

from .. import notifications
from ..models import Contribution, Cycle, Question
from ..permissions import can_manage_cycles
from ..selectors import opening_plan
from .common import Event, WorkflowError, require
from .contributions import locked, record_version

logger = logging.getLogger(__name__)


def _require_strategist(by) -> None:
    require(can_manage_cycles(by), _("Only strategists run follow-up cycles."))


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
def cycle_create(
    *, by, programme, title, first_year, last_year, opens_on, due_on, baseline_year=None
) -> Cycle:
    """A new cycle in planning: nobody is asked anything until it is opened."""
    _require_strategist(by)
    cycle = Cycle(
        programme=programme,
        title=title,
        first_year=first_year,
        last_year=last_year,
        baseline_year=baseline_year,
        opens_on=opens_on,
        due_on=due_on,
    )
    cycle.full_clean()
    cycle._history_user = by
    cycle.save()
    return cycle


@transaction.atomic
def cycle_open(*, cycle: Cycle, by, expected: str | None = None) -> int:
    """Open the cycle and send its requests; returns how many were sent.

    An organisation is asked about the focus areas it is responsible for; where the
    programme sets no responsibilities at all, every organisation is asked about every
    focus area (and may answer "not relevant for us"). ``expected`` is the fingerprint of
    the plan the strategist confirmed (selectors.opening_plan): if the plan has changed
    since, nothing is sent.
    """
    _require_strategist(by)
    cycle = _set_cycle_state(
        cycle, [Cycle.State.PLANNING, Cycle.State.SCHEDULED], Cycle.State.OPEN, by=by
    )
    plan = opening_plan(cycle)
    if expected is not None and plan.fingerprint != expected:
        raise WorkflowError(
            _(
                "Who would be asked has changed since you looked (responsibilities or "
                "organisations were edited). Look at the preview again, then open."
            )
        )
    Contribution.objects.bulk_create(
        Contribution(cycle=cycle, organisation=organisation, focus_area=area)
        for organisation, area in plan.requests
    )
    notifications.cycle_opened(cycle=cycle)
    return len(plan.requests)


@transaction.atomic
def cycle_schedule(*, cycle: Cycle, by, expected: str) -> Cycle:
    """Open the cycle on its opening date: the daily command sends the requests then."""
    _require_strategist(by)
    require(
        cycle.opens_on > timezone.localdate(),
        _("The opening date has come: open the cycle instead of scheduling it."),
    )
    require(
        opening_plan(cycle).fingerprint == expected,
        _("Who would be asked has changed since you looked. Look at the preview again."),
    )
    cycle = _set_cycle_state(cycle, [Cycle.State.PLANNING], Cycle.State.SCHEDULED, by=by)
    Cycle.objects.filter(pk=cycle.pk).update(scheduled_by=by)
    return cycle


def cycle_unschedule(*, cycle: Cycle, by) -> Cycle:
    """Back to planning: nothing will be sent on the opening date."""
    _require_strategist(by)
    cycle = _set_cycle_state(cycle, [Cycle.State.SCHEDULED], Cycle.State.PLANNING, by=by)
    Cycle.objects.filter(pk=cycle.pk).update(scheduled_by=None)
    return cycle


def cycles_open_scheduled(today) -> list[tuple[Cycle, int]]:
    """The daily job: open every scheduled cycle whose opening date has come, in the name
    of the strategist who scheduled it (as long as they still are one)."""
    opened = []
    for cycle in Cycle.objects.filter(state=Cycle.State.SCHEDULED, opens_on__lte=today):
        if cycle.scheduled_by is None or not can_manage_cycles(cycle.scheduled_by):
            logger.warning("Cycle %s was scheduled by someone who may no longer open it", cycle.pk)
            continue
        opened.append((cycle, cycle_open(cycle=cycle, by=cycle.scheduled_by)))
    return opened


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
    require(cycle.state != Cycle.State.CLOSED, _("The cycle is closed."))
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
    require(
        focus_area.programme_id == cycle.programme_id,
        _("The focus area belongs to another programme than the cycle."),
    )
    contribution, created = Contribution.objects.get_or_create(
        cycle=cycle, organisation=organisation, focus_area=focus_area
    )
    if created or contribution.withdrawn:
        contribution.withdrawn = False
        contribution.save(update_fields=["withdrawn"])
        record_version(contribution, by=by, event=Event.REQUESTED)
    return contribution


@transaction.atomic
def request_withdraw(*, contribution: Contribution, by) -> None:
    """Take a question back. What was written is kept, should it be asked again."""
    _require_strategist(by)
    current = locked(contribution)
    if current.state == Contribution.State.APPROVED:
        raise WorkflowError(_("An approved contribution cannot be withdrawn."))
    if current.cycle.state == Cycle.State.CLOSED:
        raise WorkflowError(_("The cycle is closed."))
    if current.withdrawn:
        return
    current.withdrawn = True
    current.save(update_fields=["withdrawn"])
    record_version(current, by=by, event=Event.WITHDRAWN)
    notifications.request_withdrawn(contribution=current)
