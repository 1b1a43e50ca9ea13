"""The end of reporting: starting a cycle's review is confirmed on a page that says who
still writes, and reporting reopens with a new due date until the first contribution is
approved."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import Cycle
from tests.factories import COMPLETE, approve, fill, new_cycle, page_text

pytestmark = pytest.mark.django_db


def test_starting_the_review_is_confirmed_on_a_page_that_says_who_still_writes(
    client, strategist, cycle, reporter_a, approver_a, reporter_b, contribution_a, contribution_b
):
    fill(contribution_a, reporter_a)
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    fill(contribution_b, reporter_b, done="Påbörjat.")
    corrected, waiting = (
        cycle.contributions.get(organisation=contribution_a.organisation, focus_area__code=code)
        for code in ("2.2", "2.3")
    )
    for contribution in (corrected, waiting):
        fill(contribution, approver_a)
        services.contribution_submit(contribution=contribution, by=approver_a)
    services.contribution_return(contribution=corrected, comment="Mer.", by=strategist)
    client.force_login(strategist)

    # The cycle page's primary button is the step most often taken next (the review of
    # what waits); the one that ends reporting for everybody is not primary.
    detail = client.get(reverse("reporting:cycle-detail", args=[cycle.pk])).content.decode()
    primary = re.findall(r'class="btn btn-primary"[^>]*>([^<]*)<', detail)
    assert primary == ["Granska bidraget som väntar"]
    url = reverse("reporting:cycle-start-review", args=[cycle.pk])
    assert f'<a class="btn btn-outline-secondary" href="{url}">Påbörja granskning…</a>' in detail
    # One click on the cycle page no longer ends reporting.
    response = client.post(reverse("reporting:cycle-transition", args=[cycle.pk, "review"]))
    assert response.status_code == 404
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.OPEN

    page = page_text(client.get(url))
    assert cycle.contributions.filter(withdrawn=False).count() == 208
    # Who still writes: Miljönämnden has one marked ready and ten not started, besides
    # the one being corrected and the one waiting; Helsingborgshem one draft and twelve
    # not started.
    assert "Miljönämnden 10 0 1" in page
    assert "Helsingborgshem AB 12 1 0" in page
    assert "kan de inte längre ändras, markeras klara eller skickas in, inte ens av en" in page
    assert (
        "1 bidrag som har återsänts för rättelse kan fortfarande rättas och skickas "
        "in igen under granskningen" in page
    )
    assert "1 inskickat bidrag väntar på granskning" in page
    assert "Tills det första bidraget är godkänt kan du öppna rapporteringen igen" in page
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.OPEN  # looking changes nothing

    response = client.post(url, follow=True)
    assert "Granskningen har börjat" in page_text(response)
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.REVIEW
    assert cycle.history.latest().history_user == strategist
    with pytest.raises(services.WorkflowError, match="Uppföljningen granskas"):
        services.contribution_submit(contribution=contribution_a, by=approver_a)
    fill(corrected, approver_a, **{**COMPLETE, "results": "Rättat."})  # still corrected


def test_in_review_the_two_date_fields_say_which_reopens_reporting(client, strategist, cycle):
    """In review the cycle's page had two fields labelled 'Ny sista dag': one reopens
    reporting, the other only moves the date. Each now says which it is."""
    services.cycle_start_review(cycle=cycle, by=strategist)
    client.force_login(strategist)
    html = client.get(reverse("reporting:cycle-detail", args=[cycle.pk])).content.decode()
    labels = re.findall(r"<label[^>]*>\s*([^<*]+?)\s*(?:<|\*)", html)
    assert "Ny sista dag" in labels and "Rapporteringen öppen till och med" in labels
    assert labels.count("Ny sista dag") == 1
    page = page_text(html)
    assert "Den nya sista dagen: organisationerna kan skriva till och med den." in page
    assert (
        "Att ändra sista dagen här öppnar inte rapporteringen igen: organisationerna kan "
        "fortfarande inte skriva. Bara datumet ändras. För att låta dem skriva igen, öppna "
        "rapporteringen igen ovan."
    ) in page
    # While reporting is open, changing the due date does move it: no such warning.
    services.cycle_reopen(
        cycle=cycle, due_on=timezone.localdate() + datetime.timedelta(days=7), by=strategist
    )
    page = page_text(client.get(reverse("reporting:cycle-detail", args=[cycle.pk])))
    assert "öppnar inte rapporteringen igen" not in page


def test_reporting_reopens_with_a_new_due_date_until_the_first_contribution_is_approved(
    client,
    strategist,
    cycle,
    reporter_a,
    approver_a,
    contribution_a,
    django_capture_on_commit_callbacks,
):
    reporter_a.email = "reporter_a@example.org"
    reporter_a.save()
    fill(contribution_a, reporter_a)
    services.cycle_start_review(cycle=cycle, by=strategist)
    client.force_login(strategist)
    detail = reverse("reporting:cycle-detail", args=[cycle.pk])
    url = reverse("reporting:cycle-reopen", args=[cycle.pk])
    assert url in client.get(detail).content.decode()

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url, {"reopen-due_on": yesterday.isoformat()}, follow=True)
    assert "Den nya sista dagen kan inte ha passerat" in page_text(response)
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.REVIEW

    new_due = timezone.localdate() + datetime.timedelta(days=14)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reopen-due_on": new_due.isoformat()}, follow=True)
    assert "Rapporteringen är öppen igen" in page_text(response)
    cycle.refresh_from_db()
    assert (cycle.state, cycle.due_on) == (Cycle.State.OPEN, new_due)
    assert cycle.history.latest().history_user == strategist
    told = [m for m in mail.outbox if m.to == ["reporter_a@example.org"]]
    assert [m.subject for m in told] == [
        "Livskvalitet: rapporteringen i Uppföljning 2026 är öppen igen"
    ]
    fill(contribution_a, reporter_a, **{**COMPLETE, "results": "Skrivet efter återöppningen."})
    services.contribution_submit(contribution=contribution_a, by=approver_a)

    # Once the first contribution is approved, reporting no longer reopens.
    services.contribution_approve(contribution=contribution_a, by=strategist)
    services.cycle_start_review(cycle=cycle, by=strategist)
    page = client.get(detail).content.decode()
    assert url not in page
    reason = "1 bidrag i uppföljningen är redan godkänt"
    assert reason in page_text(page)
    response = client.post(url, {"reopen-due_on": new_due.isoformat()}, follow=True)
    assert reason in page_text(response)
    with pytest.raises(services.WorkflowError, match=reason):
        services.cycle_reopen(cycle=cycle, due_on=new_due, by=strategist)
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.REVIEW


def test_why_reporting_cannot_be_reopened_counts_the_approved(
    client, strategist, approver_a, contribution_a
):
    """With two approved, the reason said "a contribution is already approved"."""
    other = contribution_a.cycle.contributions.get(
        organisation=contribution_a.organisation, focus_area__code="2.2"
    )
    for contribution in (contribution_a, other):
        approve(contribution, approver_a, strategist)
    cycle = contribution_a.cycle
    services.cycle_start_review(cycle=cycle, by=strategist)
    client.force_login(strategist)
    page = page_text(client.get(reverse("reporting:cycle-detail", args=[cycle.pk])))
    assert (
        "2 bidrag i uppföljningen är redan godkända, så rapporteringen kan inte öppnas igen."
    ) in page
    assert "Ett bidrag" not in page


def test_the_close_page_of_an_open_cycle_says_the_review_comes_first(client, strategist, cycle):
    """It said 'the cycle is open; it cannot become closed', not what to do first."""
    client.force_login(strategist)
    page = page_text(client.get(reverse("reporting:cycle-close", args=[cycle.pk])))
    assert "kan inte bli avslutad" not in page
    assert (
        "Rapporteringen är fortfarande öppen: påbörja granskningen först, "
        "avsluta sedan uppföljningen."
    ) in page
    with pytest.raises(services.WorkflowError, match="påbörja granskningen först"):
        services.cycle_close(cycle=cycle, by=strategist)


def test_the_start_review_page_says_why_the_review_cannot_start(client, strategist, cycle):
    """It said 'the cycle is X; it cannot become review', not what stands in the way."""
    client.force_login(strategist)
    planned = new_cycle()
    services.cycle_start_review(cycle=cycle, by=strategist)
    cases = [
        (planned, "Uppföljningen har inte öppnats än; granskningen påbörjas när organisationerna"),
        (cycle, "Granskningen har redan påbörjats."),
    ]
    for subject, reason in cases:
        page = page_text(client.get(reverse("reporting:cycle-start-review", args=[subject.pk])))
        assert "kan inte bli" not in page
        assert reason in page
        with pytest.raises(services.WorkflowError, match=reason.split(";")[0]):
            services.cycle_start_review(cycle=subject, by=strategist)
    services.cycle_close(cycle=cycle, by=strategist)
    page = page_text(client.get(reverse("reporting:cycle-start-review", args=[cycle.pk])))
    assert "Uppföljningen är avslutad: granskningen är över." in page


def test_the_other_steps_of_a_cycle_say_why_they_cannot_be_taken(client, strategist, cycle):
    """Opening an open cycle, reopening an open one, cancelling a scheduled opening that
    was never scheduled: each said only the cycle's state."""
    client.force_login(strategist)
    page = page_text(client.get(reverse("reporting:cycle-open", args=[cycle.pk])))
    assert "Uppföljningen är redan öppen: dess förfrågningar har skickats." in page
    with pytest.raises(services.WorkflowError, match="Rapporteringen är redan öppen."):
        services.cycle_reopen(cycle=cycle, due_on=cycle.due_on, by=strategist)
    with pytest.raises(services.WorkflowError, match="Uppföljningen har redan öppnats."):
        services.cycle_unschedule(cycle=cycle, by=strategist)
    with pytest.raises(services.WorkflowError, match="Ingen öppning av uppföljningen är planerad."):
        services.cycle_unschedule(cycle=new_cycle(), by=strategist)
    services.cycle_start_review(cycle=cycle, by=strategist)
    page = page_text(client.get(reverse("reporting:cycle-open", args=[cycle.pk])))
    assert "öppna rapporteringen igen från uppföljningens sida" in page
