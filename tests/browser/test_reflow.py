"""At 320 CSS px (WCAG 2.1 AA 1.4.10, reflow) the busy pages of a follow-up fit the window:
nothing makes the page scroll sideways, and only a data table scrolls, inside its own box.
A web address or a long compound word pasted into a contribution's text breaks instead of
pushing the page wider, in the form, in the previous cycle's answer beside it and on the
read-only pages."""

import datetime

import pytest

from programme.demo import demo_values_load
from reporting.models import ContributionVersion
from reporting.report.compile import report_publish
from tests.browser.measure import reflow_problems
from tests.factories import LONG_LINK, LONG_WORD, approve, compile_report, fill, new_cycle

pytestmark = pytest.mark.django_db(transaction=True)

REFLOW = {"width": 320, "height": 700}

# A pasted web address and a long compound word (as tests/factories says them).
LONG_TEXT = f"Se {LONG_LINK} om {LONG_WORD}."


def test_a_follow_ups_busy_pages_reflow_to_320_px(
    logged_in,
    check_accessibility,
    cycle,
    strategist,
    approver_a,
    contribution_a,
    django_capture_on_commit_callbacks,
):
    from reporting.services import contribution_submit, cycle_open

    demo_values_load()
    # Last cycle: an approved answer with the long words, in a published report.
    approve(contribution_a, approver_a, strategist, done=LONG_TEXT, results=LONG_TEXT)
    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    report_publish(report=report, by=strategist, accept_gaps=True)
    version = ContributionVersion.objects.get(contribution=contribution_a, event="approved")
    # This cycle: the same organisation's answer, shown its previous one beside each field.
    later = new_cycle(
        programme=cycle.programme,
        opens_on=datetime.date(2028, 1, 10),
        due_on=datetime.date(2099, 3, 1),
    )
    cycle_open(cycle=later, by=strategist)
    new = later.contributions.get(organisation=contribution_a.organisation, focus_area__code="2.1")
    fill(new, approver_a)

    problems = {}

    def check(page, path, *, axe=False):
        page.goto(path)
        for details in page.locator("details.previous-answer").all():
            details.evaluate("e => e.open = true")
        found = reflow_problems(page)
        if found:
            problems[path] = found
        if axe:  # said with the rest, so that one run shows every page's problems
            try:
                check_accessibility(page)
            except AssertionError as error:
                problems.setdefault(path, []).append(str(error).split("\nassert")[0])

    approver = logged_in(approver_a.username)
    approver.set_viewport_size(REFLOW)
    approver.goto(f"/bidrag/{new.pk}/redigera/")
    approver.get_by_label("Vad som har gjorts").fill(LONG_TEXT)
    approver.get_by_role("button", name="Spara utkast").click()
    approver.wait_for_url(f"**/bidrag/{new.pk}/**")
    check(approver, f"/bidrag/{new.pk}/redigera/", axe=True)
    assert approver.locator("details.previous-answer", has_text=LONG_WORD).count() >= 1
    check(approver, f"/bidrag/{new.pk}/", axe=True)
    check(approver, f"/bidrag/{contribution_a.pk}/")
    check(approver, f"/bidrag/{contribution_a.pk}/versioner/2/")
    check(approver, "/mina-uppgifter/")
    contribution_submit(contribution=new, by=approver_a)

    page = logged_in(strategist.username)
    page.set_viewport_size(REFLOW)
    for path in [
        f"/bidrag/{new.pk}/granska/",
        f"/uppfoljningar/{later.pk}/",
        f"/uppfoljningar/{later.pk}/matris/",
        f"/uppfoljningar/{cycle.pk}/rapport/{report.number}.html",
        "/styrdokument/",
    ]:
        check(page, path, axe=True)
    for path in [
        f"/uppfoljningar/{cycle.pk}/",
        f"/uppfoljningar/{cycle.pk}/matris/",
        f"/uppfoljningar/{later.pk}/organisationer/{contribution_a.organisation_id}/",
        f"/uppfoljningar/{cycle.pk}/syntes/",
        f"/uppfoljningar/{cycle.pk}/rapport/",
        "/granskning/",
        "/insatser/",
        f"/rapporter/{cycle.pk}/{report.number}/",
        f"/rapporter/{cycle.pk}/{report.number}/bidrag/{version.pk}/",
        "/statistik/",
        "/statistik/2.1/",
    ]:
        check(page, path)
    # At 375 px, a common phone's width, the pages the tester found scrolling sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    for path in [
        "/styrdokument/",  # its table was 492 px wide, outside a box of its own
        f"/bidrag/{new.pk}/granska/",
        f"/uppfoljningar/{cycle.pk}/matris/",
        f"/uppfoljningar/{cycle.pk}/rapport/{report.number}.html",
    ]:
        check(page, path)
    # The report's overview and the matrix, wider than a phone, scroll in their own boxes.
    overview = page.locator('[role="region"][tabindex="0"]:has(> table.overview)')
    assert overview.evaluate("e => e.scrollWidth > e.clientWidth")
    page.goto(f"/uppfoljningar/{cycle.pk}/matris/")
    matrix = page.locator(".table-responsive:has(> table.matrix)")
    assert matrix.evaluate("e => e.scrollWidth > e.clientWidth")
    assert matrix.get_attribute("tabindex") == "0"
    # The pages were what they were meant to be: the long words are on them.
    page.goto(f"/bidrag/{new.pk}/granska/")
    assert page.get_by_text(LONG_WORD).count() >= 1
    assert problems == {}, "\n".join(f"{path}: {found}" for path, found in problems.items())
