"""The public side: the programme, its statistics and its published reports, for anybody.

Everything is tried as an anonymous visitor: what the page shows, that it may be cached,
that its cost does not grow with the data, and that nothing unpublished is reachable.
"""

import io

import openpyxl
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.demo import demo_values_load
from programme.indicators import indicator_views
from programme.models import FocusArea, Indicator, IndicatorValue, Municipality
from reporting import services
from reporting.models import ContributionVersion, Report
from tests.factories import COMPLETE, approve, fill, page_text, published_report

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("programme:overview", {}),
    ("programme:direction-detail", {"number": 2}),
    ("programme:focus-area-detail", {"code": "2.1"}),
    ("programme:statistics", {}),
    ("programme:statistics-focus-area", {"code": "2.1"}),
    ("reporting:published-reports", {}),
    ("accessibility-statement", {}),
]
# Built from published reports: public, but asked again every time, so that a withdrawn
# publication is gone at once (tests/test_withdrawable_caching.py).
REVALIDATED = {"reporting:published-reports"}


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_public_pages_are_open_and_may_be_cached(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    cache = response["Cache-Control"]
    kept = "no-cache" if name in REVALIDATED else "max-age=300"
    assert "public" in cache and kept in cache
    assert "Cookie" in response["Vary"]
    # A page that caches share carries nothing of one visitor: no CSRF token, no cookie.
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_a_logged_in_users_copy_stays_private(client, strategist, name, kwargs):
    client.force_login(strategist)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_logged_in_users_see_their_panels_and_visitors_do_not(client, strategist):
    url = reverse("programme:overview")
    assert "Datakvalitet" not in page_text(client.get(url))
    client.force_login(strategist)
    assert "Datakvalitet" in page_text(client.get(url))


def test_the_menu_offers_visitors_the_public_side_and_login(client):
    text = page_text(client.get(reverse("programme:overview")))
    for word in ["Programmet", "Statistik", "Rapporter", "Logga in", "Tillgänglighetsredogörelse"]:
        assert word in text, word
    assert "Mina uppgifter" not in text


def _gendered_indicator():
    """An indicator split by gender, with demo values for Helsingborg, women, men and
    Sweden."""
    demo_values_load()
    indicator = Indicator.objects.filter(gender_split=True, values__isnull=False).first()
    assert indicator is not None, "the demo has a gender-split indicator"
    return indicator


def test_an_indicators_statistics_page_has_what_a_resident_needs(client):
    indicator = _gendered_indicator()
    response = client.get(reverse("programme:statistics-indicator", args=[indicator.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(html)
    assert "<svg" in html and "<table" in html  # chart and data table
    assert "kvinnor" in text and "män" in text  # women and men
    assert "Riket" in text  # the comparison with Sweden
    assert "Trend:" in text and "2 procent" in text  # the trend and its rule
    assert f"Källa: {indicator.source}" in text
    assert "Senast uppdaterad" in text
    assert "Demovärden" in text  # demo values are labelled as demo
    assert "public" in response["Cache-Control"]


def test_a_resident_downloads_the_values_as_a_spreadsheet_with_numbers(client):
    """The page's table as a workbook with Swedish headings and numbers as numbers (a
    Swedish spreadsheet reads the API's CSV, with its decimal points, as text)."""
    indicator = _gendered_indicator()
    indicator.title = "=HYPERLINK(1)"  # a title is data: never a formula
    indicator.save()
    missing = IndicatorValue.objects.filter(
        indicator=indicator, municipality__code="1283", gender="T"
    ).order_by("-year")[0]
    missing.value, missing.status = None, "=1+1"  # nor what the source says of a gap
    missing.save()
    page = client.get(reverse("programme:statistics-indicator", args=[indicator.pk]))
    url = reverse("programme:statistics-indicator-workbook", args=[indicator.pk])
    assert url in page.content.decode()
    assert "Ladda ner värdena (Excel)" in page_text(page)
    response = client.get(url)
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values, about = book.worksheets
    assert values.title == "Demovärden"  # the demo's values say so
    rows = list(values.iter_rows(values_only=True))
    assert rows[0][0] == "År"
    assert {"Helsingborg", "Helsingborg, kvinnor", "Helsingborg, män"} <= set(rows[0])
    total = rows[0].index("Helsingborg")
    stored = {
        (value.year, value.gender): value.value
        for value in IndicatorValue.objects.filter(indicator=indicator, municipality__code="1283")
    }
    year = min(year for year, _gender in stored)
    row = next(row for row in rows if row[0] == year)
    assert row[total] == float(stored[(year, "T")])  # a number, not text
    gap = next(row for row in rows if row[0] == missing.year)
    assert gap[total] == "'=1+1"
    facts = dict(about.iter_rows(values_only=True))
    assert facts["Demo"].startswith("Demovärden – inte statistik för Helsingborg")
    assert facts["Indikator"] == "'=HYPERLINK(1)"
    assert facts["Källa"].startswith(indicator.source)
    assert facts["Från sidan"].endswith(page.wsgi_request.path)
    assert (
        client.get(reverse("programme:statistics-indicator-workbook", args=[999_999])).status_code
        == 404
    )


def test_the_downloads_of_the_figures_state_their_licence(client, settings):
    """Whoever takes the figures, as a spreadsheet or from the statistics pages, reads
    under which licence they are open data, as the API says."""
    settings.OPEN_DATA_LICENCE = {"name": "CC BY 4.0", "url": "https://example.org/by"}
    demo_values_load()
    indicator = next(v for v in indicator_views(FocusArea.objects.get(code="2.1")) if v.latest)
    pk = indicator.indicator.pk
    url = reverse("programme:statistics-indicator-workbook", args=[pk])
    book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    facts = dict(book.worksheets[1].iter_rows(values_only=True))
    assert facts["Licens"] == "CC BY 4.0 (https://example.org/by)"
    for page in ("programme:statistics", "programme:statistics-indicator"):
        response = client.get(reverse(page, args=[pk] if page.endswith("indicator") else []))
        assert "Öppna data under CC BY 4.0" in page_text(response), page
        assert 'href="https://example.org/by"' in response.content.decode(), page


def test_the_statistics_index_links_every_indicator_with_its_latest_value(client):
    demo_values_load()
    text_html = client.get(reverse("programme:statistics")).content.decode()
    for indicator in Indicator.objects.filter(active=True):
        assert reverse("programme:statistics-indicator", args=[indicator.pk]) in text_html
    view = next(v for v in indicator_views(FocusArea.objects.get(code="2.1")) if v.latest)
    assert str(view.latest[0]) in page_text(text_html)


def test_an_inactive_or_unknown_indicator_is_not_found(client):
    indicator = Indicator.objects.first()
    indicator.active = False
    indicator.save()
    assert client.get(reverse("programme:statistics-indicator", args=[indicator.pk])).status_code
    assert (
        client.get(reverse("programme:statistics-indicator", args=[indicator.pk])).status_code
        == 404
    )
    assert client.get(reverse("programme:statistics-indicator", args=[999_999])).status_code == 404


def test_an_indicators_page_reads_that_indicators_values_only(client):
    """The page of one indicator reads its own series, not those of every indicator of its
    focus area."""
    indicator = _gendered_indicator()
    others = Indicator.objects.filter(focus_area=indicator.focus_area, active=True)
    assert others.exclude(pk=indicator.pk).exists()
    url = reverse("programme:statistics-indicator", args=[indicator.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    reads = [q["sql"] for q in queries if 'FROM "programme_indicatorvalue"' in q["sql"]]
    assert len(reads) == 1 and f"IN ({indicator.pk})" in reads[0], reads


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("programme:overview", {}),
        ("programme:focus-area-detail", {"code": "2.1"}),
        ("programme:statistics", {}),
        ("programme:statistics-focus-area", {"code": "2.1"}),
    ],
)
def test_public_pages_cost_the_same_with_more_data(client, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    demo_values_load()
    before = _queries(client, url)
    sweden = Municipality.objects.get(code="0000")
    for indicator in Indicator.objects.all():
        for year in range(1990, 2000):
            IndicatorValue.objects.create(
                indicator=indicator, municipality=sweden, year=year, gender="T", value=year
            )
    assert _queries(client, url) == before


def test_a_published_report_lists_the_contributions_it_was_built_from(
    client, cycle, strategist, approver_a, contribution_a, contribution_b, reporter_b
):
    fill(contribution_b, reporter_b, **{**COMPLETE, "done": "HEMLIGT-UTKAST-B"})
    report, version = published_report(cycle, strategist, approver_a, contribution_a)
    page = client.get(reverse("reporting:published-report", args=[cycle.pk, report.number]))
    assert page.status_code == 200
    url = reverse("reporting:published-contribution", args=[cycle.pk, report.number, version.pk])
    assert url in page.content.decode()
    assert reverse("reporting:report-download", args=[cycle.pk, report.number]) in (
        page.content.decode()
    )
    contribution_page = client.get(url)
    assert contribution_page.status_code == 200
    assert "Offentligt godkänt bidrag" in page_text(contribution_page)
    assert "public" in contribution_page["Cache-Control"]
    for response in (page, contribution_page):
        assert "HEMLIGT-UTKAST-B" not in response.content.decode()


def test_an_unpublished_report_and_what_is_not_in_it_are_not_found(
    client, cycle, strategist, approver_a, contribution_a, contribution_b, reporter_b
):
    unpublished, version = published_report(
        cycle, strategist, approver_a, contribution_a, published=False
    )
    fill(contribution_b, reporter_b, **{**COMPLETE, "done": "HEMLIGT-UTKAST-B"})
    draft = ContributionVersion.objects.filter(contribution=contribution_b).last()
    published = Report.objects.create(
        cycle=cycle,
        number=unpublished.number + 1,
        status=Report.Status.DONE,
        compiled_by=strategist,
        published=True,
        page_count=1,
    )
    failed = Report.objects.create(
        cycle=cycle, number=published.number + 1, status=Report.Status.FAILED, published=False
    )
    attempts = [
        reverse("reporting:published-report", args=[cycle.pk, unpublished.number]),
        reverse("reporting:published-report", args=[cycle.pk, failed.number]),
        reverse(
            "reporting:published-contribution", args=[cycle.pk, unpublished.number, version.pk]
        ),
        # A published report leads to nothing it was not built from: not a draft, not an
        # approved version of another report.
        reverse("reporting:published-contribution", args=[cycle.pk, published.number, draft.pk]),
        reverse("reporting:published-contribution", args=[cycle.pk, published.number, version.pk]),
    ]
    for url in attempts:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "HEMLIGT" not in response.content.decode()


def test_the_report_index_links_each_reports_public_page(
    client, cycle, strategist, approver_a, contribution_a
):
    report, _version = published_report(cycle, strategist, approver_a, contribution_a)
    html = client.get(reverse("reporting:published-reports")).content.decode()
    assert reverse("reporting:published-report", args=[cycle.pk, report.number]) in html


def _english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_the_language_choice_is_kept_without_a_csrf_token(client):
    client.handler.enforce_csrf_checks = True
    _english(client)
    first = client.get(reverse("programme:overview")).content.decode()
    second = client.get(reverse("programme:statistics")).content.decode()
    for html in (first, second):
        assert '<html lang="en">' in html
        assert "Statistics" in html


def test_english_pages_say_that_the_programmes_texts_are_swedish_and_mark_them(client):
    _english(client)
    html = client.get(reverse("programme:focus-area-detail", args=["2.1"])).content.decode()
    assert "the programme's texts and what the organisations report are in Swedish" in html
    area = FocusArea.objects.get(code="2.1")
    assert f'<bdi lang="sv">{area.title}</bdi>' in html
    assert '<div lang="sv">' in html  # the description, a block of Swedish text
    assert "Global goals" in html and "Indicators" in html


def test_swedish_pages_do_not_mark_their_own_language(client):
    html = client.get(reverse("programme:focus-area-detail", args=["2.1"])).content.decode()
    assert '<bdi lang="sv">' not in html and '<div lang="sv">' not in html


def test_the_accessibility_statement_follows_the_swedish_template(client, settings):
    text = page_text(client.get(reverse("accessibility-statement")))
    for heading in [
        "Tillgänglighetsredogörelse",
        "Hur tillgänglig är webbplatsen?",
        "Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Hur vi testat webbplatsen",
    ]:
        assert heading in text, heading
    assert "Ingen kontaktadress" in text  # the missing contact is said, not invented
    assert "ACCESSIBILITY_CONTACT_EMAIL" not in text  # a setting is for administrators
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@example.org"
    html = client.get(reverse("accessibility-statement")).content.decode()
    assert 'href="mailto:tillganglighet@example.org"' in html


def test_the_site_and_the_report_judge_a_trend_by_the_same_rule(client):
    """Outside a cycle the trend starts at the programme's baseline year, as the report's
    does by default: the site and the council's report never disagree."""
    from programme.models import Programme

    indicator = _gendered_indicator()
    baseline = Programme.objects.get().baseline_year
    text = page_text(client.get(reverse("programme:statistics-indicator", args=[indicator.pk])))
    assert f"basåret {baseline}" in text
    assert f"({baseline}: " in text  # the trend's first value is the baseline year's


def test_a_csv_download_holds_the_whole_list(client):
    import csv
    import io

    demo_values_load()
    count = IndicatorValue.objects.filter(indicator__active=True).count()
    assert count > 100  # more than one page of JSON
    body = client.get(reverse("api:value-list-csv")).content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(body)))) == count + 1
    html = client.get(reverse("programme:statistics")).content.decode()
    assert reverse("api:value-list-csv") in html


def test_internal_notes_are_for_the_citys_staff(client, reporter_a):
    url = reverse("programme:focus-area-detail", args=["2.1"])
    assert "Att bekräfta" not in page_text(client.get(url))
    client.force_login(reporter_a)
    assert "Att bekräfta" in page_text(client.get(url))


def test_sweden_is_named_in_the_pages_language(client):
    indicator = _gendered_indicator()
    url = reverse("programme:statistics-indicator", args=[indicator.pk])
    assert "Riket" in page_text(client.get(url))
    _english(client)
    text = page_text(client.get(url))
    assert "Sweden" in text and "Riket" not in text


def test_a_question_left_unanswered_says_so(client, cycle, strategist, approver_a, contribution_a):
    services.question_add(cycle=cycle, by=strategist, text="Hur gick det?", kind="short_text")
    report, version = published_report(cycle, strategist, approver_a, contribution_a)
    url = reverse("reporting:published-contribution", args=[cycle.pk, report.number, version.pk])
    text = page_text(client.get(url))
    assert "Hur gick det? Inte besvarad." in text


def test_the_rule_stated_with_trends_is_the_rule_they_were_judged_by():
    """The synthesis page and the report judge from the cycle's baseline year; the rule
    printed under the indicators says that year (it once said "the first year")."""
    from programme.indicators import indicator_views_by_area

    demo_values_load()
    area = FocusArea.objects.get(code="2.1")
    from_baseline = indicator_views_by_area([area], first_year=2020, last_year=2026)[area.pk]
    assert from_baseline and all("2020" in view.rule for view in from_baseline)
    unbounded = indicator_views_by_area([area])[area.pk]
    assert all("2020" not in view.rule for view in unbounded)


def test_browsers_asking_for_favicon_ico_find_the_icon_every_page_names(client, admin_user):
    """Pages that name no icon (the API's JSON, the files) make browsers ask for
    /favicon.ico: it leads to the icon the pages name, not to a 404 in the logs."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = response["Location"]
    assert finders.find(icon.removeprefix(settings.STATIC_URL)).endswith("icon.svg")
    assert f'<link rel="icon" href="{icon}"' in client.get("/").content.decode()
    client.force_login(admin_user)
    assert f'<link rel="icon" href="{icon}"' in client.get("/admin/").content.decode()


def test_a_published_report_says_how_many_were_answered_as_it_did_when_compiled(
    client,
    cycle,
    strategist,
    approver_a,
    contribution_a,
    reporter_b,
    contribution_b,
    django_capture_on_commit_callbacks,
):
    from reporting.report.compile import report_publish
    from tests.factories import compile_report

    approve(contribution_a, approver_a, strategist)
    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    counts = report.response_counts
    assert {key: counts[key] for key in ("asked", "approved", "rate")} == {
        "asked": 208,
        "approved": 1,
        "rate": 0,
    }
    # Per focus area, in the report's order, as its overview says it ("1 av 16").
    assert len(counts["areas"]) == FocusArea.objects.count() == 13
    assert counts["areas"][0]["code"] == "2.1"  # direction 1 has no focus areas of its own
    assert next(area for area in counts["areas"] if area["code"] == "2.1") == {
        "direction": "2",
        "direction_title": "Vi vill ha ett långsiktigt ansvarstagande",
        "code": "2.1",
        "title": "Minimera klimatpåverkan och resursanvändningen",
        "asked": 16,
        "approved": 1,
    }
    assert sum(area["asked"] for area in counts["areas"]) == 208
    report_publish(report=report, by=strategist, accept_gaps=True)
    said = "1 av 208 förfrågningar besvarade och godkända (0 %)."
    per_area = "2.1 Minimera klimatpåverkan och resursanvändningen 16 1"
    with report.html_edition.open("rb") as edition:  # the report's own words
        printed = page_text(edition.read())
        assert said in printed
        assert "2.1 Minimera klimatpåverkan och resursanvändningen 1 av 16" in printed
    url = reverse("reporting:published-report", args=[cycle.pk, report.number])
    page = page_text(client.get(url))
    assert said in page
    assert "Fokusområde Tillfrågade Besvarade och godkända" in page
    assert "2. Vi vill ha ett långsiktigt ansvarstagande 2.1" in page  # grouped by direction
    assert per_area in page
    assert "2.2 Stärk ekosystemen och öka den biologiska mångfalden 16 0" in page
    # Approved after the report was compiled: not in it, so not on its page either.
    approve(contribution_b, reporter_b, strategist)
    page = page_text(client.get(url))
    assert said in page and per_area in page


def test_a_published_report_page_costs_the_same_with_the_count_and_more_contributions(
    client, cycle, strategist, approver_a, contribution_a, reporter_b, contribution_b
):
    report, _version = published_report(cycle, strategist, approver_a, contribution_a)
    url = reverse("reporting:published-report", args=[cycle.pk, report.number])
    before = _queries(client, url)
    # A version compiled before the count was kept says nothing of it.
    assert "förfrågningar besvarade" not in page_text(client.get(url))
    fill(contribution_b, reporter_b)
    services.contribution_submit(contribution=contribution_b, by=reporter_b)
    services.contribution_approve(contribution=contribution_b, by=strategist)
    report.built_from.add(
        ContributionVersion.objects.get(contribution=contribution_b, event="approved")
    )
    Report.objects.filter(pk=report.pk).update(
        response_counts={"asked": 208, "approved": 2, "rate": 1}
    )
    assert _queries(client, url) == before
    assert "2 av 208 förfrågningar besvarade och godkända (1 %)." in page_text(client.get(url))
    assert "Tillfrågade" not in page_text(client.get(url))  # kept without the areas
