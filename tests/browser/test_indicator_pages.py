"""Every page that shows indicators passes axe-core: charts, tables and trends included."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_with_indicators_are_accessible(
    logged_in, check_accessibility, cycle, approver_a, strategist
):
    from programme.demo import demo_values_load

    demo_values_load()
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="3.2"
    )

    page = logged_in("approver_a")
    page.goto("/fokusomraden/3.2/")
    chart = page.get_by_role("img", name="Förvärvsarbetande invånare 20-64 år, andel (%)")
    expect(chart).to_be_visible()
    expect(
        page.get_by_role("table", name="Värden: Förvärvsarbetande invånare 20-64 år, andel (%)")
    ).to_be_visible()
    expect(page.get_by_text("Skillnad mellan kvinnor och män").first).to_be_visible()
    check_accessibility(page)

    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    page.get_by_label(
        "Er kommentar till indikatorn ”Förvärvsarbetande invånare 20-64 år, andel (%)”"
    ).fill("Våra feriejobb bidrar.")
    check_accessibility(page)
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()

    strategist_page = logged_in("strategist")
    strategist_page.goto(f"/uppfoljningar/{cycle.pk}/syntes/3.2/")
    expect(strategist_page.get_by_role("heading", name="Indikatorer")).to_be_visible()
    check_accessibility(strategist_page)
    strategist_page.goto(f"/uppfoljningar/{cycle.pk}/rapport/forhandsgranskning/")
    expect(
        strategist_page.get_by_role("img", name="Förvärvsarbetande invånare 20-64 år, andel (%)")
    ).to_be_visible()
    check_accessibility(strategist_page)
