"""The cycle's pages issue 20 changed, read in English: their text comes from the English
catalogue and every page passes axe-core (the Swedish runs are in the other files)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def in_english(page):
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_strategist_prepares_asks_and_reminds_in_english(
    logged_in, check_accessibility, cycle, strategist, reporter_a
):
    from programme.models import FocusArea, Organisation, Responsibility
    from tests.factories import new_cycle

    reporter_a.email = "reporter_a@example.org"
    reporter_a.save()
    miljo = Organisation.objects.get(name="Miljönämnden")
    Responsibility.objects.create(organisation=miljo, focus_area=FocusArea.objects.get(code="2.2"))
    planned = new_cycle(first_year=2026, last_year=2027, due_on=cycle.due_on)

    page = logged_in("strategist")
    in_english(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")

    # Before opening: who is asked nothing, and the cycle can still be changed.
    page.goto(f"/uppfoljningar/{planned.pk}/oppna/")
    expect(page.get_by_role("heading", name="Who is asked nothing")).to_be_visible()
    check_accessibility(page)
    page.goto(f"/uppfoljningar/{planned.pk}/andra/")
    page.get_by_label("Last year covered").fill("2029")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("2025–2027").first).to_be_visible()
    check_accessibility(page)

    # An open cycle: one more organisation asked, one reminded.
    page.goto(f"/uppfoljningar/{cycle.pk}/")
    page.get_by_role("link", name="Add a request (organisation and focus area)").click()
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    check_accessibility(page)
    page.goto(f"/uppfoljningar/{cycle.pk}/organisationer/{miljo.pk}/")
    page.get_by_role("button", name="Remind Miljönämnden").click()
    expect(page.get_by_text("A reminder was sent to 1 person at Miljönämnden.")).to_be_visible()
    expect(page.get_by_text("sent by")).to_be_visible()
    check_accessibility(page)

    # The report: what the list says after compiling is what is so.
    page.goto(f"/uppfoljningar/{cycle.pk}/rapport/")
    page.get_by_role("button", name="Compile a new version (PDF)").click()
    expect(page.get_by_text("Version 1 of the report is compiled.")).to_be_visible()
    check_accessibility(page)


def test_a_reporter_gives_a_reason_in_english(
    logged_in, check_accessibility, contribution_a, reporter_a
):
    page = logged_in("reporter_a")
    in_english(page)
    page.goto(f"/bidrag/{contribution_a.pk}/redigera/")
    page.get_by_label("Not relevant for us").check()
    page.get_by_role("button", name="Save draft").click()
    summary = "Why it is not relevant: Say why focus area 2.1 does not concern your organisation."
    expect(page.get_by_role("link", name=summary)).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    check_accessibility(page)
