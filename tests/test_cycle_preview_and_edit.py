"""Before opening, the preview tells the whole story and the cycle can still be changed
(issue 20): who is asked nothing, years within the programme's, title, years and dates
editable until it opens."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programme.models import FocusArea, Organisation, Programme, Responsibility
from reporting import services
from reporting.models import Cycle
from reporting.selectors import opening_plan
from reporting.services import WorkflowError
from tests.factories import page_text

pytestmark = pytest.mark.django_db


def planned(**extra):
    values = {
        "programme": Programme.objects.get(),
        "title": "Uppföljning 2027",
        "first_year": 2026,
        "last_year": 2027,
        "opens_on": datetime.date(2099, 1, 10),
        "due_on": datetime.date(2099, 3, 1),
    }
    return Cycle.objects.create(**(values | extra))


def test_the_preview_names_who_is_asked_nothing_with_a_link_to_set_it_right(
    client, strategist, programme_data
):
    miljo = Organisation.objects.get(name="Miljönämnden")
    for code in ("2.1", "2.2"):
        Responsibility.objects.create(
            organisation=miljo, focus_area=FocusArea.objects.get(code=code), role="lead"
        )
    cycle = planned()
    client.force_login(strategist)
    page = client.get(reverse("reporting:cycle-open", args=[cycle.pk])).content.decode()
    bound = Organisation.objects.filter(active=True, kind__in=Organisation.REPORTING_KINDS)
    assert f"{bound.count() - 1} organisationer får ingen förfrågan" in page
    assert "Socialnämnden" in page.split("Vem som inte tillfrågas")[1]
    assert (
        reverse("programme:responsibilities")
        + f"#org-{Organisation.objects.get(name='Socialnämnden').pk}"
        in page
    )
    assert "11 fokusområden får ingen förfrågan" in page
    assert "3.1 <bdi>Öka tryggheten" in page.split("Vem som inte tillfrågas")[1]


def test_a_cycle_s_years_lie_within_its_programme_s(strategist, programme_data):
    programme = Programme.objects.get()
    with pytest.raises(ValidationError) as refused:
        services.cycle_create(
            by=strategist,
            programme=programme,
            title="Uppföljning 2029",
            first_year=2027,
            last_year=2029,
            opens_on=datetime.date(2029, 1, 10),
            due_on=datetime.date(2029, 3, 1),
        )
    assert "last_year" in refused.value.message_dict
    assert "2025–2027" in refused.value.message_dict["last_year"][0]
    assert not Cycle.objects.exists()


def test_until_it_opens_title_years_and_dates_can_be_changed(client, strategist, programme_data):
    cycle = planned()
    client.force_login(strategist)
    url = reverse("reporting:cycle-edit", args=[cycle.pk])
    detail = client.get(reverse("reporting:cycle-detail", args=[cycle.pk])).content.decode()
    assert f'href="{url}"' in detail
    response = client.post(
        url,
        {
            "title": "Uppföljning 2026",
            "first_year": "2025",
            "last_year": "2026",
            "opens_on": "2099-02-01",
            "due_on": "2099-04-01",
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.title, cycle.first_year, cycle.last_year) == ("Uppföljning 2026", 2025, 2026)
    assert cycle.opens_on == datetime.date(2099, 2, 1)
    latest, previous = cycle.history.all()[:2]
    assert latest.history_user == strategist and previous.title == "Uppföljning 2027"
    # Saved again as it is: nothing changes, and the page does not say it did.
    assert "Uppföljningen är ändrad." in page_text(client.get(url))  # the first save's
    same = {
        "title": "Uppföljning 2026",
        "first_year": "2025",
        "last_year": "2026",
        "opens_on": "2099-02-01",
        "due_on": "2099-04-01",
    }
    text = page_text(client.post(url, same, follow=True))
    assert "Inget ändrades." in text and "Uppföljningen är ändrad." not in text
    assert cycle.history.count() == 2
    # Years outside the programme's are refused on the page, with the reason, nothing saved.
    response = client.post(
        url,
        {
            "title": "Uppföljning 2026",
            "first_year": "2025",
            "last_year": "2029",
            "opens_on": "2099-02-01",
            "due_on": "2099-04-01",
        },
    )
    assert response.status_code == 200
    assert "Programmet gäller 2025–2027" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.last_year == 2026


def test_once_open_only_the_due_date_changes(client, strategist, programme_data):
    cycle = planned(opens_on=datetime.date(2026, 1, 10))
    services.cycle_open(cycle=cycle, by=strategist)
    with pytest.raises(WorkflowError, match="bara dess sista dag"):
        services.cycle_edit(cycle=cycle, by=strategist, title="Ett annat namn")
    client.force_login(strategist)
    page = client.get(reverse("reporting:cycle-edit", args=[cycle.pk])).content.decode()
    assert "bara dess sista dag" in page
    client.post(
        reverse("reporting:cycle-edit", args=[cycle.pk]),
        {"title": "Ett annat namn", "first_year": "2026", "last_year": "2027",
         "opens_on": "2026-01-10", "due_on": "2099-03-01"},
    )  # fmt: skip
    cycle.refresh_from_db()
    assert cycle.title == "Uppföljning 2027"


def test_a_scheduled_opening_stays_on_a_day_ahead(strategist, programme_data):
    cycle = planned()
    plan = opening_plan(cycle)
    services.cycle_schedule(cycle=cycle, by=strategist, expected=plan.fingerprint)
    with pytest.raises(WorkflowError, match="Öppningsdagen är här"):  # as when scheduling
        services.cycle_edit(cycle=cycle, by=strategist, opens_on=datetime.date(2020, 1, 1))
    cycle.refresh_from_db()
    assert cycle.opens_on == datetime.date(2099, 1, 10)


def test_instructions_are_edited_until_opening_and_reach_every_organisation(
    client, strategist, reporter_a, programme_data, django_capture_on_commit_callbacks
):
    """The strategist's instructions for the cycle: in the opening mail and at the top of
    every contribution form, as typed and made safe."""
    from django.core import mail

    from programme.models import Membership

    reporter_a.email = "reporter_a@example.org"
    reporter_a.save()
    cycle = planned()
    client.force_login(strategist)
    typed = "Svara senast i mars.\n\nSkriv <b>konkret</b> – med siffror där det går."
    response = client.post(
        reverse("reporting:cycle-edit", args=[cycle.pk]),
        {
            "title": cycle.title,
            "first_year": "2026",
            "last_year": "2027",
            "opens_on": "2099-01-10",
            "due_on": "2099-03-01",
            "instructions": typed,
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.instructions == typed  # as typed
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_open(cycle=cycle, by=strategist)
    [opened] = [m for m in mail.outbox if m.to == ["reporter_a@example.org"]]
    assert "Svara senast i mars." in opened.body and "<b>konkret</b>" in opened.body
    contribution = cycle.contributions.filter(
        organisation=Membership.objects.get(user=reporter_a).organisation
    ).first()
    client.force_login(reporter_a)
    page = client.get(reverse("reporting:contribution-edit", args=[contribution.pk]))
    html = page.content.decode()
    assert "Anvisningar för den här uppföljningen" in html
    assert "&lt;b&gt;konkret&lt;/b&gt;" in html and "<b>konkret</b>" not in html
    with pytest.raises(WorkflowError):  # opened: no longer editable
        services.cycle_edit(cycle=cycle, by=strategist, instructions="Ändrat.")
