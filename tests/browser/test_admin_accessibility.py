"""The administration is used every day too: its main pages pass axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.measure import LINES_OF

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
    expect(page.locator("#content-main")).to_contain_text("Välj en Excel-arbetsbok")
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


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_the_demo_banner_stands_above_the_admin_header_and_no_words_are_cut(
    page, login, check_accessibility, administrator, strategist, settings, width
):
    """On an installation with demo data the administration's yellow note stands above its
    blue header, the whole width of the window, as on the app's own pages; the header's
    name keeps its line. On a programme's page the button that makes the next edition and
    the chosen owner are said whole, wrapped if need be, never cut with an ellipsis."""
    from programme.models import Membership, Programme

    settings.SHOW_DEMO_BANNER = True
    Membership.objects.filter(user=strategist).update(is_demo=True)  # as load_demo marks
    programme = Programme.objects.get()
    page.set_viewport_size({"width": width, "height": 900})
    login("administrator")
    page.goto(f"/admin/programme/programme/{programme.pk}/change/")
    page.screenshot(path=f"test-artifacts/admin-programme-{width}.png", full_page=True)

    banner = page.get_by_role("note").filter(has_text="demoanvändare").bounding_box()
    header = page.locator("#header").bounding_box()
    assert banner["y"] + banner["height"] <= header["y"] + 1, (banner, header)
    assert banner["x"] <= 0 and banner["width"] >= width - 1, banner
    name = page.get_by_role("link", name="Livskvalitet – administration")
    if width >= 375:  # at 320 px its 24 px take two lines, as they may
        assert name.evaluate(LINES_OF, "Livskvalitet – administration") == 1
    for words in [
        # Not "utifrån den här …": the label reads whole, not as cut off.
        page.get_by_role("link", name="Skapa nästa utgåva utifrån den här", exact=True),
        page.locator(".field-owner .select2-selection__rendered"),
    ]:
        assert words.is_visible()
        assert words.evaluate("e => e.scrollWidth <= e.clientWidth"), words.inner_text()
        box = words.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert (
        "Avdelningen för strategisk samhällsutveckling" in page.locator(".field-owner").inner_text()
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    check_accessibility(page)
