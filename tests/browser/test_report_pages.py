"""The report's pages in a real browser: synthesis, preview, compile, publish, read."""

import re

import docx
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.pages import follow
from tests.factories import COMPILE_TIMEOUT_MS, fill, footnotes_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_strategist_writes_synthesis_previews_compiles_and_publishes(
    logged_in,
    new_page,
    check_accessibility,
    cycle,
    approver_a,
    strategist,
    reporter_b,
    settings,
    tmp_path,
):
    from reporting.models import Report
    from reporting.services import contribution_approve, contribution_submit

    settings.MEDIA_ROOT = tmp_path
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    fill(contribution, approver_a)
    contribution_submit(contribution=contribution, by=approver_a)
    contribution_approve(contribution=contribution, by=strategist)

    page = logged_in("strategist")
    page.goto(f"/uppfoljningar/{cycle.pk}/syntes/")
    check_accessibility(page)
    page.get_by_role("link", name="2.1 Minimera klimatpåverkan och resursanvändningen").click()
    # Two citations of the approved contribution, inserted by the picker (issue 21.2).
    analysis = page.get_by_label("Analys")
    analysis.fill("Klimatarbetet går framåt.")
    page.get_by_role("button", name="Infoga hänvisningen i texten").click()
    analysis.press("End")
    analysis.type("\n\nUtsläppen minskar enligt nämnden.")
    page.get_by_role("button", name="Infoga hänvisningen i texten").click()
    expect(analysis).to_have_value(
        f"Klimatarbetet går framåt. [#{contribution.pk}]\n\n"
        f"Utsläppen minskar enligt nämnden. [#{contribution.pk}]"
    )
    page.get_by_label("Positiv utveckling").check()
    check_accessibility(page)
    page.get_by_role("button", name="Spara syntesen").click()
    expect(page.get_by_text("Syntesen är sparad.")).to_be_visible()

    page.goto(f"/uppfoljningar/{cycle.pk}/rapport/forhandsgranskning/")
    expect(page.get_by_text("Klimatarbetet går framåt.")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "sv"
    check_accessibility(page)

    page.goto(f"/uppfoljningar/{cycle.pk}/rapport/")
    page.get_by_role("button", name="Sammanställ en ny version (PDF)").click(
        timeout=COMPILE_TIMEOUT_MS
    )
    expect(page.get_by_role("link", name="Version 1 (PDF)")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Publicera version 1").click()
    expect(page.get_by_role("heading", name="Publicera version 1")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Jag har läst vad den här versionen innehåller och saknar").check()
    page.get_by_label("Jag godtar det som saknas enligt listan ovan, också att bidrag").check()
    page.get_by_role("button", name="Publicera").click()
    expect(page.get_by_text("Version 1 är publicerad.")).to_be_visible()
    report = Report.objects.get()
    assert report.published
    # Both citations in all three editions: in print with the page in Bilaga 2, in the
    # HTML edition as links to the published contribution, in Word as the number.
    pdf_text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(report.pdf.open("rb")).pages
    )
    assert re.search(r"Klimatarbetet går framåt\. \[1\] sida \d+", pdf_text)
    assert re.search(r"Utsläppen minskar enligt nämnden\. \[1\] sida \d+", pdf_text)
    assert (
        report.html_edition.open("rb").read().decode().count('<a class="cite" href="/rapporter/')
        == 2
    )
    word = docx.Document(report.docx.open("rb"))
    assert (
        footnotes_of(word)
        == ["Bilaga 2, bidrag 1: Miljönämnden, 2.1 Minimera klimatpåverkan och resursanvändningen"]
        * 2
    )

    reader = logged_in("reporter_b")
    follow(reader.get_by_role("link", name="Rapporter"))
    check_accessibility(reader)
    reader.get_by_role("link", name="Uppföljning 2026").first.click()
    expect(reader.get_by_role("heading", name="Bidragen som rapporten bygger på")).to_be_visible()
    check_accessibility(reader)
    link = reader.get_by_role("link", name="PDF", exact=True)
    response = reader.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:4] == b"%PDF"

    # The HTML edition of the published version: public, and accessible.
    visitor = new_page()
    visitor.goto("/rapporter/")
    visitor.get_by_role("link", name="Läs på webben (HTML)").click()
    expect(visitor.get_by_role("heading", name="Bilaga 3 Svarsfrekvens")).to_be_visible()
    expect(visitor.get_by_text("Klimatarbetet går framåt.")).to_be_visible()
    check_accessibility(visitor)
    visitor.get_by_text("Klimatarbetet går framåt.").get_by_role("link", name="[1]").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("2.1 Minimera")
    expect(visitor).to_have_url(re.compile(r"/rapporter/\d+/1/bidrag/\d+/$"))
    visitor.go_back()
    # What the organisations reported leads to the whole contribution in Bilaga 2 (issue 21).
    visitor.locator('section[aria-labelledby="area-21"] table.reported').get_by_role(
        "link", name="Bilaga 2"
    ).click()
    expect(visitor).to_have_url(re.compile(rf"#contribution-{contribution.pk}$"))
    expect(visitor.locator(f"#contribution-{contribution.pk}")).to_be_in_viewport()
    visitor.screenshot(path=str(tmp_path / "edition.png"))


def test_the_public_reads_published_reports_without_logging_in(
    page, check_accessibility, programme_data
):
    page.goto("/rapporter/")
    expect(page.get_by_role("heading", name="Publicerade rapporter")).to_be_visible()
    expect(page.get_by_text("Ingen rapport har publicerats ännu.")).to_be_visible()
    check_accessibility(page)


def test_strategist_writes_the_reports_own_texts(logged_in, check_accessibility, cycle, strategist):
    from reporting.models import ReportText

    page = logged_in("strategist")
    page.goto(f"/uppfoljningar/{cycle.pk}/rapport/texter/")
    check_accessibility(page)
    follow(page.get_by_role("link", name="Sammanfattning"))
    check_accessibility(page)
    typed = "Arbetet går framåt.\n\n- Klimat\n- Trygghet"
    page.get_by_label("Text", exact=True).fill(typed)
    page.get_by_label("Texten är klar för rapporten").check()
    page.get_by_role("button", name="Spara texten").click()
    expect(page.get_by_text("Texten är sparad.")).to_be_visible()
    row = page.get_by_role("row", name="Sammanfattning")
    expect(row.get_by_role("cell").nth(0)).to_have_text("✔ klar")
    assert (
        ReportText.objects.get(part="summary").text == "Arbetet går framåt.\n\n- Klimat\n- Trygghet"
    )
    page.goto(f"/uppfoljningar/{cycle.pk}/rapport/forhandsgranskning/")
    expect(page.get_by_role("heading", name="Innan du sammanställer")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Klimat").first).to_be_visible()
    check_accessibility(page)


def test_strategist_enters_the_follow_up_of_a_linked_plan(
    logged_in, check_accessibility, programme_data, strategist
):
    from programme.models import DocumentFollowUp

    page = logged_in("strategist")
    page.goto("/styrdokument/")
    check_accessibility(page)
    follow(
        page.get_by_role("row", name="Dagvattenplan 2023").get_by_role(
            "link", name="Lägg in en uppföljning"
        )
    )
    check_accessibility(page)
    page.get_by_label("Uppföljningens datum").fill("2026-06-30")
    page.get_by_label("Kort sammanfattning").fill("Åtgärderna följer planen.")
    page.get_by_role("button", name="Spara uppföljningen").click()
    expect(page.get_by_text("Uppföljningen är sparad.")).to_be_visible()
    follow_up = DocumentFollowUp.objects.get()
    assert follow_up.document.title == "Dagvattenplan 2023"
    assert follow_up.entered_by == strategist
    row = page.get_by_role("row", name="Dagvattenplan 2023")
    assert "30 juni 2026" in row.inner_text()
