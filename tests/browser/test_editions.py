"""An administrator makes the next edition in the admin, then anybody reads it at its own
addresses; every page on the way passes axe-core."""

import pytest

from programme.models import Programme

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_next_edition_is_made_in_the_admin_and_read_at_its_own_addresses(
    page, login, check_accessibility, administrator, new_page
):
    old = Programme.objects.get()
    login("administrator")
    page.goto(f"/admin/programme/programme/{old.pk}/change/")
    check_accessibility(page)
    page.get_by_role("link", name="Skapa nästa utgåva utifrån den här", exact=True).click()
    page.wait_for_url("**/nasta-utgava/")
    check_accessibility(page)
    assert Programme.objects.count() == 1  # the page asks first
    page.get_by_label("Utgåva").fill("2028–2031")
    page.get_by_label("Gäller från").fill("2028-01-01")
    page.get_by_label("Gäller till och med").fill("2031-12-31")
    page.get_by_role("button", name="Skapa nästa utgåva").click()
    page.wait_for_url("**/change/")
    assert "skapades utifrån" in page.locator(".messagelist").inner_text()
    check_accessibility(page)
    page.screenshot(path="test-artifacts/edition-admin.png", full_page=True)

    visitor = new_page()
    assert visitor.goto("/program/2028-2031/").status == 404  # not published yet
    Programme.objects.filter(edition="2028–2031").update(published=True)
    for path in ["/program/2028-2031/", "/program/2028-2031/fokusomraden/2.1/",
                 "/program/2028-2031/statistik/"]:  # fmt: skip
        response = visitor.goto(path)
        assert response.status == 200, path
        assert "som börjar gälla" in visitor.locator("main").inner_text(), path
        check_accessibility(visitor)
    visitor.goto("/program/2028-2031/")
    visitor.get_by_role(
        "link", name="2.1 Minimera klimatpåverkan och resursanvändningen"
    ).first.click()
    visitor.wait_for_url("**/program/2028-2031/fokusomraden/2.1/")
    visitor.screenshot(path="test-artifacts/edition-page.png", full_page=True)
