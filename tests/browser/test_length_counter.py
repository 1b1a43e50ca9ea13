"""A field at its limit says so while typing; pasted text is never cut by the browser."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_counter_warns_and_nothing_is_cut(logged_in, check_accessibility, cycle, reporter_a):
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    page.get_by_role("button", name="Lägg till en insats").click()  # the first action
    title = page.get_by_label("Titel")
    counter = page.locator("#id_actions-0-title-count")
    expect(counter).to_have_text("0 av 300 tecken")
    pasted = ("Lång titel " * 30).strip()  # 329 characters, as if pasted
    title.fill(pasted)
    assert title.input_value() == pasted  # all of it, nothing cut
    expect(counter).to_have_text(
        "29 tecken för mycket: 329 av 300. Korta texten; inget klipps bort."
    )
    assert "char-count-over" in counter.get_attribute("class")
    assert counter.get_attribute("id") in title.get_attribute("aria-describedby")
    check_accessibility(page)
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("som mest 300 tecken (den har 329)").first).to_be_visible()
    assert page.get_by_label("Titel").input_value() == pasted


def test_leaving_a_field_moves_nothing_under_the_pointer(logged_in, cycle, reporter_a):
    """A counter that vanished on blur moved the page between mouse down and mouse up."""
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    page.get_by_role("button", name="Lägg till en insats").click()  # the first action
    page.get_by_label("Titel").fill("Elbilspool")
    groups = page.locator("summary", has_text="Grupper som nås")
    top = "e => e.getBoundingClientRect().top + window.scrollY"
    before = groups.evaluate(top)
    groups.click()  # the title loses focus on mouse down
    assert groups.evaluate(top) == before
    expect(page.get_by_label("Barn och unga")).to_be_visible()
    expect(page.locator("#id_actions-0-title-count")).to_have_text("10 av 300 tecken")


def test_a_message_over_the_limit_comes_back_with_the_limit_and_the_text(
    logged_in, check_accessibility, cycle, reporter_a
):
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/")
    page.get_by_text("Skriv ett meddelande").click()
    typed = "Fråga om 2.1. " * 400  # 5 600 characters
    page.get_by_label("Ditt meddelande").fill(typed)
    page.get_by_role("button", name="Skicka meddelandet").click()
    expect(page.get_by_role("heading", name="Ditt meddelande skickades inte")).to_be_visible()
    expect(page.get_by_text("som mest 5000 tecken").first).to_be_visible()
    assert page.get_by_label("Ditt meddelande").input_value() == typed  # as typed
    check_accessibility(page)
    page.get_by_label("Ditt meddelande").fill("Fråga om 2.1.")
    page.get_by_role("button", name="Skicka meddelandet").click()
    expect(page.get_by_text("Ditt meddelande är skickat.")).to_be_visible()
