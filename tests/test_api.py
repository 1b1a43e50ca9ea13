"""The open data API: public, read-only, JSON and CSV, described by OpenAPI, cached, and
never showing anything that is not public (drafts, unapproved contributions,
unpublished reports, people)."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programme.models import (
    FocusArea,
    GoverningDocument,
    Indicator,
    IndicatorValue,
    Municipality,
    Organisation,
    Programme,
    Responsibility,
    Sdg,
)
from reporting import services
from reporting.models import Contribution, Cycle, Initiative, Report
from reporting.report.compile import report_publish, report_request, synthesis_save
from reporting.report.data import kept_with_version, report_data
from reporting.selectors import approved_versions
from tests.factories import COMPLETE, approve, make_user, page_text, save
from tests.url_access import INLINE_HANDLER, INLINE_SCRIPT

pytestmark = pytest.mark.django_db

SECRET = "HEMLIGT-API"


def get_json(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def get_csv(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def publish(cycle, strategist, *, number=1, built_from=None):
    """A compiled, published report of the cycle (without rendering a PDF), built from the
    cycle's approved versions as report_build would record them."""
    report = compiled(cycle, strategist, number=number, built_from=built_from)
    return report_publish(report=report, by=strategist, accept_gaps=True)


def compiled(cycle, strategist, *, number=1, built_from=None):
    """A compiled report version, not published: what report_build records of it, without
    rendering a PDF."""
    report = Report(
        cycle=cycle,
        number=number,
        status=Report.Status.DONE,
        compiled_by=strategist,
        page_count=3,
        checksum="a" * 64,
        finished_at=timezone.now(),
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.html_edition.save("r.html", ContentFile(b"<p>rapport</p>"), save=False)
    report.save()
    if built_from is None:
        latest = {}
        for version in approved_versions(cycle):
            latest.setdefault(version.contribution_id, version)
        built_from = list(latest.values())
    report.built_from.set(built_from)
    kept = kept_with_version(report_data(cycle, number=number))
    Report.objects.filter(pk=report.pk).update(**kept)
    report.refresh_from_db()
    return report


def other_cycle(strategist, title, year):
    return services.cycle_create(
        by=strategist,
        programme=Programme.objects.get(),
        title=title,
        first_year=2025,  # within the programme's years, whatever the cycle's date
        last_year=2026,
        opens_on=datetime.date(year, 1, 15),
        due_on=datetime.date(year, 3, 31),
    )


@pytest.fixture
def published(cycle, strategist, approver_a, organisation_a):
    """A published report built from one approved contribution, with an action, an
    answer, an indicator comment and an attachment."""
    question = services.question_add(
        cycle=cycle, by=strategist, text="Hur involverade ni invånarna?", kind="short_text"
    )
    indicator = Indicator.objects.get(external_id="N00401")
    contribution = cycle.contributions.get(organisation=organisation_a, focus_area__code="2.1")
    approve(
        contribution,
        approver_a,
        strategist,
        done="Vi har bytt till elbilar.",
        actions=[
            {"title": "Elbilspool", "status": "ongoing", "sdgs": [13, 7], "groups": ["age"]},
            {"title": '=HYPERLINK("https://evil.example")', "status": "planned"},
        ],
        answers={question: "Genom dialogmöten."},
        indicator_comments={indicator: "Utsläppen minskar."},
    )
    return publish(cycle, strategist)


# What the API shows.


def test_the_root_lists_the_endpoints_the_licence_and_the_docs(client):
    root = get_json(client, reverse("api:root"))
    assert root["licence"] == {
        "name": "CC0 1.0",
        "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.sv",
    }
    assert root["documentation"].endswith(reverse("api:docs"))
    assert root["openapi"].endswith(reverse("api:openapi"))
    for key in ("programme", "focus_areas", "sdgs", "organisations", "indicators", "values"):
        assert root["endpoints"][key].startswith("http://testserver/api/v1/")
    assert "1000" in root["paging"] and "csv" in root["csv"]
    # What a withdrawal takes away is asked again every time; the note says which.
    assert "no-cache" in root["caching"] and "/reports/" in root["caching"]


def test_the_programme_nests_directions_focus_areas_and_their_goals(client):
    programme = get_json(client, reverse("api:programme"))
    assert programme["edition"] == "2025–2027"
    assert [d["number"] for d in programme["directions"]] == [2, 3, 4, 5]
    areas = {a["code"]: a for d in programme["directions"] for a in d["focus_areas"]}
    assert set(areas) == set(FocusArea.objects.values_list("code", flat=True))
    expected = sorted(FocusArea.objects.get(code="2.1").sdgs.values_list("number", flat=True))
    assert areas["2.1"]["sdgs"] == expected and expected
    assert areas["2.1"]["direction"] == 2
    documents = {d["title"]: d for d in programme["governing_documents"]}
    assert "Dagvattenplan 2023" in documents
    assert documents["Dagvattenplan 2023"]["directions"]


def test_focus_areas_by_code_with_their_responsible_organisations(client):
    area = FocusArea.objects.get(code="2.2")
    Responsibility.objects.create(
        organisation=Organisation.objects.get(name="Miljönämnden"), focus_area=area
    )
    listing = get_json(client, reverse("api:focus-area-list"))
    assert listing["count"] == FocusArea.objects.count()
    assert [a["code"] for a in listing["results"]][:2] == ["2.1", "2.2"]
    detail = get_json(client, reverse("api:focus-area-detail", args=["2.2"]))
    assert detail["lead_organisations"] == ["Miljönämnden"]
    assert detail["title"] == area.title
    assert set(detail["indicators"]) == set(
        area.indicators.filter(active=True).values_list("pk", flat=True)
    )
    assert client.get(reverse("api:focus-area-detail", args=["9.9"])).status_code == 404


def test_the_global_goals_by_number(client):
    goals = get_json(client, reverse("api:sdg-list"))["results"]
    assert [g["number"] for g in goals] == list(range(1, 18))
    thirteen = goals[12]
    assert thirteen["title_sv"] == Sdg.objects.get(number=13).title_sv
    assert sorted(thirteen["focus_areas"]) == sorted(
        FocusArea.objects.filter(sdgs__number=13).values_list("code", flat=True)
    )


def test_organisations_with_kind_active_and_what_they_answer_for(client):
    miljo = Organisation.objects.get(name="Miljönämnden")
    Responsibility.objects.create(
        organisation=miljo, focus_area=FocusArea.objects.get(code="2.1"), role="contributing"
    )
    miljo.active = False
    miljo.save()
    organisations = {
        o["name"]: o for o in get_json(client, reverse("api:organisation-list"))["results"]
    }
    assert organisations["Miljönämnden"]["kind"] == "nämnd"
    assert organisations["Miljönämnden"]["active"] is False
    assert organisations["Miljönämnden"]["contributing_focus_areas"] == ["2.1"]
    assert organisations["Helsingborgshem AB"]["kind"] == "bolag"


def test_indicators_with_their_kpi_ids_and_how_to_read_them(client):
    listing = get_json(client, reverse("api:indicator-list"))
    assert listing["count"] == Indicator.objects.filter(active=True).count()
    by_kpi = {i["kpi"]: i for i in listing["results"]}
    assert "N00401" in by_kpi
    indicator = Indicator.objects.get(external_id="N00401")
    item = by_kpi["N00401"]
    assert item["id"] == indicator.pk
    assert item["focus_area"] == indicator.focus_area.code
    assert (item["unit"], item["source"], item["better"]) == (
        indicator.unit,
        indicator.source,
        indicator.better,
    )
    assert item["decimals"] == indicator.decimals
    assert item["confirmed"] is indicator.confirmed
    assert get_json(client, item["url"]) == item
    indicator.active = False
    indicator.save()
    assert client.get(reverse("api:indicator-detail", args=[indicator.pk])).status_code == 404
    assert client.get(reverse("api:indicator-values", args=[indicator.pk])).status_code == 404
    assert client.get(reverse("api:indicator-detail", args=[999_999])).status_code == 404


def test_indicators_carry_the_trend_in_the_sites_words(client):
    """The same trend as the site shows (issue 21): direction, judgement and words."""
    indicator = Indicator.objects.get(external_id="N00401")
    indicator.better = Indicator.Better.LOWER
    indicator.save()
    helsingborg = Municipality.objects.get(code="1283")
    baseline = indicator.focus_area.programme.baseline_year
    for year, value in [(baseline, "3.5"), (baseline + 1, "3.2")]:
        IndicatorValue.objects.create(
            indicator=indicator, municipality=helsingborg, year=year, value=Decimal(value)
        )
    item = get_json(client, reverse("api:indicator-detail", args=[indicator.pk]))
    assert (item["trend"], item["trend_assessment"], item["trend_words"]) == (
        "down",
        "positive",
        "Minskar – bättre",
    )
    assert (item["trend_from_year"], item["trend_to_year"]) == (baseline, baseline + 1)
    listed = get_json(client, reverse("api:indicator-list"))["results"]
    assert next(i for i in listed if i["id"] == indicator.pk) == item
    without = next(i for i in listed if i["id"] != indicator.pk)
    assert without["trend"] == "" and without["trend_words"] == "Kan inte bedömas – inga värden"
    page = client.get(reverse("programme:focus-area-detail", args=[indicator.focus_area.code]))
    assert "Minskar – bättre" in page_text(page)  # the site says the same


def test_an_indicator_read_from_demo_values_says_so(client):
    """The site marks an indicator whose figures are made up ("demovärden"); the API's
    indicator, whose trend and targets are read from the same values, says so too."""
    indicator = Indicator.objects.get(external_id="N00401")
    helsingborg = Municipality.objects.get(code="1283")
    baseline = indicator.focus_area.programme.baseline_year
    for year, value in [(baseline, "3.5"), (baseline + 1, "3.2")]:
        IndicatorValue.objects.create(
            indicator=indicator,
            municipality=helsingborg,
            year=year,
            value=Decimal(value),
            is_demo=True,
            source="Demo",
        )
    item = get_json(client, reverse("api:indicator-detail", args=[indicator.pk]))
    assert item["trend_words"] == "Minskar – bättre" and item["is_demo"] is True
    page = client.get(reverse("programme:statistics-focus-area", args=["2.1"]))
    assert "demovärden" in page_text(page).lower()  # as the site says
    listed = get_json(client, reverse("api:indicator-list"))["results"]
    assert next(i for i in listed if i["id"] == indicator.pk)["is_demo"] is True
    assert next(i for i in listed if i["id"] != indicator.pk)["is_demo"] is False
    rows = get_csv(client, reverse("api:indicator-list-csv"))
    assert "is_demo" in rows[0]
    IndicatorValue.objects.filter(indicator=indicator).update(is_demo=False, source="Kolada")
    item = get_json(client, reverse("api:indicator-detail", args=[indicator.pk]))
    assert item["is_demo"] is False


@pytest.fixture
def values():
    indicator = Indicator.objects.get(external_id="N00401")
    other = Indicator.objects.get(external_id="N00403")
    helsingborg = Municipality.objects.get(code="1283")
    sweden = Municipality.objects.get(code="0000")
    made = [
        IndicatorValue.objects.create(
            indicator=indicator, municipality=helsingborg, year=2024, value=Decimal("1e-9")
        ),
        IndicatorValue.objects.create(
            indicator=indicator,
            municipality=helsingborg,
            year=2025,
            value=Decimal("1234.567891"),
        ),
        IndicatorValue.objects.create(
            indicator=indicator, municipality=sweden, year=2025, value=None, status="Saknas"
        ),
        IndicatorValue.objects.create(
            indicator=other,
            municipality=helsingborg,
            year=2025,
            gender="K",
            value=Decimal("-3.5"),
            is_demo=True,
            source="Demo",
        ),
    ]
    return made


def test_values_keep_every_decimal_and_say_which_are_demo(client, values):
    listing = get_json(client, reverse("api:value-list"))
    assert listing["count"] == 4
    rows = {(v["kpi"], v["municipality"], v["year"], v["gender"]): v for v in listing["results"]}
    assert rows[("N00401", "1283", 2024, "T")]["value"] == "0.000000001"
    assert rows[("N00401", "1283", 2025, "T")]["value"] == "1234.567891"
    assert rows[("N00401", "0000", 2025, "T")]["value"] is None
    demo = rows[("N00403", "1283", 2025, "K")]
    assert (demo["value"], demo["is_demo"], demo["source"]) == ("-3.5", True, "Demo")
    assert rows[("N00401", "1283", 2024, "T")]["is_demo"] is False
    assert demo["focus_area"] == Indicator.objects.get(external_id="N00403").focus_area.code


def test_values_are_filtered_by_indicator_focus_area_and_year(client, values):
    indicator = values[0].indicator
    url = reverse("api:value-list")
    assert get_json(client, f"{url}?indicator={indicator.pk}")["count"] == 3
    assert get_json(client, f"{url}?year=2025")["count"] == 3
    assert get_json(client, f"{url}?year=2025&indicator={indicator.pk}")["count"] == 2
    assert (
        get_json(client, f"{url}?focus_area={values[3].indicator.focus_area.code}")["count"]
        == IndicatorValue.objects.filter(
            indicator__focus_area__code=values[3].indicator.focus_area.code
        ).count()
    )
    assert get_json(client, f"{url}?kpi=N00403&gender=K")["count"] == 1
    assert get_json(client, f"{url}?municipality=0000")["count"] == 1
    one = get_json(client, reverse("api:indicator-values", args=[indicator.pk]))
    assert {v["indicator"] for v in one["results"]} == {indicator.pk} and one["count"] == 3
    # Digits of other scripts are refused too (int() takes some and not others), and a
    # number no id can have finds nothing.
    for bad in ("year=abc", "indicator=1;DROP", "gender=X", "year=²", "indicator=²", "year=١٢"):
        response = client.get(f"{url}?{bad}")
        assert response.status_code == 400
        assert "no-store" in response["Cache-Control"]
        assert "heltal" in response.content.decode() or bad.startswith("gender")
    # A NUL character, which PostgreSQL cannot take: refused before anything is looked up.
    # It is JSON, as every answer of the API.
    for name in ("kpi", "municipality", "focus_area", "edition"):
        response = client.get(f"{url}?{name}=a%00b")
        assert response.status_code == 400 and "Begäran kunde inte hanteras" in page_text(response)
        assert response["Content-Type"] == "application/json"
        assert "NUL" in response.json()["detail"]
    page = client.get(reverse("programme:statistics") + "?x=a%00b")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    for huge in ("indicator", "year"):
        assert get_json(client, f"{url}?{huge}={10**30}")["count"] == 0


def test_lists_come_in_pages(client):
    url = reverse("api:organisation-list")
    total = Organisation.objects.count()
    first = get_json(client, f"{url}?page_size=5")
    assert first["count"] == total and len(first["results"]) == 5
    assert first["previous"] is None and "page=2" in first["next"]
    response = client.get(f"{url}?page_size=5")
    assert response["Link"] == f'<{first["next"]}>; rel="next"'
    second = get_json(client, first["next"])
    assert not {o["id"] for o in first["results"]} & {o["id"] for o in second["results"]}
    assert len(get_json(client, url)["results"]) == min(total, 100)
    municipality = Municipality.objects.get(code="1283")
    indicator = Indicator.objects.get(external_id="N00401")
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, municipality=municipality, year=year, value=year)
        for year in range(950, 2051)
    )
    values = reverse("api:value-list")
    assert len(get_json(client, values)["results"]) == 100
    assert len(get_json(client, f"{values}?page_size=1000")["results"]) == 1000
    assert get_json(client, f"{values}?page=2&page_size=1000")["count"] == 1101
    assert client.get(f"{values}?page=99").status_code == 404


# Published reports.


def test_published_reports_with_their_editions(client, published):
    listing = get_json(client, reverse("api:report-list"))
    assert listing["count"] == 1
    report = listing["results"][0]
    assert report["id"] == published.pk
    assert (report["cycle_title"], report["first_year"], report["last_year"]) == (
        "Uppföljning 2026",
        2025,
        2026,
    )
    assert (report["version"], report["page_count"], report["checksum"]) == (1, 3, "a" * 64)
    assert report["is_demo"] is False and report["published_at"]
    assert report["contribution_count"] == 1
    # As the report says it: "1 av 208 förfrågningar besvarade och godkända".
    assert report["request_count"] == Contribution.objects.filter(cycle=published.cycle).count()
    assert report["request_count"] == published.response_counts["asked"] > 1
    cycle, number = published.cycle_id, published.number
    assert report["pdf_url"] == "http://testserver" + reverse(
        "reporting:report-download", args=[cycle, number]
    )
    assert report["html_url"] == "http://testserver" + reverse(
        "reporting:report-edition", args=[cycle, number, "html"]
    )
    assert report["docx_url"] is None  # this version has no Word file
    assert client.get(report["pdf_url"]).status_code == 200
    assert get_json(client, report["url"]) == report


def test_a_reports_contributions_are_the_approved_versions_it_was_built_from(
    client, published, organisation_a
):
    contributions = get_json(client, reverse("api:report-contributions", args=[published.pk]))
    assert contributions["count"] == 1
    item = contributions["results"][0]
    assert (item["organisation"], item["focus_area"], item["report"]) == (
        "Miljönämnden",
        "2.1",
        published.pk,
    )
    assert item["id"] == published.built_from.get().pk
    assert item["done"] == "Vi har bytt till elbilar."
    assert item["assessment"] == "positive"
    assert item["actions"][0] == {
        "title": "Elbilspool",
        "status": "ongoing",
        "description": "",
        "groups": ["age"],
        "sdgs": [7, 13],
        "reference": "",
        "progress": "",
        "starts_on": "",
        "ends_on": "",
        "moved_to": "",
        # Approving it registered the action (issue 22): the register's entry.
        "initiative": Initiative.objects.get(title="Elbilspool").pk,
    }
    assert item["answers"] == [
        {"question": "Hur involverade ni invånarna?", "answer": "Genom dialogmöten."}
    ]
    indicator = Indicator.objects.get(external_id="N00401")
    assert item["indicator_comments"] == [
        {
            "indicator": indicator.pk,
            "indicator_title": indicator.title,
            "text": "Utsläppen minskar.",
        }
    ]


def demo_labels(client, report) -> dict:
    """is_demo of the report and of what is read from it (its contributions, its
    insatser, also on a global goal's page), in JSON and in CSV."""
    contributions = reverse("api:report-contributions", args=[report.pk])
    goal = get_json(client, reverse("api:sdg-detail", args=[13]))
    found = {
        "report": {get_json(client, reverse("api:report-detail", args=[report.pk]))["is_demo"]},
        "contributions": {c["is_demo"] for c in get_json(client, contributions)["results"]},
        "actions": {a["is_demo"] for a in get_json(client, reverse("api:action-list"))["results"]},
        "goal's actions": {a["is_demo"] for a in goal["actions"]},
    }
    for name, url in (
        ("contributions.csv", reverse("api:report-contributions-csv", args=[report.pk])),
        ("actions.csv", reverse("api:action-list-csv")),
    ):
        header, *rows = get_csv(client, url)
        found[name] = {row[header.index("is_demo")] == "true" for row in rows}
    return found


def test_demo_reports_are_labelled(client, published):
    """Demo data is labelled demo wherever it shows: a report, its contributions and its
    insatser say is_demo when the cycle is demo or the version itself is."""
    everywhere = {
        "report",
        "contributions",
        "actions",
        "goal's actions",
        "contributions.csv",
        "actions.csv",
    }
    assert demo_labels(client, published) == {name: {False} for name in everywhere}
    Cycle.objects.filter(pk=published.cycle_id).update(is_demo=True)
    assert demo_labels(client, published) == {name: {True} for name in everywhere}
    Cycle.objects.filter(pk=published.cycle_id).update(is_demo=False)
    Report.objects.filter(pk=published.pk).update(is_demo=True)
    assert demo_labels(client, published) == {name: {True} for name in everywhere}


def write_synthesis(cycle, strategist, code, assessment, analysis, highlighted=()):
    synthesis_save(
        cycle=cycle,
        focus_area=cycle.programme.focus_areas.get(code=code),
        analysis=analysis,
        assessment=assessment,
        highlighted=list(highlighted),
        by=strategist,
    )


def test_a_reports_focus_areas_state_the_strategists_assessment(
    client, cycle, strategist, approver_a, organisation_a, reporter_b
):
    """Per focus area, the strategists' overall assessment and analysis as the published
    report states them: not as the synthesis was edited after it was compiled."""
    contribution = approve(
        cycle.contributions.get(organisation=organisation_a, focus_area__code="2.1"),
        approver_a,
        strategist,
        done="Vi har bytt till elbilar.",
        actions=[{"title": "Elbilspool", "status": "ongoing", "description": "Tio bilar."}],
    )
    analysis = f"Omställningen går framåt [#{contribution.pk}: bytt till elbilar].\n\nMer krävs."
    example = contribution.actions.get()
    write_synthesis(cycle, strategist, "2.1", "positive", analysis, highlighted=[example])
    write_synthesis(cycle, strategist, "2.2", "unchanged", "")
    asked = cycle.contributions.filter(focus_area__code="2.1").count()
    report = publish(cycle, strategist)
    # Edited after publication, for a next version: not what the report says.
    write_synthesis(cycle, strategist, "2.1", "negative", "Ett nytt utkast.")
    approve(cycle.contributions.get(organisation=reporter_b.memberships.get().organisation,
            focus_area__code="2.1"), reporter_b, strategist)  # fmt: skip

    detail = get_json(client, reverse("api:report-detail", args=[report.pk]))
    url = reverse("api:report-focus-areas", args=[report.pk])
    assert detail["focus_areas_url"] == "http://testserver" + url
    rows = {row["focus_area"]: row for row in get_json(client, url + "?page_size=100")["results"]}
    programme = cycle.programme
    assert list(rows) == [
        area.code for area in programme.focus_areas.order_by("direction__number", "sort_key")
    ]  # every focus area, in the report's order
    version = report.built_from.get()
    assert rows["2.1"] == {
        "report": report.pk,
        "focus_area": "2.1",
        "title": programme.focus_areas.get(code="2.1").title,
        "assessment": "positive",
        "assessment_words": "Positiv utveckling",
        # As typed, but its citation names the contribution by its public id, as cites
        # and the report's contributions do (not the contribution's internal id).
        "analysis": f"Omställningen går framåt [#{version.pk}: bytt till elbilar].\n\nMer krävs.",
        "cites": [version.pk],  # as the report's contributions name it
        "highlighted": [  # its good example, with the contribution that reports it
            {
                "title": "Elbilspool",
                "organisation": organisation_a.name,
                "description": "Tio bilar.",
                "contribution": version.pk,
            }
        ],
        "asked": asked,  # how many the report says were asked and approved, as it says it
        "approved": 1,
        "is_demo": False,
    }
    assert (rows["2.2"]["assessment"], rows["2.2"]["analysis"]) == ("unchanged", "")
    assert (rows["2.3"]["assessment"], rows["2.3"]["assessment_words"]) == ("", "")
    contributions = get_json(client, detail["contributions_url"])["results"]
    assert [c["id"] for c in contributions] == [version.pk]
    assert version.pk != contribution.pk  # else the test could not tell them apart
    # Every citation in the API's texts is a contribution of the API's list.
    listed = {c["id"] for c in contributions}
    for row in rows.values():
        found = [int(n) for n in re.findall(r"\[#(\d+)", row["analysis"])]
        assert set(found) <= listed and list(dict.fromkeys(found)) == row["cites"], row
    header, *lines = get_csv(client, reverse("api:report-focus-areas-csv", args=[report.pk]))
    stated = dict(zip(header, lines[0], strict=True))
    assert (stated["focus_area"], stated["assessment"], stated["analysis"]) == (
        "2.1",
        "positive",
        rows["2.1"]["analysis"],
    )
    Cycle.objects.filter(pk=cycle.pk).update(is_demo=True)
    assert {row["is_demo"] for row in get_json(client, url)["results"]} == {True}


def test_an_unpublished_synthesis_is_found_at_no_api_address(
    client, settings, cycle, strategist, approver_a, organisation_a
):
    """The strategists' synthesis of a cycle whose report is not published (compiled and
    not published, published and withdrawn, or never compiled), and one edited after its
    report was published, are at no address of the API, in any format."""
    approve(
        cycle.contributions.get(organisation=organisation_a, focus_area__code="2.1"),
        approver_a,
        strategist,
    )
    write_synthesis(cycle, strategist, "2.1", "positive", "Publicerad analys.")
    published = publish(cycle, strategist)
    write_synthesis(cycle, strategist, "2.1", "negative", f"{SECRET} efter publiceringen.")

    compiled_only = other_cycle(strategist, "Uppföljning 2024", 2024)
    write_synthesis(compiled_only, strategist, "2.1", "negative", f"{SECRET} sammanställd.")
    unpublished = compiled(compiled_only, strategist)
    withdrawn_cycle = other_cycle(strategist, "Uppföljning 2022", 2022)
    write_synthesis(withdrawn_cycle, strategist, "2.2", "negative", f"{SECRET} återkallad.")
    withdrawn = publish(withdrawn_cycle, strategist)
    from reporting.report.compile import report_unpublish

    report_unpublish(report=withdrawn, by=strategist, reason="Fel siffror.")
    never = other_cycle(strategist, "Uppföljning 2020", 2020)
    write_synthesis(never, strategist, "2.3", "negative", f"{SECRET} aldrig sammanställd.")
    assert SECRET in str(Report.objects.get(pk=unpublished.pk).syntheses)  # kept, not shown
    assert SECRET in str(Report.objects.get(pk=withdrawn.pk).syntheses)

    from tests.url_access import url_patterns

    indicator = Indicator.objects.filter(active=True).order_by("pk").first()
    reports = [str(pk) for pk in Report.objects.values_list("pk", flat=True)]
    candidates = {"<str:code>": ["2.1", "2.2", "2.3"], "<int:number>": ["13"]}
    urls = []
    for name, pattern in url_patterns():  # every address of the API, with every report
        if not name.startswith("api:"):
            continue
        ids = reports if "/reports/" in pattern else [str(indicator.pk)]
        found = [pattern.replace("<int:pk>", pk) for pk in ids]
        for converter, values in candidates.items():
            found = [url.replace(converter, value) for url in found for value in values]
        urls += found
    urls.append(reverse("api:action-list") + "?focus_area=2.1")
    assert len(urls) > 40
    settings.OPEN_DATA_RATE = "off"  # every address, at once
    statuses = {}
    seen = ""
    for url in urls:
        response = client.get(url)
        text = response.content.decode("utf-8-sig")
        assert SECRET not in text, url
        statuses[url] = response.status_code
        seen += text
    assert set(statuses.values()) <= {200, 400, 404}  # a detail has no CSV: 400
    for report in (unpublished, withdrawn):
        for name in ("api:report-detail", "api:report-focus-areas", "api:report-focus-areas-csv"):
            assert statuses[reverse(name, args=[report.pk])] == 404
    assert "Publicerad analys." in seen  # what the published report states is there
    assert statuses[reverse("api:report-focus-areas", args=[published.pk])] == 200


# CSV.


def test_every_list_comes_as_csv_with_a_header_and_a_row_per_item(client, published, values):
    lists = {
        "api:focus-area-list": FocusArea.objects.count(),
        "api:sdg-list": 17,
        "api:organisation-list": min(Organisation.objects.count(), 100),
        "api:governing-document-list": GoverningDocument.objects.count(),
        "api:indicator-list": Indicator.objects.filter(active=True).count(),
        "api:value-list": 4,
        "api:report-list": 1,
    }
    for name, count in lists.items():
        rows = get_csv(client, reverse(name) + "?format=csv")
        assert len(rows) == count + 1, name
        assert get_csv(client, reverse(f"{name}-csv")) == rows, name
    areas = get_csv(client, reverse("api:focus-area-list-csv"))
    header = areas[0]
    assert header[:3] == ["code", "url", "title"] and "sdgs" in header
    row = dict(zip(header, areas[1], strict=True))
    expected = sorted(FocusArea.objects.get(code="2.1").sdgs.values_list("number", flat=True))
    assert row["code"] == "2.1" and row["sdgs"] == ";".join(map(str, expected))
    values_csv = get_csv(client, reverse("api:value-list-csv"))
    cells = [dict(zip(values_csv[0], r, strict=True)) for r in values_csv[1:]]
    assert {c["value"] for c in cells} == {"0.000000001", "1234.567891", "", "-3.5"}
    assert {c["is_demo"] for c in cells} == {"true", "false"}
    indicator = values[0].indicator
    one = get_csv(client, reverse("api:indicator-values-csv", args=[indicator.pk]))
    assert len(one) == 4
    empty = get_csv(client, reverse("api:value-list") + "?format=csv&year=1900")
    assert empty == [values_csv[0]]  # the header, also for no rows
    contributions = get_csv(client, reverse("api:report-contributions-csv", args=[published.pk]))
    assert contributions[0][:3] == ["id", "report", "organisation"] and len(contributions) == 2


def test_the_csv_says_its_separator_and_decimal_mark_and_keeps_them(client, values):
    """A Swedish spreadsheet expects ";" and a decimal comma: the files use "," and a
    decimal point (as machines read them), so the note says so and where the figures come
    ready for a spreadsheet, and the files keep what it says."""
    note = get_json(client, reverse("api:root"))["csv"]
    assert "kommatecken" in note and "decimalpunkt" in note and "Excel" in note
    docs = page_text(client.get(reverse("api:docs")))
    assert note in docs
    raw = client.get(reverse("api:value-list-csv")).content
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    assert b",1234.567891," in raw and b";" not in raw.split(b"\r\n")[0]


def test_csv_cells_cannot_run_as_formulas(client, published):
    Organisation.objects.create(name="=1+2", kind="nämnd")
    Organisation.objects.create(name="@SUM(A1)", kind="bolag")
    Organisation.objects.create(name="-2+3", kind="bolag")
    Organisation.objects.create(name="+cmd", kind="bolag")
    rows = get_csv(client, reverse("api:organisation-list-csv") + "?page_size=1000")
    names = {r[1] for r in rows[1:]}
    assert {"'=1+2", "'@SUM(A1)", "'-2+3", "'+cmd"} <= names
    assert not any(name[:1] in "=+-@" for name in names)
    contributions = get_csv(client, reverse("api:report-contributions-csv", args=[published.pk]))
    actions = dict(zip(contributions[0], contributions[1], strict=True))["actions"]
    assert actions.startswith("[") and "=HYPERLINK" in actions  # JSON, not a formula
    assert json.loads(actions)[1]["title"] == '=HYPERLINK("https://evil.example")'


def test_a_detail_is_json_only(client):
    response = client.get(reverse("api:programme") + "?format=csv")
    assert response.status_code == 400
    assert response.json() == {"format": ["Ange något av: json."]}


def test_an_accept_header_it_cannot_answer_is_told_what_it_can(client):
    response = client.get(reverse("api:value-list"), HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json() == {
        "detail": "Svaret finns som: application/json, text/csv (Accept eller ?format=)."
    }
    detail = client.get(reverse("api:programme"), HTTP_ACCEPT="text/csv")
    assert detail.status_code == 406 and "application/json (" in detail.json()["detail"]


def test_an_address_the_api_does_not_have_is_a_json_404_pointing_to_the_docs(client):
    """A program that asks for a wrong address under /api/v1/ gets JSON it can read, not
    the site's HTML page; the rest of the site keeps its page."""
    for path in ("/api/v1/indicators/abc/", "/api/v1/nothing/", "/api/v1/values.xml"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert response.json() == {
            "detail": "Adressen finns inte i API:et; se /api/v1/docs/ för dess adresser."
        }
        assert "no-store" in response["Cache-Control"]
    page = client.get("/finns-inte/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_bad_paging_and_format_are_refused_saying_what_is_allowed(client):
    """A parameter the API cannot use is a 400 that says what it takes, never a silent
    default or a bare "not found"; a page beyond the last says which is the last."""
    url = reverse("api:organisation-list")
    pages = -(-Organisation.objects.count() // 5)
    one_page = -(-Organisation.objects.count() // 100)
    refused = {
        "page=abc": {"page": [f"Ange ett sidnummer från 1 till {one_page}."]},
        "page=0": {"page": [f"Ange ett sidnummer från 1 till {one_page}."]},
        "page=-1&page_size=5": {"page": [f"Ange ett sidnummer från 1 till {pages}."]},
        "page_size=abc": {"page_size": ["Ange ett heltal från 1 till 1000."]},
        "page_size=0": {"page_size": ["Ange ett heltal från 1 till 1000."]},
        "page_size=-5": {"page_size": ["Ange ett heltal från 1 till 1000."]},
        "page_size=1001": {"page_size": ["Ange ett heltal från 1 till 1000."]},
        "page_size=100000": {"page_size": ["Ange ett heltal från 1 till 1000."]},
        "format=xml": {"format": ["Ange något av: json, csv."]},
    }
    for query, message in refused.items():
        response = client.get(f"{url}?{query}")
        assert (response.status_code, response.json()) == (400, message), query
        assert "no-store" in response["Cache-Control"]
    beyond = client.get(f"{url}?page=99&page_size=5")
    assert beyond.status_code == 404
    assert beyond.json() == {"page": [f"Ange ett sidnummer från 1 till {pages}."]}
    csv_refused = client.get(reverse("api:organisation-list-csv") + "?page_size=x")
    assert csv_refused.status_code == 400 and "1000" in csv_refused.content.decode("utf-8-sig")
    # What is allowed still works: the last page by number, the most there may be.
    assert get_json(client, f"{url}?page={pages}&page_size=5")["next"] is None
    assert len(get_json(client, f"{url}?page_size=1000")["results"]) <= 1000


def test_every_list_refuses_a_page_size_above_the_most_as_below_it(client, published, settings):
    """?page_size= above 1000 is refused like 0 or -1, never silently cut to 1000: on
    every list, in JSON and in CSV."""
    lists = ["focus-area-list", "sdg-list", "organisation-list", "governing-document-list"]
    lists += ["indicator-list", "value-list", "report-list", "action-list"]
    urls = [reverse(f"api:{name}") for name in lists] + [
        reverse("api:report-contributions", args=[published.pk]),
        reverse("api:report-focus-areas", args=[published.pk]),
        reverse("api:indicator-values", args=[Indicator.objects.first().pk]),
    ]
    message = {"page_size": ["Ange ett heltal från 1 till 1000."]}
    settings.OPEN_DATA_RATE = "off"  # every list, at once
    for url in urls:
        assert client.get(f"{url}?page_size=1000").status_code == 200, url
        for size in ("1001", "100000", "0", "-1"):
            response = client.get(f"{url}?page_size={size}")
            assert (response.status_code, response.json()) == (400, message), (url, size)
            assert "no-store" in response["Cache-Control"]
            csv = client.get(f"{url}?format=csv&page_size={size}")
            assert csv.status_code == 400, (url, size)
            assert "1000" in csv.content.decode("utf-8-sig")


# The description and the documentation.


def test_the_openapi_description_validates(client):
    from drf_spectacular.drainage import GENERATOR_STATS
    from openapi_spec_validator import validate

    response = client.get(reverse("api:openapi"))
    assert response.status_code == 200
    description = json.loads(response.content)
    validate(description)  # raises if it is not a valid OpenAPI 3 description
    # It describes any city's installation: no edition of Helsingborg's as the example.
    assert "2025-2027" not in response.content.decode()
    info = description["info"]
    assert info["title"] and info["version"] and info["description"]
    assert info["license"] == {
        "name": "CC0 1.0",
        "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.sv",
    }
    paths = description["paths"]
    assert "/api/v1/values/" in paths and "/api/v1/reports/{id}/contributions/" in paths
    assert not [path for path in paths if path.endswith(".csv")]
    assert "text/csv" in paths["/api/v1/values/"]["get"]["responses"]["200"]["content"]
    names = {p["name"] for p in paths["/api/v1/values/"]["get"]["parameters"]}
    assert {"indicator", "focus_area", "year", "page", "page_size", "format"} <= names
    for operations in paths.values():
        assert set(operations) == {"get"}  # read-only
    # drf-spectacular found nothing it had to guess.
    from drf_spectacular.generators import SchemaGenerator

    with GENERATOR_STATS.silence():
        GENERATOR_STATS.reset()
        SchemaGenerator().get_schema(request=None, public=True)
        assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache


def test_the_format_parameter_says_when_csv_comes_in_pages(client):
    """Either ?page= or ?page_size= pages a CSV (pagination.Paging): the parameter's
    description says both, as the CSV note does."""
    description = client.get(reverse("api:openapi")).json()
    values = description["paths"]["/api/v1/values/"]["get"]["parameters"]
    text = next(p for p in values if p["name"] == "format")["description"]
    assert "?page=" in text and "?page_size=" in text
    paged = get_csv(client, reverse("api:organisation-list-csv") + "?page_size=2")
    assert len(paged) == 3


def test_the_city_sets_the_licence_in_the_environment():
    import os
    import subprocess
    import sys

    env = os.environ | {
        "OPEN_DATA_LICENCE_NAME": "CC BY 4.0",
        "OPEN_DATA_LICENCE_URL": "https://creativecommons.org/licenses/by/4.0/deed.sv",
    }
    code = (
        "import livskvalitet.settings as s; "
        "print(s.OPEN_DATA_LICENCE == s.SPECTACULAR_SETTINGS['LICENSE'], "
        "s.OPEN_DATA_LICENCE['name'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "CC", "BY", "4.0"]


def test_the_docs_page_lists_every_endpoint_without_scripts(client, published):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert not INLINE_SCRIPT.search(page) and not INLINE_HANDLER.search(page)
    assert "cdn" not in page.lower()
    description = client.get(reverse("api:openapi")).json()
    for path in description["paths"]:
        assert f"GET {path}" in page
    assert 'href="/api/v1/focus-areas/2.1/"' in page
    assert f'href="/api/v1/reports/{published.pk}/contributions/"' in page
    assert 'href="/api/v1/values/?format=csv"' in page
    assert "CC0 1.0" in page and "creativecommons.org" in page
    assert "ETag" in page and "page_size" in page and "CSV" in page
    assert "public" in response["Cache-Control"] and response["ETag"]


def test_the_docs_page_builds_the_description_once_a_language(client, monkeypatch):
    """Building the description walks every view and serializer; it follows from the code
    alone, so a process builds it once for each language it is read in."""
    from drf_spectacular.generators import SchemaGenerator

    from livskvalitet.opendata import schema

    built = []
    get_schema = SchemaGenerator.get_schema

    def counted(generator, *args, **kwargs):
        built.append(1)
        return get_schema(generator, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    schema._schema.cache_clear()
    pages = {}
    for language in ("sv", "sv", "en", "en"):
        client.cookies["django_language"] = language
        pages[language] = client.get(reverse("api:docs")).content.decode()
    assert len(built) == 2
    # Each language's page has its own description's words.
    assert "Fokusområdets kod." in pages["sv"] and "The code of the focus area." in pages["en"]


def documented_fields(page: str) -> dict:
    """The docs page's fields tables: {caption's path: [(field, type, description)]}."""
    tables = re.findall(r'<table class="[^"]*api-fields">(.*?)</table>', page, re.S)
    found = {}
    for table in tables:
        path = re.search(r"<caption>\S+ \S+ (\S+)", table).group(1)
        rows = re.findall(
            r'<th scope="row"><code>([^<]*)</code></th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
            table,
            re.S,
        )
        found[path] = [(name, kind.strip(), text.strip()) for name, kind, text in rows]
    return found


def test_the_docs_page_describes_every_field_and_csv_column(client, published, values):
    """A reader of the CSV finds each column on the docs page, in the file's order, with
    what it holds; the JSON's keys are the same fields."""
    fields = documented_fields(client.get(reverse("api:docs")).content.decode())
    lists = {
        "api:focus-area-list": [],
        "api:sdg-list": [],
        "api:organisation-list": [],
        "api:governing-document-list": [],
        "api:indicator-list": [],
        "api:value-list": [],
        "api:report-list": [],
        "api:action-list": [],
        "api:report-contributions": [published.pk],
        "api:report-focus-areas": [published.pk],
    }
    for name, args in lists.items():
        path = reverse(name, args=args)
        documented = fields[path.replace(f"/{published.pk}/", "/{id}/")]
        header = get_csv(client, reverse(f"{name}-csv", args=args))[0]
        assert [field for field, _kind, _text in documented] == header, name
        item = get_json(client, path)["results"][0]
        assert list(item) == header, name
    for field, kind, text in fields[reverse("api:value-list")]:
        assert kind and text, field  # every column of the values says what it holds
    contribution = {
        field: text for field, _kind, text in fields["/api/v1/reports/{id}/contributions/"]
    }
    assert contribution["done"] == "Vad som har gjorts"  # its label, as the form shows it
    assert contribution["results"] == "Resultat och effekter"
    by_name = {field: (kind, text) for field, kind, text in fields[reverse("api:value-list")]}
    assert by_name["gender"][0] == "string: T (totalt), K (kvinnor), M (män)"
    assert by_name["value"][0] == "string eller null"
    stated = {
        field: (kind, text) for field, kind, text in fields["/api/v1/reports/{id}/focus-areas/"]
    }
    assert stated["assessment"][0].startswith("string: positive (positiv utveckling)")
    assert stated["assessment"][1].startswith("Strategernas samlade bedömning av fokusområdet")
    for field, (kind, text) in stated.items():
        assert kind and text, field
    for field, kind, _text in fields[reverse("api:indicator-list")]:
        assert kind, field  # also a choice that may be empty (trend)


# Caching.


API_URLS = [
    reverse("api:root"),
    reverse("api:programme"),
    reverse("api:focus-area-list"),
    reverse("api:focus-area-detail", args=["2.1"]),
    reverse("api:sdg-list"),
    reverse("api:organisation-list-csv"),
    reverse("api:indicator-list"),
    reverse("api:value-list"),
    reverse("api:openapi"),
]


@pytest.mark.parametrize("url", API_URLS)
def test_answers_are_public_for_five_minutes_with_an_etag(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    etag = response["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "public, max-age=300"
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_logged_in_users_get_the_same_public_answer(client, strategist, published):
    url = reverse("api:report-contributions", args=[published.pk])
    anonymous = client.get(url)
    client.force_login(strategist)
    logged_in = client.get(url)
    assert logged_in.content == anonymous.content
    # Built from a published report: asked again every time (tests/test_withdrawable_caching.py).
    assert logged_in["Cache-Control"] == "public, no-cache"
    assert logged_in["ETag"] == anonymous["ETag"]


def test_values_and_reports_say_when_they_last_changed(client, values, published):
    from django.utils.http import http_date

    response = client.get(reverse("api:value-list"))
    modified = response["Last-Modified"]
    assert modified
    assert client.get(reverse("api:value-list"), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    values[0].value = Decimal("2")
    values[0].save()
    changed = client.get(reverse("api:value-list"), HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert changed.status_code == 200 and changed["ETag"] != response["ETag"]
    # A deleted value moves Last-Modified too: its history records the deletion.
    before = client.get(reverse("api:value-list"))["Last-Modified"]
    values[1].delete()
    assert client.get(reverse("api:value-list"))["Last-Modified"] >= before
    assert client.get(reverse("api:report-list"))["Last-Modified"]
    assert client.get(reverse("api:report-detail", args=[published.pk]))["Last-Modified"]


def test_the_etag_changes_with_the_data(client, published, strategist):
    url = reverse("api:report-list")
    first = client.get(url)
    other = other_cycle(strategist, "Uppföljning 2024", 2024)
    publish(other, strategist, built_from=[])
    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and response.json()["count"] == 2


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_reading_is_allowed(client, method, published):
    for url in [reverse("api:value-list"), reverse("api:report-detail", args=[published.pk])]:
        response = getattr(client, method)(url, data="{}", content_type="application/json")
        assert response.status_code == 405, (method, url)
        assert "no-store" in response["Cache-Control"]
    assert client.options(reverse("api:value-list")).status_code == 200
    assert client.head(reverse("api:value-list")).status_code == 200


# What is never shown.


def test_an_unpublished_report_is_not_found(client, published, strategist):
    unpublished = Report.objects.create(
        cycle=published.cycle,
        number=2,
        status=Report.Status.DONE,
        compiled_by=strategist,
        page_count=2,
    )
    unpublished.built_from.set(published.built_from.all())
    for url in [
        reverse("api:report-detail", args=[unpublished.pk]),
        reverse("api:report-contributions", args=[unpublished.pk]),
        reverse("api:report-contributions-csv", args=[unpublished.pk]),
        reverse("api:report-detail", args=[999_999]),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        # It says nothing of what exists (as JSON, or as CSV at a .csv address).
        assert response.content.decode("utf-8-sig").split() == (
            ["detail", "Hittades", "inte."]
            if url.endswith(".csv")
            else ['{"detail":"Hittades', 'inte."}']
        )
        assert "no-store" in response["Cache-Control"]
    client.force_login(strategist)  # strategists read it on their own pages, not here
    assert client.get(reverse("api:report-detail", args=[unpublished.pk])).status_code == 404
    client.logout()
    # Withdrawing the publication takes it out of the API at once.
    from reporting.report.compile import report_unpublish

    report_unpublish(report=published, by=strategist, reason="Fel siffror.")
    assert client.get(reverse("api:report-detail", args=[published.pk])).status_code == 404
    assert get_json(client, reverse("api:report-list"))["count"] == 0


def test_reports_that_are_not_done_are_not_listed(client, strategist):
    for year, status in ((2020, Report.Status.QUEUED), (2021, Report.Status.FAILED)):
        cycle = other_cycle(strategist, f"Uppföljning {year}", year)
        report = Report.objects.create(
            cycle=cycle, number=1, status=status, compiled_by=strategist, published=True
        )
        assert client.get(reverse("api:report-detail", args=[report.pk])).status_code == 404
        assert client.get(reverse("api:report-contributions", args=[report.pk])).status_code == 404
    assert get_json(client, reverse("api:report-list"))["count"] == 0


def test_no_draft_unapproved_text_or_person_is_ever_shown(
    client,
    cycle,
    strategist,
    approver_a,
    reporter_b,
    organisation_a,
    organisation_b,
    django_capture_on_commit_callbacks,
):
    """A real compilation: the report is built from what report_build chooses."""
    strategist.email = "strateg@helsingborg.example"
    strategist.save()

    def contribution(organisation, code):
        return cycle.contributions.get(organisation=organisation, focus_area__code=code)

    # Approved, after an earlier draft that said something else.
    approved = contribution(organisation_a, "2.1")
    save(approved, approver_a, **{**COMPLETE, "done": f"{SECRET}-TIDIGARE-UTKAST"})
    approve(approved, approver_a, strategist, done="Godkänd text.")
    # A draft, a submitted one, a returned one being corrected.
    save(contribution(organisation_b, "2.1"), reporter_b, **{**COMPLETE, "done": f"{SECRET}-1"})
    submitted = contribution(organisation_a, "2.2")
    save(submitted, approver_a, **{**COMPLETE, "done": f"{SECRET}-2"})
    services.contribution_submit(contribution=submitted, by=approver_a)
    returned = contribution(organisation_a, "2.3")
    save(returned, approver_a, **{**COMPLETE, "done": "Första versionen."})
    services.contribution_submit(contribution=returned, by=approver_a)
    services.contribution_return(contribution=returned, comment=f"{SECRET}-3", by=strategist)
    save(returned, approver_a, **{**COMPLETE, "done": f"{SECRET}-4"})
    write_synthesis(cycle, strategist, "2.1", "positive", "Strategernas analys.")
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(cycle=cycle, by=strategist)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    report_publish(report=report, by=strategist, accept_gaps=True)
    write_synthesis(cycle, strategist, "2.1", "negative", f"{SECRET}-5")  # after publishing
    unpublished = Report.objects.create(  # a second version, not published
        cycle=cycle, number=2, status=Report.Status.DONE, compiled_by=strategist
    )
    unpublished.built_from.set(report.built_from.all())
    assert Contribution.objects.filter(state=Contribution.State.APPROVED).count() == 1

    urls = [reverse("api:root"), reverse("api:docs"), reverse("api:openapi")]
    for name in [
        "api:focus-area-list",
        "api:sdg-list",
        "api:organisation-list",
        "api:governing-document-list",
        "api:indicator-list",
        "api:value-list",
        "api:report-list",
    ]:
        urls += [reverse(name), reverse(f"{name}-csv")]
    urls += [
        reverse("api:programme"),
        reverse("api:focus-area-detail", args=["2.1"]),
        reverse("api:report-detail", args=[report.pk]),
        reverse("api:report-contributions", args=[report.pk]),
        reverse("api:report-contributions-csv", args=[report.pk]),
        reverse("api:report-focus-areas", args=[report.pk]),
        reverse("api:report-focus-areas-csv", args=[report.pk]),
        reverse("api:report-detail", args=[unpublished.pk]),
        reverse("api:report-contributions", args=[unpublished.pk]),
        reverse("api:report-focus-areas", args=[unpublished.pk]),
    ]
    seen = ""
    for url in urls:
        response = client.get(url)
        text = response.content.decode("utf-8-sig")
        assert SECRET not in text, url
        for person in ("strateg@helsingborg.example", "approver_a", "Approver_A", "Strategist"):
            assert person not in text, (person, url)
        seen += text
    assert "Godkänd text." in seen  # the approved contribution is there
    assert "Strategernas analys." in seen  # and the analysis the compiled report states


# Queries do not grow with the data.


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def more_programme_data(programme):
    organisations = [
        Organisation.objects.create(name=f"Testnämnd {n}", kind="nämnd") for n in range(5)
    ]
    for area in FocusArea.objects.all():
        for organisation in organisations:
            Responsibility.objects.create(organisation=organisation, focus_area=area)
        Indicator.objects.create(
            focus_area=area, title=f"Ny indikator {area.code}", better="higher", active=True
        )
        area.sdgs.add(*Sdg.objects.all()[:5])
    for n in range(5):
        document = GoverningDocument.objects.create(programme=programme, title=f"Plan {n}")
        document.directions.set(programme.directions.all())


@pytest.mark.parametrize(
    "name",
    [
        "api:programme",
        "api:focus-area-list",
        "api:sdg-list",
        "api:organisation-list",
        "api:governing-document-list",
        "api:indicator-list",
        "api:value-list",
    ],
)
def test_programme_lists_cost_the_same_queries_whatever_the_data(
    client, django_assert_max_num_queries, name, values
):
    url = reverse(name)
    few = count_queries(client, url)
    more_programme_data(Programme.objects.get())
    municipality = Municipality.objects.get(code="1283")
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, municipality=municipality, year=year, value=1)
        for indicator in Indicator.objects.all()
        for year in range(2000, 2010)
    )
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
    if name != "api:programme":
        with django_assert_max_num_queries(few):
            assert client.get(url + "?format=csv").status_code == 200


def test_details_cost_the_same_queries_whatever_the_data(
    client, django_assert_max_num_queries, values
):
    indicator = Indicator.objects.get(external_id="N00401")
    urls = [
        reverse("api:focus-area-detail", args=["2.1"]),
        reverse("api:indicator-detail", args=[indicator.pk]),
        reverse("api:indicator-values", args=[indicator.pk]),
    ]
    few = {url: count_queries(client, url) for url in urls}
    more_programme_data(Programme.objects.get())
    municipality = Municipality.objects.get(code="1283")
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, municipality=municipality, year=year, value=1)
        for year in range(2000, 2020)
    )
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            assert client.get(url).status_code == 200


def test_reports_and_contributions_cost_the_same_queries_whatever_the_data(
    client,
    django_assert_max_num_queries,
    cycle,
    strategist,
    approver_a,
    organisation_a,
    organisation_b,
):
    approve(
        cycle.contributions.get(organisation=organisation_a, focus_area__code="2.1"),
        approver_a,
        strategist,
        actions=[{"title": "Insats 2.1", "status": "ongoing", "sdgs": [13]}],
    )
    report = publish(cycle, strategist)
    urls = [
        reverse("api:report-list"),
        reverse("api:report-detail", args=[report.pk]),
        reverse("api:report-contributions", args=[report.pk]),
        reverse("api:report-contributions-csv", args=[report.pk]),
        reverse("api:report-focus-areas", args=[report.pk]),
        reverse("api:report-focus-areas-csv", args=[report.pk]),
        # The insatser of the published reports, each saying whether it is demo.
        reverse("api:action-list"),
        reverse("api:action-list-csv"),
        reverse("api:sdg-detail", args=[13]),
    ]
    few = {url: count_queries(client, url) for url in urls}
    approver_b = make_user("approver_b", organisation=organisation_b, role="approver")
    question = services.question_add(cycle=cycle, by=strategist, text="Fråga?", kind="short_text")
    for code in ("2.2", "2.3", "2.4"):
        for organisation, approver in ((organisation_a, approver_a), (organisation_b, approver_b)):
            approve(
                cycle.contributions.get(organisation=organisation, focus_area__code=code),
                approver,
                strategist,
                actions=[{"title": f"Insats {code}", "status": "ongoing", "sdgs": [13]}],
                answers={question: "Svar."},
            )
    latest = {}
    for version in approved_versions(cycle):
        latest.setdefault(version.contribution_id, version)
    report.built_from.set(latest.values())
    for year in (2018, 2020, 2022):
        publish(other_cycle(strategist, f"Uppföljning {year}", year), strategist)
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            assert client.get(url).status_code == 200
    assert get_json(client, urls[2])["count"] == 7
    assert get_json(client, reverse("api:action-list"))["count"] == 7


def test_a_page_of_a_reports_contributions_reads_only_that_pages_versions(
    client, cycle, strategist, approver_a, organisation_a
):
    """The order is Bilaga 2's (by the organisation's name as compiled), decided on light
    rows; a page reads the content of its own versions only, however large the report."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for code in ("2.1", "2.2", "2.3"):
        approve(
            cycle.contributions.get(organisation=organisation_a, focus_area__code=code),
            approver_a,
            strategist,
        )
    report = publish(cycle, strategist)
    url = reverse("api:report-contributions", args=[report.pk])
    whole = [item["id"] for item in get_json(client, url)["results"]]
    assert len(whole) == 3
    with CaptureQueriesContext(connection) as queries:
        page = get_json(client, f"{url}?page=2&page_size=1")
    assert [item["id"] for item in page["results"]] == whole[1:2]
    content = [q["sql"] for q in queries if '"reporting_contributionversion"."data"' in q["sql"]]
    assert content, [q["sql"] for q in queries]
    for sql in content:
        read = re.search(r'"reporting_contributionversion"\."id" IN \(([^)]*)\)', sql)
        assert read and read.group(1).replace(" ", "") == str(whole[1]), sql
