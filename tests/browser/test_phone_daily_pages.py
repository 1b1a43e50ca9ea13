"""The pages a nämnd's reporter and approver use every day, on a phone (375 px wide):
nothing makes the page scroll sideways, no table scrolls in its box where its words can
wrap, and dates break only between the day and the time."""

import datetime
import re

import pytest
from django.utils import timezone

from reporting.models import ContributionVersion
from tests.browser.measure import (
    LINES_OF,
    clashing_cells,
    out_of_sight,
    page_width,
    reflow_problems,
    target_sizes,
)
from tests.factories import COMPLETE, compile_report, fill

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
SCROLLING_BOXES = "boxes => boxes.filter(e => e.scrollWidth > e.clientWidth + 1).length"


@pytest.fixture
def on_a_phone(logged_in):
    def log_in(username):
        page = logged_in(username)
        page.set_viewport_size(PHONE)
        return page

    return log_in


def test_the_saved_versions_fit_a_phone(
    on_a_phone, check_accessibility, reporter_a, contribution_a
):
    """Sparade versioner: four columns do not fit; on a phone the time of each version
    stands under its event, the day and the time each on one line (it broke as
    "5 / december / 2026 02:31"); wider, it has its column again."""
    fill(contribution_a, reporter_a, done="Vi har bytt till elbilar.")
    saved_at = timezone.make_aware(datetime.datetime(2026, 9, 30, 23, 59))
    ContributionVersion.objects.filter(contribution=contribution_a).update(created_at=saved_at)
    page = on_a_phone("reporter_a")
    page.goto(f"/bidrag/{contribution_a.pk}/historik/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Version 1"))
    when = row.get_by_text(re.compile(r"^30\s+september\s+2026\s+23:59$")).locator("visible=true")
    assert when.count() == 1
    box = when.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    for part in ("30 september 2026", "23:59"):
        assert when.evaluate(LINES_OF, part) == 1, part
    assert row.get_by_role("link", name="Version 1").evaluate(LINES_OF, "Version 1") == 1
    assert page.locator(".table-responsive").evaluate_all(SCROLLING_BOXES) == 0
    assert clashing_cells(page) == []
    assert page_width(page) <= PHONE["width"]
    check_accessibility(page)

    page.set_viewport_size({"width": 1024, "height": 800})
    assert page.get_by_role("columnheader", name="När").is_visible()
    assert when.count() == 1  # said once, in its column
    assert when.evaluate("e => e.closest('td') === e.closest('tr').lastElementChild")


def test_a_versions_changes_fit_a_phone(
    on_a_phone, check_accessibility, reporter_a, contribution_a
):
    """A version's changes side by side: long words (a nämnd's name, a web address) break
    in their cells rather than push the table past the screen, where it scrolled in a box
    the keyboard could not reach and cut the words off at the screen's edge."""
    fill(contribution_a, reporter_a, done="Vi har bytt till elbilar.")
    fill(
        contribution_a,
        reporter_a,
        done="Vi har bytt till elbilar tillsammans med Stadsbyggnadsnämnden och "
        "Miljöförvaltningen, se https://helsingborg.se/trafik-och-stadsplanering/elbilar.",
        results="Våtmarksrestaureringen i Råådalen är klar.",
        assessment_motivation="Tydlig minskning.",
    )
    page = on_a_phone("reporter_a")
    page.goto(f"/bidrag/{contribution_a.pk}/versioner/2/")
    changes = page.locator("table.changes")
    assert changes.get_by_role("row").count() >= 3
    assert page.locator(".table-responsive").evaluate_all(SCROLLING_BOXES) == 0
    box = changes.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert clashing_cells(page) == []
    assert page_width(page) <= PHONE["width"]
    # The fields' names and ordinary words break between words only.
    header = changes.get_by_role("rowheader", name="Motivering av bedömningen")
    assert header.evaluate(LINES_OF, "bedömningen") == 1
    before = changes.get_by_role("row", name="Vad som har gjorts").get_by_role("cell").nth(0)
    assert before.evaluate(LINES_OF, "elbilar.") == 1
    check_accessibility(page)


def test_the_organisations_fit_a_phone(on_a_phone, check_accessibility, reporter_a):
    """Organisationer, in every reporter's menu: four columns of long names do not fit a
    phone. Each table scrolls in its own box, named as its heading, which the keyboard
    reaches (it has nothing else to tab to); the page itself does not scroll sideways."""
    page = on_a_phone("reporter_a")
    page.goto("/organisationer/")
    region = page.get_by_role("region", name="Nämnder")
    assert region.evaluate("e => e.tabIndex") == 0
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # it does scroll
    assert region.locator("table").count() == 1
    assert page.locator("table").count() == page.locator('[role="region"] > table').count()
    box = region.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert clashing_cells(page) == []
    assert page_width(page) <= PHONE["width"]
    check_accessibility(page)
    region.focus()
    page.keyboard.press("ArrowRight")  # the keyboard scrolls it
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")


def _day_breaks(page, element, day="30 september 2026"):
    """The screen widths, phone to small tablet, at which ``day`` breaks over two lines."""
    found = []
    for width in range(320, 480, 3):
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        if element.evaluate(LINES_OF, day) != 1:
            found.append(width)
    return found


def test_a_message_and_a_versions_date_do_not_break_inside_the_day(
    on_a_phone, reporter_a, contribution_a
):
    """The thread's "Meddelande till godkännaren · Namn · 30 september 2026 23:59" and a
    version's "Namn, 30 september 2026 23:59." wrap where a narrow screen needs it, but
    only between the day and the time, never as "30 september / 2026"."""
    from reporting.models import ReviewComment
    from reporting.services import thread_post

    # A name of a length that puts the day at the end of a line at some phone's width.
    reporter_a.first_name, reporter_a.last_name = "Margareta", "Lindqvist Andersson"
    reporter_a.save()
    fill(contribution_a, reporter_a, done="Vi har bytt till elbilar.")
    thread_post(contribution=contribution_a, by=reporter_a, text="Klart från min sida.")
    moment = timezone.make_aware(datetime.datetime(2026, 9, 30, 23, 59))
    ReviewComment.objects.filter(contribution=contribution_a).update(created_at=moment)
    ContributionVersion.objects.filter(contribution=contribution_a).update(created_at=moment)
    page = on_a_phone("reporter_a")

    page.goto(f"/bidrag/{contribution_a.pk}/")
    when = page.locator(".thread-meta time")
    assert re.fullmatch(r"30\s+september\s+2026\s+23:59", when.inner_text())
    assert _day_breaks(page, when.locator("xpath=..")) == []

    page.goto(f"/bidrag/{contribution_a.pk}/versioner/1/")
    line = page.get_by_text(re.compile(r"30\s+september\s+2026\s+23:59\."))
    assert _day_breaks(page, line) == []


def _labels(row):
    """The names of their columns that a row's cells show before their contents."""
    return row.locator("td").evaluate_all(
        "cells => cells.filter(c => getComputedStyle(c, '::before').content !== 'none')"
        ".map(c => c.dataset.label)"
    )


def _still_a_table(page, columns):
    """Chromium still tells screen readers a stacked table is a table: its rows, column
    headers and cells, from the browser's own accessibility tree."""
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    roles = [node.get("role", {}).get("value") for node in tree["nodes"]]
    return "table" in roles and roles.count("columnheader") == columns and "cell" in roles


def test_a_reports_versions_and_their_actions_fit_a_phone(
    on_a_phone, check_accessibility, cycle, strategist, django_capture_on_commit_callbacks
):
    """The compiled reports: the one action that matters, "Publicera version 1", sat in
    the fifth column of a table that scrolled sideways (x 376–480 at 375 px), with nothing
    to show that it scrolled. On a phone each version is a card of its own: its status,
    who compiled it, its pages and its actions stacked under its name, each with the
    column's name; wider, the table is as before."""
    compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    page = on_a_phone("strategist")
    page.goto(f"/uppfoljningar/{cycle.pk}/rapport/")
    publish = page.get_by_role("link", name="Publicera version 1")
    assert publish.is_visible()
    assert out_of_sight(page, "table.versions :is(th, td, a, summary)") == []
    assert page.locator(".table-responsive").evaluate_all(SCROLLING_BOXES) == 0
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Version 1 (PDF)"))
    assert _labels(row) == ["Status", "Sammanställd av", "Sidor"]
    assert clashing_cells(page, "table tbody") == []  # the header row is for screen readers
    assert _still_a_table(page, columns=5)
    assert page_width(page) <= PHONE["width"]
    check_accessibility(page)
    publish.click()
    page.wait_for_url("**/publicera/")

    page.set_viewport_size({"width": 1024, "height": 800})
    page.go_back()
    assert page.get_by_role("columnheader", name="Publicerad").is_visible()
    assert _labels(row) == []  # said once, in its column's header


def test_the_review_queue_and_an_organisations_requests_fit_a_phone(
    on_a_phone, check_accessibility, cycle, strategist, approver_a, contribution_a
):
    """The review queue cut its state mid-word ("inskicka") and hid when a contribution
    was submitted; an organisation's requests hid the last change and "Återkalla" off the
    screen. On a phone each row's cells stack under its first, each after its column's
    name; nothing is cut and nothing scrolls sideways."""
    from reporting.services import contribution_submit

    fill(contribution_a, approver_a, **COMPLETE)
    contribution_submit(contribution=contribution_a, by=approver_a)
    page = on_a_phone("strategist")
    page.goto("/granskning/")
    row = page.get_by_role("row").filter(has_text="Miljönämnden – 2.1")
    assert _labels(row) == ["Uppföljning", "Status", "Inskickat"]
    assert out_of_sight(page, ".table-stack :is(th, td, a)") == []
    assert page.locator(".table-responsive").evaluate_all(SCROLLING_BOXES) == 0
    assert clashing_cells(page, "table tbody") == []
    assert page_width(page) <= PHONE["width"]
    check_accessibility(page)

    page.goto(f"/uppfoljningar/{cycle.pk}/organisationer/{contribution_a.organisation.pk}/")
    row = page.get_by_role("row").filter(has_text="2.1 Minimera")
    assert _labels(row) == ["Status", "Senast ändrad"]
    assert row.get_by_role("link", name="Återkalla 2.1 från Miljönämnden").is_visible()
    assert out_of_sight(page, ".table-stack :is(th, td, a)") == []
    assert page.locator(".table-responsive").evaluate_all(SCROLLING_BOXES) == 0
    assert clashing_cells(page, "table tbody") == []
    assert page_width(page) <= PHONE["width"]
    assert _still_a_table(page, columns=4)
    check_accessibility(page)


def test_the_submission_matrix_fits_a_phone(on_a_phone, check_accessibility, cycle, strategist):
    """The matrix, 13 focus areas wide, scrolls in its box on a phone; but its sticky
    organisation column took 225 of 351 px, its caption scrolled away with the 1928 px
    table, the header cell above the organisations scrolled off, and each state's link
    was 10 × 22 px to tap. Now the organisations take at most two fifths of the box,
    the caption stands above the box, the corner stays, and each link is 24 × 24 px or
    more (WCAG 2.5.8)."""
    page = on_a_phone("strategist")
    page.goto(f"/uppfoljningar/{cycle.pk}/matris/")
    box = page.locator(".grid-wrapper")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # it still scrolls
    width = box.evaluate("e => e.clientWidth")
    organisation = page.get_by_role("rowheader").first
    assert organisation.bounding_box()["width"] <= 0.4 * width
    explanation = page.get_by_text("Organisationer (rader) och fokusområden (kolumner)")
    assert explanation.is_visible()
    assert out_of_sight(page, ".matrix-explanation") == []
    sizes = target_sizes(page, ".matrix tbody a")
    assert sizes and min(min(size) for size in sizes) >= 24, sizes[:3]
    corner = page.get_by_role("columnheader", name="Organisation")
    box.evaluate("e => { e.scrollLeft = 600; }")
    page.wait_for_function("e => e.scrollLeft > 0", arg=box.element_handle())
    assert out_of_sight(page, ".matrix thead th:first-child, .matrix tbody th") == []
    assert corner.bounding_box()["x"] <= box.bounding_box()["x"] + 1
    assert page_width(page) <= PHONE["width"]
    check_accessibility(page)


def _hex(css_colour):
    red, green, blue = (int(part) for part in re.findall(r"\d+", css_colour)[:3])
    return f"#{red:02X}{green:02X}{blue:02X}"


def test_secondary_actions_look_active_an_empty_answer_has_room_and_a_404_reflows(
    on_a_phone, check_accessibility, cycle, strategist, reporter_a, contribution_a
):
    """Bootstrap's grey outline buttons ("Fråga en organisation om ett fokusområde",
    "Påbörja granskningen…"), 4.69:1, looked disabled: they are dark, 7:1 or more, and
    their border 3:1. An empty answer's "–" stood right against the next heading: it is a
    paragraph, with a paragraph's margin. And a page that is not there reflows at 375 px."""
    from programme.colours import contrast_ratio

    page = on_a_phone(strategist.username)
    page.goto(f"/uppfoljningar/{cycle.pk}/")
    ask = page.get_by_role("link", name="Lägg till en förfrågan (organisation och fokusområde)")
    colours = ask.evaluate(
        "e => { const s = getComputedStyle(e); return [s.color, s.borderColor]; }"
    )
    assert contrast_ratio(_hex(colours[0]), "#FFFFFF") >= 7, colours
    assert contrast_ratio(_hex(colours[1]), "#FFFFFF") >= 3, colours

    fill(contribution_a, reporter_a, results="Våtmarken är klar.")
    page = on_a_phone(reporter_a.username)
    page.goto(f"/bidrag/{contribution_a.pk}/")
    done = page.get_by_role("heading", name="Vad som har gjorts")
    results = page.get_by_role("heading", name="Resultat och effekter")
    dash = done.locator("xpath=following-sibling::*[1]")
    assert dash.inner_text().strip() == "–"
    gap = results.bounding_box()["y"] - (dash.bounding_box()["y"] + dash.bounding_box()["height"])
    assert gap >= 12, gap

    response = page.goto("/insatser/")  # the strategy department's register
    assert response.status == 404
    assert reflow_problems(page) == []
    check_accessibility(page)
