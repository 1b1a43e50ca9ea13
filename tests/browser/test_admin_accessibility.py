"""The administration is used every day too: its main pages pass axe-core."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN_PAGES = [
    "/admin/",
    "/admin/programme/focusarea/",
    "/admin/programme/focusarea/{focus_area}/change/",
    "/admin/programme/focusarea/{focus_area}/history/",
    "/admin/programme/focusarea/import/",
    "/admin/programme/focusarea/export/",
    "/admin/programme/organisation/",
]


def test_admin_pages_pass_axe(page, login, check_accessibility, administrator):
    from programme.models import FocusArea

    focus_area = FocusArea.objects.get(code="2.1").pk
    login("administrator")
    for url in ADMIN_PAGES:
        page.goto(url.format(focus_area=focus_area))
        assert page.locator("html").get_attribute("lang") == "sv", page.url
        check_accessibility(page)
