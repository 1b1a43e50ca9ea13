"""The chapters carry what the organisations reported (issue 21.1) and the overview counts it
(issue 21.4): who was asked and how each request stands, the organisations' own assessments
and actions, each pointing to the whole contribution in Bilaga 2, with its page in print."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from programme.models import Direction
from reporting.report import pdf
from reporting.report.compile import synthesis_save
from reporting.report.data import report_data
from reporting.services import contribution_return, contribution_submit
from tests.factories import fill, new_cycle, page_text

pytestmark = pytest.mark.django_db


def words(html: str) -> str:
    """The page's text without the spaces page_text leaves inside brackets and before commas."""
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([,)])", r"\1", page_text(html)))


def section(html: str, kind: str, labelled_by: str) -> str:
    found = re.search(
        rf'<section class="{kind}" aria-labelledby="{labelled_by}">.*?</section>', html, re.S
    )
    return found.group(0)


def area_section(html: str, code: str) -> str:
    return section(html, "area", f"area-{code}")


@pytest.fixture
def reported(approved, contribution_b, reporter_b, cycle, strategist):
    """2.1: organisation A approved (positive, an ongoing action), B handed over, the
    strategist's analysis written; nobody is asked about 5.3 any more."""
    synthesis_save(
        cycle=cycle,
        focus_area=approved.focus_area,
        analysis="Klimatarbetet går framåt.",
        assessment="positive",
        highlighted=[],
        by=strategist,
    )
    fill(contribution_b, reporter_b)
    contribution_submit(contribution=contribution_b, by=reporter_b)
    cycle.contributions.filter(focus_area__code="5.3").update(withdrawn=True)
    return cycle


def test_a_chapter_says_who_was_asked_what_they_assessed_and_did_before_the_analysis(
    reported, approved, contribution_b
):
    html = pdf.render_html(report_data(reported))
    section = area_section(html, "21")
    text = words(section)
    a, b = approved.organisation.name, contribution_b.organisation.name
    asked = reported.contributions.filter(focus_area__code="2.1", withdrawn=False).count()
    said = (
        f"Vad organisationerna rapporterade 1 av {asked} förfrågningar är besvarade och godkända."
    )
    assert said in text
    assert f"Godkänt: {a}" in text
    assert re.search(rf"Inlämnat, inte godkänt: [^:]*{b}", text)
    assert "Inte besvarat: " in text
    # The own assessment in words (the symbol is for the eye, hidden from screen readers).
    row = re.search(rf"<tr>(?:(?!</tr>).)*{a}(?:(?!</tr>).)*</tr>", section, re.S).group(0)
    assert '<span aria-hidden="true">▲</span> Positiv utveckling' in row
    assert f'href="#contribution-{approved.pk}"' in row
    # The action with its organisation and status, pointing to the contribution.
    # In the first follow-up there is no earlier one for it to be new since.
    assert (
        "Insatserna följs upp Läge Insats Organisation Bidrag "
        f"Pågående Elbilspool i hemtjänsten {a} Bilaga 2"
    ) in text
    assert "Ny sedan förra uppföljningen" not in text
    # Before the strategist's analysis; B's unapproved text is nowhere in the chapter.
    assert text.index("Vad organisationerna rapporterade") < text.index("Analys")
    assert f'id="contribution-{approved.pk}"' in html  # the target, in Bilaga 2
    assert f'id="contribution-{contribution_b.pk}"' not in html


def test_an_action_is_new_since_the_last_follow_up_once_there_was_one(reported, approved):
    new_cycle(title="Uppföljning 2024", opens_on=datetime.date(2024, 1, 1), state="closed")
    text = words(area_section(pdf.render_html(report_data(reported)), "21"))
    a = approved.organisation.name
    assert f"Ny sedan förra uppföljningen (pågående) Elbilspool i hemtjänsten {a}" in text


def test_a_returned_contribution_is_counted_as_being_corrected_not_as_handed_over(
    reported, contribution_b, strategist
):
    """As the cycle's pages count it: the organisation has it back to correct."""
    contribution_return(contribution=contribution_b, comment="Komplettera.", by=strategist)
    html = pdf.render_html(report_data(reported))
    text = words(area_section(html, "21"))
    b = contribution_b.organisation.name
    assert re.search(rf"Återsänt för rättelse, inte inlämnat igen: [^:]*{b}", text)
    assert "Inlämnat, inte godkänt" not in text
    assert "↺ återsänt för rättelse, inte inlämnat igen" in page_text(html)  # Bilaga 3's key


def test_a_focus_area_nobody_was_asked_about_says_so_in_one_line(reported):
    text = page_text(area_section(pdf.render_html(report_data(reported)), "53"))
    assert "Ingen organisation tillfrågades om fokusområde 5.3 i den här uppföljningen." in text
    assert "Organisationernas egna bedömningar" not in text


def test_in_print_each_reference_is_a_link_with_the_page_of_the_contribution(
    reported, approved, settings
):
    settings.SHOW_DEMO_BANNER = False
    rendered = pdf.write_pdf(pdf.render_html(report_data(reported)))
    reader = PdfReader(io.BytesIO(rendered.content))
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    target = next(
        number
        for number, text in enumerate(texts, 1)
        if "Bilaga 2 Organisationernas bidrag" in text
        and approved.organisation.name in text
        and "Elbilspool" in text
    )
    chapter = next(n for n, t in enumerate(texts, 1) if "Vad organisationerna rapporterade" in t)
    assert chapter < target
    assert f"Bilaga 2, sida {target}" in texts[chapter - 1]
    # The reference is a link inside the document to that page.
    destinations = {
        name: reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }
    assert destinations[f"contribution-{approved.pk}"] == target
    links = [
        annotation.get_object()
        for annotation in reader.pages[chapter - 1].get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert any(
        str(link.get("/A", {}).get("/D", link.get("/Dest", ""))) == f"contribution-{approved.pk}"
        for link in links
    ), links


def test_a_direction_without_focus_areas_is_not_an_empty_chapter(reported):
    programme = reported.programme
    Direction.objects.create(programme=programme, number=99, title="Ett gott styre")
    html = pdf.render_html(report_data(reported))
    chapter = page_text(section(html, "chapter", "direction-99"))
    assert "Programmet ger inte viljeinriktning 99 några egna fokusområden" in chapter
    assert "<ol></ol>" not in html


def test_the_overview_counts_answers_and_own_assessments_in_words_per_direction(reported):
    html = pdf.render_html(report_data(reported))
    overview = re.search(r'<table class="overview">.*?</table>', html, re.S).group(0)
    directions = re.findall(r'<th scope="colgroup" colspan="5" class="direction">', overview)
    assert len(directions) == Direction.objects.count() == 4
    row = re.search(r'<tr><th scope="row">2\.1 .*?</tr>', overview, re.S).group(0)
    asked = reported.contributions.filter(focus_area__code="2.1", withdrawn=False).count()
    assert f"1 av {asked}" in page_text(row)
    assert "Positiv utveckling: 1" in page_text(row)  # in words, not by colour
    row = re.search(r'<tr><th scope="row">5\.3 .*?</tr>', overview, re.S).group(0)
    assert "ingen tillfrågad" in page_text(row)
    assert "inget godkänt bidrag" in page_text(row)


def test_the_introduction_says_on_what_ground_organisations_were_asked(
    cycle, organisation_a, strategist
):
    """Where no responsibilities were set everyone was asked about everything: the report
    says so, not that each was asked about the focus areas it answers for."""
    from programme.models import Responsibility

    def asked():
        text = words(pdf.render_html(report_data(cycle)))
        return re.search(r"ställde .*? att besvaras senast", text).group(0)

    assert "var och en om varje fokusområde," in asked()
    assert "ansvarar för" not in asked()
    cycle.contributions.filter(focus_area__code="5.3").update(withdrawn=True)
    assert "en per fokusområde som organisationen tillfrågades om," in asked()
    cycle.contributions.exclude(organisation=organisation_a, focus_area__code="2.1").update(
        withdrawn=True
    )
    Responsibility.objects.create(
        organisation=organisation_a,
        focus_area_id=cycle.contributions.get(
            organisation=organisation_a, focus_area__code="2.1"
        ).focus_area_id,
    )
    assert "en per fokusområde som var och en ansvarar för," in asked()
