"""Indicators: definitions, values from Kolada files and CSV/XLSX (stored exactly or refused,
real values replacing demo values), pages that show them."""

import json
import re
import socket
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.demo import demo_values_load
from programme.indicators import values_import
from programme.kolada import KoladaValue, parse_page
from programme.models import Indicator, IndicatorValue, Municipality
from programme.resources import IndicatorValueResource
from programme.transfer import ImportRejected, import_dataset, read_dataset
from tests.factories import form_data

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "kolada"
PAGES = [str(DATA / f"page{n}.json") for n in (1, 2, 3)]


def run(*args):
    out = StringIO()
    call_command("import_kolada", *args, stdout=out)
    return out.getvalue()


def test_the_candidate_indicators_ship_unconfirmed_and_without_values():
    assert Indicator.objects.count() == 21
    assert not Indicator.objects.filter(confirmed=True).exists()
    assert not IndicatorValue.objects.exists()
    assert Indicator.objects.get(external_id="N00401").better == "lower"
    assert Indicator.objects.get(external_id="N00401").comparison_codes() == ["0000"]
    # Sweden as a whole comes with the indicators; the 290 municipalities with migration 0023.
    assert Municipality.objects.count() == 291
    assert Municipality.objects.get(code="0000").name and Municipality.objects.get(code="1283")


def test_indicators_compare_with_at_most_three_municipalities():
    indicator = Indicator.objects.first()
    indicator.comparisons = "0000,1280,1281,1282"
    with pytest.raises(ValidationError):
        indicator.full_clean()
    indicator.comparisons = "0000,12"
    with pytest.raises(ValidationError):
        indicator.full_clean()


def test_kolada_files_with_several_pages_nulls_and_gender_subsets():
    output = run(*PAGES)
    assert "nya" in output
    helsingborg = IndicatorValue.objects.filter(
        municipality__code="1283", indicator__external_id="N00401"
    )
    assert helsingborg.get(year=2020, gender="T").value == Decimal("3.1")
    assert helsingborg.get(year=2021, gender="T").value is None  # missing, never zero
    genders = set(
        IndicatorValue.objects.filter(indicator__external_id="U01413").values_list(
            "gender", flat=True
        )
    )
    assert genders <= {"T", "K", "M"} and len(genders) >= 2
    assert all(v.source for v in IndicatorValue.objects.all())


def test_the_same_files_again_change_nothing_and_a_changed_value_is_in_the_history(tmp_path):
    run(*PAGES)
    count = IndicatorValue.objects.count()
    assert "nya: 0, uppdaterade: 0" in run(*PAGES)
    assert IndicatorValue.objects.count() == count
    changed = tmp_path / "changed.json"
    changed.write_text(Path(PAGES[0]).read_text().replace("3.1", "2.9"))
    assert "uppdaterade: 1" in run(str(changed))
    value = IndicatorValue.objects.get(
        indicator__external_id="N00401", municipality__code="1283", year=2020, gender="T"
    )
    assert value.value == Decimal("2.9")
    assert [h.value for h in value.history.all()][:2] == [Decimal("2.9"), Decimal("3.1")]


@pytest.mark.parametrize(
    ("replace", "fragment"),
    [
        (('"kpi": "N00401"', '"kpi": "N99999"'), "N99999"),
        (('"municipality": "1283"', '"municipality": "9999"'), "9999"),
        (('"value": 3.1', '"value": "3,1"'), "3,1"),
        (('"values": [', '"values": [[['), "page1"),
    ],
    ids=["unknown kpi", "unknown municipality", "not a number", "broken json"],
)
def test_bad_kolada_files_are_refused_and_nothing_is_written(tmp_path, replace, fragment):
    bad = tmp_path / "page1.json"
    bad.write_text(Path(PAGES[0]).read_text().replace(*replace, 1))
    with pytest.raises(CommandError) as caught:
        run(PAGES[1], str(bad))
    assert fragment in str(caught.value)
    assert not IndicatorValue.objects.exists()


def test_fetch_offline_fails_clearly_and_writes_nothing():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(CommandError, match="Kolada"):
        run(
            "--fetch",
            "--kpi",
            "N00401",
            "--years",
            "2015-2026",
            "--base-url",
            f"http://127.0.0.1:{port}/v3",
        )
    assert not IndicatorValue.objects.exists()


def test_files_and_fetch_are_not_mixed():
    with pytest.raises(CommandError):
        run()
    with pytest.raises(CommandError):
        run(PAGES[0], "--fetch")


def test_dry_run_writes_nothing():
    assert "Provkörning" in run(*PAGES, "--dry-run")
    assert not IndicatorValue.objects.exists()


VALUE_HEADER = "program,fokusomrade,indikator,kommun,ar,kon,varde,status,kalla\n"
TITLE = "Utsläpp till luft av växthusgaser totalt, ton CO2-ekv/inv"


def test_csv_and_xlsx_round_trip_of_values():
    run(*PAGES)
    before = sorted(
        IndicatorValue.objects.values_list(
            "indicator_id", "municipality_id", "year", "gender", "value", "status"
        )
    )
    dataset = IndicatorValueResource().export()
    for file_format in ("csv", "xlsx"):
        data = dataset.export(file_format)
        data = data.encode("utf-8") if isinstance(data, str) else data
        IndicatorValue.objects.all().delete()
        import_dataset(IndicatorValueResource, read_dataset(data, file_format))
        after = sorted(
            IndicatorValue.objects.values_list(
                "indicator_id", "municipality_id", "year", "gender", "value", "status"
            )
        )
        assert after == before, file_format


def test_a_value_that_is_not_a_number_names_the_row_and_changes_nothing():
    text = VALUE_HEADER + f'2025–2027,2.1,"{TITLE}",1283,2020,totalt,tre,,\n'
    with pytest.raises(ImportRejected, match="Rad 2.*tre"):
        import_dataset(IndicatorValueResource, read_dataset(text.encode(), "csv"))
    assert not IndicatorValue.objects.exists()


def test_values_import_command(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(
        VALUE_HEADER + f'2025–2027,2.1,"{TITLE}",1283,2020,totalt,"3,5",,SCB\n', "utf-8"
    )
    out = StringIO()
    call_command("import_indicator_values", str(path), stdout=out)
    assert IndicatorValue.objects.get().value == Decimal("3.5")
    assert "nya: 1" in out.getvalue()


# A value is stored exactly or refused, one value per cell; real values replace demo values.


def envelope(*values, **extra) -> str:
    """A Kolada answer: a total of N00401 for each (municipality, year, value)."""
    return json.dumps(
        {
            "values": [
                {
                    "kpi": "N00401",
                    "municipality": municipality,
                    "period": year,
                    "values": [{"gender": "T", "count": 1, "status": "", "value": value}],
                }
                for municipality, year, value in values
            ],
            **extra,
        }
    )


def test_a_tiny_kolada_value_is_not_stored_as_zero():
    values, _ = parse_page(envelope(("1283", 2024, 1e-09)), source="svar.json")
    values_import(values)
    stored = IndicatorValue.objects.get(indicator__external_id="N00401", year=2024)
    stored.refresh_from_db()
    assert stored.value == Decimal("1E-9") and stored.value != 0


def test_a_value_that_cannot_be_stored_exactly_is_refused_and_nothing_changes():
    values, _ = parse_page(envelope(("1283", 2023, 2.0), ("1283", 2024, 1e-25)), source="s.json")
    with pytest.raises(ImportRejected) as refused:
        values_import(values)
    assert "s.json, post 2, värde 1" in refused.value.messages[0]
    assert "18 efter" in refused.value.messages[0]
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e999999", "1e-40"])
def test_a_spreadsheet_value_that_is_no_exact_number_is_refused(tmp_path, typed):
    path = tmp_path / "values.csv"
    path.write_text(VALUE_HEADER + f'2025–2027,2.1,"{TITLE}",1283,2020,totalt,{typed},,SCB\n')
    with pytest.raises(CommandError, match="Rad 2"):
        call_command("import_indicator_values", str(path), stdout=StringIO())
    assert not IndicatorValue.objects.exists()


def test_two_different_values_for_one_cell_are_refused_naming_both():
    first, _ = parse_page(envelope(("1283", 2022, 3.1)), source="sida1.json")
    second, _ = parse_page(envelope(("1283", 2022, 3.4)), source="sida2.json")
    with pytest.raises(ImportRejected) as refused:
        values_import(first + second)
    message = refused.value.messages[0]
    assert "N00401, 1283, 2022" in message
    assert "sida1.json, post 1" in message and "sida2.json, post 1" in message
    assert not IndicatorValue.objects.exists()
    # The same value twice is no conflict.
    values_import(first + first)
    assert IndicatorValue.objects.count() == 1


def test_real_values_replace_an_indicators_demo_values_whole():
    demo_values_load()
    indicator = Indicator.objects.get(external_id="N00401")
    other = Indicator.objects.get(external_id="U07801")
    assert indicator.values.filter(is_demo=True).count() > 10
    values = [KoladaValue("N00401", "1283", 2024, "T", Decimal("3.3"), "", 1)]
    summary = values_import(values)
    assert summary.demo_replaced > 10
    assert list(indicator.values.values_list("year", "value", "is_demo")) == [
        (2024, Decimal("3.3"), False)
    ]
    assert other.values.filter(is_demo=True).exists()  # other indicators keep theirs
    # Demo values are not added where real ones are.
    demo_values_load()
    assert not indicator.values.filter(is_demo=True).exists()


def test_a_spreadsheet_of_real_values_replaces_demo_values_too(tmp_path):
    demo_values_load()
    indicator = Indicator.objects.get(external_id="N00401")
    path = tmp_path / "values.csv"
    code, title = indicator.focus_area.code, indicator.title
    path.write_text(VALUE_HEADER + f'2025–2027,{code},"{title}",1283,2020,totalt,"4,25",,SCB\n')
    call_command("import_indicator_values", str(path), stdout=StringIO())
    assert list(indicator.values.values_list("year", "value", "is_demo")) == [
        (2020, Decimal("4.25"), False)
    ]


def test_the_focus_area_page_shows_chart_table_and_trend(client, reporter_a, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    client.force_login(reporter_a)
    page = client.get(reverse("programme:focus-area-detail", args=["2.1"])).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "Utsläpp till luft av växthusgaser" in page
    assert "<caption>Värden: Utsläpp till luft" in page
    assert "Demovärden – inte statistik för Helsingborg." in page
    assert "Att bekräfta" in page
    assert "Trend:" in page
    assert "mindre än 2 procent" in page  # the rule is stated
    # and beside each judgement, saying of what the 2 % are (not percentage points)
    assert "en förändring inom ±2 % av det första värdet räknas som oförändrad" in page
    page = client.get(reverse("programme:focus-area-detail", args=["3.2"])).content.decode()
    assert "Skillnad mellan kvinnor och män" in page
    # "under 2020", not "år 2020": a gap of years (life expectancy) reads unambiguously.
    assert re.search(r"kvinnor minus män\): −?[\d,]+ under \d{4}, −?[\d,]+ under \d{4}\.", page)


def test_focus_area_page_query_count_does_not_grow_with_values(client, reporter_a, settings):
    settings.DEBUG = True
    url = reverse("programme:focus-area-detail", args=["2.1"])
    client.force_login(reporter_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    call_command("load_demo", stdout=StringIO())
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_organisations_comment_on_indicators_in_the_contribution_form(
    client, approver_a, contribution_a
):
    indicator = Indicator.objects.get(external_id="N00401")
    client.force_login(approver_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(url).content.decode()
    assert "Er kommentar till indikatorn ”Utsläpp till luft" in page
    client.post(
        url, form_data(contribution_a, **{f"indicator_{indicator.pk}": "Elbilarna syns här."})
    )
    contribution_a.refresh_from_db()
    assert contribution_a.indicator_comments.get().text == "Elbilarna syns här."
    version = contribution_a.versions.last()
    assert version.data["indicator_comments"] == {str(indicator.pk): "Elbilarna syns här."}


def test_the_report_holds_each_indicators_chart_table_and_trend(settings, tmp_path):
    import io

    from pypdf import PdfReader

    from reporting.models import Cycle
    from reporting.report import pdf
    from reporting.report.data import report_data

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    cycle = Cycle.objects.get(is_demo=True)
    html = pdf.render_html(report_data(cycle))
    assert html.count('role="img"') >= 5  # the demo's charts
    content = pdf.write_pdf(html).content
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    ).replace("- ", "-")
    assert "Värden: Utsläpp till luft av växthusgaser" in text  # the table alternative
    assert "2021 – 4,1" in text  # a missing value is shown as missing, not zero (1 decimal)
    assert "Trend:" in text
    assert "Demovärden – inte statistik för Helsingborg." in text
    assert "2019" in text and "2026" in text  # axis labels and table rows


def test_a_charts_caption_spans_the_years_its_chart_and_table_show(settings):
    """The caption's years are the chart's: a target year (2030) is on the chart and in the
    table, so the caption runs to it too."""
    import lxml.html

    from reporting.models import Cycle
    from reporting.report import pdf
    from reporting.report.data import report_data

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    html = pdf.render_html(report_data(Cycle.objects.get(is_demo=True)))
    sections = lxml.html.fromstring(html).xpath("//section[@class='indicator']")
    spans = []
    for section in sections:
        caption = section.xpath(".//figure[@class='indicator-chart']/figcaption")
        if not caption:
            continue
        years = [row.text_content().strip() for row in section.xpath(".//tbody//th")]
        spans.append((caption[0].text_content().strip(), f"{years[0]}–{years[-1]}"))
    assert len(spans) >= 5
    assert any(span.endswith("2030") for _caption, span in spans)  # a target year
    for caption, span in spans:
        assert caption.endswith(f", {span}"), (caption, span)


def test_decimals_travel_with_the_indicators_file_and_are_checked():
    call_command("load_programme", stdout=StringIO())
    from programme.resources import IndicatorResource

    indicator = Indicator.objects.get(title=TITLE)
    indicator.decimals = 3
    indicator.save()
    dataset = IndicatorResource().export()
    assert "decimaler" in dataset.headers
    row = dataset.headers.index("decimaler")
    assert {line[row] for line in dataset if line[dataset.headers.index("titel")] == TITLE} == {"3"}
    Indicator.objects.update(decimals=0)
    import_dataset(IndicatorResource, read_dataset(dataset.export("csv").encode(), "csv"))
    indicator.refresh_from_db()
    assert indicator.decimals == 3

    # A file made before the column existed is refused by name, as any missing column.
    del dataset["decimaler"]
    Indicator.objects.update(decimals=0)
    with pytest.raises(ImportRejected, match="saknar kolumnerna: decimaler"):
        import_dataset(IndicatorResource, read_dataset(dataset.export("csv").encode(), "csv"))
    assert not Indicator.objects.exclude(decimals=0).exists()
    Indicator.objects.filter(pk=indicator.pk).update(decimals=3)

    text = IndicatorResource().export().export("csv").replace(",3,", ",9,", 1)
    with pytest.raises(ImportRejected, match="Rad [0-9]+, decimaler: 9 "):
        import_dataset(IndicatorResource, read_dataset(text.encode(), "csv"))
    indicator.refresh_from_db()
    assert indicator.decimals == 3
