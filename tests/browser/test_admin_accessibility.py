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


def test_the_whole_programme_is_previewed_then_imported_from_the_programmes_list(
    page, login, check_accessibility, administrator, tmp_path
):
    """The page "Importera programmet": a refused file, the preview and the import, each
    passing axe-core."""
    from programme.models import FocusArea
    from tests.factories import workbook

    login("administrator")
    page.goto("/admin/programme/programme/")
    page.get_by_role("link", name="Importera programmet").click()
    page.wait_for_url("**/importera-programmet/")
    check_accessibility(page)

    (tmp_path / "fokusomraden.csv").write_bytes(b"program,kod\n")
    page.get_by_label("Programmets arbetsbok (.xlsx)").set_input_files(
        tmp_path / "fokusomraden.csv"
    )
    page.get_by_role("button", name="Förhandsgranska importen").click()
    assert "Välj en Excel-arbetsbok" in page.locator("#content-main").inner_text()
    check_accessibility(page)

    changed = tmp_path / "programme.xlsx"
    changed.write_bytes(workbook(fokusomraden={("kod", "2.1", "titel"): "Ny titel på 2.1"}))
    page.get_by_label("Programmets arbetsbok (.xlsx)").set_input_files(changed)
    page.get_by_role("button", name="Förhandsgranska importen").click()
    page.get_by_role("heading", name="Vad importen skulle göra").wait_for()
    check_accessibility(page)
    page.screenshot(path="test-artifacts/programme-import-preview.png", full_page=True)
    assert FocusArea.objects.get(code="2.1").title != "Ny titel på 2.1"  # asked first

    page.get_by_role("button", name="Importera", exact=True).click()
    page.wait_for_url("**/admin/programme/programme/")
    assert "importerades" in page.locator(".messagelist").inner_text()
    assert FocusArea.objects.get(code="2.1").title == "Ny titel på 2.1"
    check_accessibility(page)
