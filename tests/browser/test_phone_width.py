"""On a phone (390 px wide) the public pages fit the screen: nothing makes the page scroll
sideways, and no table prints one cell's words on top of another's."""

import datetime
import re

import pytest
from django.utils import timezone

from programme.colours import contrast_ratio
from programme.demo import demo_values_load
from programme.models import Sdg
from reporting.models import Contribution
from reporting.report.compile import report_publish
from tests.browser.measure import LINES_OF, clashing_cells, page_width
from tests.factories import COMPLETE, LONG_TEXTS, compile_report, fill

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


# The narrowest width WCAG 1.4.10 (reflow) asks content to fit without scrolling sideways.
REFLOW = {"width": 320, "height": 700}


def test_every_public_page_reflows_to_320_px(page, programme_data):
    """Every page a resident reaches from the start page, at 320 px: nothing scrolls
    sideways. A heading's long word ("Livskvalitetsprogrammet", "Tillgänglighetsredogörelse"
    at 27 px) breaks instead of pushing the page wider."""
    demo_values_load()
    page.set_viewport_size(REFLOW)
    queue, seen, wide = ["/"], set(), []
    while queue and len(seen) < 60:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        if page_width(page) > REFLOW["width"]:
            wide.append(f"{path}: {page_width(page)} px")
        for href in page.locator("a[href^='/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href').split('#')[0])"
        ):
            if href and href not in seen and not re.search(r"/api/v1/.+|\.\w+$|logga", href):
                queue.append(href)
    assert len(seen) >= 20, seen
    assert wide == []


@pytest.mark.parametrize("path", ["/statistik/", "/globala-mal/13/"])
def test_key_figure_tables_fit_a_phone(phone, check_accessibility, programme_data, path):
    """Each focus area's key figures: the words wrap in their cells, and what still does
    not fit scrolls inside the table's own box, which the keyboard can reach."""
    demo_values_load()
    phone.goto(path)
    tables = phone.locator(".statistics-table")
    assert tables.count() >= 1
    assert clashing_cells(phone, ".statistics-table") == []
    assert page_width(phone) <= PHONE["width"]
    region = phone.get_by_role("region", name="Nyckeltal för fokusområde 2.1")
    assert region.evaluate("e => e.tabIndex") == 0
    assert region.locator(".statistics-table").count() == 1
    check_accessibility(phone)


def test_the_api_documentation_fits_a_phone(phone, check_accessibility, programme_data):
    """Each endpoint's table of parameters is wider than a phone: it scrolls in its own
    box, named like its caption, which the keyboard can reach."""
    phone.goto("/api/v1/docs/")
    assert page_width(phone) <= PHONE["width"]
    region = phone.get_by_role("region", name="Parametrar för /api/v1/values/")
    assert region.evaluate("e => e.tabIndex") == 0
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # it does scroll
    assert phone.locator("table").count() == phone.locator(".table-scroll table").count()
    assert clashing_cells(phone) == []
    check_accessibility(phone)


def _hex(css_colour):
    red, green, blue = (int(part) for part in re.findall(r"\d+", css_colour)[:3])
    return f"#{red:02X}{green:02X}{blue:02X}"


@pytest.mark.parametrize("goal", [11, 9])
def test_the_focus_ring_shows_on_every_goal_colour(page, programme_data, goal):
    """A focused goal chip has a two-tone ring (WCAG technique C40): a white ring round the
    chip's link and a dark outline round that, so one of the two stands out against any
    goal's colour and the outline against the page. The site's brown outline alone was
    2.3:1 on goal 11's orange."""
    page.goto("/")
    link = page.locator(f'.sdg-badge a[href$="/globala-mal/{goal}/"]').first
    page.keyboard.press("Tab")  # a keyboard user: the focus is shown (:focus-visible)
    link.focus()
    assert link.evaluate("e => e.matches(':focus-visible')")
    style = link.evaluate(
        """e => { const s = getComputedStyle(e); return {
              outline: [s.outlineStyle, parseFloat(s.outlineWidth), parseFloat(s.outlineOffset),
                        s.outlineColor],
              shadow: s.boxShadow }; }"""
    )
    outline_style, outline_width, outline_offset, outline_colour = style["outline"]
    shadow = re.fullmatch(r"(rgba?\([^)]*\)) 0px 0px 0px ([\d.]+)px", style["shadow"])
    assert outline_style == "solid" and outline_width >= 2, style
    assert shadow, style
    ring, ring_width = _hex(shadow[1]), float(shadow[2])
    outline = _hex(outline_colour)
    # The ring fills the gap between the link and its outline, not hidden under it.
    assert ring_width >= 2 and outline_offset >= ring_width, style
    assert contrast_ratio(outline, ring) >= 9, style
    assert contrast_ratio(outline, "#FFFFFF") >= 3, style  # on the page
    chip = _hex(link.evaluate("e => getComputedStyle(e.closest('.sdg-badge')).backgroundColor"))
    assert chip == Sdg.objects.get(number=goal).colour.upper()
    for sdg in Sdg.objects.all():
        assert max(contrast_ratio(outline, sdg.colour), contrast_ratio(ring, sdg.colour)) >= 3, (
            sdg.number
        )


# The report's smaller print sizes (8–9 pt tables, 8.5 pt notes), which showed on screen.
SMALL_TEXT = """() => [...document.querySelectorAll("main *")]  // the charts' SVG aside
  .filter(e => !e.closest("svg") && e.getClientRects().length && [...e.childNodes].some(
      n => n.nodeType === 3 && n.data.trim()))
  .filter(e => parseFloat(getComputedStyle(e).fontSize) < 15.9)
  .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className}: `
                         + getComputedStyle(e).fontSize)"""


def _reads_as_a_screen(page):
    """The report on a phone (the preview, the HTML edition) in a screen's sizes, not the
    print's: no text under 16 px; the cover's long word whole on a line (it broke as
    "Livskvalitetsprogra / mmet"); the app's focus ring; and a link, the first the Tab key
    reaches, past the checklist and the contents to the report's text."""
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    assert page.evaluate(SMALL_TEXT) == []
    title = page.locator(".cover-title")
    assert title.evaluate(LINES_OF, "Livskvalitetsprogrammet") == 1
    page.locator("body").focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till rapportens text")
    assert skip.evaluate("e => e === document.activeElement") and skip.is_visible()
    style = skip.evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert style == ["solid", "3px"], style
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("#(summary|introduction)$"))
    assert page.locator(":target").is_visible()


def test_the_report_preview_fits_a_phone(logged_in, check_accessibility, cycle, strategist):
    """The preview before compiling: its checklist's groups were 19 px high to tap."""
    page = logged_in(strategist.username)
    page.set_viewport_size(PHONE)
    page.goto(f"/uppfoljningar/{cycle.pk}/rapport/forhandsgranskning/")
    heights = page.locator(".checklist summary").evaluate_all(
        "all => all.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 24, heights
    assert page_width(page) <= PHONE["width"]
    _reads_as_a_screen(page)
    check_accessibility(page)


def test_the_reports_html_edition_fits_a_phone(
    phone,
    check_accessibility,
    cycle,
    strategist,
    approver_a,
    contribution_a,
    django_capture_on_commit_callbacks,
):
    """The HTML edition, a document of its own: its charts (520 px in print) shrink to the
    screen, the cover's long word breaks and so do a long word and a link that people typed,
    no table prints words on top of each other, and
    a link at its top leads back to the site's published reports; printed, that link is
    left out."""
    from reporting.services import contribution_approve, contribution_submit

    demo_values_load()
    # A long compound and a pasted link (an action's title and progress, a result) wrap
    # rather than widen the page or run into the next cell.
    fill(contribution_a, approver_a, **{**COMPLETE, **LONG_TEXTS})
    contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_approve(contribution=contribution_a, by=strategist)
    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    report_publish(report=report, by=strategist, accept_gaps=True)

    phone.goto(f"/uppfoljningar/{cycle.pk}/rapport/{report.number}.html")
    charts = phone.locator(".indicator-chart svg")
    assert charts.count() >= 1
    widths = charts.evaluate_all("charts => charts.map(c => c.getBoundingClientRect().width)")
    assert max(widths) <= PHONE["width"], widths
    box = charts.first.bounding_box()
    assert abs(box["width"] / box["height"] - 2) < 0.02, box  # 520 × 260, not squashed
    # The tables' words wrap; the overview and the response rate, still wider, scroll in
    # boxes of their own that the keyboard reaches.
    assert clashing_cells(phone) == []
    for table in ("overview", "response"):
        region = phone.locator(f'[role="region"][tabindex="0"]:has(> table.{table})')
        assert region.evaluate("e => e.scrollWidth > e.clientWidth"), table
    assert page_width(phone) <= PHONE["width"]
    _reads_as_a_screen(phone)
    check_accessibility(phone)

    back = phone.get_by_role("navigation", name="Livskvalitet").get_by_role(
        "link", name="Publicerade rapporter"
    )
    phone.emulate_media(media="print")
    assert not back.is_visible()
    phone.emulate_media(media="screen")
    back.click()
    phone.wait_for_url("**/rapporter/")


def test_my_tasks_fit_a_phone(
    phone, login, check_accessibility, reporter_a, approver_a, contribution_a
):
    """Mina uppgifter: focus area, state and when it was last saved, without scrolling
    sideways. Three columns of long words do not fit 390 px: on a phone the time saved
    stands under the state, in the same one date style; wider, it has its column."""
    from reporting.services import contribution_mark_ready

    fill(contribution_a, reporter_a, done="Vi har bytt till elbilar.")
    contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    # A long month's date, which broke as "30 / september 2026 / 23:59" under the state.
    saved_at = timezone.make_aware(datetime.datetime(2026, 9, 30, 23, 59))
    Contribution.objects.filter(pk=contribution_a.pk).update(updated_at=saved_at)
    login("approver_a")
    phone.goto("/mina-uppgifter/")
    row = phone.get_by_role("row", name=re.compile("^2.1 Minimera klimatpåverkan"))
    assert "väntar på ditt godkännande" in row.inner_text()
    scrolling = phone.locator(".table-responsive").evaluate_all(
        "boxes => boxes.filter(e => e.scrollWidth > e.clientWidth).length"
    )
    assert scrolling == 0
    saved = row.get_by_text(re.compile(r"Senast sparat\s30\sseptember\s2026\s23:59"))
    box = saved.bounding_box()
    assert saved.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # The date and the time each on one line.
    for part in ("30 september 2026", "23:59"):
        assert saved.evaluate(LINES_OF, part) == 1, part
    assert clashing_cells(phone) == []
    assert page_width(phone) <= PHONE["width"]
    check_accessibility(phone)
    # At 320 px, the width WCAG 1.4.10 asks content to reflow to, too: a long word of a
    # focus area's title ("resursanvändningen") breaks rather than push the table wider.
    phone.set_viewport_size({"width": 320, "height": 700})
    scrolling = phone.locator(".table-responsive").evaluate_all(
        "boxes => boxes.map(e => e.scrollWidth - e.clientWidth).filter(extra => extra > 0)"
    )
    assert scrolling == []
    assert clashing_cells(phone) == []
    assert page_width(phone) <= 320
    # Wider, the time has its own column again, said once.
    phone.set_viewport_size({"width": 1024, "height": 800})
    assert phone.get_by_role("columnheader", name="Senast sparat").is_visible()
    assert not saved.is_visible()
    assert row.get_by_role("cell").last.inner_text().strip() != ""


def test_a_table_wider_than_the_screen_scrolls_by_keyboard(
    logged_in, check_accessibility, cycle, strategist
):
    """The strategy department's tables (a cycle's organisations, the review queue) are
    wider than a phone: each box that scrolls is a named region the Tab key reaches and
    the arrow keys scroll (static/js/table-scroll.js); one that fits stays out of the way."""
    page = logged_in(strategist.username)
    page.set_viewport_size(REFLOW)
    page.goto(f"/uppfoljningar/{cycle.pk}/")
    boxes = page.locator(".table-responsive")
    scrolling = page.locator(".table-responsive[data-scrolls]")
    assert scrolling.count() >= 1
    box = scrolling.first
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=box.element_handle())
    check_accessibility(page)
    # Wide enough, nothing scrolls and no box is in the Tab order.
    page.set_viewport_size({"width": 1600, "height": 900})
    page.wait_for_function("() => !document.querySelector('.table-responsive[data-scrolls]')")
    assert all(b.get_attribute("tabindex") is None for b in boxes.all())


def test_the_menu_on_a_phone_shows_its_focus_closes_on_escape_and_marks_the_section(
    logged_in, check_accessibility, cycle, strategist
):
    """The menu button's focus ring was Bootstrap's rgba(0,0,0,.65) shadow on the header's
    blue, 1.95:1; it is the menu's white outline (WCAG 1.4.11 asks 3:1). Escape closes the
    open menu and gives the focus back to its button, and the link of the section the
    page is in is marked as current: the page itself ("page"), or a page within it."""
    page = logged_in(strategist.username)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/uppfoljningar/{cycle.pk}/matris/")
    toggler = page.get_by_role("button", name="Visa menyn")
    page.keyboard.press("Tab")  # a keyboard user: the focus is shown (:focus-visible)
    toggler.focus()
    assert toggler.evaluate("e => e.matches(':focus-visible')")
    style = toggler.evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle,"
        " parseFloat(s.outlineWidth), s.outlineColor, s.boxShadow]; }"
    )
    outline_style, outline_width, outline_colour, shadow = style
    assert outline_style == "solid" and outline_width >= 2, style
    assert contrast_ratio(_hex(outline_colour), "#0B4A84") >= 3, style
    assert shadow == "none", style

    page.keyboard.press("Enter")
    menu = page.locator("#main-menu")
    cycles = menu.get_by_role("link", name="Uppföljningar")
    cycles.wait_for()
    assert cycles.get_attribute("aria-current") == "true"
    assert menu.locator("[aria-current]").count() == 1
    cycles.focus()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => !document.querySelector('#main-menu.show, #main-menu.collapsing')"
    )
    assert not cycles.is_visible()
    assert toggler.evaluate("e => e === document.activeElement")
    assert toggler.get_attribute("aria-expanded") == "false"
    check_accessibility(page)

    page.goto("/uppfoljningar/")
    assert page.locator("#main-menu [aria-current]").get_attribute("aria-current") == "page"
