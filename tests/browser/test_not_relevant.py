""" "Inte relevant för oss" asks for its reason in the browser too (issue 20)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_not_relevant_without_a_reason_is_refused_with_the_field_marked(
    logged_in, check_accessibility, cycle, reporter_a
):
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    page.get_by_label("Inte relevant för oss").check()
    page.get_by_role("button", name="Spara utkast").click()
    expect(
        page.get_by_role("link", name="Varför det inte är relevant: Ange varför")
    ).to_be_visible()
    expect(
        page.get_by_text("Ange varför fokusområde 2.1 inte berör er organisation.", exact=True)
    ).to_be_visible()
    assert page.get_by_label("Inte relevant för oss").is_checked()  # what was chosen is kept
    # A keyboard user starts at the error summary, not at the top of the page.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    check_accessibility(page)
    page.get_by_label("Varför det inte är relevant").fill("Vi har inga fordon.")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
