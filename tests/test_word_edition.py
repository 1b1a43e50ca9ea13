"""The Word file to build a tjänsteskrivelse on (issue 21.6): A4 with the PDF's margins,
the title in the header, "Sida X av Y" and the DEMO mark in the footer, Word's own table of
contents and heading styles, the logo on the cover; and LibreOffice opens it."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from tests.factories import compile_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def word(cycle, strategist, approved, django_capture_on_commit_callbacks, settings, tmp_path):
    from PIL import Image

    logo = tmp_path / "static" / "img" / "logo.png"
    logo.parent.mkdir(parents=True)
    Image.new("RGB", (120, 40), "navy").save(logo)
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(tmp_path / "static")]
    settings.REPORT_LOGO = "img/logo.png"
    cycle.is_demo = True
    cycle.save()
    # Values for one indicator, so that the report draws its chart.
    from programme.models import Indicator, IndicatorValue, Municipality

    helsingborg = Municipality.objects.get(code="1283")
    for year, value in [(2022, 30), (2024, 33), (2026, 35)]:
        IndicatorValue.objects.create(
            indicator=Indicator.objects.get(external_id="N45925"),
            municipality=helsingborg, year=year, gender="T", value=value,
        )  # fmt: skip
    # A target, and every municipality's value in the latest year (issue 23).
    from programme.models import IndicatorTarget, KpiYear

    IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(external_id="N45925"), year=2030, value=40,
        direction=IndicatorTarget.Direction.AT_LEAST,
    )  # fmt: skip
    KpiYear.objects.create(
        kpi="N45925", year=2026, values={"1283": "35", "0114": "20", "0115": "50", "0000": "30"}
    )
    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    assert report.status == "done", report.error
    return report.docx.read()


def fields(part_element) -> list[str]:
    return [" ".join(t.text.split()) for t in part_element.iter(qn("w:instrText"))]


def test_the_word_file_has_the_pages_of_a_council_document(word):
    document = docx.Document(io.BytesIO(word))
    section = document.sections[0]
    page = [section.page_width, section.page_height]
    margins = [section.top_margin, section.right_margin, section.bottom_margin, section.left_margin]
    assert [round(length.mm) for length in page] == [210, 297]  # A4
    assert [round(length.mm) for length in margins] == [22, 20, 22, 22]  # as the PDF's
    assert (
        section.header.paragraphs[0].text
        == "Livskvalitetsprogrammet 2025–2027: Uppföljning 2026 (demo)"
    )
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("DEMO – påhittade uppgifter")
    assert "Sida" in footer.text and " av " in footer.text
    assert fields(footer._p) == ["PAGE", "NUMPAGES"]
    body_fields = fields(document.element.body)
    assert body_fields == ['TOC \\o "1-2" \\h \\z \\u']
    # Until Word fills it in again, the table of contents lists the chapters, each a link
    # to its heading's bookmark (LibreOffice and Word on the web show it as it is).
    contents = [p for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert contents[0].text == "Inledning" and "Översikt" in [p.text for p in contents]
    assert contents[-1].text == "Bilaga 3 Svarsfrekvens"
    bookmarks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    linked = {
        p.text: [link.get(qn("w:anchor")) for link in p._p.iter(qn("w:hyperlink"))]
        for p in contents
    }
    for chapter in ["Inledning", "Översikt", "Bilaga 3 Svarsfrekvens"]:
        assert len(linked[chapter]) == 1 and linked[chapter][0] in bookmarks, chapter
    assert document.settings.element.find(qn("w:updateFields")) is not None
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Inledning", "Översikt"] and "Bilaga 3 Svarsfrekvens" in headings
    # The cover's title is the document's title, not a chapter.
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == ["Livskvalitetsprogrammet 2025–2027"]
    assert document.styles["Heading 1"].paragraph_format.page_break_before
    assert document.inline_shapes[0].height == Mm(25)  # the logo, on the cover


def test_charts_are_images_with_their_alternative_text_beside_their_tables(word):
    from programme.models import Indicator

    document = docx.Document(io.BytesIO(word))
    charts = list(document.inline_shapes)[1:]  # after the logo
    assert len(charts) == 1  # the one indicator with values
    title = Indicator.objects.get(external_id="N45925").title
    described = charts[0]._inline.docPr.get("descr")
    assert described.startswith(f"{title}. ") and "35,0 år 2026" in described, described
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "År"]
    years = [row.cells[0].text for row in tables[0].rows] if tables else []
    assert years[-2:] == ["2026", "2030"]  # its values, beside it, and the target's year
    png = document.part.related_parts[charts[0]._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert png.content_type == "image/png" and len(png.blob) > 2000


def test_libreoffice_opens_the_word_file_and_prints_its_chapters(word, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is missing: CI installs libreoffice-writer-nogui.")
        pytest.skip("Install Debian's libreoffice-writer-nogui to convert the Word file.")
    source = tmp_path / "report.docx"
    source.write_bytes(word)
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    reader = PdfReader(Path(tmp_path / "report.pdf"))
    assert 10 <= len(reader.pages) <= 60
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for heading in ["Inledning", "Översikt", "2.1 Minimera klimatpåverkan", "Bilaga 2"]:
        assert heading in text, heading
    first = " ".join(reader.pages[1].extract_text().split())
    assert "Sida 2 av" in first and "DEMO" in first
    assert "Innehåll" in first and "2.1 Minimera klimatpåverkan" in first  # the contents
    # Bilaga 3's organisations and the overview's focus areas are not broken inside a
    # word: their columns are as wide as their longest words, and Bilaga 3 is one page.
    document = docx.Document(io.BytesIO(word))
    overview, response = document.tables[0], document.tables[-1]
    names = [row.cells[0].text for row in response.rows[1:]]
    areas = [row.cells[0].text for row in overview.rows[1:] if len(set(row.cells)) > 1]
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    table = " ".join(page for page in pages if "Per fokusområde:" in page)  # the overview's
    assert names and areas and table
    for word in {word for area in areas for word in area.split()}:
        assert word in table, word
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Bilaga 3 Svarsfrekvens" in last and all(name in last for name in names)


def test_each_indicator_says_its_target_and_comparison_in_words(word):
    text = " ".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs)
    assert "Mål: minst 40,0 % år 2030" in " ".join(text.split())
    assert "Inte i takt med målet" in text  # 35 in 2026; the path from 33 in 2024 passes 35.3
    assert "plats 2 av 3 kommuner med ett värde, bättre än 1 av de 2 andra" in text
    assert "Riket: 30,0." in text
    assert "Mål: en rät linje dras" in text and "Jämförelse: det senaste året" in text


def test_the_document_defaults_name_one_language():
    """The template's defaults say en-US; a second w:lang after it is not valid OOXML."""
    from reporting.report.word import write_docx

    document = docx.Document(io.BytesIO(write_docx("<p>Text</p>", title="T", author="A")))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    langs = list(defaults.iter(qn("w:lang")))
    assert [lang.get(qn("w:val")) for lang in langs] == ["sv-SE"]


def test_the_files_properties_are_the_reports_not_python_docxs(word, cycle):
    """Title, author and language as the report says them, created and modified when the
    version was compiled; nothing of python-docx's template (its description, its date in
    2013, "Microsoft Macintosh Word", its blank thumbnail)."""
    import datetime
    import zipfile

    from reporting.models import Report

    report = Report.objects.get(cycle=cycle)
    properties = docx.Document(io.BytesIO(word)).core_properties
    assert properties.title == "Livskvalitetsprogrammet 2025–2027: Uppföljning 2026 (demo)"
    assert properties.author == cycle.programme.owner.name
    assert properties.language == "sv-SE"
    assert properties.comments == properties.keywords == ""
    # Its subject is the PDF's (a file list or a search shows it): what the document is.
    with report.pdf.open("rb") as file:
        pdf_subject = PdfReader(file).metadata["/Subject"]
    assert properties.subject == pdf_subject == "Rapport till kommunfullmäktige"
    started = report.created_at.replace(microsecond=0)
    for when in (properties.created, properties.modified):
        when = when.replace(tzinfo=datetime.UTC)
        assert started <= when <= report.finished_at, (when, started, report.finished_at)
    files = zipfile.ZipFile(io.BytesIO(word))
    assert "thumbnail" not in files.read("_rels/.rels").decode()
    app = files.read("docProps/app.xml").decode()
    assert "<Application>Livskvalitet</Application>" in app and "Microsoft" not in app
    assert "python-docx" not in files.read("docProps/core.xml").decode()


def test_a_cells_lines_stay_lines():
    """The overview's trends and assessments are one line each (<br> in the HTML), and an
    action's note on where it stands is a line below its title, as in print."""
    from reporting.report.word import write_docx

    html = (
        "<table><tr><td>Bättre: 1<br>Oförändrade: 1<br>Kan inte bedömas: 2</td>"
        '<th>Solceller<span class="follow-up-note">Klart 2027</span></th></tr></table>'
    )
    document = docx.Document(io.BytesIO(write_docx(html, title="T", author="A")))
    trends, action = document.tables[0].rows[0].cells
    assert trends.text == "Bättre: 1\nOförändrade: 1\nKan inte bedömas: 2"
    assert len(list(trends._tc.iter(qn("w:br")))) == 2
    assert action.text == "Solceller\nKlart 2027"


def test_a_reference_names_the_contribution_and_links_to_it_in_bilaga_2(word):
    """'Bidrag' says 'Bilaga 2, bidrag N' as the footnotes do (the PDF's page number has
    no place in Word), linked to a bookmark on that contribution's heading in Bilaga 2."""
    document = docx.Document(io.BytesIO(word))
    body = document.element.body
    bookmarks = {
        mark.get(qn("w:name")): " ".join(t.text for t in mark.getparent().iter(qn("w:t")) if t.text)
        for mark in body.iter(qn("w:bookmarkStart"))
        if mark.get(qn("w:name")).startswith("contribution_")
    }
    references = [
        table.rows[1].cells[-1]
        for table in document.tables
        if table.rows[0].cells[-1].text == "Bidrag" and len(table.rows) > 1
    ]
    assert references
    for cell in references:
        links = list(cell._tc.iter(qn("w:hyperlink")))
        assert len(links) == 1
        number = cell.text.removeprefix("Bilaga 2, bidrag ")
        assert number.isdigit(), cell.text
        heading = bookmarks[links[0].get(qn("w:anchor"))]
        assert heading.startswith(f"[{number}] "), (cell.text, heading)
    assert "Bilaga 2, bidrag" in document.element.body.xml  # not only "Bilaga 2"
    assert not [c for c in references if c.text == "Bilaga 2"]


def test_an_excerpts_reference_names_the_contribution():
    from reporting.report.word import write_docx

    html = (
        '<ul class="excerpts"><li>”Utsläppen minskade” (Miljönämnden) – <a class="ref" '
        'href="#contribution-7" data-page="sida" data-reference="Bilaga 2, bidrag 3">'
        "Bilaga 2</a></li></ul><h2>Miljönämnden</h2>"
        '<h3 id="contribution-7">[3] 2.1 Minimera klimatpåverkan</h3><h3 id="x">Ingen länk</h3>'
    )
    document = docx.Document(io.BytesIO(write_docx(html, title="T", author="A")))
    excerpt = document.paragraphs[0]
    assert excerpt.text == "”Utsläppen minskade” (Miljönämnden) – Bilaga 2, bidrag 3"
    [link] = excerpt._p.iter(qn("w:hyperlink"))
    assert link.get(qn("w:anchor")) == "contribution_7"
    marks = [m.get(qn("w:name")) for m in document.element.body.iter(qn("w:bookmarkStart"))]
    assert marks == ["contribution_7"]  # only where a link leads


def test_a_tables_columns_are_as_wide_as_their_words(word):
    """Not every column the same width (680 twips for Bilaga 3's 14): the organisation
    column is wider than the focus areas' marks, the overview's focus areas wider than its
    counts, a direction's row spans the overview, and each table is as wide as the text."""
    document = docx.Document(io.BytesIO(word))
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    overview, response = document.tables[0], document.tables[-1]
    assert response.rows[0].cells[0].text == "Organisation" and len(response.columns) > 5
    for table in document.tables:
        widths = [column.width for column in table.columns]
        assert abs(sum(widths) - text_width) < Mm(1), widths
    organisations, *marks = [column.width for column in response.columns]
    assert organisations > 3 * max(marks)
    area, answered, *_rest = [column.width for column in overview.columns]
    assert area > answered
    direction = overview.rows[1].cells
    assert len(set(direction)) == 1 and direction[0].text.startswith("2. ")
