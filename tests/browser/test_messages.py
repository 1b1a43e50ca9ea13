"""A message after a form was sent ("Utkastet är sparat.", Django's messages at the top of
the next page) takes the keyboard's focus as the page loads: a screen reader says a
message that is there from the start only where the focus goes, and the keyboard goes on
from it. A page without a message leaves the focus alone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

AFTER_THE_FOCUS = "el => !!(el.compareDocumentPosition(document.activeElement) & 4)"


def test_the_message_after_saving_takes_the_focus(
    logged_in, check_accessibility, contribution_a, reporter_a
):
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution_a.pk}/redigera/")
    assert page.evaluate("document.activeElement === document.body")
    page.get_by_label("Vad som har gjorts").fill("Vi har bytt till elbilar.")
    page.get_by_role("button", name="Spara utkast").click()

    message = page.get_by_role("alert").filter(has_text="Utkastet är sparat.")
    expect(message).to_be_visible()
    focused = page.locator(":focus")
    expect(focused).to_contain_text("Utkastet är sparat.")
    assert focused.evaluate("el => el.closest('main') !== null")
    check_accessibility(page)
    page.keyboard.press("Tab")  # on from the message, not from the top of the page
    assert message.evaluate(AFTER_THE_FOCUS)

    page.reload()  # no message now: the focus stays where a page starts
    expect(page.get_by_role("alert")).to_have_count(0)
    assert page.evaluate("document.activeElement === document.body")


def test_the_message_in_the_section_the_page_lands_on_takes_the_focus(
    logged_in, check_accessibility, contribution_a, reporter_a
):
    """A section's button ("Ange samverkan") saves the draft and lands on the section
    (#collaboration), whose message says so: that message takes the focus, not the top
    of the page, so the keyboard goes on into the section's fields."""
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution_a.pk}/redigera/")
    group = page.get_by_role("group", name="Samverkan")
    group.get_by_role("button", name="Ange samverkan").click()
    page.wait_for_url("**#collaboration")

    message = page.get_by_role("alert").filter(has_text="Ändra samverkan nedan.")
    expect(message).to_be_visible()
    focused = page.locator(":focus")
    expect(focused).to_have_text("Utkastet är sparat. Ändra samverkan nedan.")
    assert focused.evaluate("el => el.closest('#collaboration') !== null")
    box = focused.bounding_box()  # on the screen the page landed on
    assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]
    check_accessibility(page)
    page.keyboard.press("Tab")  # on from the message, into the section
    assert page.evaluate("document.activeElement.closest('#collaboration') !== null")
    assert message.evaluate(AFTER_THE_FOCUS)


def test_the_message_in_an_opened_action_takes_the_focus(logged_in, contribution_a, reporter_a):
    """ "Ändra insats 1" saves the draft and lands on that action (#insats-1), whose
    message takes the focus; the keyboard goes on into the action's fields."""
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution_a.pk}/redigera/")
    page.get_by_role("button", name="Lägg till en insats").click()
    page.get_by_role("group", name="Insats 1").get_by_label("Titel").fill("Elbilspool")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()

    page.get_by_role("button", name="Ändra insats 1").click()
    page.wait_for_url("**#insats-1")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Utkastet är sparat. Ändra insatsen nedan.")
    assert focused.evaluate("el => el.closest('#insats-1') !== null")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#insats-1') !== null")


def test_a_message_sent_is_confirmed_in_the_thread_the_page_lands_on(
    logged_in, check_accessibility, cycle, reporter_a
):
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    page = logged_in("reporter_a")
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(f"/bidrag/{contribution.pk}/")
    page.get_by_text("Skriv ett meddelande").click()
    page.get_by_label("Ditt meddelande").fill("En fråga om 2.1.")
    page.get_by_role("button", name="Skicka meddelandet").click()
    page.wait_for_url("**#thread")
    thread = page.get_by_role("region", name="Meddelanden")
    sent = thread.get_by_role("alert").filter(has_text="Ditt meddelande är skickat.")
    expect(sent).to_be_visible()
    expect(sent).to_be_focused()
    expect(sent).to_be_in_viewport()
    # Said once: not also at the top, out of view.
    assert page.get_by_text("Ditt meddelande är skickat.").count() == 1
    check_accessibility(page)
