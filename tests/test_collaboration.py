"""Samverkan: the other organisations a contribution's organisation worked with on the focus
area, the city's own chosen from the list and the others typed. One field of the content
(reporting/content.py), seen everywhere the content is: the form, the previous cycle's
hint, the diff, the review page, the report (chapter and Bilaga 2, PDF, HTML and Word),
the API and the exports."""

import csv
import datetime
import io
import json
import re

import lxml.html
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from programme.models import Organisation, Programme
from reporting import services
from reporting.content import SCHEMA, ContributionContent, Partner
from reporting.forms import MAX_PARTNER_NAME
from reporting.models import Contribution, Cycle, Report
from reporting.report.compile import report_publish, report_request
from reporting.report.data import report_data
from reporting.report.pdf import render_html
from reporting.resources import export_cycle
from reporting.selectors import approved_versions
from tests.factories import COMPLETE, draft_data, page_text, save, shown_in_section

pytestmark = pytest.mark.django_db

OUTSIDE = "Region Skåne"


def organisation(name):
    return Organisation.objects.get(name=name)


def partners(*names):
    """Collaboration as code writes it: the city's own by name, others as typed."""
    city = dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))
    return [{"name": name, "organisation_id": city.get(name)} for name in names]


form_data = draft_data  # what the contribution form sends: no action, saved as a draft


def submitted(contribution, approver, **fields):
    save(contribution, approver, **{**COMPLETE, **fields})
    return services.contribution_submit(contribution=contribution, by=approver)


def approved(contribution, approver, strategist, **fields):
    submitted(contribution, approver, **fields)
    services.contribution_approve(contribution=contribution, by=strategist)
    contribution.refresh_from_db()
    return contribution


def publish(cycle, strategist):
    """A published report built from the cycle's approved versions (no PDF rendered)."""
    report = Report(
        cycle=cycle,
        number=1,
        status=Report.Status.DONE,
        compiled_by=strategist,
        page_count=1,
        checksum="a" * 64,
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.save()
    latest = {}
    for version in approved_versions(cycle):
        latest.setdefault(version.contribution_id, version)
    report.built_from.set(latest.values())
    return report_publish(report=report, by=strategist, accept_gaps=True)


# The content and the services.


def test_saved_with_the_content_kept_in_each_version_and_not_needed_for_submitting(
    contribution_a, approver_a
):
    save(contribution_a, approver_a, collaboration=partners("Kulturnämnden", OUTSIDE))
    contribution_a.refresh_from_db()
    kultur = organisation("Kulturnämnden").pk
    assert contribution_a.collaboration == [
        {"name": "Kulturnämnden", "organisation_id": kultur},
        {"name": OUTSIDE, "organisation_id": None},
    ]
    data = contribution_a.versions.latest("number").data
    assert data["schema"] == SCHEMA == 3
    assert data["collaboration"] == contribution_a.collaboration
    content = ContributionContent.from_json(data)
    assert content.collaboration == [Partner("Kulturnämnden", kultur), Partner(OUTSIDE)]
    assert content == ContributionContent.of(contribution_a)

    # Not required: a complete contribution without it is submitted.
    save(contribution_a, approver_a, collaboration=[], **COMPLETE)
    contribution_a.refresh_from_db()
    assert ContributionContent.of(contribution_a).missing() == []
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.SUBMITTED


def test_versions_saved_before_collaboration_still_read_and_compare(
    client, contribution_a, reporter_a
):
    before = {"schema": 2, "done": "Gjort", "assessment": "positive", "attachments": []}
    old = ContributionContent.from_json(before)
    assert old.collaboration == [] and old.done == "Gjort"
    assert old.display("collaboration") == ""
    newer = old.replaced(collaboration=partners("Kulturnämnden", OUTSIDE))
    changes = {c["label"]: (c["old"], c["new"]) for c in old.diff(newer)}
    assert changes == {"samverkan": ("", f"Kulturnämnden\n{OUTSIDE}")}
    assert old.diff(old.replaced(done="Gjort")) == []

    # A version saved before the field, on the version page next to a newer one.
    save(contribution_a, reporter_a, done="Gjort")
    first = contribution_a.versions.get(number=1)
    first.data = {k: v for k, v in first.data.items() if k != "collaboration"} | {"schema": 2}
    first.save()
    save(contribution_a, reporter_a, done="Gjort", collaboration=partners(OUTSIDE))
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-version", args=[contribution_a.pk, 1])
    assert client.get(url).status_code == 200
    url = reverse("reporting:contribution-version", args=[contribution_a.pk, 2])
    response = client.get(url)
    assert response.context["changes"] == [{"label": "samverkan", "old": "", "new": OUTSIDE}]
    assert f"Samverkan {OUTSIDE}" in page_text(response)  # the content whole


# The form.


def test_the_form_offers_the_citys_organisations_but_its_own_and_keeps_what_is_typed(
    client, reporter_a, contribution_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk]) + "?samverkan=1"
    retired = Organisation.objects.create(name="Gamla nämnden", kind="nämnd", active=False)
    page = client.get(url)
    offered = dict(page.context["form"].fields["collaboration"].choices)
    assert "Kulturnämnden" in offered.values() and "Öresundskraft AB" in offered.values()
    assert "Miljönämnden" not in offered.values()  # the contribution's own
    assert retired.pk not in offered
    text = page_text(page)
    assert "Samverkan Andra organisationer som ni har samverkat med inom fokusområde 2.1:" in text
    assert "Kommunens egna organisationer" in text and "Organisationer utanför kommunen" in text

    kultur = organisation("Kulturnämnden").pk
    typed = f"{OUTSIDE}\r\n\r\n  Hyresgästföreningen <Nordväst> \r\n   \r\n"
    response = client.post(
        url, form_data(contribution_a, collaboration=[str(kultur)], collaboration_outside=typed)
    )
    assert response.status_code == 302
    contribution_a.refresh_from_db()
    # As typed (line endings made one kind); blank lines are not names.
    assert contribution_a.collaboration == [
        {"name": "Kulturnämnden", "organisation_id": kultur},
        {"name": OUTSIDE, "organisation_id": None},
        {"name": "  Hyresgästföreningen <Nordväst> ", "organisation_id": None},
    ]
    form = client.get(url).context["form"]
    assert form["collaboration"].value() == [kultur]
    assert form["collaboration_outside"].value() == (
        f"{OUTSIDE}\n  Hyresgästföreningen <Nordväst> "
    )

    # A retired organisation chosen before stays offered and chosen, so saving keeps it.
    contribution_a.collaboration = [{"name": "Gamla nämnden", "organisation_id": retired.pk}]
    contribution_a.save()
    form = client.get(url).context["form"]
    assert retired.pk in dict(form.fields["collaboration"].choices)
    assert form["collaboration"].value() == [retired.pk]
    # One that no longer exists is kept by name among the others.
    contribution_a.collaboration = [{"name": "Nedlagda bolaget", "organisation_id": 999_999}]
    contribution_a.save()
    form = client.get(url).context["form"]
    assert form["collaboration_outside"].value() == "Nedlagda bolaget"


def test_too_long_a_name_or_a_forged_choice_is_refused_and_nothing_is_cut(
    client, reporter_a, contribution_a, organisation_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk]) + "?samverkan=1"
    long_name = "Å" * (MAX_PARTNER_NAME + 1)
    typed = f"{OUTSIDE}\n{long_name}"
    response = client.post(url, form_data(contribution_a, collaboration_outside=typed))
    assert response.status_code == 200
    text = page_text(response)
    assert "Ingenting sparades. Rätta detta:" in text
    assert "Formuläret har fel" not in text  # said once, by the summary
    assert (
        "Organisationer utanför kommunen: Rad 2 har 301 tecken; ett namn får ha högst 300. "
        "Inget har kortats: korta namnet och spara igen."
    ) in text
    assert long_name in response.content.decode()  # what was typed is still there
    # Its own organisation cannot be posted as a partner.
    response = client.post(url, form_data(contribution_a, collaboration=[str(organisation_a.pk)]))
    assert response.status_code == 200 and "Ingenting sparades" in page_text(response)
    contribution_a.refresh_from_db()
    assert contribution_a.collaboration == [] and contribution_a.version == 0
    # Counted while typing like every text of the form, never cut by the browser.
    page = client.get(url).content.decode()
    assert 'name="collaboration_outside"' in page and " maxlength" not in page  # open
    assert re.search(r'name="collaboration_outside"[^>]*data-maxlength="5000"', page)


def test_a_section_of_its_own_opened_by_its_button_and_kept_while_closed(
    client, reporter_a, contribution_a
):
    """The form shows Samverkan closed (the partners saved, in words); its button saves
    the draft and opens the section; a save with it closed keeps the partners as saved."""
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    kultur = organisation("Kulturnämnden").pk
    page = client.get(url)
    assert "collaboration" not in page.context["form"].fields
    html = page.content.decode()
    assert 'name="collaboration"' not in html and 'name="collaboration_outside"' not in html
    assert "Ingen samverkan angiven. Ange samverkan" in page_text(page)

    # With an error nothing is saved, so nothing opens: the summary says to press it again.
    sent = form_data(contribution_a, not_relevant="on", edit_collaboration="1")
    refused = page_text(client.post(url, sent))
    assert "Ingenting sparades. Rätta detta:" in refused
    assert "Avsnittet du bad om öppnas när utkastet har sparats: rätta detta och tryck på " in (
        refused
    )
    response = client.post(url, form_data(contribution_a, done="Gjort", edit_collaboration="1"))
    assert response.status_code == 302
    assert response["Location"] == f"{url}?samverkan=1#collaboration"
    page = client.get(response["Location"])
    # The word that the draft is saved is where the page lands, in the section.
    saved_word = "Utkastet är sparat. Ändra samverkan nedan."
    assert shown_in_section(page.content.decode(), "collaboration", saved_word)
    # A page without that section shows such a word at its top: it is never lost.
    contribution_a.refresh_from_db()
    again = client.post(url, form_data(contribution_a, done="Gjort", edit_collaboration="1"))
    assert again.status_code == 302
    detail = reverse("reporting:contribution-detail", args=[contribution_a.pk])
    assert saved_word in page_text(client.get(detail))
    contribution_a.refresh_from_db()
    assert f'action="{url}?samverkan=1"' in page.content.decode()
    contribution_a.refresh_from_db()
    response = client.post(
        f"{url}?samverkan=1",
        form_data(contribution_a, done="Gjort", collaboration=[str(kultur)],
                  collaboration_outside=OUTSIDE),
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == url  # closed again
    contribution_a.refresh_from_db()
    saved = [
        {"name": "Kulturnämnden", "organisation_id": kultur},
        {"name": OUTSIDE, "organisation_id": None},
    ]
    assert contribution_a.collaboration == saved
    html = client.get(url).content.decode()
    listed = '<ul class="collaboration"><li><bdi>Kulturnämnden</bdi></li><li><bdi>Region Skåne'
    assert listed in html and "Ändra samverkan" in page_text(html)

    # Closed, a save keeps the partners; fields sent anyway (a forged POST) change nothing.
    sent = form_data(contribution_a, done="Gjort igen", collaboration=[], collaboration_outside="")
    response = client.post(url, sent)
    assert response.status_code == 302
    contribution_a.refresh_from_db()
    assert contribution_a.done == "Gjort igen" and contribution_a.collaboration == saved


def test_two_editors_see_both_versions_and_nothing_is_overwritten(
    client, reporter_a, approver_a, contribution_a
):
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk]) + "?samverkan=1"
    kultur = organisation("Kulturnämnden").pk
    client.force_login(approver_a)
    assert (
        client.post(url, form_data(contribution_a, collaboration=[str(kultur)])).status_code == 302
    )
    client.force_login(reporter_a)  # the form it opened said version 0
    response = client.post(url, form_data(contribution_a, collaboration_outside=OUTSIDE))
    assert response.status_code == 409
    conflict = {c["label"]: (c["old"], c["new"]) for c in response.context["conflict"]}
    assert conflict["samverkan"] == ("Kulturnämnden", OUTSIDE)
    # the two versions, what only mine has marked
    assert "Samverkan bara i den sparade: Kulturnämnden bara i din: Region Skåne" in page_text(
        response
    )
    assert response.context["form"]["collaboration_outside"].value() == OUTSIDE  # kept
    contribution_a.refresh_from_db()
    assert contribution_a.collaboration == [{"name": "Kulturnämnden", "organisation_id": kultur}]


def test_the_previous_cycles_answer_is_shown_beside_the_field(
    client, strategist, reporter_a, approver_a, contribution_a
):
    earlier = Cycle.objects.create(
        programme=Programme.objects.get(),
        title="Uppföljning 2024",
        first_year=2023,
        last_year=2024,
        opens_on=datetime.date(2024, 1, 15),
        due_on=datetime.date(2024, 3, 31),
    )
    services.cycle_open(cycle=earlier, by=strategist)
    before = earlier.contributions.get(
        organisation=contribution_a.organisation, focus_area__code="2.1"
    )
    submitted(before, approver_a, collaboration=partners("Kulturnämnden", OUTSIDE))
    client.force_login(reporter_a)
    page = client.get(reverse("reporting:contribution-edit", args=[contribution_a.pk]))
    html = page.content.decode()
    fieldset = html[
        html.index('id="collaboration"') : html.index(
            "</fieldset>", html.index('id="collaboration"')
        )
    ]
    assert "Ert svar i" in page_text(fieldset) and "Uppföljning 2024" in page_text(fieldset)
    assert "<li><bdi>Kulturnämnden</bdi></li><li><bdi>Region Skåne</bdi></li>" in fieldset


# Reading it.


def test_the_review_page_shows_it_and_what_changed_on_resubmission(
    client, strategist, approver_a, contribution_a
):
    submitted(contribution_a, approver_a, collaboration=partners("Kulturnämnden"))
    services.contribution_return(contribution=contribution_a, comment="Mer.", by=strategist)
    save(contribution_a, approver_a, **COMPLETE, collaboration=partners("Kulturnämnden", OUTSIDE))
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)
    response = client.get(reverse("reporting:contribution-review", args=[contribution_a.pk]))
    assert {c["label"]: c["new"] for c in response.context["changes"]} == {
        "samverkan": f"Kulturnämnden\n{OUTSIDE}"
    }
    text = page_text(response)
    assert "Samverkan Kulturnämnden Region Skåne" in text  # the content whole
    # the change, the added name marked (and read out as added)
    assert "Samverkan Kulturnämnden Kulturnämnden tillagt: Region Skåne" in text


def test_another_organisation_sees_nothing_of_it_before_it_is_handed_over(
    client, cycle, strategist, reporter_a, reporter_b, contribution_a, contribution_b
):
    secret = "Hemlig partner AB"
    save(contribution_a, reporter_a, collaboration=partners("Helsingborgshem AB", secret))
    # Naming an organisation as a partner gives it no access.
    client.force_login(reporter_b)
    for name in ("reporting:contribution-detail", "reporting:contribution-edit"):
        assert client.get(reverse(name, args=[contribution_a.pk])).status_code == 404
    for name in ("reporting:contribution-detail", "reporting:contribution-edit"):
        assert secret not in client.get(reverse(name, args=[contribution_b.pk])).content.decode()
    # The strategy department does not read a draft either: not on its page, not exported.
    client.force_login(strategist)
    page = client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk]))
    assert page.status_code == 200 and secret not in page.content.decode()
    assert secret not in export_cycle(cycle, "csv")
    # Nor does anybody through the open data before a report built from it is published.
    client.logout()
    assert secret not in client.get(reverse("api:report-list")).content.decode()


# The report, the API and the exports.


def test_the_report_has_it_in_the_chapter_and_in_bilaga_2_in_every_edition(
    cycle, strategist, approver_a, contribution_a, django_capture_on_commit_callbacks
):
    import docx

    approved(
        contribution_a, approver_a, strategist, collaboration=partners("Kulturnämnden", OUTSIDE)
    )
    html = render_html(report_data(cycle), edition=True)
    chapter = html[html.index('id="area-21"') : html.index('id="area-22"')]
    assert "<h3>Samverkan</h3>" in chapter
    assert (
        "<li><strong><bdi>Miljönämnden</bdi></strong>: <bdi>Kulturnämnden</bdi>, "
        "<bdi>Region Skåne</bdi></li>"
    ) in chapter
    appendix = html[html.index('id="appendix-2"') : html.index('id="appendix-3"')]
    assert (
        '<h4>Samverkan</h4><ul class="collaboration"><li><bdi>Kulturnämnden</bdi></li>'
        "<li><bdi>Region Skåne</bdi></li></ul>"
    ) in appendix
    # Areas nobody collaborated on say nothing of it.
    other = html[html.index('id="area-22"') : html.index('id="area-23"')]
    assert "Samverkan" not in other

    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(cycle=cycle, by=strategist)
    report.refresh_from_db()
    assert report.status == "done", report.error
    with report.pdf.open("rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Miljönämnden: Kulturnämnden, Region Skåne" in text.replace("\n", " ")
    assert text.count("Samverkan") == 2
    document = docx.Document(io.BytesIO(report.docx.read()))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs.count("Samverkan") == 2
    assert "Miljönämnden: Kulturnämnden, Region Skåne" in paragraphs
    assert "Region Skåne" in paragraphs  # a list item in Bilaga 2


def test_the_api_shows_and_describes_it(client, cycle, strategist, approver_a, contribution_a):
    approved(
        contribution_a, approver_a, strategist, collaboration=partners("Kulturnämnden", OUTSIDE)
    )
    report = publish(cycle, strategist)
    response = client.get(reverse("api:report-contributions", args=[report.pk]))
    (item,) = response.json()["results"]
    assert item["collaboration"] == [
        {"name": "Kulturnämnden", "organisation_id": organisation("Kulturnämnden").pk},
        {"name": OUTSIDE, "organisation_id": None},
    ]
    names = list(item)
    assert names.index("next_steps") + 1 == names.index("collaboration")
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("api:report-contributions-csv", args=[report.pk])
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert json.loads(rows[0]["collaboration"]) == item["collaboration"]

    schema = json.loads(client.get(reverse("api:openapi")).content)["components"]["schemas"]
    field = schema["Contribution"]["properties"]["collaboration"]
    assert field["items"] == {"$ref": "#/components/schemas/Partner"}
    assert field["description"].startswith("De andra organisationer som organisationen")
    partner = schema["Partner"]["properties"]
    assert partner["name"]["type"] == "string" and partner["name"]["description"]
    assert partner["organisation_id"]["nullable"] is True
    assert "/api/v1/organisations/" in partner["organisation_id"]["description"]


def test_the_export_has_a_samverkan_column(cycle, strategist, approver_a, contribution_a):
    import tablib

    submitted(contribution_a, approver_a, collaboration=partners("=1+2", "Kulturnämnden"))
    rows = list(csv.reader(io.StringIO(export_cycle(cycle, "csv"))))
    header = rows[0]
    assert header.index("samverkan") == header.index("nasta_steg") + 1
    row = next(r for r in rows if r[:2] == ["Miljönämnden", "2.1"])
    assert row[header.index("samverkan")] == "'=1+2\nKulturnämnden"  # never run as a formula
    others = [r for r in rows[1:] if r[:2] != ["Miljönämnden", "2.1"]]
    assert {r[header.index("samverkan")] for r in others} == {""}
    sheet = tablib.Dataset().load(io.BytesIO(export_cycle(cycle, "xlsx")), format="xlsx")
    cells = [
        r for r in sheet.dict if r["fokusomrade"] == "2.1" and r["organisation"] == "Miljönämnden"
    ]
    assert cells[0]["samverkan"] == "'=1+2\nKulturnämnden"


def test_the_demo_gives_only_its_own_contributions_an_example(settings, contribution_a, reporter_a):
    settings.DEBUG = True
    save(contribution_a, reporter_a, done="Inte demo")
    call_command("load_demo", stdout=io.StringIO())
    demo = [c for c in Contribution.objects.filter(cycle__is_demo=True) if c.collaboration]
    assert len(demo) == 3
    for contribution in demo:
        for partner in contribution.collaboration:
            # The city's own by their real names; others marked as demo.
            assert partner["organisation_id"] or partner["name"].startswith("(Demo) ")
    contribution_a.refresh_from_db()
    assert contribution_a.collaboration == []


def test_a_partner_not_offered_is_said_beside_the_boxes(client, reporter_a, contribution_a):
    """A forged or outdated choice: nothing saved, and the error stands under the boxes
    (not only in the page's summary), as crispy shows a field's error."""
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk]) + "?samverkan=1"
    data = form_data(contribution_a, collaboration=["999999"])
    response = client.post(url, data)
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    (error,) = page.xpath('//fieldset[@id="collaboration"]//*[@id="error_1_id_collaboration"]')
    assert "999999 finns inte bland tillgängliga alternativ" in error.text_content()
    contribution_a.refresh_from_db()
    assert contribution_a.collaboration == []
