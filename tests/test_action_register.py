"""The action register (issue 22): an insats lives across cycles. Approving a contribution
writes its actions into the register; the organisation's next contribution on the focus
area starts from those still planned or ongoing, and reports on them."""

import datetime

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import Contribution, Initiative
from tests.factories import COMPLETE, approve, new_cycle, page_text, report_of, save


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

    # The strategy department reads the entry's history: who, when, from which contribution.
    client.force_login(strategist)
    text = page_text(client.get(reverse("reporting:initiative-detail", args=[registered.pk])))
    history = text[text.index("Historik") :]
    assert "Strategist genomförd Poolen har 40 bilar" in history
    assert history.index("Uppföljning 2028") < history.index("Uppföljning 2026")  # newest first


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


@pytest.mark.parametrize("forged", [-1, 0, 2**63, 10**30])
def test_an_entry_id_no_entry_can_have_is_refused_as_any_other(contribution_a, reporter_a, forged):
    """Beyond what the database can hold, too: refused with the same message, not an
    error of the server."""
    with pytest.raises(services.WorkflowError, match="inte är din organisations"):
        save(contribution_a, reporter_a, actions=[{"title": "x", "initiative": forged}])
    assert Contribution.objects.get(pk=contribution_a.pk).version == 0


def test_two_actions_cannot_report_on_one_entry(registered, next_contribution, reporter_a):
    twice = [{"title": "Elbilspool", "initiative": registered.pk}] * 2
    with pytest.raises(services.WorkflowError):
        save(next_contribution, reporter_a, actions=twice)
    assert Contribution.objects.get(pk=next_contribution.pk).version == 0


def published_in_a_report(contribution, strategist):
    version = contribution.versions.get(event="approved")
    return report_of(contribution.cycle, strategist, [version])


def test_the_public_reads_only_what_published_reports_said(
    client, registered, contribution_a, strategist
):
    single = reverse("reporting:published-action", args=[registered.pk])
    area = reverse("reporting:published-actions", args=["2.1"])
    api = reverse("api:action-list")
    # Approved, not published: nothing of it shows.
    assert client.get(single).status_code == 404
    assert "Elbilspool" not in page_text(client.get(area))
    assert client.get(api).json()["count"] == 0

    report = published_in_a_report(contribution_a, strategist)
    page = client.get(area)
    assert "Elbilspool Miljönämnden ◐ pågående Uppföljning 2026" in page_text(page)
    page = client.get(single)
    assert page.status_code == 200
    assert "Elbilspool" in page_text(page)
    answer = client.get(api).json()
    assert answer["count"] == 2
    assert answer["results"][0] == {
        "id": registered.pk,
        "title": "Elbilspool",
        "organisation": "Miljönämnden",
        "focus_area": "2.1",
        "status": "ongoing",
        "description": "",
        "progress": "",
        "sdgs": [7, 13],
        "reference": "",
        "report": report.pk,
        "is_demo": False,
    }
    assert client.get(api, {"focus_area": "3.1"}).json()["count"] == 0
    csv = client.get(reverse("api:action-list-csv")).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("id,title,organisation,focus_area,status")
    assert "Elbilspool" in csv

    # The list is kept while no report is published or withdrawn and the register stands:
    # asked again, the published versions are not read again.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.report.compile import report_unpublish

    with CaptureQueriesContext(connection) as again:
        assert "Elbilspool" in page_text(client.get(area))
    assert not any("contributionversion" in query["sql"] for query in again.captured_queries)
    report_unpublish(report=report, by=strategist, reason="Fel siffror.")
    assert "Elbilspool" not in page_text(client.get(area))
    assert client.get(api).json()["count"] == 0


def test_the_public_overview_counts_each_focus_areas_insatser(
    client, registered, contribution_a, strategist
):
    index = reverse("reporting:published-actions-index")
    area = reverse("reporting:published-actions", args=["2.1"])
    # Linked from the published reports, before any is published too.
    assert f'href="{index}"' in client.get(reverse("reporting:published-reports")).content.decode()
    page = client.get(index)
    assert page.status_code == 200
    assert "public" in page["Cache-Control"]
    text = page_text(page)
    assert "Insatser per fokusområde" in text
    assert "2.1 Minimera klimatpåverkan och resursanvändningen 0" in text  # not published
    assert "2.2 Stärk ekosystemen och öka den biologiska mångfalden 0" in text
    published_in_a_report(contribution_a, strategist)
    page = client.get(index)
    text = page_text(page)
    assert "2.1 Minimera klimatpåverkan och resursanvändningen 2" in text  # as its page lists
    assert text.count(" 0 ") >= 12  # every other focus area, none
    assert f'href="{area}"' in page.content.decode()
    assert len(page_text(client.get(area)).split(" Miljönämnden ")) == 3


def test_the_history_across_published_reports(
    client, registered, contribution_a, next_contribution, approver_a, strategist
):
    published_in_a_report(contribution_a, strategist)
    approve(
        next_contribution,
        approver_a,
        strategist,
        actions=[
            {
                "title": "Elbilspool",
                "status": "completed",
                "progress": "Klar i mars.",
                "initiative": registered.pk,
                "sdgs": [7],
                "groups": ["age"],
                "starts_on": "2026-02-01",
                "ends_on": "2028-03-31",
            }
        ],
    )
    single = reverse("reporting:published-action", args=[registered.pk])
    assert "genomförd" not in page_text(client.get(single))  # approved, not yet published
    published_in_a_report(next_contribution, strategist)
    text = page_text(client.get(single))
    assert "Elbilspool Miljönämnden · ● genomförd" in text
    assert text.index("Uppföljning 2026") < text.index("Uppföljning 2028")
    # What the latest report said of it: its focus area by name, period, groups, goals.
    area = next_contribution.focus_area
    assert f"Fokusområde {area.code} {area.title}" in text
    assert "Period 1 februari 2026 – 31 mars 2028" in text
    assert "Grupper som nås ålder" in text
    assert "Globala mål 7. Hållbar energi för alla" in text
    assert "Klar i mars." in text


def test_the_report_follows_each_action_up(
    registered, contribution_a, next_contribution, approver_a, strategist
):
    from reporting.report import pdf
    from reporting.report.data import report_data

    approve(
        next_contribution,
        approver_a,
        strategist,
        actions=[
            {"title": "Elbilspool", "status": "ongoing", "initiative": registered.pk},
            {"title": "Laddstolpar", "status": "planned"},
            {"title": "Cykelpool", "status": "cancelled", "progress": "Ingen ville låna."},
        ],
    )
    text = page_text(pdf.render_html(report_data(next_contribution.cycle)))
    table = text[text.index("Insatserna följs upp") :]
    # In order: finished, carried on, new, cancelled (with what the organisation said).
    assert (
        "Från en tidigare uppföljning (pågående) Elbilspool Miljönämnden Bilaga 2 "
        "Ny sedan förra uppföljningen (planerad) Laddstolpar Miljönämnden Bilaga 2 "
        "Avbruten Cykelpool Ingen ville låna. Miljönämnden Bilaga 2"
    ) in table
    # The first cycle's report: there was no earlier follow-up for it to be new since.
    first = page_text(pdf.render_html(report_data(contribution_a.cycle)))
    assert "Pågående Elbilspool Miljönämnden" in first
    assert "Ny sedan förra uppföljningen" not in first
    assert "Genomförd Solceller på skolor Miljönämnden" in first


def queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the session's own writes come with the first request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_register_pages_ask_the_same_queries_however_much_they_list(
    client, registered, contribution_a, cycle, strategist, organisation_b
):
    from programme.models import Membership
    from tests.factories import make_user

    published_in_a_report(contribution_a, strategist)
    client.force_login(strategist)
    pages = [
        reverse("reporting:initiative-list"),
        reverse("reporting:initiative-export", args=["csv"]),
        reverse("reporting:published-actions", args=["2.1"]),
        reverse("reporting:published-actions-index"),
        reverse("reporting:published-action", args=[registered.pk]),
        reverse("api:action-list"),
    ]
    before = [queries(client, url) for url in pages]

    # Another organisation's contribution with five actions, approved and published.
    approver_b = make_user("approver_b", organisation=organisation_b, role=Membership.Role.APPROVER)
    theirs = cycle.contributions.get(organisation=organisation_b, focus_area__code="2.1")
    approve(
        theirs,
        approver_b,
        strategist,
        actions=[{"title": f"Insats {n}", "status": "ongoing", "sdgs": [n]} for n in range(1, 6)],
    )
    report_of(
        cycle,
        strategist,
        [v for c in (contribution_a, theirs) for v in c.versions.filter(event="approved")],
    )
    assert Initiative.objects.count() == 7
    assert [queries(client, url) for url in pages] == before


def test_an_action_moves_to_another_focus_area_when_approved(
    registered, next_contribution, approver_a, strategist, organisation_a
):
    from reporting import selectors
    from reporting.report import pdf
    from reporting.report.data import report_data

    approve(
        next_contribution,
        approver_a,
        strategist,
        actions=[
            {
                "title": "Elbilspool",
                "status": "ongoing",
                "initiative": registered.pk,
                "moved_to": "2.2",
            }
        ],
    )
    assert [area.code for area in registered.focus_areas.all()] == ["2.2"]
    cycle = next_contribution.cycle
    other_area = cycle.contributions.get(organisation=organisation_a, focus_area__code="2.2")
    assert list(selectors.open_initiatives(other_area)) == [registered]
    assert not selectors.open_initiatives(next_contribution).exists()
    text = page_text(pdf.render_html(report_data(cycle)))
    assert "Flyttad till fokusområde 2.2 Elbilspool Miljönämnden" in text
    # The chapter of 2.2 tells of it too, where it now belongs.
    assert "Flyttad hit från fokusområde 2.1 Elbilspool Miljönämnden" in text


def test_dates_are_kept_and_an_end_before_the_start_is_refused(client, contribution_a, reporter_a):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    data = {
        "version": 0,
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-title": "Elbilspool",
        "actions-0-status": "ongoing",
        "actions-0-starts_on": "2026-03-01",
        "actions-0-ends_on": "2025-12-31",
        "save": "1",
    }
    response = client.post(url, data)
    assert "Slutet kan inte komma före starten." in page_text(response)
    assert not contribution_a.actions.exists()
    response = client.post(url, {**data, "actions-0-ends_on": "2027-12-31"})
    assert response.status_code == 302
    action = contribution_a.actions.get()
    assert (action.starts_on.isoformat(), action.ends_on.isoformat()) == (
        "2026-03-01",
        "2027-12-31",
    )
    page = page_text(client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk])))
    assert "Start: 1 mars 2026 · Slut: 31 december 2027" in page


def test_the_register_downloads_with_its_documents_and_dates(client, registered, strategist):
    import datetime as dt

    from programme.models import GoverningDocument

    plan = GoverningDocument.objects.order_by("pk").first()
    registered.documents.add(plan)
    registered.starts_on = dt.date(2025, 3, 1)
    registered.save()
    client.force_login(strategist)
    csv = client.get(reverse("reporting:initiative-export", args=["csv"]), {"status": "ongoing"})
    text = csv.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header == (
        "id,organisation,insats,status,fokusomraden,globala_mal,beskrivning,vad_har_hant,"
        "styrande_dokument,referens,start,slut,senast_rapporterad"
    )
    assert row.startswith(f'{registered.pk},Miljönämnden,Elbilspool,pågående,2.1,"7, 13",')
    assert row.endswith(f'"{plan.title}",,2025-03-01,,Uppföljning 2026')
    assert len(text.splitlines()) == 2  # the finished one is filtered out
    page = page_text(client.get(reverse("reporting:initiative-detail", args=[registered.pk])))
    assert f"Styrdokument {plan.title}" in page


def test_the_registers_admin_list_asks_the_same_queries_however_much_it_lists(
    client, registered, cycle, strategist, organisation_b, administrator
):
    """Each entry shows the contribution it was reported in (organisation, focus area,
    cycle): read with the list, not once per entry."""
    from programme.models import Membership
    from tests.factories import make_user

    client.force_login(administrator)
    url = reverse("admin:reporting_initiative_changelist")
    before = queries(client, url)
    approver_b = make_user("approver_b", organisation=organisation_b, role=Membership.Role.APPROVER)
    for code in ("2.1", "2.2"):
        theirs = cycle.contributions.get(organisation=organisation_b, focus_area__code=code)
        actions = [{"title": f"Insats {code}-{n}", "status": "ongoing"} for n in range(3)]
        approve(theirs, approver_b, strategist, actions=actions)
    assert Initiative.objects.count() == 8
    assert queries(client, url) == before


def test_the_public_pages_follow_an_action_to_the_focus_area_it_moved_to(
    client, registered, contribution_a, next_contribution, approver_a, strategist
):
    """The report tells the move in its chapter on the area it left; the public pages say
    the same: the insats is listed under the area it moved to, and under the one it left as
    moved from there, never as still going on where it was."""
    from programme.models import FocusArea

    published_in_a_report(contribution_a, strategist)
    approve(
        next_contribution,
        approver_a,
        strategist,
        actions=[
            {
                "title": "Elbilspool",
                "status": "ongoing",
                "initiative": registered.pk,
                "moved_to": "2.2",
            }
        ],
    )
    published_in_a_report(next_contribution, strategist)
    moved = "Flyttad från 2.1 till fokusområde 2.2"

    there = page_text(client.get(reverse("reporting:published-actions", args=["2.2"])))
    assert f"Elbilspool Miljönämnden ◐ pågående {moved} Uppföljning 2028" in there
    left = page_text(client.get(reverse("reporting:published-actions", args=["2.1"])))
    assert f"Elbilspool Miljönämnden ◐ pågående {moved} Uppföljning 2028" in left
    assert left.count("Elbilspool") == 1  # not also as the earlier report told it

    single = page_text(client.get(reverse("reporting:published-action", args=[registered.pk])))
    area = FocusArea.objects.get(programme=next_contribution.cycle.programme, code="2.2")
    assert f"Fokusområde 2.2 {area.title}" in single
    assert "Insatser för 2.2" in single  # the trail leads to where it lives
    assert "◐ pågående · 2.1" in single  # as the first report told it
    assert f"◐ pågående · {moved}" in single

    api = reverse("api:action-list")
    [row] = [r for r in client.get(api).json()["results"] if r["title"] == "Elbilspool"]
    assert row["focus_area"] == "2.2"
    assert [r["title"] for r in client.get(api, {"focus_area": "2.2"}).json()["results"]] == [
        "Elbilspool"
    ]


def test_the_admin_never_deletes_an_entry_of_the_register(client, registered, administrator):
    """Every entry is what an approved contribution reported, and the published reports and
    the public register tell of it: the admin mends an entry but offers no deletion, and a
    deletion asked for by address is refused."""
    client.force_login(administrator)
    change = reverse("admin:reporting_initiative_change", args=[registered.pk])
    delete = reverse("admin:reporting_initiative_delete", args=[registered.pk])
    page = client.get(change)
    assert page.status_code == 200 and f'href="{delete}"' not in page.content.decode()
    listing = client.get(reverse("admin:reporting_initiative_changelist")).content.decode()
    assert 'value="delete_selected"' not in listing
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Initiative.objects.filter(pk=registered.pk).exists()
