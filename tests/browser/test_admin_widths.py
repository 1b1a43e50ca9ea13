"""Admin forms fit a laptop's screen however long a focus area's title is (up to 200
characters), and an ordinary title can be read in its input."""

import datetime

import pytest

from programme.models import FocusArea, Programme

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 1280


@pytest.fixture
def long_title(administrator):
    """The next edition, whose focus area 2.1 has a title of 200 characters; the current
    edition's 2.1 continues as it."""
    from programme.editions import edition_create_next

    following = edition_create_next(
        programme=Programme.objects.get(),
        edition="2028–2031",
        valid_from=datetime.date(2028, 1, 1),
        valid_until=datetime.date(2031, 12, 31),
        by=administrator,
    )
    title = ("Minska klimatpåverkan från konsumtion, transporter och byggande " * 4)[:200]
    FocusArea.objects.filter(programme=following, code="2.1").update(title=title)
    return FocusArea.objects.get(programme__previous=None, code="2.1")


def test_admin_forms_with_a_long_focus_area_title_fit_the_screen(page, login, long_title):
    page.set_viewport_size({"width": WIDTH, "height": 900})
    login("administrator")
    for url in [
        f"/admin/programme/focusarea/{long_title.pk}/change/",
        "/admin/programme/indicator/add/",
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, (url, width)
        # Nor does a select reach out of the form, where it would be cut off.
        outside = page.evaluate(
            """() => {
                const right = document.querySelector('#content-main').getBoundingClientRect().right;
                return [...document.querySelectorAll('#content-main select')]
                    .filter(select => select.getBoundingClientRect().right > right + 1)
                    .map(select => select.name);
            }"""
        )
        assert outside == [], (url, outside)
    page.goto(f"/admin/programme/focusarea/{long_title.pk}/change/")
    delete = page.locator("#successor_links-group input[name$='-DELETE']").first
    box = delete.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTH
    # The title's input shows an ordinary title (some 60 characters) whole.
    title = page.locator("input[name=title]")
    assert title.evaluate("input => input.clientWidth") >= 500
    title.fill("Öka tryggheten och minska brottsligheten i hela kommunen nu")
    assert title.evaluate("input => input.scrollWidth <= input.clientWidth")
