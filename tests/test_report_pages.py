"""Pages without holes (issue 21.7): no page of the report is under a quarter full unless
a chapter ends on it, and none ends with a heading, a sub-heading ("Samlad bedömning",
"Egen bedömning"), a caption apart from what follows or a table's first row alone, in the
demo report and in one of 30 organisations; long words and links break inside their cells
and the page; minus signs are minus signs; lists are in Swedish order."""

import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from programme.models import Organisation
from reporting.demo import demo_more_organisations
from reporting.models import Contribution, Cycle
from reporting.report import pdf
from reporting.report.data import report_data
from reporting.selectors import approved_versions
from tests.factories import LONG_LINK, LONG_TEXTS, LONG_WORD, approve, compile_report

pytestmark = pytest.mark.django_db


def filled(page) -> float:
    """How much of the page's height its content fills (the footer and header left out)."""
    root = page._page_box
    bottom = top = root.content_box_y()

    def walk(box):
        nonlocal bottom
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox | boxes.TableRowBox):
            bottom = max(bottom, box.position_y + box.margin_height())
            return
        for child in getattr(box, "children", []):
            walk(child)

    for child in root.children:
        if not isinstance(child, boxes.MarginBox):
            walk(child)
    return (bottom - top) / root.height


def starts_a_chapter(page) -> bool:
    """Whether the page's first content is a chapter's heading (h1)."""

    def first(box):
        for child in getattr(box, "children", []):
            if isinstance(child, boxes.MarginBox):
                continue
            if getattr(child, "element_tag", "") == "h1":
                return True
            if isinstance(child, boxes.LineBox):
                return False
            found = first(child)
            if found is not None:
                return found
        return None

    return bool(first(page._page_box))


def holes(cycle) -> list[str]:
    return holes_in(pdf.render_html(report_data(cycle)))


# What heads what follows it: the headings, the tables' captions, the line of a focus area's
# overall assessment and a contribution's own ("Samlad bedömning: ▲ ..."), and the bold
# label of a question or an indicator's comment, which a reader takes for the sub-heading
# of what comes below it. Not a chart's caption: it is below its chart, in the figure, and
# heads nothing after it (the indicator's values may follow on the next page).
HEADINGS = {"h1", "h2", "h3", "h4", "caption", "p.assessment", "p.label"}


def last_line_in(page) -> set[str]:
    """The elements the page's last line of content is in (their tags, and "tag.class" for
    each of their classes)."""
    found: set[str] = set()

    def walk(box, tags):
        nonlocal found
        tag = getattr(box, "element_tag", "")
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        tags = tags | {tag} | {f"{tag}.{name}" for name in classes}
        if isinstance(box, boxes.LineBox):
            found = tags
            return
        for child in getattr(box, "children", []):
            if not isinstance(child, boxes.MarginBox):
                walk(child, tags)

    walk(page._page_box, set())
    return found


def tables_in(page) -> list:
    """The page's pieces of tables (a table split over pages has one on each)."""
    found = []

    def walk(box):
        if isinstance(box, boxes.TableBox):
            found.append(box)
        for child in getattr(box, "children", []):
            if not isinstance(child, boxes.MarginBox):
                walk(child)

    walk(page._page_box)
    return found


def body_rows(table) -> int:
    return sum(
        len(group.children)
        for group in table.children
        if isinstance(group, boxes.TableRowGroupBox) and not (group.is_header or group.is_footer)
    )


def table_feet(page, next_page) -> list[str]:
    """A table that goes on over the page with fewer than two of its rows above the break
    (a caption and a header over one row, the rest on the next page)."""
    going_on = {id(table.element) for table in tables_in(next_page)}
    return [
        f"{body_rows(table)} row(s) of table.{'.'.join(table.element.get('class', '').split())}"
        for table in tables_in(page)
        if id(table.element) in going_on and body_rows(table) < 2
    ]


def holes_in(html: str) -> list[str]:
    document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticFilesFetcher())
    pages = document.render().pages
    found = []
    for number, page in enumerate(pages, 1):
        last = number == len(pages)
        if filled(page) < 0.25 and not last and not starts_a_chapter(pages[number]):
            found.append(f"page {number}: {filled(page):.0%} full")
        stranded = last_line_in(page) & HEADINGS
        if stranded and not last:
            found.append(f"page {number} ends with a {', '.join(sorted(stranded))}")
        if not last:
            found += [f"page {number} ends with {foot}" for foot in table_feet(page, pages[number])]
    return found


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    return Cycle.objects.get(is_demo=True)


def test_the_demo_report_has_no_page_under_a_quarter_full_but_a_chapters_end(demo):
    assert holes(demo) == []


def test_a_report_of_30_organisations_has_no_holes_either(demo):
    demo_more_organisations(demo, 28)
    assert len({v.contribution.organisation_id for v in approved_versions(demo)}) == 30
    assert holes(demo) == []


def test_the_check_finds_a_page_left_nearly_empty_inside_a_chapter():
    line = "<p>" + "Ett stycke text. " * 40 + "</p>"
    chapter = '<section class="chapter"><h1>{}</h1>{}</section>'
    style = (
        "<style>.chapter { page-break-before: always } .break { page-break-before: always }</style>"
    )
    short = "<p>Ett kort stycke.</p>"
    inside = chapter.format("Ett", short + '<p class="break">Sist</p>' + line * 30)
    found = holes_in(style + inside + chapter.format("Två", line))
    assert len(found) == 1 and found[0].startswith("page 1: ")
    at_the_end = chapter.format("Ett", line) + chapter.format("Två", line * 30)
    assert holes_in(style + at_the_end) == []
    # A heading left at a page's foot, apart from what it heads: told too (the report's
    # stylesheet keeps headings and captions with what follows; here a heading may break).
    stranded = [
        holes_in(
            "<section class='chapter'><h1>Ett</h1>"
            + "<p>Rad.</p>" * lines
            + "<h2 style='break-after: auto'>Rubrik</h2><div style='break-inside: avoid'>"
            + "<p>Text.</p>" * 12
            + "</div></section>"
        )
        for lines in range(5, 30)
    ]
    assert ["page 1 ends with a h2"] in stranded
    # ... and so is a focus area's heading with only its overall assessment below it.
    assessment = (
        "<h2>Rubrik</h2><p class='assessment' style='break-after: auto'>Samlad bedömning: ▲</p>"
    )
    stranded = [
        holes_in(
            "<section class='chapter'><h1>Ett</h1>"
            + "<p>Rad.</p>" * lines
            + assessment
            + "<div style='break-inside: avoid'>"
            + "<p>Text.</p>" * 12
            + "</div></section>"
        )
        for lines in range(5, 30)
    ]
    assert ["page 1 ends with a p.assessment"] in stranded


def test_the_check_finds_a_table_that_leaves_one_row_at_a_pages_foot():
    table = (
        "<table><caption>Värden</caption><thead><tr><th>År</th></tr></thead><tbody>"
        + "<tr><td>2019</td></tr>" * 8
        + "</tbody></table>"
    )
    found = [
        holes_in("<section class='chapter'><h1>Ett</h1>" + "<p>Rad.</p>" * lines + table)
        for lines in range(10, 30)
    ]
    assert ["page 1 ends with 1 row(s) of table."] in found
    assert [] in found  # where the table fits, or breaks after two rows or more


STYLESHEET = f'<link rel="stylesheet" href="{pdf.BASE_URL}static/css/report.css">'


@pytest.mark.parametrize("rows", [6, 40])
def test_a_table_leaves_two_rows_or_more_at_a_pages_foot_in_the_reports_stylesheet(rows):
    """An indicator's values (a handful of years) move whole to the next page; a long table
    breaks, but not after its first row, at every height down a page."""
    kind = "indicator-table" if rows < 10 else "reported"
    table = (
        f"<table class='{kind}'><caption>Värden: Andel</caption>"
        "<thead><tr><th>År</th><th>Värde</th></tr></thead><tbody>"
        + "".join(f"<tr><th>{2000 + year}</th><td>1,0</td></tr>" for year in range(rows))
        + "</tbody></table>"
    )
    pieces = set()
    for lines in range(15, 40):
        html = (
            STYLESHEET
            + "<section class='chapter'><h1>Ett</h1>"
            + "<p>Rad.</p>" * lines
            + table
            + "<p>Sist.</p></section>"
        )
        assert holes_in(html) == [], lines
        document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticFilesFetcher())
        pages = document.render().pages
        pieces.add(tuple(n for n, page in enumerate(pages, 1) if tables_in(page)))
    # The small table tried where it fits and where it met the page's foot, and never
    # broken; the long one broken.
    if rows < 10:
        assert pieces == {(1,), (2,)}
    else:
        assert (1, 2) in pieces


def test_a_question_or_an_indicators_title_stays_with_its_text_in_the_reports_stylesheet():
    """Bilaga 2's questions and indicator comments: a bold label over its text, laid out
    with the report's own stylesheet at every height down a page."""
    stylesheet = STYLESHEET
    label = '<p class="label"><strong>Vilka insatser planeras?</strong></p>'
    answer = "<p>" + "Ett svar. " * 60 + "</p>"
    for lines in range(20, 60, 2):
        html = (
            stylesheet
            + "<section class='chapter'><h1>Bilaga 2</h1>"
            + "<p>Rad.</p>" * lines
            + label
            + answer
            + "</section>"
        )
        assert [hole for hole in holes_in(html) if "ends with" in hole] == [], lines


def words_on(page) -> str:
    found = []

    def walk(box):
        if isinstance(box, boxes.TextBox):
            found.append(box.text)
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page._page_box)
    return " ".join(found)


def test_a_focus_areas_heading_and_global_goals_stay_together_in_the_reports_stylesheet():
    """A focus area's heading and its global goals' badges are one piece: never the heading
    and two rows of badges at a page's foot with the rest on the next page."""
    goals = "".join(f"<li>Mål {n}: Ett mål med ett längre namn</li>" for n in range(1, 13))
    split = []
    for lines in range(20, 50):
        html = (
            STYLESHEET
            + "<section class='chapter'><h1>Ett</h1>"
            + "<p>Rad.</p>" * lines
            + "<section class='area'><h2>2.3 Skapa ett mer robust samhälle</h2>"
            + f"<ul class='sdgs'>{goals}</ul>"
            + "<p>"
            + "Analysen. " * 80
            + "</p></section></section>"
        )
        document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticFilesFetcher())
        pages = [words_on(page) for page in document.render().pages]
        heading = next(n for n, words in enumerate(pages) if "2.3 Skapa" in words)
        if not all(f"Mål {n}:" in pages[heading] for n in range(1, 13)):
            split.append(lines)
    assert split == []


def overflows_in(html: str) -> list[str]:
    """The texts that run out of their table cell or out of the page's text area, sideways."""
    document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticFilesFetcher())
    found = []

    def walk(box, left, right, number):
        if isinstance(box, boxes.TableCellBox):
            left, right = box.border_box_x(), box.border_box_x() + box.border_width()
        if isinstance(box, boxes.TextBox):
            if box.position_x < left - 0.5 or box.position_x + box.width > right + 0.5:
                found.append(f"page {number}: {box.text!r}")
            return
        for child in getattr(box, "children", []):
            if not isinstance(child, boxes.MarginBox):
                walk(child, left, right, number)

    for number, page in enumerate(document.render().pages, 1):
        root = page._page_box
        walk(root, root.content_box_x(), root.content_box_x() + root.width, number)
    return found


def test_long_words_and_links_break_inside_their_cells_and_the_page(
    settings,
    tmp_path,
    cycle,
    contribution_a,
    organisation_a,
    approver_a,
    strategist,
    django_capture_on_commit_callbacks,
):
    """A long Swedish compound or a pasted link, typed anywhere the report shows (an action's
    title and progress, an organisation's name, a result, an indicator's comment), breaks
    inside its table column and inside the page; nothing of it is cut off."""
    from programme.models import Indicator

    settings.MEDIA_ROOT = tmp_path / "media"
    organisation_a.name = "Fjärrvärmeundercentralsnämnden"
    organisation_a.save()
    indicator = Indicator.objects.filter(focus_area=contribution_a.focus_area).first()
    assert indicator is not None
    approve(
        contribution_a,
        approver_a,
        strategist,
        **LONG_TEXTS,
        indicator_comments={indicator: f"{LONG_WORD}: {LONG_LINK}"},
    )
    html = pdf.render_html(report_data(cycle))
    assert LONG_WORD in html and LONG_LINK.replace("&", "&amp;") in html
    assert overflows_in(html) == []

    # The compiled PDF: every word within the page's text area (22 mm to 190 mm from the
    # left of A4), and the long word all there, in pieces.
    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    assert report.status == report.Status.DONE
    words = subprocess.run(
        ["pdftotext", "-bbox", report.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    mm = 72 / 25.4
    found = []
    for line in words.splitlines():
        if line.strip().startswith("<word "):
            attributes = dict(part.split("=", 1) for part in line.split(">")[0].split()[1:])
            xmin, xmax = (float(attributes[key].strip('"')) for key in ("xMin", "xMax"))
            found.append(line.split(">")[1].split("<")[0])
            assert 22 * mm - 1 <= xmin and xmax <= 190 * mm + 1, line
    text = "".join(found)
    assert text.count(LONG_WORD) >= 3, "the action's title in its table and in Bilaga 2, the result"


def test_numbers_below_zero_have_a_minus_sign_not_a_hyphen(programme_data):
    from django.template import Context, Template

    from programme.charts import _number

    shown = Template("{% load livskvalitet %}{{ value|decimal:1 }} {{ zero|decimal:1 }}")
    assert shown.render(Context({"value": -3.04, "zero": 0})) == "\u22123,0 0,0"
    assert _number(-1234.5, 1) == "\u22121\u00a0234,5"


def test_names_are_listed_in_swedish_order(cycle, strategist):
    from livskvalitet.core.text import swedish_order
    from programme.models import FocusArea

    names = ["Öresundskraft AB", "iCapital AB", "Idrotts- och fritidsnämnden", "Åby AB", "Zeta AB"]
    assert sorted(names, key=swedish_order) == [
        "iCapital AB",
        "Idrotts- och fritidsnämnden",
        "Zeta AB",
        "Åby AB",
        "Öresundskraft AB",
    ]
    icapital = Organisation.objects.create(name="iCapital AB", kind=Organisation.Kind.COMPANY)
    Contribution.objects.create(
        cycle=cycle, organisation=icapital, focus_area=FocusArea.objects.get(code="2.1")
    )
    rows = [name for name, _marks in report_data(cycle).response["rows"]]
    assert rows.index("iCapital AB") == rows.index("Idrotts- och fritidsnämnden") - 1
    assert rows[-1] == "Överförmyndarnämnden"


@pytest.mark.parametrize("shown", ["preview", "edition"])
def test_the_demo_note_is_inside_the_pages_main_content(demo, shown):
    """On screen every text is in a landmark: the demo note, before the cover, stood
    outside <main>, where a screen reader's list of landmarks never reaches it."""
    from xml.etree import ElementTree

    import tinyhtml5

    html = pdf.render_html(report_data(demo), **{shown: True})
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    main = root.find(".//main")
    notes = [p for p in root.iter("p") if "demo-note" in (p.get("class") or "").split()]
    assert len(notes) == 1
    assert notes[0] in list(main.iter("p")), ElementTree.tostring(notes[0], "unicode")
