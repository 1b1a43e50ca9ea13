"""The review queue filters and searches only what strategists may read; pages cost a
fixed number of queries whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import Organisation
from reporting import services
from reporting.content import ActionContent, Partner
from tests.factories import COMPLETE, fill, page_text

pytestmark = pytest.mark.django_db


def test_filters_and_search(client, strategist, approver_a, reporter_b, cycle, organisation_a):
    submitted = cycle.contributions.get(organisation=organisation_a, focus_area__code="2.1")
    fill(submitted, approver_a, **{**COMPLETE, "done": "Solceller på förskolor"})
    services.contribution_submit(contribution=submitted, by=approver_a)
    draft = cycle.contributions.get(organisation__name="Helsingborgshem AB", focus_area__code="2.1")
    fill(draft, reporter_b, **{**COMPLETE, "done": "Solceller på hyreshus"})
    client.force_login(strategist)
    url = reverse("reporting:review-queue")
    page = page_text(client.get(url, {"q": "solceller"}))
    assert "1 bidrag." in page and "Miljönämnden – 2.1" in page
    assert "Helsingborgshem" not in page.split("1 bidrag.")[1]  # a draft is never searched
    assert "0 bidrag." in page_text(client.get(url, {"q": "hyreshus"}))
    assert "1 bidrag." in page_text(client.get(url, {"focus_area": "2.1", "cycle": cycle.pk}))
    assert "0 bidrag." in page_text(client.get(url, {"focus_area": "2.2"}))
    assert "0 bidrag." in page_text(client.get(url, {"state": "approved"}))
    other = Organisation.objects.get(name="Helsingborgshem AB")
    assert "0 bidrag." in page_text(client.get(url, {"organisation": other.pk}))
    # The states are offered as choices are written: capital first, as "Väntar på granskning".
    states = client.get(url).content.decode()
    for label in ("Väntar på granskning", "Inskickat", "Godkänt"):
        assert f">{label}</option>" in states
    register = client.get(reverse("reporting:initiative-list")).content.decode()
    for label in ("Alla", "Pågående", "Genomförd"):
        assert f">{label}</option>" in register


def test_search_finds_what_the_contribution_shows(
    client, strategist, approver_a, reporter_b, cycle, organisation_a
):
    """Its partners (Samverkan), every written part of its actions and its answers are
    searched as its text is; the words of the stored form (its keys) are not."""
    question = services.question_add(cycle=cycle, by=strategist, text="Egen?", kind="short_text")
    submitted = cycle.contributions.get(organisation=organisation_a, focus_area__code="2.1")
    fill(
        submitted,
        approver_a,
        **COMPLETE,
        collaboration=[Partner("Länsstyrelsen i Skåne län")],
        actions=[ActionContent(title="Elbilar", progress="Upphandlingen är klar.")],
        answers={str(question.pk): "Cykelbanor längs kusten"},
    )
    services.contribution_submit(contribution=submitted, by=approver_a)
    draft = cycle.contributions.get(organisation__name="Helsingborgshem AB", focus_area__code="2.1")
    fill(draft, reporter_b, **COMPLETE, collaboration=[Partner("Trafikverket")])
    client.force_login(strategist)
    url = reverse("reporting:review-queue")
    for query in ("Länsstyrelsen", "skåne", "upphandlingen", "cykelbanor"):
        page = page_text(client.get(url, {"q": query}))
        assert "1 bidrag." in page and "Miljönämnden – 2.1" in page, query
    for query in ("Trafikverket", "organisation_id", "name"):
        assert "0 bidrag." in page_text(client.get(url, {"q": query})), query


def test_the_review_page_shows_the_whole_contribution_beside_the_decision(
    client, strategist, approver_a, contribution_a
):
    fill(contribution_a, approver_a, **{**COMPLETE, "challenges": "Svårt att mäta."})
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)
    page = page_text(client.get(reverse("reporting:contribution-review", args=[contribution_a.pk])))
    for text in ("Vi har bytt till elbilar.", "Utsläppen minskade.", "Svårt att mäta.", "Godkänn"):
        assert text in page


@pytest.mark.parametrize(
    "name",
    [
        "reporting:my-tasks",
        "reporting:review-queue",
        "reporting:cycle-detail",
        "reporting:cycle-matrix",
    ],
)
def test_strategist_pages_cost_the_same_queries_whatever_the_data(
    client, strategist, approver_a, cycle, organisation_a, name
):
    args = [cycle.pk] if name in ("reporting:cycle-detail", "reporting:cycle-matrix") else []
    url = reverse(name, args=args)
    first = cycle.contributions.get(organisation=organisation_a, focus_area__code="3.1")
    fill(first, approver_a)
    services.contribution_submit(contribution=first, by=approver_a)
    client.force_login(strategist)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for code in ("2.1", "2.2", "2.3"):
        contribution = cycle.contributions.get(organisation=organisation_a, focus_area__code=code)
        fill(contribution, approver_a)
        services.contribution_submit(contribution=contribution, by=approver_a)
    for number in range(5):
        organisation = Organisation.objects.create(name=f"Nämnd {number}", kind="nämnd")
        services.request_add(
            cycle=cycle,
            organisation=organisation,
            focus_area=cycle.programme.focus_areas.first(),
            by=strategist,
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before), name


def test_a_contribution_not_to_review_says_the_workflows_reason_and_is_linked_to_its_page(
    client, strategist, approver_a, contribution_a
):
    """The review page of a contribution that cannot be reviewed now sends the strategist
    to its page with the workflow's reason, not words of its own; the queue links such a
    contribution to its page directly."""
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_approve(contribution=contribution_a, by=strategist)
    client.force_login(strategist)
    review = reverse("reporting:contribution-review", args=[contribution_a.pk])
    response = client.get(review, follow=True)
    assert "Bara ett inskickat bidrag kan återsändas eller godkännas." in page_text(response)
    queue = client.get(reverse("reporting:review-queue"), {"state": "approved"})
    detail = reverse("reporting:contribution-detail", args=[contribution_a.pk])
    assert f'href="{detail}"' in queue.content.decode()
    assert f'href="{review}"' not in queue.content.decode()


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_after_a_decision_the_queue_shows_the_contributions_cycle(
    client, strategist, approver_a, contribution_a, decision
):
    # The queue came back unfiltered: with two cycles running, the other cycle's
    # contributions were mixed into the one being worked through.
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)
    review = reverse("reporting:contribution-review", args=[contribution_a.pk])
    seen = contribution_a.versions.order_by("-number").first().number
    data = {decision: "", "seen_version": seen, "comment": "Beskriv resultaten."}
    response = client.post(review, data)
    queue = reverse("reporting:review-queue")
    assert response["Location"] == f"{queue}?cycle={contribution_a.cycle_id}"


def test_a_closed_cycle_offers_no_review_and_its_queue_lists_nothing_as_waiting(
    client, strategist, approver_a, contribution_a, cycle
):
    """A contribution left submitted when its cycle closed cannot be reviewed: the cycle's
    page no longer offers its review, the queue does not list it as waiting, and listed by
    its state it says the workflow's reason."""
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)
    cycle_page = reverse("reporting:cycle-detail", args=[cycle.pk])
    queue = reverse("reporting:review-queue")
    assert "Granska bidraget som väntar" in page_text(client.get(cycle_page))
    assert "1 bidrag." in page_text(client.get(queue, {"cycle": cycle.pk}))

    services.cycle_start_review(cycle=cycle, by=strategist)
    services.cycle_close(cycle=cycle, by=strategist)
    assert "Granska bidraget som väntar" not in page_text(client.get(cycle_page))
    assert "0 bidrag." in page_text(client.get(queue, {"cycle": cycle.pk}))
    listed = client.get(queue, {"cycle": cycle.pk, "state": "submitted"})
    assert "1 bidrag." in page_text(listed)
    assert "Uppföljningen är stängd; bidrag kan inte längre granskas." in page_text(listed)
    review = reverse("reporting:contribution-review", args=[contribution_a.pk])
    assert f'href="{review}"' not in listed.content.decode()
