"""The action register (issue 22): an insats lives across cycles. Approving a contribution
writes its actions into the register; the organisation's next contribution on the focus
area starts from those still planned or ongoing, and reports on them."""

import datetime

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import Contribution, Initiative
from tests.factories import COMPLETE, new_cycle, page_text, save


def approve(contribution, approver, strategist, *, actions):
    save(contribution, approver, actions=actions, **COMPLETE)
    services.contribution_submit(contribution=contribution, by=approver)
    return services.contribution_approve(contribution=contribution, by=strategist)


@pytest.fixture
def registered(contribution_a, approver_a, strategist):
    """Miljönämnden's contribution on 2.1 approved with an ongoing and a finished action."""
    approve(
        contribution_a,
        approver_a,
        strategist,
        actions=[
            {"title": "Elbilspool", "status": "ongoing", "sdgs": [7, 13], "groups": ["age"]},
            {"title": "Solceller på skolor", "status": "completed"},
        ],
    )
    return Initiative.objects.get(title="Elbilspool")


@pytest.fixture
def next_contribution(registered, strategist, organisation_a):
    cycle = new_cycle(opens_on=datetime.date(2028, 1, 1), due_on=datetime.date(2099, 3, 1))
    services.cycle_open(cycle=cycle, by=strategist)
    return cycle.contributions.get(organisation=organisation_a, focus_area__code="2.1")


def test_a_draft_registers_nothing(contribution_a, reporter_a):
    save(contribution_a, reporter_a, actions=[{"title": "Elbilspool", "status": "ongoing"}])
    assert not Initiative.objects.exists()
    assert contribution_a.actions.get().initiative is None


def test_approving_registers_each_action_with_who_and_from_which_contribution(
    registered, contribution_a, organisation_a, strategist
):
    assert Initiative.objects.count() == 2
    assert registered.organisation == organisation_a
    assert registered.status == "ongoing"
    assert [area.code for area in registered.focus_areas.all()] == ["2.1"]
    assert sorted(sdg.number for sdg in registered.sdgs.all()) == [7, 13]
    assert registered.groups == ["age"]
    assert registered.reported_in == contribution_a
    record = registered.history.get()
    assert (record.history_user, record.reported_in_id) == (strategist, contribution_a.pk)
    # The approved version records which entry each action reports on.
    approved = contribution_a.versions.get(event="approved")
    assert [a["initiative"] for a in approved.data["actions"]] == [
        registered.pk,
        Initiative.objects.get(title="Solceller på skolor").pk,
    ]


def test_the_next_cycle_starts_from_the_actions_still_open(
    client, next_contribution, registered, reporter_a
):
    client.force_login(reporter_a)
    page = client.get(reverse("reporting:contribution-edit", args=[next_contribution.pk]))
    text = page_text(page)
    assert "Elbilspool" in text
    assert "Rapporterad i en tidigare uppföljning" in text
    # The finished one is not carried: there is nothing more to report on it.
    formset = page.context["formset"]
    assert [(form.initial["title"], form.initial["initiative"]) for form in formset] == [
        ("Elbilspool", registered.pk)
    ]


def test_reporting_an_action_finished_updates_the_register_when_approved(
    client, next_contribution, registered, reporter_a, approver_a, strategist
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[next_contribution.pk])
    response = client.post(
        url,
        {
            "version": 0,
            **COMPLETE,
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "1",
            "actions-MIN_NUM_FORMS": "0",
            "actions-MAX_NUM_FORMS": "1000",
            "actions-0-editing": "on",
            "actions-0-initiative": str(registered.pk),
            "actions-0-title": "Elbilspool",
            "actions-0-status": "completed",
            "actions-0-progress": "Poolen har 40 bilar och  drivs nu av fastighetsbolaget.",
            "save": "1",
        },
    )
    assert response.status_code == 302
    saved = next_contribution.actions.get()
    assert (saved.initiative, saved.status) == (registered, "completed")
    assert saved.progress == "Poolen har 40 bilar och  drivs nu av fastighetsbolaget."
    registered.refresh_from_db()
    assert registered.status == "ongoing"  # a draft: the register waits for approval

    services.contribution_submit(contribution=next_contribution, by=approver_a)
    services.contribution_approve(contribution=next_contribution, by=strategist)
    registered.refresh_from_db()
    assert registered.status == "completed"
    assert registered.progress.startswith("Poolen har 40 bilar")
    assert registered.reported_in == next_contribution
    assert [record.status for record in registered.history.order_by("history_date")] == [
        "ongoing",
        "completed",
    ]
    assert Initiative.objects.count() == 2  # the same insats, not a new one


def test_an_action_cannot_report_on_another_organisations_entry(
    client, contribution_a, reporter_a, organisation_b
):
    theirs = Initiative.objects.create(organisation=organisation_b, title="Deras", status="ongoing")
    with pytest.raises(services.WorkflowError):
        save(contribution_a, reporter_a, actions=[{"title": "x", "initiative": theirs.pk}])
    # Through the form, with the id forged: refused with a message, nothing saved.
    client.force_login(reporter_a)
    response = client.post(
        reverse("reporting:contribution-edit", args=[contribution_a.pk]),
        {
            "version": 0,
            "done": "Text",
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-MIN_NUM_FORMS": "0",
            "actions-MAX_NUM_FORMS": "1000",
            "actions-0-initiative": str(theirs.pk),
            "actions-0-title": "Deras insats",
            "actions-0-status": "ongoing",
            "save": "1",
        },
        follow=True,
    )
    assert "en tidigare insats som inte är din organisations" in page_text(response)
    contribution_a.refresh_from_db()
    assert (contribution_a.version, contribution_a.done) == (0, "")
    assert not contribution_a.actions.exists()


def test_two_actions_cannot_report_on_one_entry(registered, next_contribution, reporter_a):
    twice = [{"title": "Elbilspool", "initiative": registered.pk}] * 2
    with pytest.raises(services.WorkflowError):
        save(next_contribution, reporter_a, actions=twice)
    assert Contribution.objects.get(pk=next_contribution.pk).version == 0
