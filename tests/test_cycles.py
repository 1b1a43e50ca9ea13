"""Cycles: opening asks every active nämnd and bolag; strategists adjust and move them."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from programme.models import FocusArea, Organisation, Programme, Responsibility
from reporting.models import Contribution, Cycle
from reporting.services import (
    WorkflowError,
    cycle_change_due_date,
    cycle_close,
    cycle_open,
    cycle_start_review,
    request_withdraw,
)
from tests.factories import fill, new_cycle, open_cycle, page_text

pytestmark = pytest.mark.django_db


def test_opening_asks_every_nämnd_and_bolag_about_every_focus_area_when_none_is_assigned(
    strategist, reporter_a, django_capture_on_commit_callbacks
):
    reporter_a.email = "reporter@example.org"
    reporter_a.save()
    cycle = new_cycle()
    with django_capture_on_commit_callbacks(execute=True):
        count = cycle_open(cycle=cycle, by=strategist)
    reporting = Organisation.objects.filter(kind__in=["nämnd", "bolag"]).count()
    assert count == reporting * 13 == 16 * 13
    assert not cycle.contributions.filter(organisation__kind="förvaltning").exists()
    assert Cycle.objects.get(pk=cycle.pk).state == "open"
    assert [m.to for m in mail.outbox] == [["reporter@example.org"]]


def test_opening_follows_responsibilities_and_skips_retired_organisations(strategist):
    miljo = Organisation.objects.get(name="Miljönämnden")
    hem = Organisation.objects.get(name="Helsingborgshem AB")
    Responsibility.objects.create(organisation=miljo, focus_area=FocusArea.objects.get(code="2.2"))
    Responsibility.objects.create(organisation=hem, focus_area=FocusArea.objects.get(code="5.1"))
    hem.active = False
    hem.save()
    cycle = new_cycle()
    assert cycle_open(cycle=cycle, by=strategist) == 1
    assert list(cycle.contributions.values_list("organisation__name", "focus_area__code")) == [
        ("Miljönämnden", "2.2")
    ]


@pytest.mark.parametrize(
    ("state", "service"),
    [
        ("open", cycle_open),
        ("review", cycle_open),
        ("closed", cycle_open),
        ("planning", cycle_start_review),
        ("review", cycle_start_review),
        ("planning", cycle_close),
        ("open", cycle_close),
        ("closed", cycle_close),
    ],
)
def test_illegal_cycle_transitions_are_refused(strategist, state, service):
    cycle = new_cycle()
    Cycle.objects.filter(pk=cycle.pk).update(state=state)
    cycle.refresh_from_db()
    with pytest.raises(WorkflowError):
        service(cycle=cycle, by=strategist)
    assert Cycle.objects.get(pk=cycle.pk).state == state


def test_cycle_moves_through_its_states_via_the_pages(client, strategist):
    cycle = new_cycle()
    client.force_login(strategist)
    open_url = reverse("reporting:cycle-open", args=[cycle.pk])
    plan = client.get(open_url).context["plan"]
    client.post(open_url, {"plan": plan.fingerprint, "when": "now", "confirm": "on"})
    cycle.refresh_from_db()
    assert cycle.state == "open"
    # Starting the review, like opening, has its own confirmed page (issue 18).
    response = client.post(reverse("reporting:cycle-start-review", args=[cycle.pk]))
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == "review"
    # So has closing, which cannot be undone.
    response = client.post(reverse("reporting:cycle-close", args=[cycle.pk]))
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == "closed"
    for action in ("open", "review", "close"):  # each has its own, confirmed page
        response = client.post(reverse("reporting:cycle-transition", args=[cycle.pk, action]))
        assert response.status_code == 404
    assert "Uppföljningen är avslutad; den kan inte öppnas igen." in page_text(client.get(open_url))


def test_changing_the_due_date_is_recorded(client, strategist, cycle):
    client.force_login(strategist)
    old = cycle.due_on
    response = client.post(
        reverse("reporting:cycle-due-date", args=[cycle.pk]), {"due_on": "2099-04-30"}
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.due_on == datetime.date(2099, 4, 30)
    latest, previous = cycle.history.all()[:2]
    assert latest.history_user == strategist
    assert previous.due_on == old
    with pytest.raises(WorkflowError):
        cycle_change_due_date(cycle=cycle, due_on=datetime.date(2000, 1, 1), by=strategist)


def test_the_due_date_of_a_closed_cycle_stays(cycle, strategist):
    import datetime

    type(cycle).objects.filter(pk=cycle.pk).update(state="closed")
    cycle.refresh_from_db()
    with pytest.raises(WorkflowError):
        cycle_change_due_date(cycle=cycle, due_on=datetime.date(2099, 5, 1), by=strategist)


def test_withdrawing_a_request_is_confirmed_on_a_page_saying_what_happens(
    client, strategist, cycle, organisation_a
):
    """Withdrawing a request tells the organisation: one click on the organisation's page
    did it at once. The button now leads to a page that says what happens; looking there
    withdraws nothing."""
    client.force_login(strategist)
    contribution = cycle.contributions.get(organisation=organisation_a, focus_area__code="2.1")
    organisation_page = reverse("reporting:cycle-organisation", args=[cycle.pk, organisation_a.pk])
    url = reverse("reporting:request-withdraw", args=[cycle.pk, contribution.pk])
    assert f'href="{url}"' in client.get(organisation_page).content.decode()
    page = page_text(client.get(url))
    assert "Om du återkallar förfrågan tillfrågas Miljönämnden inte längre om 2.1 Minimera" in page
    # Nobody of it has an address (the demo's users): the page does not claim they are told.
    assert "Ingen av dess medlemmar har en e-postadress: ingen får veta att" in page
    assert "får e-post" not in page
    assert "Den har inte skrivit något än." in page
    assert "Du kan fråga den om fokusområde 2.1 igen" in page
    contribution.refresh_from_db()
    assert not contribution.withdrawn and not mail.outbox
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, organisation_page)
    contribution.refresh_from_db()
    assert contribution.withdrawn
    # Once withdrawn, the page says why it cannot be withdrawn again, and offers no button.
    page = page_text(client.get(url))
    assert "Återkalla förfrågan Avbryt" not in page


def test_the_withdraw_page_says_e_mail_is_sent_when_a_member_has_an_address(
    client, strategist, cycle, contribution_a, approver_a
):
    approver_a.email = "a@example.org"
    approver_a.save()
    client.force_login(strategist)
    url = reverse("reporting:request-withdraw", args=[cycle.pk, contribution_a.pk])
    page = page_text(client.get(url))
    assert "Dess medlemmar med e-postadress får e-post om att de inte längre tillfrågas" in page
    assert "Ingen av dess medlemmar har en e-postadress" not in page


def test_strategists_add_and_withdraw_requests(client, strategist, cycle, organisation_a):
    client.force_login(strategist)
    contribution = cycle.contributions.get(organisation=organisation_a, focus_area__code="3.1")
    client.post(reverse("reporting:request-withdraw", args=[cycle.pk, contribution.pk]))
    contribution.refresh_from_db()
    assert contribution.withdrawn
    client.post(
        reverse("reporting:request-add", args=[cycle.pk]),
        {"organisation": organisation_a.pk, "focus_area": contribution.focus_area_id},
    )
    contribution.refresh_from_db()
    assert not contribution.withdrawn
    assert cycle.contributions.filter(organisation=organisation_a).count() == 13


def test_asking_an_organisation_is_a_page_of_its_own(client, strategist, cycle, organisation_a):
    """The cycle's page lists no organisation and focus area to choose from (it stays as
    light with 300 organisations as with 3); the page that asks says what went wrong."""
    client.force_login(strategist)
    detail = client.get(reverse("reporting:cycle-detail", args=[cycle.pk])).content.decode()
    url = reverse("reporting:request-add", args=[cycle.pk])
    assert f'href="{url}"' in detail
    assert 'name="organisation"' not in detail
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="organisation"' in page.content.decode()
    before = Contribution.objects.count()
    refused = client.post(url, {"organisation": organisation_a.pk})
    assert refused.status_code == 200
    assert "Detta fält måste fyllas i." in page_text(refused)  # the focus area, at its field
    assert Contribution.objects.count() == before
    area = FocusArea.objects.get(programme=cycle.programme, code="3.1")
    cycle.contributions.filter(organisation=organisation_a, focus_area=area).delete()
    asked = client.post(url, {"organisation": organisation_a.pk, "focus_area": area.pk})
    assert asked["Location"] == reverse("reporting:cycle-detail", args=[cycle.pk])
    assert cycle.contributions.filter(organisation=organisation_a, focus_area=area).exists()


def test_a_closed_cycle_asks_nobody_whatever_is_posted(client, strategist, cycle, organisation_a):
    cycle_start_review(cycle=cycle, by=strategist)
    cycle_close(cycle=cycle, by=strategist)
    client.force_login(strategist)
    url = reverse("reporting:request-add", args=[cycle.pk])
    page = client.get(url)
    assert 'name="organisation"' not in page.content.decode()
    assert "avslutad" in page_text(page)  # the workflow's reason
    area = FocusArea.objects.get(programme=cycle.programme, code="3.1")
    cycle.contributions.filter(organisation=organisation_a, focus_area=area).delete()
    client.post(url, {"organisation": organisation_a.pk, "focus_area": area.pk})
    assert not cycle.contributions.filter(organisation=organisation_a, focus_area=area).exists()


def test_a_line_break_in_a_title_does_not_stop_the_mail(
    strategist, reporter_a, django_capture_on_commit_callbacks
):
    """A title with a line break (a form sent by hand, an imported name): a mail's subject
    is one line, or it would not be sent at all; the title stays as typed."""
    reporter_a.email = "reporter@example.org"
    reporter_a.save()
    cycle = new_cycle()
    cycle.title = "Uppföljning\r\nBcc: x@example.org"
    cycle.save()
    with django_capture_on_commit_callbacks(execute=True):
        cycle_open(cycle=cycle, by=strategist)
    assert [m.to for m in mail.outbox] == [["reporter@example.org"]]
    message = mail.outbox[0].message()  # as it is sent: headers of one line each
    assert "\n" not in mail.outbox[0].subject and "Uppföljning Bcc" in mail.outbox[0].subject
    assert message["Bcc"] is None
    assert Cycle.objects.get(pk=cycle.pk).title == "Uppföljning\r\nBcc: x@example.org"


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


def test_a_closed_cycle_offers_no_withdraw_and_the_service_refuses_one(
    client, strategist, cycle, contribution_a
):
    cycle_start_review(cycle=cycle, by=strategist)
    cycle_close(cycle=cycle, by=strategist)
    client.force_login(strategist)
    page = client.get(reverse("reporting:cycle-detail", args=[cycle.pk])).content.decode()
    assert "/aterkalla/" not in page, "the cycle page offers a withdraw in a closed cycle"
    # Nor does any page of an organisation the cycle page links to.
    organisation_pages = set(
        re.findall(rf'href="(/uppfoljningar/{cycle.pk}/organisationer/\d+/)"', page)
    )
    assert len(organisation_pages) == 16  # every nämnd and bolag asked
    for url in organisation_pages:
        response = client.get(url)
        assert response.status_code == 200
        assert "/aterkalla/" not in response.content.decode(), url
    url = reverse("reporting:request-withdraw", args=[cycle.pk, contribution_a.pk])
    response = client.post(url, follow=True)
    assert "Uppföljningen är avslutad." in page_text(response)
    with pytest.raises(WorkflowError, match="Uppföljningen är avslutad"):
        request_withdraw(contribution=contribution_a, by=strategist)
    contribution_a.refresh_from_db()
    assert not contribution_a.withdrawn
    assert not contribution_a.versions.filter(event="withdrawn").exists()


def test_cycle_pages_are_for_strategists_only(client, cycle, reporter_a, approver_a):
    for user in (reporter_a, approver_a):
        client.force_login(user)
        for name in ["reporting:cycle-detail", "reporting:cycle-matrix"]:
            assert client.get(reverse(name, args=[cycle.pk])).status_code == 404
        assert client.get(reverse("reporting:cycle-list")).status_code == 404
        assert client.get(reverse("reporting:review-queue")).status_code == 404
        response = client.post(reverse("reporting:cycle-start-review", args=[cycle.pk]))
        assert response.status_code == 404
        assert Cycle.objects.get(pk=cycle.pk).state == "open"


def test_a_strategist_creates_a_cycle(client, strategist):
    client.force_login(strategist)
    response = client.post(
        reverse("reporting:cycle-create"),
        {
            "programme": Programme.objects.get().pk,
            "title": "Uppföljning 2027",
            "first_year": 2026,
            "last_year": 2027,
            "opens_on": "2027-01-10",
            "due_on": "2027-03-31",
        },
    )
    assert response.status_code == 302
    assert Cycle.objects.get(title="Uppföljning 2027").state == "planning"


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
    # Named as the form labels the field: there is no field "startdag".
    assert "Öppnar" in page
    assert "Sista dag kan inte komma före datumet i ”Öppnar”." in page
    assert "startdag" not in page


def test_not_relevant_answers_are_shown_to_the_strategist(
    client, strategist, contribution_a, approver_a
):
    from reporting.services import contribution_submit

    fill(contribution_a, approver_a, not_relevant=True, not_relevant_reason="Vi har inga fordon.")
    contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)
    page = client.get(
        reverse(
            "reporting:cycle-organisation",
            args=[contribution_a.cycle_id, contribution_a.organisation_id],
        )
    ).content.decode()
    assert "Vi har inga fordon." in page
    assert Contribution.objects.get(pk=contribution_a.pk).state == "submitted"


def test_requests_adjusted_before_opening_are_kept_when_the_cycle_opens(strategist):
    from reporting.services import request_add, request_withdraw

    cycle = new_cycle()
    miljo = Organisation.objects.get(name="Miljönämnden")
    kulturforvaltningen = Organisation.objects.get(name="Kulturförvaltningen")
    area = FocusArea.objects.get(code="4.3")
    # A förvaltning is not asked by default, but can be asked on purpose.
    request_add(cycle=cycle, organisation=kulturforvaltningen, focus_area=area, by=strategist)
    withdrawn = request_add(cycle=cycle, organisation=miljo, focus_area=area, by=strategist)
    request_withdraw(contribution=withdrawn, by=strategist)
    cycle_open(cycle=cycle, by=strategist)
    assert (
        cycle.contributions.filter(organisation=kulturforvaltningen, withdrawn=False).count() == 1
    )
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn
    assert cycle.contributions.filter(organisation=miljo).count() == 13


def test_while_open_the_due_date_cannot_be_moved_into_the_past(strategist, cycle):
    from django.utils import timezone

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(WorkflowError, match="inte ha passerat"):
        cycle_change_due_date(cycle=cycle, due_on=yesterday, by=strategist)
    cycle.refresh_from_db()
    assert cycle.due_on == datetime.date(2099, 3, 31)


def test_closing_says_what_it_leaves_unreviewed_before_it_is_confirmed(
    client, strategist, cycle, contribution_a, approver_a
):
    from reporting.services import contribution_submit, cycle_start_review
    from tests.factories import fill

    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    cycle_start_review(cycle=cycle, by=strategist)
    client.force_login(strategist)
    detail = client.get(reverse("reporting:cycle-detail", args=[cycle.pk])).content.decode()
    close_url = reverse("reporting:cycle-close", args=[cycle.pk])
    assert f'href="{close_url}"' in detail  # a link to the page, not a button that closes
    page = client.get(close_url).content.decode()
    assert "1 inskickat bidrag har inte granskats" in page
    cycle.refresh_from_db()
    assert cycle.state == "review"
    client.post(close_url)
    cycle.refresh_from_db()
    assert cycle.state == "closed"
    assert "Avsluta" not in client.get(close_url).content.decode().split("</h1>")[1]


def test_asking_an_organisation_what_it_is_asked_already_says_so(
    client, strategist, cycle, contribution_a
):
    """Not "the organisation is asked" when nothing happened: the request was there."""
    client.force_login(strategist)
    url = reverse("reporting:request-add", args=[cycle.pk])
    fields = {
        "organisation": contribution_a.organisation_id,
        "focus_area": contribution_a.focus_area_id,
    }
    versions = contribution_a.versions.count()
    page = page_text(client.post(url, fields, follow=True))
    assert "Miljönämnden är redan tillfrågad om 2.1 i den här uppföljningen." in page
    assert "Organisationen tillfrågas om fokusområde 2.1." not in page
    assert contribution_a.versions.count() == versions


def test_the_cycle_pages_review_link_shows_that_cycles_contributions(client, strategist, cycle):
    # With two cycles running, "Granskning" on one cycle's page listed the other's too.
    other = new_cycle(programme=cycle.programme)
    client.force_login(strategist)
    page = client.get(reverse("reporting:cycle-detail", args=[other.pk])).content.decode()
    queue = reverse("reporting:review-queue")
    assert f'href="{queue}?cycle={other.pk}">Granskning</a>' in page


def test_a_new_cycle_proposes_the_years_after_the_last_one(client, strategist, programme_data):
    # The form's years were empty: a newcomer had to work out the next period and was told
    # only after sending it that the programme ends in 2027.
    client.force_login(strategist)
    url = reverse("reporting:cycle-create")
    page = client.get(url).content.decode()
    assert re.search(r'name="first_year" value="2025"', page)  # the programme's first year
    assert re.search(r'name="last_year" value="2026"', page)  # followed up every second year
    open_cycle(strategist)  # 2025–2026
    page = client.get(url).content.decode()
    assert re.search(r'name="first_year" value="2027"', page)
    assert re.search(r'name="last_year" value="2027"', page)  # the programme ends in 2027


def test_asking_an_organisation_during_the_review_says_it_cannot_write_yet(
    client, strategist, reporter_a, cycle, organisation_a
):
    """The review has ended reporting: a request asked now waits for reporting to be
    reopened. The page and its message say so, rather than that the organisation is
    asked, which it cannot answer."""
    cycle_start_review(cycle=cycle, by=strategist)
    client.force_login(strategist)
    url = reverse("reporting:request-add", args=[cycle.pk])
    assert "kan organisationen inte skriva förrän rapporteringen öppnas igen" in (
        page_text(client.get(url))
    )
    area = FocusArea.objects.get(programme=cycle.programme, code="3.1")
    cycle.contributions.filter(organisation=organisation_a, focus_area=area).delete()
    asked = client.post(
        url, {"organisation": organisation_a.pk, "focus_area": area.pk}, follow=True
    )
    page = page_text(asked)
    assert "Organisationen tillfrågas om fokusområde 3.1, men rapporteringen är avslutad" in page
    assert "förrän rapporteringen öppnas igen" in page


def test_asking_once_nothing_can_reopen_reporting_says_it_cannot_be_answered(
    client, strategist, cycle, organisation_a, approved
):
    cycle_start_review(cycle=cycle, by=strategist)
    client.force_login(strategist)
    url = reverse("reporting:request-add", args=[cycle.pk])
    page = page_text(client.get(url))
    assert "rapporteringen kan inte öppnas igen" in page
    assert "kan inte besvaras i den här uppföljningen" in page
