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
