"""Opening a cycle is previewed and confirmed, or scheduled for its opening date."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programme.models import FocusArea, Membership, Organisation, Responsibility
from reporting import services
from reporting.models import Contribution, Cycle
from reporting.selectors import opening_plan
from tests.factories import make_user, new_cycle, page_text

pytestmark = pytest.mark.django_db


def test_the_preview_says_who_is_asked_what_and_what_is_wrong(client, strategist, approver_a):
    cycle = new_cycle(opens_on=datetime.date(2099, 1, 10), due_on=datetime.date(2099, 3, 1))
    client.force_login(strategist)
    page = page_text(client.get(reverse("reporting:cycle-open", args=[cycle.pk])))
    assert "Att öppna skickar 208 förfrågningar till 16 organisationer." in page
    assert "Inget ansvar är satt: alla nämnder och bolag tillfrågas om varje fokusområde." in page
    assert "Ingen användare kan svara för de här organisationerna" in page
    assert "ingen godkännare" not in page.split("Miljönämnden")[1][:60]  # it has an approver
    assert "Öppningsdagen är 10 januari 2099" in page
    assert "Schemalägg: öppna 10 januari 2099" in page
    assert not cycle.contributions.exists()  # looking sends nothing


def test_opening_needs_the_confirmation_and_the_plan_that_was_seen(client, strategist):
    cycle = new_cycle()
    url = reverse("reporting:cycle-open", args=[cycle.pk])
    client.force_login(strategist)
    seen = client.get(url).context["plan"].fingerprint
    response = client.post(url, {"plan": seen, "when": "now"})  # no confirmation
    assert "Kryssa i rutan" in page_text(response)
    cycle.refresh_from_db()
    assert cycle.state == "planning" and not cycle.contributions.exists()
    # Someone sets a responsibility meanwhile: what was seen is no longer what would be sent.
    Responsibility.objects.create(
        organisation=Organisation.objects.get(name="Miljönämnden"),
        focus_area=FocusArea.objects.get(code="2.1"),
    )
    response = client.post(url, {"plan": seen, "when": "now", "confirm": "on"}, follow=True)
    assert "har ändrats sedan du tittade" in page_text(response)
    cycle.refresh_from_db()
    assert cycle.state == "planning" and not cycle.contributions.exists()
    seen = client.get(url).context["plan"].fingerprint
    client.post(url, {"plan": seen, "when": "now", "confirm": "on"})
    cycle.refresh_from_db()
    assert cycle.state == "open"
    assert list(cycle.contributions.values_list("organisation__name", "focus_area__code")) == [
        ("Miljönämnden", "2.1")
    ]


def test_a_cycle_opened_before_its_planned_day_opens_that_day(strategist):
    """The report and the pages say when the requests went out: opening now is opening
    today, whatever day was planned."""
    cycle = new_cycle(opens_on=datetime.date(2099, 1, 10), due_on=datetime.date(2099, 3, 1))
    services.cycle_open(cycle=cycle, by=strategist)
    cycle.refresh_from_db()
    assert (cycle.state, cycle.opens_on) == ("open", timezone.localdate())


def test_a_cycle_is_scheduled_and_the_daily_command_opens_it_that_day(client, strategist):
    cycle = new_cycle(opens_on=datetime.date(2099, 1, 10), due_on=datetime.date(2099, 3, 1))
    url = reverse("reporting:cycle-open", args=[cycle.pk])
    client.force_login(strategist)
    seen = client.get(url).context["plan"].fingerprint
    client.post(url, {"plan": seen, "when": "schedule", "confirm": "on"})
    cycle.refresh_from_db()
    assert (cycle.state, cycle.scheduled_by) == ("scheduled", strategist)
    assert not cycle.contributions.exists()
    out = StringIO()
    call_command("run_daily", "--date", "2099-01-09", stdout=out)
    cycle.refresh_from_db()
    assert cycle.state == "scheduled"
    call_command("run_daily", "--date", "2099-01-10", stdout=out)
    cycle.refresh_from_db()
    assert cycle.state == "open" and cycle.contributions.count() == 208
    assert "208 förfrågningar skickade" in out.getvalue()
    assert cycle.history.latest().history_user == strategist


def test_a_scheduled_opening_can_be_cancelled(client, strategist):
    cycle = new_cycle(opens_on=datetime.date(2099, 1, 10), due_on=datetime.date(2099, 3, 1))
    services.cycle_schedule(cycle=cycle, by=strategist, expected=opening_plan(cycle).fingerprint)
    client.force_login(strategist)
    client.post(reverse("reporting:cycle-transition", args=[cycle.pk, "unschedule"]))
    cycle.refresh_from_db()
    assert cycle.state == "planning" and cycle.scheduled_by is None
    call_command("run_daily", "--date", "2099-01-10", stdout=StringIO())
    cycle.refresh_from_db()
    assert cycle.state == "planning"


def test_scheduling_is_refused_once_the_date_has_come_and_for_non_strategists(
    strategist, reporter_a
):
    cycle = new_cycle(opens_on=datetime.date(2020, 1, 1), due_on=datetime.date(2099, 3, 1))
    seen = opening_plan(cycle).fingerprint
    with pytest.raises(services.WorkflowError, match="Öppningsdagen är här"):
        services.cycle_schedule(cycle=cycle, by=strategist, expected=seen)
    with pytest.raises(services.WorkflowError):
        services.cycle_open(cycle=cycle, by=reporter_a, expected=seen)
    cycle.refresh_from_db()
    assert cycle.state == "planning"


def test_the_preview_costs_the_same_queries_whatever_the_number_of_organisations(
    client, strategist
):
    cycle = new_cycle()
    url = reverse("reporting:cycle-open", args=[cycle.pk])
    client.force_login(strategist)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(15):
        organisation = Organisation.objects.create(name=f"Nämnd {number}", kind="nämnd")
        make_user(f"member{number}", organisation=organisation, role=Membership.Role.APPROVER)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url)
    assert len(after) == len(before)
    assert page.context["plan"].requests.__len__() == 31 * 13
    assert not Contribution.objects.filter(cycle=cycle).exists()
    assert Cycle.objects.get(pk=cycle.pk).state == "planning"


def test_the_preview_lists_organisations_in_swedish_order_as_the_cycle_page(client, strategist):
    """The preview listed bolag before nämnder, the cycle's page by name: both now list
    them by name, in Swedish order."""
    import re

    from livskvalitet.core.text import swedish_order

    cycle = new_cycle(opens_on=datetime.date(2099, 1, 10), due_on=datetime.date(2099, 3, 1))
    client.force_login(strategist)
    preview = client.get(reverse("reporting:cycle-open", args=[cycle.pk])).content.decode()
    previewed = re.findall(r'<tr><th scope="row"><bdi>([^<]+)</bdi>', preview)
    assert len(previewed) == 16
    assert previewed == sorted(previewed, key=swedish_order)
    kinds = dict(Organisation.objects.values_list("name", "kind"))
    assert [kinds[name] for name in previewed] != sorted(kinds[name] for name in previewed)
    services.cycle_open(cycle=cycle, by=strategist)
    page = client.get(reverse("reporting:cycle-detail", args=[cycle.pk])).content.decode()
    row = rf'href="/uppfoljningar/{cycle.pk}/organisationer/\d+/"><bdi>([^<]+)<'
    listed = re.findall(row, page)
    assert listed == previewed


def test_the_preview_names_organisations_whose_members_get_no_email(
    client, strategist, approver_a, organisation_a
):
    """Users made in the admin have no e-mail address until someone adds one: opening
    then tells nobody in those organisations, so the preview says so before it is sent."""
    cycle = new_cycle(opens_on=datetime.date(2099, 1, 10), due_on=datetime.date(2099, 3, 1))
    client.force_login(strategist)
    url = reverse("reporting:cycle-open", args=[cycle.pk])
    warning = "Ingen medlem i de här organisationerna har en e-postadress, så ingen där får veta"
    page = page_text(client.get(url))
    assert warning in page
    assert organisation_a.name in page.split(warning)[1].split(".")[0]

    approver_a.email = "godkannare@example.org"
    approver_a.save()
    assert warning not in page_text(client.get(url))
