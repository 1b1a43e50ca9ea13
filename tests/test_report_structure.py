"""The report a city council receives: its structure, the strategists' own texts, and
nothing internal in print."""

import io
import logging
import re

import pytest
import weasyprint
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from programme.models import Commitment, Direction, FocusArea
from reporting.models import ReportText
from reporting.report import pdf
from reporting.report.compile import TextChangedMeanwhile, report_request, report_text_save
from reporting.report.data import report_data
from reporting.services import WorkflowError
from tests.factories import page_text, write_report_text

pytestmark = pytest.mark.django_db

INTERNAL = [
    "Att bekräfta",
    "Samma siffror finns i tabellen nedan",
    "Innan du sammanställer",
    "Inga värden har lästs in",
    "Programmet anger inte",
    "Ingen analys är skriven",
    "Inte skriven:",
]


def compiled(cycle, strategist, django_capture_on_commit_callbacks) -> PdfReader:
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(cycle=cycle, by=strategist)
    report.refresh_from_db()
    assert report.status == "done", report.error
    with report.pdf.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def text_of(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def written(cycle, strategist):
    write_report_text(
        cycle, strategist, "sammanfattning", "Arbetet går framåt inom de flesta områden."
    )
    write_report_text(cycle, strategist, "inledning", "Rapporten beskriver hur programmet följs.")
    write_report_text(
        cycle, strategist, "viljeinriktning-2", "Klimatet är stadens största utmaning."
    )
    write_report_text(cycle, strategist, "fortsatt-arbete", "Nästa uppföljning sker 2029.")
    return cycle


def test_the_sections_come_in_the_order_of_a_council_follow_up_report(
    written, strategist, settings, django_capture_on_commit_callbacks
):
    settings.SHOW_DEMO_BANNER = False
    reader = compiled(written, strategist, django_capture_on_commit_callbacks)
    body = "\n".join(page.extract_text() for page in reader.pages[2:])  # after the contents
    order = [
        "Sammanfattning",
        "Arbetet går framåt inom de flesta områden.",
        "Inledning",
        "Rapporten beskriver hur programmet följs.",
        "Vad som efterfrågades, av vem och när",
        "Metod och källor",
        "Översikt",
        "2. Vi vill ha ett långsiktigt ansvarstagande",
        "Klimatet är stadens största utmaning.",
        "2.1 Minimera klimatpåverkan och resursanvändningen",
        "5.3 Skapa goda uppväxtvillkor för alla barn\nVad organisationerna rapporterade",
        "Fortsatt arbete",
        "Nästa uppföljning sker 2029.",
        "Bilaga 1 Strategiska samarbeten, nätverk och åtaganden",
        "Bilaga 2 Organisationernas bidrag",
        "Bilaga 3 Svarsfrekvens",
    ]
    positions = [body.find(text) for text in order]
    assert -1 not in positions, [t for t, p in zip(order, positions, strict=True) if p == -1]
    assert positions == sorted(positions)

    # Every chapter is a bookmark.
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    expected = ["Sammanfattning", "Inledning", "Översikt"]
    expected += [f"{d.number}. {d.title}" for d in Direction.objects.order_by("number")]
    expected += [
        "Fortsatt arbete",
        "Bilaga 1 Strategiska samarbeten, nätverk och åtaganden",
        "Bilaga 2 Organisationernas bidrag",
        "Bilaga 3 Svarsfrekvens",
    ]
    assert outline == expected
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]) == "sv" and "/StructTreeRoot" in root

    # The introduction says what was asked, of whom, when, and how many answered.
    introduction = body[body.find("Vad som efterfrågades") : body.find("Översikt")]
    assert "208 förfrågningar till 16 nämnder och bolag" in " ".join(introduction.split())
    assert "0 av 208 förfrågningar besvarades och godkändes (0 %)" in " ".join(introduction.split())
    rule = "Trend: det senaste värdet för Helsingborg jämfört med värdet basåret 2024"
    assert rule in " ".join(introduction.split())


def test_the_overview_has_one_row_per_focus_area_and_bilaga_1_every_commitment(cycle):
    html = pdf.render_html(report_data(cycle))
    overview = re.search(r'<table class="overview">.*?</table>', html, re.S).group(0)
    rows = re.findall(r'<tr><th scope="row">.*?</tr>', overview, re.S)
    assert len(rows) == FocusArea.objects.count() == 13
    assert all("inte bedömt" in page_text(row) for row in rows)  # no synthesis written
    commitments = re.search(r'<ol class="commitments">(.*?)</ol>', html, re.S).group(1)
    assert commitments.count("<li>") == Commitment.objects.count() == 24
    for commitment in Commitment.objects.all():
        assert commitment.title in page_text(commitments)


def test_bilaga_1_says_so_in_one_line_when_the_programme_names_no_commitment(cycle):
    """Not a heading and a lead over nothing. Bilaga 1 stays, so that Bilaga 2 and 3, which
    the chapters, citations and footnotes name by number, keep their numbers."""
    cycle.programme.commitments.all().delete()
    for edition in (False, True):
        html = pdf.render_html(report_data(cycle), edition=edition)
        appendix = re.search(
            r'<section class="chapter appendix" aria-labelledby="appendix-1">'
            r"(.*?)</section>",
            html,
            re.S,
        ).group(1)
        assert page_text(appendix) == (
            "Bilaga 1 Strategiska samarbeten, nätverk och åtaganden "
            "Programmet nämner inga strategiska samarbeten, nätverk eller åtaganden."
        )
        assert "Bilaga 2 Organisationernas bidrag" in page_text(html)


def test_the_response_rate_is_one_compact_table(cycle):
    html = pdf.render_html(report_data(cycle))
    table = re.search(r'<table class="response">.*?</table>', html, re.S).group(0)
    assert len(re.findall(r'<tr><th scope="row">', table)) == 16  # one row per organisation
    header = re.search(r"<thead>.*?</thead>", table, re.S).group(0)
    assert header.count("<abbr") == 13
    # No list of 208 "not answered": the marks are symbols, explained once.
    assert page_text(html).count("inte besvarat") == 1


def test_nothing_internal_is_printed_and_empty_sections_are_left_out(
    cycle, strategist, django_capture_on_commit_callbacks
):
    text = text_of(compiled(cycle, strategist, django_capture_on_commit_callbacks))
    for note in INTERNAL:
        assert note not in text, note
    assert "Sammanfattning" not in text  # not written: left out
    assert "Fortsatt arbete" not in text


def test_the_strategist_can_have_empty_sections_said_in_plain_words(
    cycle, strategist, django_capture_on_commit_callbacks
):
    from reporting.report.compile import report_settings_save

    report_settings_save(cycle=cycle, says_when_empty=True, by=strategist)
    text = " ".join(
        text_of(compiled(cycle, strategist, django_capture_on_commit_callbacks)).split()
    )
    assert "Ingen sammanfattning är skriven." in text
    assert "Ingen analys är skriven för fokusområde " in text
    assert "Innan du sammanställer" not in text  # the checklist stays in the preview


def test_the_preview_lists_what_is_missing_for_the_strategist(client, strategist, cycle):
    client.force_login(strategist)
    response = client.get(reverse("reporting:report-preview", args=[cycle.pk]))
    text = page_text(response)
    assert "Innan du sammanställer" in text
    assert "Inte skriven: Sammanfattning." in text
    assert "Ingen analys för 2.1." in text
    assert "Indikatorn är inte kontrollerad mot sin källa" in text
    # Grouped per focus area, each line linked to where it is put right (issue 20).
    html = response.content.decode()
    synthesis = reverse("reporting:synthesis-edit", args=[cycle.pk, "2.1"])
    assert f'<a href="{synthesis}">Ingen analys för 2.1.</a>' in html
    assert "<summary>2.1 Minimera klimatpåverkan och resursanvändningen (" in html
    assert "(en administratör rättar det)" not in text
    # The focus area's code is its group's: not repeated in each line, nor brackets piled up.
    assert (
        "Indikatorn är inte kontrollerad mot sin källa: Insamlat kommunalt avfall, kg/inv. "
        "Be en administratör rätta det."
    ) in text
    assert "(2.1)." not in text and "). (" not in text


def test_the_cover_carries_logo_demo_and_a_title_that_does_not_break(cycle, settings, tmp_path):
    logo = tmp_path / "static" / "img" / "logo.svg"
    logo.parent.mkdir(parents=True)
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(tmp_path / "static")]
    settings.REPORT_LOGO = "img/logo.svg"
    cycle.is_demo = True
    cycle.save()
    html = pdf.render_html(report_data(cycle))
    cover = re.search(r'<section class="cover".*?</section>', html, re.S).group(0)
    assert 'src="data:image/svg+xml;base64,' in cover  # the logo inside the page
    assert 'alt="Avdelningen för strategisk samhällsutveckling, logotyp"' in cover
    assert '<span class="nowrap">2025–2027</span>' in cover
    assert "DEMO" in page_text(cover)
    rendered = pdf.write_pdf(html)
    first_page = PdfReader(io.BytesIO(rendered.content)).pages[0].extract_text()
    assert "Livskvalitetsprogrammet 2025–2027" in first_page
    assert "DEMO" in first_page


def test_report_texts_are_saved_by_strategists_with_history(cycle, strategist, reporter_a):
    saved = write_report_text(cycle, strategist, "sammanfattning", "Första utkastet.", ready=False)
    assert saved.revision == 1 and not saved.ready
    write_report_text(cycle, strategist, "sammanfattning", "Klar text.\r\nRad två.")
    text = ReportText.objects.get(cycle=cycle, part="summary")
    assert text.text == "Klar text.\nRad två." and text.ready
    assert [h.history_user for h in text.history.all()] == [strategist, strategist]

    with pytest.raises(WorkflowError, match="Bara strateger"):
        write_report_text(cycle, reporter_a, "inledning", "Försök.")
    with pytest.raises(WorkflowError, match="tom text"):
        write_report_text(cycle, strategist, "inledning", "   ", ready=True)
    assert not ReportText.objects.filter(part="introduction").exclude(text="").exists()


def test_a_save_from_an_out_of_date_form_is_refused(cycle, strategist):
    write_report_text(cycle, strategist, "fortsatt-arbete", "Kollegans text.")
    with pytest.raises(TextChangedMeanwhile):
        report_text_save(
            cycle=cycle,
            part="further_work",
            text="Min text.",
            ready=False,
            revision=0,  # opened before the colleague saved
            by=strategist,
        )
    assert ReportText.objects.get(part="further_work").text == "Kollegans text."


def test_the_text_pages(client, strategist, cycle):
    client.force_login(strategist)
    listing = client.get(reverse("reporting:report-text-list", args=[cycle.pk]))
    text = page_text(listing)
    for title in ["Sammanfattning", "Inledning", "Fortsatt arbete"]:
        assert title in text
    assert text.count("inte skriven") == 7  # summary, introduction, four directions, further
    url = reverse("reporting:report-text-edit", args=[cycle.pk, "viljeinriktning-2"])
    response = client.post(url, {"text": "Klimat först.", "ready": "on", "revision": "0"})
    assert response.status_code == 302
    # A colleague's form, opened before that save, is refused and shows both texts.
    response = client.post(url, {"text": "Annan text.", "revision": "0"})
    assert response.status_code == 200
    shown = page_text(response)
    assert "Ingenting sparades" in shown
    assert "Klimat först." in shown and "Annan text." in shown
    assert ReportText.objects.get(part="direction").text == "Klimat först."
    missing = reverse("reporting:report-text-edit", args=[cycle.pk, "viljeinriktning-9"])
    assert client.get(missing).status_code == 404


def test_the_text_list_costs_the_same_queries_whatever_is_written(client, strategist, cycle):
    client.force_login(strategist)
    url = reverse("reporting:report-text-list", args=[cycle.pk])
    client.get(url)  # the session is refreshed once; measure after that
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for key in ["sammanfattning", "inledning", "viljeinriktning-2", "fortsatt-arbete"]:
        write_report_text(cycle, strategist, key, "Text.")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_trends_run_from_the_cycles_baseline_year(cycle, strategist):
    from decimal import Decimal

    from programme.models import Indicator, IndicatorValue, Municipality

    assert cycle.trend_from == 2024  # the year before the programme took effect (2025)
    indicator = Indicator.objects.filter(focus_area__code="2.1").order_by("title").first()
    indicator.better = Indicator.Better.LOWER
    indicator.save()
    helsingborg = Municipality.objects.get(code="1283")
    IndicatorValue.objects.filter(indicator=indicator).delete()
    for year, value in [(2020, 9), (2024, 10), (2026, 8)]:
        IndicatorValue.objects.create(
            indicator=indicator, municipality=helsingborg, year=year, gender="T", value=value
        )

    def trend_of(data):
        area = next(i for i in data.overview if i["area"].code == "2.1")
        return next(v.trend for v in area["indicators"] if v.indicator == indicator)

    result = trend_of(report_data(cycle))
    assert (result.first_year, result.last_year, result.first) == (2024, 2026, Decimal(10))
    assert result.assessment == "positive"  # 10 → 8, lower is better
    html = page_text(pdf.render_html(report_data(cycle)))
    assert "jämfört med värdet basåret 2024" in html

    cycle.baseline_year = 2020
    cycle.save()
    result = trend_of(report_data(cycle))
    assert (result.first_year, result.first) == (2020, Decimal(9))
    assert "basåret 2020" in page_text(pdf.render_html(report_data(cycle)))


def test_the_baseline_year_must_come_before_the_last_year(client, strategist, programme_data):
    from reporting.models import Cycle

    client.force_login(strategist)
    data = {
        "programme": Cycle._meta.get_field("programme").related_model.objects.get().pk,
        "title": "Uppföljning 2029",
        "first_year": 2026,
        "last_year": 2027,
        "baseline_year": 2027,
        "opens_on": "2029-01-10",
        "due_on": "2029-03-31",
    }
    response = client.post(reverse("reporting:cycle-create"), data)
    assert "Basåret måste komma före det sista året som följs upp." in page_text(response)
    assert not Cycle.objects.filter(title="Uppföljning 2029").exists()
    data["baseline_year"] = 2024
    assert client.post(reverse("reporting:cycle-create"), data).status_code == 302
    assert Cycle.objects.get(title="Uppföljning 2029").trend_from == 2024


def test_a_programme_without_governing_documents_says_so(client, strategist, programme_data):
    from programme.models import GoverningDocument

    GoverningDocument.objects.all().delete()
    client.force_login(strategist)
    listing = page_text(client.get(reverse("programme:document-follow-ups")))
    assert (
        "Programmet har inga registrerade styrdokument. En administratör lägger till dem i "
        "administrationen, under ”Programmet” › ”Styrdokument”."
    ) in listing


def test_follow_ups_of_linked_plans_are_entered_and_cited_under_their_direction(
    client, strategist, reporter_a, cycle
):
    from programme.models import DocumentFollowUp, GoverningDocument

    document = GoverningDocument.objects.filter(directions__number=2).order_by("title").first()
    url = reverse("programme:document-follow-up-add", args=[document.pk])
    client.force_login(reporter_a)
    assert client.get(reverse("programme:document-follow-ups")).status_code == 404
    assert client.post(url, {"date": "2026-05-01", "summary": "x"}).status_code == 404

    client.force_login(strategist)
    listing = page_text(client.get(reverse("programme:document-follow-ups")))
    assert document.title in listing and "ingen inlagd" in listing
    response = client.post(url, {"date": "2026-05-01", "url": "", "summary": "  "})
    assert "Detta fält måste fyllas i." in page_text(response)
    assert not DocumentFollowUp.objects.exists()
    for date, summary in [("2025-04-01", "Äldre uppföljning."), ("2026-05-01", "Målen nås.")]:
        response = client.post(
            url, {"date": date, "url": "https://example.org/uppfoljning", "summary": summary}
        )
        assert response.status_code == 302
    latest = DocumentFollowUp.objects.get(summary="Målen nås.")
    assert latest.entered_by == strategist and latest.entered_at

    rendered = pdf.render_html(report_data(cycle))
    html = page_text(rendered)
    start = rendered.index('<section class="chapter" aria-labelledby="direction-2">')
    # The chapter's own text, before its first focus area.
    chapter = page_text(rendered[start : rendered.index('<section class="area"', start)])
    assert "Uppföljningar av kopplade planer" in chapter
    assert document.title in chapter and "Målen nås." in chapter
    assert "Äldre uppföljning." not in html  # only the latest is cited


def test_every_edition_from_one_source(
    client, written, strategist, django_capture_on_commit_callbacks
):
    import docx

    from reporting.models import Report
    from reporting.report.compile import report_publish

    reader = compiled(written, strategist, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.html_edition and report.docx
    html = report.html_edition.read().decode()
    titles = [page_text(h) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)]
    assert titles[0] == "Livskvalitetsprogrammet 2025–2027"  # the cover's, no chapter
    chapters = titles[1:]
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert chapters == outline  # the same chapters as the PDF's bookmarks
    assert "Innan du sammanställer" not in html  # no preview checklist in an edition
    assert 'href="/static/css/report.css"' in html

    document = docx.Document(io.BytesIO(report.docx.read()))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == chapters
    assert document.core_properties.language == "sv-SE"
    sizes = [len(table.rows) for table in document.tables]
    assert 18 in sizes  # the overview: a header row, 4 directions and 13 focus areas
    assert 17 in sizes  # the response rate: a header row and 16 organisations
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "Arbetet går framåt inom de flesta områden." in texts
    assert "Klimatet är stadens största utmaning." in texts

    # Public once published, like the PDF; private before.
    html_url = reverse("reporting:report-edition", args=[written.pk, 1, "html"])
    docx_url = reverse("reporting:report-edition", args=[written.pk, 1, "docx"])
    client.logout()
    assert client.get(html_url).status_code in (302, 404)
    report_publish(report=report, by=strategist, accept_gaps=True)
    response = client.get(html_url)
    assert response.status_code == 200 and "Bilaga 3 Svarsfrekvens" in page_text(response)
    assert "public" in response["Cache-Control"]
    response = client.get(docx_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        client.get(reverse("reporting:report-edition", args=[written.pk, 1, "exe"])).status_code
        == 404
    )


def test_two_strategists_cannot_overwrite_each_others_analysis(client, strategist, cycle):
    from reporting.models import Synthesis

    client.force_login(strategist)
    url = reverse("reporting:synthesis-edit", args=[cycle.pk, "2.1"])
    assert 'name="revision" value="0"' in client.get(url).content.decode()
    first = {"analysis": "Min kollegas analys.", "assessment": "positive", "revision": "0"}
    assert client.post(url, first).status_code == 302
    stale = {"analysis": "Min analys, från ett gammalt formulär.", "revision": "0"}
    response = client.post(url, stale)
    shown = page_text(response)
    assert "Ingenting sparades" in shown
    assert "Min kollegas analys." in shown and "Min analys, från ett gammalt formulär." in shown
    assert Synthesis.objects.get().analysis == "Min kollegas analys."
    assert 'name="revision" value="1"' in response.content.decode()  # now seen: may save
    assert client.post(url, {**stale, "revision": "1"}).status_code == 302
    assert Synthesis.objects.get().analysis == "Min analys, från ett gammalt formulär."


def test_the_report_stylesheet_gives_weasyprint_nothing_to_warn_about(caplog):
    # A rule WeasyPrint cannot read is skipped with a warning in the log of every compile,
    # where it hides the warnings that matter (a character no font has, a refused file).
    stylesheet = pdf.BASE_URL + settings.STATIC_URL.lstrip("/") + "css/report.css"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        weasyprint.CSS(url=stylesheet, url_fetcher=pdf.StaticFilesFetcher())
    assert [record.getMessage() for record in caplog.records] == []


def test_in_the_html_edition_each_links_words_lead_to_one_place(
    contribution_a, contribution_b, approver_a, reporter_b, strategist
):
    # A screen reader lists a page's links out of their context: 'Bilaga 2' twice, to two
    # contributions, says nothing of either (WCAG 2.4.4, 2.4.9). Its name begins with the
    # words it shows (2.5.3).
    from collections import defaultdict

    from reporting.services import contribution_approve, contribution_submit
    from tests.factories import fill

    for contribution, by in ((contribution_a, approver_a), (contribution_b, reporter_b)):
        fill(contribution, by)
        contribution_submit(contribution=contribution, by=by)
        contribution_approve(contribution=contribution, by=strategist)
    html = pdf.render_html(report_data(contribution_a.cycle), edition=True)
    leads_to = defaultdict(set)
    for attributes, text in re.findall(r"<a ([^>]*)>(.*?)</a>", html, re.S):
        label = re.search(r'aria-label="([^"]*)"', attributes)
        name = page_text(label[1] if label else text)
        assert name.startswith(page_text(text))
        leads_to[name].add(re.search(r'href="([^"]*)"', attributes)[1])
    assert {name: to for name, to in leads_to.items() if len(to) > 1} == {}
    assert {"Bilaga 2, bidrag 1", "Bilaga 2, bidrag 2"} <= set(leads_to)


def test_in_the_html_edition_the_response_rates_marks_are_said_in_words(approved):
    # A screen reader says "check mark" or "white circle" of a bare ✓ or ○ (a title is
    # not read); each mark of Bilaga 3 is named with its word in the legend.
    from reporting.report.data import RESPONSE_MARKS

    html = pdf.render_html(report_data(approved.cycle), edition=True)
    table = re.search(r'<table class="response">.*?</table>', html, re.S)[0]
    cells = re.findall(r"<td>(.*?)</td>", table, re.S)
    marked = [cell for cell in cells if cell]
    assert marked, table
    words = {f'role="img" aria-label="{word}"' for _mark, word in RESPONSE_MARKS.values()}
    assert all(any(said in cell for said in words) for cell in marked), marked[:3]


@pytest.mark.parametrize(
    "name, key, field",
    [("synthesis-edit", "2.1", "analysis"), ("report-text-edit", "inledning", "text")],
)
@pytest.mark.parametrize("revision", ["abc", "-1", ""])
def test_a_broken_revision_is_said_and_what_was_typed_kept(
    client, strategist, cycle, name, key, field, revision
):
    """The hidden revision a page sends is never wrong unless the page is broken or forged:
    nothing is saved, the page says so and how to go on, and the text stays in the form."""
    from reporting.models import Synthesis

    client.force_login(strategist)
    url = reverse(f"reporting:{name}", args=[cycle.pk, key])
    typed = " Min text,  som den skrevs. "
    response = client.post(url, {field: typed, "revision": revision})
    if name == "synthesis-edit" and revision == "":
        # Optional there (a synthesis not yet written): saved as a first version.
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert (
        "Sidan är inaktuell och ingenting sparades. Kopiera det du skrev, ladda om sidan "
        "och spara igen."
    ) in page_text(response)
    assert f">\n{typed}</textarea>" in response.content.decode()
    assert not Synthesis.objects.exists() and not ReportText.objects.exists()
