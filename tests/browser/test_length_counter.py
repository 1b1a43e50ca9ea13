"""A field at its limit says so while typing; pasted text is never cut by the browser."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_counter_warns_and_nothing_is_cut(logged_in, check_accessibility, cycle, reporter_a):
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    title = page.get_by_label("Titel")
    counter = page.locator("#id_actions-0-title-count")
    assert counter.inner_text() == "0 av 300 tecken"
    pasted = ("Lång titel " * 30).strip()  # 329 characters, as if pasted
    title.fill(pasted)
    assert title.input_value() == pasted  # all of it, nothing cut
    assert (
        counter.inner_text() == "29 tecken för mycket: 329 av 300. Korta texten; inget klipps bort."
    )
    assert "char-count-over" in counter.get_attribute("class")
    assert counter.get_attribute("id") in title.get_attribute("aria-describedby")
    check_accessibility(page)
    page.get_by_role("button", name="Spara utkast").click()
    assert page.get_by_text("som mest 300 tecken (den har 329)").first.is_visible()
    assert page.get_by_label("Titel").input_value() == pasted
