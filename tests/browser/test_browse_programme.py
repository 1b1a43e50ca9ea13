"""A user logs in and walks the programme's pages; every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible_and_anonymous_visitors_land_there(
    page, check_accessibility, programme_data
):
    page.goto("/organisationer/")
    assert "/konto/logga-in/" in page.url
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    check_accessibility(page)


def test_a_reporter_walks_the_programme(page, login, check_accessibility, reporter_a):
    login("reporter_a")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")  # their work
    page.get_by_role("link", name="Programmet", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Livskvalitetsprogrammet 2025–2027")
    check_accessibility(page)

    page.get_by_role("link", name="2.1 Minimera klimatpåverkan och resursanvändningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^2\.1 Minimera"))
    expect(page.get_by_text("Bekämpa klimatförändringarna")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="2. Vi vill ha ett långsiktigt ansvarstagande").click()
    expect(page.get_by_role("heading", name="Andra styrdokument")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Programmet", exact=True).click()
    page.get_by_role("link", name="3.1 Öka tryggheten").click()
    expect(page.get_by_text("Inga globala mål är kopplade ännu")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Organisationer", exact=True).click()
    expect(page.get_by_role("rowheader", name="Öresundskraft AB")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()
    page.goto("/mina-uppgifter/")
    assert "/konto/logga-in/" in page.url  # logged out: the public side only
    page.goto("/")
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()
    assert page.get_by_role("button", name="Logga ut").count() == 0


def test_an_administrator_sees_the_completeness_panel(
    page, login, check_accessibility, administrator
):
    login("administrator")
    page.goto("/")
    panel = page.get_by_role("region", name="Datakvalitet")
    expect(panel).to_be_visible()
    gap = panel.locator("details", has_text="Fokusområden utan globala mål (9)")
    expect(gap.get_by_text("5.3 Skapa goda uppväxtvillkor för alla barn")).to_be_hidden()
    gap.get_by_text("Fokusområden utan globala mål (9)").click()
    expect(gap.get_by_text("5.3 Skapa goda uppväxtvillkor för alla barn")).to_be_visible()
    check_accessibility(page)


def test_the_sdg_badges_have_readable_text(page, login, reporter_a):
    """Computed in the browser: every badge's text contrasts at least 4.5:1."""
    login("reporter_a")
    page.goto("/")
    ratios = page.evaluate(
        """() => {
        const lum = (rgb) => {
            const [r, g, b] = rgb.match(/\\d+/g).slice(0, 3).map(Number).map((v) => {
                v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        return [...document.querySelectorAll('.sdg-badge')].map((el) => {
            const s = getComputedStyle(el);
            const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
            return (a + 0.05) / (b + 0.05); });
    }"""
    )
    assert len(ratios) >= 23
    assert min(ratios) >= 4.5


def test_the_app_switches_to_english(page, login, reporter_a):
    login("reporter_a")
    page.goto("/")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    expect(page.get_by_role("heading", name="Directions and focus areas")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
