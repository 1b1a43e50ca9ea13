"""After logging in, the user is on *Mina uppgifter*, where their work is (issue 20)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_lands_on_my_tasks_with_their_links(
    logged_in, check_accessibility, administrator
):
    page = logged_in("administrator")
    assert page.url.endswith("/mina-uppgifter/")
    assert page.get_by_role("heading", name="Mina uppgifter").is_visible()
    section = page.get_by_role("region", name="För administratörer")
    assert section.get_by_role("link", name="Administration").is_visible()
    check_accessibility(page)
