"""A visitor without an account reads the programme, its statistics and a published
report, in Swedish and in English; every page passes axe-core."""

import pytest
from playwright.sync_api import expect

from programme.demo import demo_values_load
from programme.models import Indicator
from reporting.models import Report
from reporting.report.data import report_data, stated_response
from tests.factories import published_report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def public_world(cycle, strategist, approver_a, contribution_a):
    demo_values_load()
    report, version = published_report(cycle, strategist, approver_a, contribution_a)
    # What a compile keeps of how many were asked and approved, in all and per focus area.
    kept = stated_response(report_data(cycle))
    Report.objects.filter(pk=report.pk).update(response_counts=kept)
    return {"report": report, "version": version}


def _walk(page, check_accessibility, world, words):
    report = world["report"]
    indicator = Indicator.objects.filter(gender_split=True, values__isnull=False).first()
    pages = [
        "/",
        "/viljeinriktningar/2/",
        "/fokusomraden/2.1/",
        "/statistik/",
        "/statistik/2.1/",
        f"/statistik/indikatorer/{indicator.pk}/",
        f"/statistik/indikatorer/{Indicator.objects.get(external_id='N00401').pk}/",  # a target
        "/globala-mal/",
        "/globala-mal/13/",
        "/rapporter/",
        "/rapporter/insatser/",
        "/rapporter/insatser/2.1/",
        f"/rapporter/{report.cycle_id}/{report.number}/",
        f"/rapporter/{report.cycle_id}/{report.number}/bidrag/{world['version'].pk}/",
        "/tillganglighet/",
        "/api/v1/docs/",
    ]
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        assert "/konto/logga-in/" not in page.url
        check_accessibility(page)
    page.goto("/statistik/")
    for word in words:
        assert page.get_by_role("link", name=word, exact=True).first.is_visible(), word


def test_a_visitor_reads_the_public_side_in_swedish(page, check_accessibility, public_world):
    _walk(page, check_accessibility, public_world, ["Programmet", "Statistik", "Rapporter"])
    assert page.locator("html").get_attribute("lang") == "sv"
    report = public_world["report"]
    page.goto(f"/rapporter/{report.cycle_id}/{report.number}/")
    counts = page.get_by_role("table", name="Per fokusområde", exact=False)
    expect(counts.get_by_role("columnheader", name="Tillfrågade")).to_be_visible()
    row = counts.get_by_role("row", name="2.1 Minimera klimatpåverkan", exact=False)
    expect(row.get_by_role("cell")).to_have_text(["16", "1"])
    page.goto(f"/statistik/indikatorer/{Indicator.objects.get(external_id='N00401').pk}/")
    expect(page.locator(".indicator-target")).to_contain_text("Inte i takt med målet")
    expect(page.locator(".indicator-target")).to_contain_text("högst 2,0 ton CO₂e/inv år 2030")
    expect(page.locator(".indicator-comparison")).to_contain_text("Jämfört med andra kommuner 2026")
    expect(page.locator(".indicator-comparison")).to_contain_text("Riket: 3,4.")
    page.goto("/globala-mal/13/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bekämpa klimatförändringarna")
    expect(
        page.get_by_role("link", name="2.1 Minimera klimatpåverkan", exact=False)
    ).to_be_visible()


def test_a_visitor_reads_the_public_side_in_english(page, check_accessibility, public_world):
    page.goto("/")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    _walk(page, check_accessibility, public_world, ["Programme", "Statistics", "Reports"])
    page.goto(f"/statistik/indikatorer/{Indicator.objects.get(external_id='N00401').pk}/")
    expect(page.locator(".indicator-target")).to_contain_text("Not on track for the target")
    expect(page.locator(".indicator-target")).to_contain_text(
        "at most 2.0 tonnes CO₂e/inhabitant in 2030"
    )
    comparison = page.locator(".indicator-comparison")
    expect(comparison).to_contain_text("Compared with other municipalities in 2026")
    expect(comparison).to_contain_text("Sweden: 3.4.")
    expect(comparison).to_contain_text("in the second best quarter")
    page.goto("/fokusomraden/2.1/")
    expect(
        page.get_by_text("the programme's texts and what the organisations report")
    ).to_be_visible()
    heading = page.get_by_role("heading", level=1).locator("bdi")
    assert heading.get_attribute("lang") == "sv"


def test_a_statistics_page_prints_without_the_menus(page, public_world):
    indicator = Indicator.objects.filter(gender_split=True, values__isnull=False).first()
    page.goto(f"/statistik/indikatorer/{indicator.pk}/")
    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".indicator-chart svg")).to_be_visible()
    expect(page.locator(".indicator-table")).to_be_visible()
    expect(page.locator(".demo-values").first).to_be_visible()  # demo stays labelled on paper


def test_a_withdrawn_publication_is_withdrawn_in_the_open(
    page, check_accessibility, public_world, strategist
):
    """Its page stays and says when and why; its files answer 410 with a page of their
    own; the list shows it as withdrawn. Each page passes axe."""
    from reporting.report.compile import report_unpublish

    report = public_world["report"]
    report_unpublish(report=report, by=strategist, reason="Fel siffror i 3.2.")
    page.goto("/rapporter/")
    expect(page.get_by_text("version 1: publiceringen är återkallad")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name=report.cycle.title).click()
    expect(
        page.get_by_role("heading", name="Publiceringen av den här rapporten är återkallad")
    ).to_be_visible()
    expect(page.get_by_text("Fel siffror i 3.2.")).to_be_visible()
    check_accessibility(page)
    response = page.goto(f"/uppfoljningar/{report.cycle_id}/rapport/{report.number}.html")
    assert response.status == 410
    expect(page.get_by_role("heading", name="Återkallad publicering")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="När och varför").click()
    expect(page.get_by_text("Fel siffror i 3.2.")).to_be_visible()


def test_a_replaced_versions_contribution_leads_to_it_in_the_version_that_replaced_it(
    page, check_accessibility, public_world, strategist
):
    """The contribution's page of a replaced version answers 410 and links the same
    contribution in the version that replaced it, whose page says its number in Bilaga 2.
    Each page passes axe."""
    from tests.factories import report_of

    report, version = public_world["report"], public_world["version"]
    report_of(report.cycle, strategist, [version])  # version 2, published, replaces it
    response = page.goto(f"/rapporter/{report.cycle_id}/{report.number}/bidrag/{version.pk}/")
    assert response.status == 410
    check_accessibility(page)
    page.get_by_role("link", name="Läs bidraget i version 2, som ersatte den").click()
    expect(page.get_by_text("[1] i rapporten: Bilaga 2, bidrag 1")).to_be_visible()
    assert page.url.endswith(f"/rapporter/{report.cycle_id}/2/bidrag/{version.pk}/")
    check_accessibility(page)
