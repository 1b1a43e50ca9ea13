import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from programme import charts
from programme.charts import COLOURS, line_chart_svg
from programme.colours import contrast_ratio

NS = "{http://www.w3.org/2000/svg}"
YEARS = list(range(2015, 2022))
HELSINGBORG = [  # unsorted, with a missing year (2017)
    (2019, 3.4),
    (2015, Decimal("3.1")),
    (2016, 2.8),
    (2017, None),
    (2018, 3.0),
    (2021, Decimal("4.2")),
    (2020, 4.25),
]
RIKET = [(year, 3.0 + (year - 2015) / 10) for year in YEARS]


@pytest.fixture(autouse=True)
def english(site_language):
    """The English source strings, whatever translations get added later."""
    with translation.override("en"):
        yield


def chart(**kwargs):
    kwargs = {
        "title": "Share of residents",
        "unit": "percent",
        "series": [("Helsingborg", HELSINGBORG), ("Riket", RIKET)],
        "chart_id": "share",
    } | kwargs
    return line_chart_svg(**kwargs)


def parse(svg):
    return ET.fromstring(str(svg))


def texts(root):
    return [element.text for element in root.iter(f"{NS}text")]


def year_x(root, year):
    (label,) = [t for t in root.iter(f"{NS}text") if t.text == str(year)]
    return float(label.get("x"))


def series_group(root, index):
    return root.find(f".//{NS}g[@id='share-series-{index}']")


def path_points(group):
    """[(command, x, y)] of a series' path."""
    d = group.find(f"{NS}path").get("d")
    return [(c, float(x), float(y)) for c, x, y in re.findall(r"([ML])([\d.]+) ([\d.]+)", d)]


def marker_xs(group):
    xs = []
    for marker in group:
        if marker.tag == f"{NS}circle":
            xs.append(float(marker.get("cx")))
        elif marker.tag == f"{NS}rect":
            xs.append(float(marker.get("x")) + float(marker.get("width")) / 2)
    return xs


def test_is_safe_valid_svg_with_an_accessible_name_and_description():
    svg = chart()
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("font-family") == "Noto Sans, sans-serif"
    ids = root.get("aria-labelledby").split()
    assert ids == ["share-title", "share-desc"]
    title, desc = (root.find(f".//*[@id='{id_}']") for id_ in ids)
    assert title.tag == f"{NS}title" and title.text == "Share of residents"
    assert desc.tag == f"{NS}desc" and desc.text
    assert root[0] is title  # the title comes first
    assert not list(root.iter(f"{NS}script"))
    assert "href" not in str(svg) and "class=" not in str(svg)


def test_chart_id_is_sanitised():
    root = parse(chart(chart_id="Indikator 1.2 <x> & ÅÄÖ"))
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert ids and all(re.fullmatch(r"[a-z][a-z0-9-]*", id_) for id_ in ids)
    for id_ in root.get("aria-labelledby").split():
        assert root.find(f".//*[@id='{id_}']") is not None
    labelled_by = parse(chart(chart_id="2030")).get("aria-labelledby")
    assert labelled_by == "chart-2030-title chart-2030-desc"


def test_axes_are_labelled_with_years_ticks_and_unit():
    root = parse(chart())
    labels = texts(root)
    assert all(str(year) in labels for year in YEARS)
    assert "percent" in labels
    ticks = [
        t.text
        for t in root.iter(f"{NS}text")
        if t.get("text-anchor") == "end" and not t.get("data-note")
    ]
    assert 4 <= len(ticks) <= 5
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", tick) for tick in ticks)  # English decimals
    grid = [line for line in root.iter(f"{NS}line") if line.get("stroke") == "#dddddd"]
    assert len(grid) == len(ticks)


def test_many_years_are_thinned_out():
    series = [("A", [(year, year % 7) for year in range(1990, 2025)])]
    labels = [text for text in texts(parse(chart(series=series))) if re.fullmatch(r"\d{4}", text)]
    assert 4 <= len(labels) <= 8
    assert labels[0] == "1990"


def test_missing_value_breaks_the_line():
    root = parse(chart())
    helsingborg = series_group(root, 0)
    points = path_points(helsingborg)
    assert [command for command, _x, _y in points].count("M") == 2  # two segments
    x_2017 = year_x(root, 2017)
    assert all(abs(x - x_2017) > 1 for _c, x, _y in points)
    assert all(abs(x - x_2017) > 1 for x in marker_xs(helsingborg))
    assert len(marker_xs(helsingborg)) == 6
    riket = series_group(root, 1)
    assert [command for command, _x, _y in path_points(riket)].count("M") == 1
    assert len(marker_xs(riket)) == 7


def test_years_are_sorted_and_values_placed_by_year():
    root = parse(chart())
    points = path_points(series_group(root, 0))
    xs = [x for _c, x, _y in points]
    assert xs == sorted(xs)
    assert xs[0] == pytest.approx(year_x(root, 2015))
    assert xs[-1] == pytest.approx(year_x(root, 2021))
    by_x = {round(x): y for _c, x, y in points}
    assert by_x[round(year_x(root, 2020))] < by_x[round(year_x(root, 2016))]  # 4,25 is higher


def test_series_differ_in_dash_and_marker_not_only_colour():
    root = parse(chart())
    first, second = series_group(root, 0), series_group(root, 1)
    dashes = [group.find(f"{NS}path").get("stroke-dasharray") for group in (first, second)]
    assert dashes[0] and dashes[1] and dashes[0] != dashes[1]
    assert first.get("data-marker") != second.get("data-marker")
    shapes = [[m.tag for m in group if m.tag != f"{NS}path"] for group in (first, second)]
    assert set(shapes[0]) == {f"{NS}circle"} and set(shapes[1]) == {f"{NS}rect"}


def test_six_series_all_look_different_and_have_enough_contrast():
    series = [(f"Series {i}", [(2020, i), (2021, i + 1)]) for i in range(6)]
    root = parse(chart(series=series))
    groups = [series_group(root, i) for i in range(6)]
    paths = [group.find(f"{NS}path") for group in groups]
    assert len({path.get("stroke-dasharray") for path in paths}) == 6
    assert len({group.get("data-marker") for group in groups}) == 6
    assert len({path.get("stroke") for path in paths}) == 6
    assert all(contrast_ratio(colour, "#ffffff") >= 3 for colour in COLOURS)
    with pytest.raises(ValueError):
        chart(series=[*series, ("Seventh", [(2020, 1)])])


def test_legend_repeats_line_marker_and_label():
    root = parse(chart())
    for index, label in enumerate(["Helsingborg", "Riket"]):
        path = series_group(root, index).find(f"{NS}path")
        legend_lines = [
            line
            for line in root.iter(f"{NS}line")
            if line.get("stroke") == path.get("stroke")
            and line.get("stroke-dasharray") == path.get("stroke-dasharray")
        ]
        assert len(legend_lines) == 1
        assert label in texts(root)
    assert len(list(root.iter(f"{NS}circle"))) == 6 + 1  # six values and the legend
    assert len(list(root.iter(f"{NS}rect"))) == 7 + 1


def test_user_text_is_escaped():
    evil = "<script>alert('x')</script> & Co"
    svg = chart(title=evil, unit="kr & öre", series=[(evil, RIKET), ("A & B", HELSINGBORG)])
    assert "<script>" not in svg
    root = parse(svg)
    assert root.find(f"{NS}title").text == evil
    assert evil in root.find(f"{NS}desc").text
    assert evil in texts(root) and "A & B" in texts(root) and "kr & öre" in texts(root)
    assert not list(root.iter(f"{NS}script"))


def test_the_template_escapes_quotes_and_markup_in_every_text():
    """The title, the unit and a series' label, as typed, escaped by the template that
    draws the chart (templates/programme/line_chart.svg), quotes included."""
    evil = "<script>alert(\"x\")</script> & 'Co'"
    svg = chart(title=evil, unit=evil, series=[(evil, RIKET)])
    assert "<script" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Co&#x27;" in svg
    root = parse(svg)
    assert root.find(f"{NS}title").text == evil
    assert root.find(f"{NS}desc").text.count(evil) == 3  # the names, the unit, the values
    assert texts(root).count(evil) == 2  # the unit above the axis, the legend
    assert not list(root.iter(f"{NS}script"))


def test_charts_py_marks_nothing_safe_and_escapes_nothing_by_hand():
    """The markup is the template's, which Django escapes (the project's rule: the
    framework renders its own output)."""
    source = Path(charts.__file__).read_text("utf-8")
    assert not re.findall(r"\b(?:mark_safe|SafeString|escape|format_html)\b", source)


def test_the_svg_is_compact():
    """Inlined in pages and PDFs: no whitespace between its elements or around it."""
    for svg in (chart(targets=[(2025, 5, (2021, 4.2))]), chart(series=[])):
        assert svg.startswith("<svg ") and svg.endswith("</svg>")
        assert not re.search(r">\s+<", svg)


def test_series_without_values_is_in_the_legend():
    root = parse(chart(series=[("Helsingborg", HELSINGBORG), ("Riket", [(2015, None)])]))
    assert "Riket (no values)" in texts(root)
    assert series_group(root, 1).find(f"{NS}path") is None
    assert "Riket: no values." in root.find(f"{NS}desc").text


@pytest.mark.parametrize("series", [[], [("Helsingborg", [(2020, None)]), ("Riket", [])]])
def test_no_values_at_all(series):
    root = parse(chart(series=series))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{NS}title").get("id") == title_id
    assert root.find(f"{NS}desc").get("id") == desc_id
    assert root.find(f"{NS}title").text == "Share of residents"
    assert root.find(f"{NS}desc").text == "No values yet"
    assert texts(root) == ["No values yet"]
    assert int(root.get("height")) < 100
    assert not list(root.iter(f"{NS}path"))


def test_description_gives_years_and_first_and_last_values_with_decimal_comma():
    desc = parse(chart()).find(f"{NS}desc").text
    assert "2015–2021" in desc
    assert "Helsingborg, Riket" in desc
    assert "percent" in desc
    assert "Helsingborg: 3.1 in 2015, 4.2 in 2021." in desc
    assert "Riket: 3 in 2015, 3.6 in 2021." in desc
    one = parse(chart(series=[("A", [(2020, 1234.5)])])).find(f"{NS}desc").text
    assert "A: 1,234.5 in 2020." in one
    with translation.override("sv"):
        one = parse(chart(series=[("A", [(2020, -1234.5)])])).find(f"{NS}desc").text
    assert "A: \u22121\u00a0234,5 " in one


def test_decimal_comma_in_swedish_also_for_small_ticks():
    with translation.override("sv"):
        root = parse(chart(series=[("A", [(2020, 0.12), (2021, 0.18)])]))
    ticks = [
        t.text
        for t in root.iter(f"{NS}text")
        if t.get("text-anchor") == "end" and not t.get("data-note")
    ]
    assert any("," in tick for tick in ticks) and not any("." in tick for tick in ticks)
    assert "0,12" in root.find(f"{NS}desc").text


def test_flat_and_single_values_are_drawn():
    for series in ([("A", [(2020, 5), (2021, 5)])], [("A", [(2020, 0)])]):
        root = parse(chart(series=series))
        ticks = [
            t.text
            for t in root.iter(f"{NS}text")
            if t.get("text-anchor") == "end" and not t.get("data-note")
        ]
        assert 4 <= len(ticks) <= 5
        assert len(marker_xs(series_group(root, 0))) == len(series[0][1])


def test_renders_into_a_pdf_with_the_axis_labels_as_text():
    import weasyprint
    from pypdf import PdfReader

    svg = chart()
    pdf = weasyprint.HTML(string=f"<html lang='sv'><body>{svg}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for year in YEARS:
        assert str(year) in text
    assert "percent" in text and "Helsingborg" in text


def test_an_axis_that_does_not_start_at_zero_says_so():
    def note(series):
        root = parse(chart(series=series))
        return [t.text for t in root.iter(f"{NS}text") if t.get("data-note") == "axis"]

    assert note([("A", [(2020, 40), (2021, 42)])]) == ["The axis does not start at zero"]
    assert note([("A", [(2020, 0), (2021, 42)])]) == []


def test_the_description_gives_the_values_as_the_indicator_shows_them():
    """A screen reader hears the numbers the table and the text print: rounded to the
    indicator's decimals, not to the chart's own two."""
    root = parse(chart(series=[("Helsingborg", [(2019, 3.15), (2026, 4.41)])], decimals=1))
    desc = root.find(f"{NS}desc").text
    assert "3.2 in 2019" in desc and "4.4 in 2026" in desc, desc
    root = parse(chart(series=[("Helsingborg", [(2019, 3.75), (2026, 440)])], decimals=0))
    desc = root.find(f"{NS}desc").text
    assert "4 in 2019" in desc and "440 in 2026" in desc, desc


def test_the_indicator_charts_description_uses_the_indicators_decimals(settings):
    from django.template import Context, Template

    from programme.models import Indicator

    class View:
        indicator = Indicator(pk=7, title="Utsläpp", unit="ton", decimals=1)
        series = [("Helsingborg", [(2019, 3.15), (2026, 3.36)])]
        targets = []

    svg = Template("{% load programme_tags %}{% indicator_chart view 'x' %}").render(
        Context({"view": View()})
    )
    desc = parse(svg).find(f"{NS}desc").text
    assert "3.2 in 2019" in desc and "3.4 in 2026" in desc, desc
