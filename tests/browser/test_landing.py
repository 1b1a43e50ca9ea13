"""After logging in, the user is on *Mina uppgifter*, where their work is (issue 20)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_lands_on_my_tasks_with_their_links(
    logged_in, check_accessibility, administrator
):
    page = logged_in("administrator")
    assert page.url.endswith("/mina-uppgifter/")
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()
    section = page.get_by_role("region", name="För administratörer")
    expect(section.get_by_role("link", name="Administration")).to_be_visible()
    check_accessibility(page)


@pytest.mark.parametrize("width", [1280, 1440])
def test_a_strategists_menu_is_one_line_on_a_laptop(logged_in, strategist, width):
    """The strategist's menu, the longest but an administrator's, with a long name beside
    it, fits one line of a laptop's screen (1280 px and wider): nothing wraps below."""
    strategist.first_name, strategist.last_name = "Margareta", "Strategsson-Lindqvist"
    strategist.save()
    page = logged_in("strategist")
    page.set_viewport_size({"width": width, "height": 800})
    menu = page.get_by_role("navigation", name="Huvudmeny")
    items = menu.locator(".navbar-nav > li, .navbar-text, form")
    expect(menu.get_by_role("link", name="Ansvar")).to_be_visible()
    tops = {
        round(box["y"] + box["height"] / 2)
        for box in items.evaluate_all(
            "items => items.map(item => item.getBoundingClientRect().toJSON())"
        )
    }
    assert items.count() >= 11 and max(tops) - min(tops) <= 4, tops


def test_the_menu_lines_up_with_the_page_for_everybody_else(page, programme_data):
    """Only the strategist's long menu takes the whole width: the public's lines up with
    the page below it."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    brand = page.locator(".navbar-brand").bounding_box()
    heading = page.locator("main h1").first.bounding_box()
    assert abs(brand["x"] - heading["x"]) <= 2, (brand, heading)
