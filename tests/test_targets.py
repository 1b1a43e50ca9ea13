"""Issue 23, point 1: an indicator's targets, the rule that judges them, and where they show
(pages, chart, table, report, API, admin, import and export)."""

import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from programme.demo import demo_values_load
from programme.models import GoverningDocument, Indicator, IndicatorTarget, Programme
from programme.targets import Status, judge
from programme.transfer import ImportRejected, export_programme, import_programme, read_dataset
from reporting.report import pdf
from reporting.report.data import report_data
from tests.factories import DEMO_TARGETS, page_text

AT_LEAST, AT_MOST = IndicatorTarget.Direction.AT_LEAST, IndicatorTarget.Direction.AT_MOST


def target(value, year, direction=AT_LEAST):
    return IndicatorTarget(value=Decimal(value), year=year, direction=direction)


def series(**by_year):
    return {int(year[1:]): None if v is None else Decimal(str(v)) for year, v in by_year.items()}


@pytest.mark.parametrize(
    ("goal", "values", "status"),
    [
        # From 20 in 2020 to 40 in 2030: the path passes 30 in 2025.
        (target("40", 2030), series(y2020=20, y2025=31), Status.ON_TRACK),
        (target("40", 2030), series(y2020=20, y2025=30), Status.ON_TRACK),  # on the path
        (target("40", 2030), series(y2020=20, y2025=29.9), Status.OFF_TRACK),
        (target("40", 2030), series(y2020=20, y2025=40), Status.REACHED),  # meets it: reached
        (target("40", 2024), series(y2020=20, y2025=39), Status.MISSED),  # the year has come
        # Lower is the target's way: at most 10 by 2030, from 30 in 2020; the path is 20 in 2025.
        (target("10", 2030, AT_MOST), series(y2020=30, y2025=19), Status.ON_TRACK),
        (target("10", 2030, AT_MOST), series(y2020=30, y2025=21), Status.OFF_TRACK),
        (target("10", 2030, AT_MOST), series(y2020=30, y2025=10), Status.REACHED),
        # A missing year is skipped, never read as zero.
        (target("40", 2030), series(y2020=20, y2024=None, y2025=31), Status.ON_TRACK),
        (target("40", 2030), {}, Status.CANNOT_ASSESS),
        (target("40", 2030), series(y2025=31), Status.CANNOT_ASSESS),  # one year: no path
        (target("40", 2030), series(y2025=None), Status.CANNOT_ASSESS),
    ],
)
def test_the_target_rule(goal, values, status):
    assert judge(goal, values).status == status


def test_the_path_starts_in_the_baseline_year_and_its_value_is_said():
    values = series(y2015=0, y2020=20, y2025=31)
    judged = judge(target("40", 2030), values, from_year=2020)
    assert (judged.base_year, judged.base, judged.expected) == (2020, 20, 30)
    assert (judged.latest_year, judged.latest) == (2025, 31)
    # From 2015 the path would pass 26.7 in 2025; the baseline year is what counts.
    assert judge(target("40", 2030), values).expected != judged.expected
    assert "för få år" in judge(target("40", 2030), series(y2025=1)).words


@pytest.fixture
def demo(programme_data):
    demo_values_load()
    return {kpi: Indicator.objects.get(external_id=kpi) for kpi, *_rest in DEMO_TARGETS}


def test_the_demo_shows_three_targets_each_judged_otherwise_and_marked_demo(demo, client):
    statuses = []
    for indicator in demo.values():
        (goal,) = indicator.targets.all()
        assert goal.is_demo
        page = client.get(reverse("programme:statistics-indicator", args=[indicator.pk]))
        html = page.content.decode()
        text = page_text(page)
        assert re.search(r"år \d{4} \( ?demomål, inte kommunens ?\):", text), text
        said = r'class="indicator-target">.*?<span aria-hidden="true">.{1,2}</span> '
        said += r"<strong>(.*?)</strong>"
        statuses.append(re.search(said, html, re.S).group(1))
        # The chart draws the target and says it in words; the table has its column.
        svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
        assert 'data-marker="target"' in svg and f"i {goal.year}" not in svg  # Swedish desc
        assert "Mål:" in re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
        table = re.search(r"<table class=\"indicator-table\">.*?</table>", html, re.S).group(0)
        assert re.search(r'<th scope="col">Mål</th>', table)
        assert f'<th scope="row">{goal.year}</th>' in table
        assert "Mål: en rät linje dras" in text  # the rule is stated where it judges
    assert statuses == ["Inte i takt med målet", "I takt med målet", "Målet är nått"]


def test_the_statistics_page_has_a_target_column_and_lists_indicators_without_values_apart(
    demo, client
):
    html = client.get(reverse("programme:statistics")).content.decode()
    text = page_text(html)
    assert "i takt med målet" in text and "inget mål satt" in text
    assert "Inga värden ännu:" in text
    # Rows are for indicators with values; the rest are named in one sentence.
    rows = re.findall(r'<tr>\s*<th scope="row">.*?</tr>', html, re.S)
    assert rows and all(cell != "–" for row in rows for cell in re.findall(r"<td>(.*?)</td>", row))
    assert len(rows) == Indicator.objects.filter(values__isnull=False).distinct().count()


def test_the_api_gives_each_indicator_its_targets_and_their_status(demo, client):
    indicator = demo["U07801"]
    data = client.get(reverse("api:indicator-detail", args=[indicator.pk])).json()
    (goal,) = data["targets"]
    assert goal["value"] == "425" and goal["year"] == 2030 and goal["direction"] == "at_most"
    assert goal["status"] == "on_track" and goal["is_demo"] is True
    assert goal["latest_year"] == 2026 and Decimal(goal["expected"]) > Decimal(goal["latest"])
    listed = client.get(reverse("api:indicator-list")).json()
    results = listed["results"] if isinstance(listed, dict) else listed
    assert all(
        item["targets"] == [] for item in results if item["id"] not in {i.pk for i in demo.values()}
    )


def test_the_report_states_each_target_and_the_rule_in_its_method(demo, cycle):
    html = pdf.render_html(report_data(cycle))
    text = page_text(html)
    assert "Mål: en rät linje dras" in text
    assert "Inte i takt med målet" in text and "I takt med målet" in text


def test_english_pages_say_the_target_in_english_with_english_decimals(demo, client):
    indicator = demo["N00401"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = page_text(client.get(reverse("programme:statistics-indicator", args=[indicator.pk])))
    assert "Target: at most 2.0 tonnes CO₂e/inhabitant in 2030" in text
    assert "Not on track for the target" in text


def test_a_target_is_exact_and_its_document_is_of_the_indicators_programme(programme_data):
    indicator = Indicator.objects.first()
    goal = IndicatorTarget(
        indicator=indicator, year=2030, direction=AT_LEAST, value=Decimal("1e40")
    )
    with pytest.raises(ValidationError) as refused:
        goal.full_clean()
    assert "value" in refused.value.error_dict
    other = Programme.objects.create(
        name="Annat", edition="2099–2100", valid_from="2099-01-01", valid_until="2100-12-31"
    )
    document = GoverningDocument.objects.create(programme=other, title="Annan plan")
    goal = IndicatorTarget(
        indicator=indicator, year=2030, direction=AT_LEAST, value=Decimal("1"), document=document
    )
    with pytest.raises(ValidationError) as refused:
        goal.full_clean()
    assert "styrdokument i indikatorns program" in str(refused.value.error_dict["document"])


def test_targets_travel_with_the_programme_export_and_import(demo):
    document = GoverningDocument.objects.filter(
        programme=demo["N00401"].focus_area.programme
    ).first()
    IndicatorTarget.objects.filter(indicator=demo["N00401"]).update(document=document, basis="")
    (csv,) = [data for name, data in export_programme("csv").items() if name == "indikatormal.csv"]
    assert document.title in csv.decode("utf-8-sig")
    IndicatorTarget.objects.all().delete()
    import_programme({"indikatormal": read_dataset(csv, "csv")})
    assert IndicatorTarget.objects.count() == len(DEMO_TARGETS)
    assert IndicatorTarget.objects.get(indicator=demo["N00401"]).document == document
    # A row with no number, or a document the programme does not have, changes nothing.
    text = csv.decode("utf-8-sig")
    assert ",2027,minst,3.5," in text
    for broken in (
        text.replace(",2027,minst,3.5,", ",2027,minst,,"),
        text.replace(document.title, "Ingen sådan plan"),
    ):
        with pytest.raises(ImportRejected) as refused:
            import_programme({"indikatormal": read_dataset(broken.encode(), "csv")})
        assert any("indikatormal" in message for message in refused.value.messages)
    assert IndicatorTarget.objects.get(indicator=demo["N00401"]).document == document
    assert IndicatorTarget.objects.get(indicator=demo["N09801"]).value == Decimal("3.5")


def test_targets_are_edited_in_the_admin_on_the_indicators_page(demo, administrator, client):
    client.force_login(administrator)
    indicator = demo["N00401"]
    page = client.get(reverse("admin:programme_indicator_change", args=[indicator.pk]))
    assert page.status_code == 200 and "targets-0-value" in page.content.decode()
    add = client.get(reverse("admin:programme_indicatortarget_add"))
    assert add.status_code == 200
    history = IndicatorTarget.objects.get(indicator=indicator).history.count()
    assert history == 1  # kept, as every change to the structure


def test_every_shipped_indicator_has_a_unit_not_a_phrase(programme_data):
    from programme.units import UNITS

    units = set(Indicator.objects.values_list("unit", flat=True))
    assert units and units <= set(UNITS), units - set(UNITS)
    data = json.loads((settings.BASE_DIR / "fixtures" / "indicators.json").read_text())
    assert {row["unit"] for row in data["indicators"]} <= set(UNITS)
    with translation.override("en"):
        shown = {Indicator(unit=unit).unit_shown for unit in units}
    assert "kg/inhabitant" in shown and "%" in shown and not any("inv" in s for s in shown)


def test_a_missing_value_says_what_the_source_says(demo, client):
    from programme.models import IndicatorValue

    indicator = demo["N00401"]
    IndicatorValue.objects.filter(
        indicator=indicator, municipality__code="1283", year=2021, gender="T"
    ).update(status="Bortfall")
    html = client.get(
        reverse("programme:statistics-indicator", args=[indicator.pk])
    ).content.decode()
    assert re.search(r'<th scope="row">2021</th><td>Bortfall</td>', html)


def test_the_unit_migration_turns_phrases_into_units_and_back(programme_data):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("programme.migrations.0015_units_not_phrases")
    migration.backwards(apps, None)
    units = dict(Indicator.objects.values_list("external_id", "unit"))
    assert units["N85054"] == "andel (%)" and units["N03939"] == "andel av befolkningen (%)"
    assert units["N00401"] == "ton CO2-ekv/inv" and units["N05401"] == "%"
    migration.forwards(apps, None)
    shipped = json.loads((settings.BASE_DIR / "fixtures" / "indicators.json").read_text())
    assert dict(Indicator.objects.values_list("external_id", "unit")) == {
        row["external_id"]: row["unit"] for row in shipped["indicators"]
    }


def test_the_report_says_each_indicator_in_one_sentence_first(demo, cycle):
    text = page_text(pdf.render_html(report_data(cycle)))
    assert (
        "3,2 ton CO₂e/inv år 2026, bättre än 158 av 282 andra kommuner; målet högst 2,0 "
        "ton CO₂e/inv år 2030 nås inte i nuvarande takt."
    ) in text
    assert "; målet minst 3,5 lån/inv år 2027 är nått." in text
    with translation.override("en"):
        english = page_text(pdf.render_html(report_data(cycle)))
    assert "the target of at most 425.0 kg/inhabitant by 2030 is reached at the current pace." in (
        english
    )


BEFORE_BASE_YEAR = (
    "Målåret 1999 är före programmets basår 2024 (året innan 2025–2027 börjar gälla): "
    "välj 2024 eller ett senare år."
)


def test_a_target_year_before_the_programmes_base_year_is_refused(programme_data):
    indicator = Indicator.objects.get(external_id="N45925")
    goal = IndicatorTarget(indicator=indicator, year=1999, direction=AT_MOST, value=Decimal(20))
    with pytest.raises(ValidationError) as refused:
        goal.full_clean()
    assert refused.value.message_dict == {"year": [BEFORE_BASE_YEAR]}
    IndicatorTarget(indicator=indicator, year=2024, direction=AT_MOST, value=20).full_clean()


def test_the_import_refuses_a_target_year_before_the_base_year(demo):
    dataset = read_dataset(export_programme("csv")["indikatormal.csv"], "csv")
    row = list(dataset[0])
    row[dataset.headers.index("ar")] = "1999"
    dataset[0] = tuple(row)
    before = list(IndicatorTarget.objects.values_list("indicator", "year"))
    with pytest.raises(ImportRejected) as refused:
        import_programme({"indikatormal": dataset})
    assert refused.value.messages == [f"indikatormal: Rad 2, ar: {BEFORE_BASE_YEAR}"]
    assert list(IndicatorTarget.objects.values_list("indicator", "year")) == before


def test_the_admin_refuses_a_target_year_before_the_base_year_on_a_new_indicator(
    client, administrator
):
    from programme.models import FocusArea

    area = FocusArea.objects.get(code="2.1")
    client.force_login(administrator)
    page = client.get(reverse("admin:programme_indicator_add"))
    form = page.context["adminform"].form
    data = {
        name: field.value()
        for name, field in ((n, form[n]) for n in form.fields)
        if field.value() not in (None, False, [])
    }
    data |= {
        "title": "Ny indikator",
        "focus_area": str(area.pk),
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-0-direction": "at_most",
        "targets-0-value": "20",
        "targets-0-year": "1999",
    }
    response = client.post(reverse("admin:programme_indicator_add"), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].errors.get("year") == [BEFORE_BASE_YEAR], formset.errors
    assert not Indicator.objects.filter(title="Ny indikator").exists()
