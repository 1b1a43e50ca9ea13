"""Rules found in review: nothing unsubmitted leaks, nothing typed is silently lost."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programme.models import Indicator
from reporting.content import ContributionContent
from reporting.models import Contribution, Question
from reporting.services import (
    WorkflowError,
    contribution_approve,
    contribution_return,
    contribution_save,
    contribution_submit,
    cycle_change_due_date,
)
from tests.conftest import COMPLETE, fill
from tests.test_contribution_pages import form_data

pytestmark = pytest.mark.django_db


def test_the_export_shows_no_text_of_drafts_or_returned_contributions(
    client, strategist, contribution_a, contribution_b, approver_a, reporter_b
):
    fill(contribution_b, reporter_b, **{**COMPLETE, "done": "Hemligt utkast"})
    fill(contribution_a, approver_a, **{**COMPLETE, "done": "Inskickat och returnerat"})
    contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_return(contribution=contribution_a, comment="Mer.", by=strategist)
    fill(contribution_a, approver_a, **{**COMPLETE, "done": "Rättas just nu"})
    client.force_login(strategist)
    response = client.get(reverse("reporting:cycle-export", args=[contribution_a.cycle_id, "xlsx"]))
    cells = [
        c
        for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            values_only=True
        )
        for c in row
    ]
    assert "Hemligt utkast" not in cells and "Rättas just nu" not in cells
    assert "utkast" in cells and "återsänt" in cells  # the state is still there
    # While it is being corrected the strategist cannot read the organisation's new text.
    page = client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk]))
    assert "Rättas just nu" not in page.content.decode()


def test_text_typed_while_someone_else_submitted_is_shown_not_lost(
    client, reporter_a, approver_a, contribution_a
):
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    contribution_a.refresh_from_db()
    opened = contribution_a.version
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(reporter_a)
    response = client.post(url, form_data(contribution_a, version=opened, done="Min långa text"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Min långa text" in page
    assert "sparades inte" in page
    contribution_a.refresh_from_db()
    assert contribution_a.done == COMPLETE["done"]


def test_a_reviewer_cannot_act_on_a_version_they_did_not_see(
    contribution_a, approver_a, strategist
):
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    seen = contribution_a.versions.count()
    contribution_return(
        contribution=contribution_a, comment="Mer.", by=strategist, seen_version=seen
    )
    fill(contribution_a, approver_a, **{**COMPLETE, "results": "Nytt"})
    contribution_submit(contribution=contribution_a, by=approver_a)
    with pytest.raises(WorkflowError, match="ändrats sedan du öppnade"):
        contribution_approve(contribution=contribution_a, by=strategist, seen_version=seen)
    assert Contribution.objects.get(pk=contribution_a.pk).state == "resubmitted"


def test_an_answer_of_zero_is_kept(contribution_a, approver_a):
    from decimal import Decimal

    question = Question.objects.create(
        cycle=contribution_a.cycle, text="Antal?", kind="number", required=True
    )
    contribution_a.refresh_from_db()
    contribution_save(
        contribution=contribution_a,
        content=ContributionContent.of(contribution_a).replaced(
            actions=[], answers={question: Decimal(0)}, **COMPLETE
        ),
        expected_version=contribution_a.version,
        by=approver_a,
    )
    assert contribution_a.answers.get().value == "0"
    assert contribution_submit(contribution=contribution_a, by=approver_a).state == "submitted"


def test_very_long_texts_are_refused_with_a_message_not_lost(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(url, form_data(contribution_a, done="x" * 20_001))
    assert response.status_code == 200
    assert "x" * 100 in response.content.decode()  # still in the form
    assert 'role="alert"' in response.content.decode()


def test_indicators_compare_with_at_most_three_municipalities():
    indicator = Indicator.objects.first()
    indicator.comparisons = "0000,1280,1281,1282"
    with pytest.raises(ValidationError):
        indicator.full_clean()
    indicator.comparisons = "0000,12"
    with pytest.raises(ValidationError):
        indicator.full_clean()


def test_the_due_date_of_a_closed_cycle_stays(cycle, strategist):
    import datetime

    type(cycle).objects.filter(pk=cycle.pk).update(state="closed")
    cycle.refresh_from_db()
    with pytest.raises(WorkflowError):
        cycle_change_due_date(cycle=cycle, due_on=datetime.date(2099, 5, 1), by=strategist)


def test_an_anonymous_post_to_a_missing_contribution_stores_nothing(client):
    client.get(reverse("login"))
    client.post(reverse("reporting:contribution-edit", args=[987654]), {"done": "x" * 1000})
    assert "pending-contribution" not in client.session


def test_cycle_dates_in_the_wrong_order_get_a_swedish_message(client, strategist):
    from programme.models import Programme

    client.force_login(strategist)
    response = client.post(
        reverse("reporting:cycle-create"),
        {
            "programme": Programme.objects.get().pk,
            "title": "X",
            "first_year": 2027,
            "last_year": 2026,
            "opens_on": "2028-03-01",
            "due_on": "2028-01-01",
        },
    )
    page = response.content.decode()
    assert "Sista året kan inte komma före det första" in page
    assert "Sista dag kan inte komma före startdagen" in page


def test_the_synthesis_list_says_when_contributions_were_approved_after_the_analysis(
    client, strategist, contribution_a, contribution_b, approver_a, reporter_b
):
    from reporting.report.compile import synthesis_save

    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_approve(contribution=contribution_a, by=strategist)
    synthesis_save(
        cycle=contribution_a.cycle,
        focus_area=contribution_a.focus_area,
        analysis="Skriven",
        assessment="positive",
        highlighted=[],
        by=strategist,
    )
    client.force_login(strategist)
    url = reverse("reporting:synthesis-list", args=[contribution_a.cycle_id])
    assert "nya godkända bidrag sedan den skrevs" not in client.get(url).content.decode()
    fill(contribution_b, reporter_b)
    contribution_submit(contribution=contribution_b, by=reporter_b)
    contribution_approve(contribution=contribution_b, by=strategist)
    assert "nya godkända bidrag sedan den skrevs" in client.get(url).content.decode()


def test_the_submit_endpoint_refuses_a_version_its_user_did_not_see(
    client, approver_a, contribution_a
):
    fill(contribution_a, approver_a)
    contribution_a.refresh_from_db()
    client.force_login(approver_a)
    url = reverse("reporting:contribution-submit", args=[contribution_a.pk])
    client.post(url, {"version": contribution_a.version - 1})
    assert Contribution.objects.get(pk=contribution_a.pk).state == "draft"
    client.post(url, {"version": contribution_a.version})
    assert Contribution.objects.get(pk=contribution_a.pk).state == "submitted"


def test_withdrawing_a_request_tells_the_organisation(
    contribution_a, approver_a, strategist, django_capture_on_commit_callbacks
):
    from django.core import mail

    from reporting.services import request_withdraw

    approver_a.email = "a@example.org"
    approver_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        request_withdraw(contribution=contribution_a, by=strategist)
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert "2.1" in mail.outbox[0].subject
