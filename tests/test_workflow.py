"""The workflow is written once (reporting/workflow.py): the docs are printed from it, the
services do exactly what it says (refusing whoever may not act, recording who did), and the
pages built on it cost the same whatever the size of the cycle."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from programme.models import Organisation
from reporting import services, workflow
from reporting.content import ContributionContent
from reporting.models import Contribution, ContributionVersion, Cycle, Question
from reporting.workflow import Step, WorkflowError, decide
from tests.factories import fill, page_text

pytestmark = pytest.mark.django_db

K = Contribution.State
C = Cycle.State


def test_docs_workflow_md_is_printed_from_the_table():
    printed = (Path(settings.BASE_DIR) / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert printed == workflow.markdown(), (
        "docs/workflow.md differs from reporting/workflow.py: run "
        "`python manage.py workflow_docs` and commit docs/workflow.md"
    )


def test_the_table_names_real_states_and_gives_every_refusal_in_swedish():
    for table in workflow.TABLE:
        states = {value for value, _label in table.states()}
        for transition in table.transitions:
            assert set(transition.sources) <= states, transition.action
            assert transition.target is None or transition.target in states, transition.action
            assert transition.who, transition.action
            reasons = [transition.only, *transition.refusals.values()]
            if isinstance(transition.not_from, Promise):
                reasons.append(transition.not_from)
            conditions = (*transition.conditions, *transition.given)
            reasons += [c.reason for c in conditions if isinstance(c.reason, Promise)]
            for reason in filter(None, reasons):
                with translation.override("sv"):
                    swedish = str(reason)
                with translation.override("en"):
                    assert swedish != str(reason), f"{transition.action}: {reason} untranslated"


def test_a_refusal_names_the_first_thing_in_the_way(
    strategist, reporter_a, approver_a, reporter_b, contribution_a
):
    fill(contribution_a, reporter_a)
    # The role first, then the state, then the further conditions.
    assert decide(reporter_b, Step.SUBMIT, contribution_a).reason == (
        "Bara organisationens medlemmar kan ändra dess bidrag."
    )
    refused = decide(strategist, Step.APPROVE, contribution_a)
    assert (refused.allowed, refused.applies) == (False, False)
    assert refused.reason == "Bara ett inskickat bidrag kan återsändas eller godkännas."
    refused = decide(reporter_a, Step.SUBMIT, contribution_a)
    assert (refused.allowed, refused.applies) == (False, True)
    assert refused.reason == "En godkännare i er organisation skickar in bidraget."
    assert decide(approver_a, Step.SUBMIT, contribution_a)
    may = workflow.actions_for(reporter_a, contribution_a)
    assert may["save"] and may["mark_ready"] and not may["send_back"]
    with pytest.raises(KeyError):
        may["open"]  # a cycle's action, not a contribution's


def _attempt(call):
    """Run a service in a savepoint that is rolled back: None, or why it was refused."""
    with transaction.atomic():
        try:
            call()
        except WorkflowError as error:
            return str(error)
        finally:
            transaction.set_rollback(True)
    return None


def test_the_services_refuse_exactly_what_the_workflow_refuses(
    cast, strategist, reporter_a, approver_a, reporter_b, contribution_a
):
    """Every contribution action, by every kind of user, in every state of the
    contribution and its cycle: the service succeeds where decide() allows and refuses
    with decide()'s reason where it does not. So a page that offers what decide() allows
    never offers a step the service refuses, nor hides one it would take."""
    fill(contribution_a, reporter_a)  # complete: submitting needs nothing more

    def call(action, contribution, user):
        def run():
            if action == Step.SAVE:
                services.contribution_save(
                    contribution=contribution,
                    content=ContributionContent.of(contribution),
                    expected_version=contribution.version,
                    by=user,
                )
            elif action == Step.MARK_READY:
                services.contribution_mark_ready(contribution=contribution, by=user)
            elif action == Step.SEND_BACK:
                services.contribution_send_back(contribution=contribution, by=user, comment="x")
            elif action == Step.SUBMIT:
                services.contribution_submit(contribution=contribution, by=user)
            elif action == Step.RETURN:
                services.contribution_return(contribution=contribution, by=user, comment="x")
            elif action == Step.APPROVE:
                services.contribution_approve(contribution=contribution, by=user)
            elif action == Step.WITHDRAW:
                services.request_withdraw(contribution=contribution, by=user)
            elif action == Step.ASK_AGAIN:
                services.request_add(
                    cycle=contribution.cycle,
                    organisation=contribution.organisation,
                    focus_area=contribution.focus_area,
                    by=user,
                )
            elif action == Step.POST:
                services.thread_post(contribution=contribution, by=user, text="x")

        return run

    variants = [  # state, being corrected, withdrawn
        (K.DRAFT, False, False),
        (K.READY, False, False),
        (K.READY, True, False),
        (K.SUBMITTED, False, False),
        (K.RETURNED, True, False),
        (K.RESUBMITTED, False, False),
        (K.APPROVED, False, False),
        (K.DRAFT, False, True),
    ]
    users = [reporter_a, approver_a, strategist, reporter_b]
    checked = allowed = 0
    for cycle_state in (C.OPEN, C.REVIEW, C.CLOSED):
        Cycle.objects.filter(pk=contribution_a.cycle_id).update(state=cycle_state)
        for state, correcting, withdrawn in variants:
            Contribution.objects.filter(pk=contribution_a.pk).update(
                state=state, correcting=correcting, withdrawn=withdrawn
            )
            for user in users:
                for action in workflow.CONTRIBUTION.actions:
                    contribution_a.refresh_from_db()
                    decision = decide(user, action, contribution_a)
                    refused = _attempt(call(action, contribution_a, user))
                    where = (
                        f"{action} by {user} on {state}/{correcting}/{withdrawn} in {cycle_state}"
                    )
                    assert (refused is None) == decision.allowed, f"{where}: {refused}"
                    assert refused in (None, decision.reason), where
                    checked += 1
                    allowed += decision.allowed
    assert checked == 3 * 8 * 4 * 9 and 0 < allowed < checked


def test_the_cycle_services_refuse_exactly_what_the_workflow_refuses(
    strategist, reporter_a, cycle, contribution_a, organisation_a
):
    later = timezone.localdate() + datetime.timedelta(days=30)
    calls = {
        Step.START_REVIEW: lambda c, u: services.cycle_start_review(cycle=c, by=u),
        Step.REOPEN: lambda c, u: services.cycle_reopen(cycle=c, due_on=later, by=u),
        Step.CLOSE: lambda c, u: services.cycle_close(cycle=c, by=u),
        Step.UNSCHEDULE: lambda c, u: services.cycle_unschedule(cycle=c, by=u),
        Step.CHANGE_DUE_DATE: lambda c, u: services.cycle_change_due_date(
            cycle=c, due_on=later, by=u
        ),
        Step.ADD_QUESTION: lambda c, u: services.question_add(
            cycle=c, by=u, text="Hur?", kind="short_text"
        ),
        Step.ADD_REQUEST: lambda c, u: ask_again(c, u),
        Step.CHANGE_QUESTIONS: lambda c, u: change_questions(c, u),
    }

    def change_questions(cycle, user):
        """Copying, changing and removing questions are refused alike."""
        question = Question.objects.create(cycle=cycle, text="Hur?", kind="short_text")
        try:
            services.questions_copy(cycle=cycle, by=user)
            services.question_edit(question=question, by=user, text="Hur då?")
            services.question_remove(question=question, by=user)
        finally:
            Question.objects.filter(pk=question.pk).delete()

    def ask_again(cycle, user):
        """What is asked already is refused as such: the request is asked again."""
        Contribution.objects.filter(pk=contribution_a.pk).update(withdrawn=True)
        try:
            return services.request_add(
                cycle=cycle,
                organisation=organisation_a,
                focus_area=contribution_a.focus_area,
                by=user,
            )
        finally:
            Contribution.objects.filter(pk=contribution_a.pk).update(withdrawn=False)

    checked = 0
    for approved in (False, True):
        if approved:
            Contribution.objects.filter(pk=contribution_a.pk).update(state=K.APPROVED)
        for cycle_state in C.values:
            Cycle.objects.filter(pk=cycle.pk).update(state=cycle_state)
            for user in (strategist, reporter_a):
                for action, service in calls.items():
                    cycle.refresh_from_db()
                    decision = decide(user, action, cycle)
                    refused = _attempt(lambda: service(cycle, user))  # noqa: B023
                    where = f"{action} by {user} in {cycle_state}, approved={approved}"
                    assert (refused is None) == decision.allowed, f"{where}: {refused}"
                    assert refused in (None, decision.reason), where
                    checked += 1
    assert checked == 2 * 5 * 2 * 8


def test_services_refuse_whoever_may_not_act(
    strategist, reporter_a, approver_a, reporter_b, contribution_a, cycle
):
    fill(contribution_a, approver_a)
    attacks = [
        lambda: fill(contribution_a, reporter_b),
        lambda: services.contribution_submit(contribution=contribution_a, by=reporter_b),
        lambda: services.contribution_submit(contribution=contribution_a, by=strategist),
        lambda: services.contribution_approve(contribution=contribution_a, by=approver_a),
        lambda: services.cycle_start_review(cycle=cycle, by=approver_a),
        lambda: services.cycle_close(cycle=cycle, by=reporter_a),
        lambda: services.cycle_change_due_date(
            cycle=cycle, due_on=datetime.date(2099, 12, 1), by=reporter_a
        ),
        lambda: services.request_withdraw(contribution=contribution_a, by=reporter_b),
        lambda: services.request_add(
            cycle=cycle,
            organisation=contribution_a.organisation,
            focus_area=contribution_a.focus_area,
            by=reporter_b,
        ),
        lambda: services.question_add(cycle=cycle, by=reporter_a, text="Fråga?", kind="short_text"),
        lambda: services.cycle_create(
            by=approver_a,
            programme=cycle.programme,
            title="Egen",
            first_year=2025,
            last_year=2026,
            opens_on=datetime.date(2026, 1, 1),
            due_on=datetime.date(2026, 2, 1),
        ),
    ]
    before = (
        Contribution.objects.get(pk=contribution_a.pk).version,
        ContributionVersion.objects.count(),
        Cycle.objects.count(),
        Question.objects.count(),
    )
    for attack in attacks:
        with pytest.raises(services.WorkflowError):
            attack()
    cycle.refresh_from_db()
    contribution_a.refresh_from_db()
    assert cycle.state == Cycle.State.OPEN and cycle.due_on == datetime.date(2099, 3, 31)
    assert not contribution_a.withdrawn and contribution_a.state == Contribution.State.DRAFT
    after = (
        contribution_a.version,
        ContributionVersion.objects.count(),
        Cycle.objects.count(),
        Question.objects.count(),
    )
    assert after == before


def test_services_record_who_acted(strategist, approver_a, contribution_a, cycle):
    services.cycle_start_review(cycle=cycle, by=strategist)
    assert cycle.history.latest().history_user == strategist
    services.request_withdraw(contribution=contribution_a, by=strategist)
    withdrawn = contribution_a.versions.latest("number")
    assert (withdrawn.event, withdrawn.created_by) == ("withdrawn", strategist)
    services.request_add(
        cycle=cycle,
        organisation=contribution_a.organisation,
        focus_area=contribution_a.focus_area,
        by=strategist,
    )
    asked = contribution_a.versions.latest("number")
    assert (asked.event, asked.created_by) == ("requested", strategist)
    question = services.question_add(cycle=cycle, by=strategist, text="Hur?", kind="short_text")
    assert question.history.latest().history_user == strategist


def _organisation_with_requests(cycle, name, count):
    organisation = Organisation.objects.create(name=name, kind="bolag")
    for area in cycle.programme.focus_areas.order_by("code")[:count]:
        Contribution.objects.create(cycle=cycle, organisation=organisation, focus_area=area)
    return organisation


def test_an_organisation_s_page_costs_the_same_queries_whatever_its_requests(
    client, strategist, cycle
):
    client.force_login(strategist)
    few = _organisation_with_requests(cycle, "Litet bolag", 2)
    many = _organisation_with_requests(cycle, "Stort bolag", 13)
    Contribution.objects.filter(organisation=many, focus_area__code="2.2").update(state=K.APPROVED)
    Contribution.objects.filter(organisation=many, focus_area__code="2.3").update(withdrawn=True)
    counts = []
    for organisation in (few, many):
        url = reverse("reporting:cycle-organisation", args=[cycle.pk, organisation.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        counts.append(len(queries))
    assert page.count("/aterkalla/") == 11  # not the approved one, nor the withdrawn one
    assert counts[0] == counts[1], counts


def test_the_review_confirmation_costs_the_same_queries_whatever_the_size(
    client, strategist, cycle
):
    url = reverse("reporting:cycle-start-review", args=[cycle.pk])
    client.force_login(strategist)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(30):
        _organisation_with_requests(cycle, f"Testbolag {number}", 3)
    with CaptureQueriesContext(connection) as large:
        page = page_text(client.get(url))
    assert "Testbolag 29 3 0 0" in page
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_the_cycle_page_shows_one_row_per_organisation_with_its_counts(
    client, strategist, cycle, contribution_a, reporter_a, approver_a
):
    fill(contribution_a, reporter_a)
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    submitted = cycle.contributions.get(
        organisation=contribution_a.organisation, focus_area__code="2.2"
    )
    fill(submitted, approver_a)
    services.contribution_submit(contribution=submitted, by=approver_a)
    client.force_login(strategist)
    response = client.get(reverse("reporting:cycle-detail", args=[cycle.pk]))
    page = page_text(response)
    # Only the states some request is in are columns: not started, ready, submitted.
    assert (
        "Organisation Inlämnat ○ Inte påbörjat ⚑ Klar för godkännande ➜ Inskickat Senast ändrad"
        in page
    )
    assert "Miljönämnden 1 av 13 11 1 1" in page
    assert "Helsingborgshem AB 0 av 13 13 0 0 –" in page
    assert "Alla organisationer 1 av 208 206 1 1" in page
    assert response.content.decode().count("<tr>") == 16 + 2  # a row each, head and foot
