"""Rules that were restated outside reporting/workflow.py are the workflow's own: its table
(and so docs/workflow.md) says them, and the services, selectors and pages ask it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import reminders, services, workflow
from reporting.models import Contribution, Cycle
from reporting.selectors import tasks_for
from reporting.workflow import Step, WorkflowError, decide
from tests.factories import fill, page_text

pytestmark = pytest.mark.django_db

K = Contribution.State
C = Cycle.State


def _row(action) -> str:
    return next(line for line in workflow.markdown().splitlines() if f"(`{action}`)" in line)


def test_the_due_date_rules_are_the_tables(strategist, cycle):
    """While reporting is open the new due date cannot have passed; it is never before the
    opening date. The table says so, and its check refuses as the service does."""
    row = _row(Step.CHANGE_DUE_DATE)
    assert "while the cycle is open, the new due date has not passed" in row
    assert "the due date is not before the opening date" in row
    assert "the new due date has not passed" in _row(Step.REOPEN)

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    cycle.due_on = yesterday
    with pytest.raises(WorkflowError, match="^Den nya sista dagen kan inte ha passerat.$"):
        workflow.require_given(strategist, Step.CHANGE_DUE_DATE, cycle)
    cycle.state = C.REVIEW  # in review nobody writes: a passed date harms nobody
    workflow.require_given(strategist, Step.CHANGE_DUE_DATE, cycle)
    cycle.due_on = cycle.opens_on - datetime.timedelta(days=1)
    with pytest.raises(WorkflowError, match="^Sista dag kan inte ligga före"):
        workflow.require_given(strategist, Step.CHANGE_DUE_DATE, cycle)
    with pytest.raises(WorkflowError, match="^Den nya sista dagen kan inte ha passerat.$"):
        workflow.require_given(strategist, Step.REOPEN, cycle)


def test_a_scheduled_cycle_s_opening_date_stays_ahead_by_the_table(strategist, cycle):
    assert "a scheduled cycle's opening date is still ahead" in _row(Step.EDIT)
    cycle.state = C.SCHEDULED
    cycle.opens_on = timezone.localdate()
    with pytest.raises(WorkflowError, match="^Öppningsdagen är här"):
        workflow.require_given(strategist, Step.EDIT, cycle)
    cycle.state = C.PLANNING  # in planning the opening date may have come: it opens by hand
    workflow.require_given(strategist, Step.EDIT, cycle)


def test_asking_a_withdrawn_request_again_is_a_row_of_the_table(
    strategist, reporter_a, contribution_a, cycle
):
    assert _row(Step.ASK_AGAIN).startswith("| ask the withdrawn request again (`ask_again`) |")
    asked = decide(strategist, Step.ASK_AGAIN, contribution_a)
    assert not asked and asked.reason == (
        "Miljönämnden är redan tillfrågad om 2.1 i den här uppföljningen."
    )
    with pytest.raises(WorkflowError) as refused:
        services.request_add(
            cycle=cycle,
            organisation=contribution_a.organisation,
            focus_area=contribution_a.focus_area,
            by=strategist,
        )
    assert str(refused.value) == asked.reason
    services.request_withdraw(contribution=contribution_a, by=strategist)
    contribution_a.refresh_from_db()
    assert decide(strategist, Step.ASK_AGAIN, contribution_a)
    assert decide(reporter_a, Step.ASK_AGAIN, contribution_a).reason == (
        "Bara strateger driver uppföljningar."
    )
    Cycle.objects.filter(pk=cycle.pk).update(state=C.CLOSED)
    contribution_a.refresh_from_db()
    assert decide(strategist, Step.ASK_AGAIN, contribution_a).reason == "Uppföljningen är avslutad."


def test_the_tasks_open_the_form_where_the_workflow_says(reporter_a, approver_a, contribution_a):
    """A contribution's link leads to its form while its organisation writes in it; once
    marked ready it leads to its page, where it is submitted or sent back."""
    fill(contribution_a, reporter_a)
    for user in (reporter_a, approver_a):
        assert workflow.opens_form(workflow.actions_for(user, contribution_a))
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    contribution_a.refresh_from_db()
    for user in (reporter_a, approver_a):
        may = workflow.actions_for(user, contribution_a)
        assert may[Step.SAVE] and not workflow.opens_form(may)
        [task] = [
            c
            for group in tasks_for(user)
            for c in group["contributions"]
            if c.pk == contribution_a.pk
        ]
        assert task.opens_form is False


def test_what_a_reminder_is_about_is_what_the_workflow_keeps_open_for_writing(
    reporter_a, contribution_a, cycle
):
    variants = [  # state, being corrected, withdrawn
        (K.DRAFT, False, False),
        (K.READY, False, False),
        (K.READY, True, False),
        (K.SUBMITTED, False, False),
        (K.RETURNED, True, False),
        (K.APPROVED, False, False),
        (K.DRAFT, False, True),
        (K.READY, False, True),
    ]
    for cycle_state in (C.OPEN, C.REVIEW, C.CLOSED):
        Cycle.objects.filter(pk=cycle.pk).update(state=cycle_state)
        cycle.refresh_from_db()
        for state, correcting, withdrawn in variants:
            Contribution.objects.filter(pk=contribution_a.pk).update(
                state=state, correcting=correcting, withdrawn=withdrawn
            )
            contribution_a.refresh_from_db()
            where = f"{state}/{correcting}/{withdrawn} in {cycle_state}"
            writable = workflow.open_for_writing(contribution_a)
            assert writable == decide(reporter_a, Step.SAVE, contribution_a).allowed, where
            reminded = reminders._still_writable(cycle.contributions.filter(pk=contribution_a.pk))
            assert bool(reminded) == writable, where


def test_who_cannot_submit_is_told_by_the_workflow(client, reporter_a, approver_a, contribution_a):
    """The form's words for a reporter whose draft waits for the approver are the submit
    step's reason, as users read them today."""
    fill(contribution_a, reporter_a)
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    contribution_a.refresh_from_db()
    reason = decide(reporter_a, Step.SUBMIT, contribution_a).reason
    assert reason == "En godkännare i er organisation skickar in bidraget."
    client.force_login(reporter_a)
    page = page_text(client.get(reverse("reporting:contribution-edit", args=[contribution_a.pk])))
    assert reason in page
