"""Accessible line charts as plain inline SVG (no scripts, no external references), for web
pages and WeasyPrint PDFs. Series differ in colour, dash pattern and marker shape.

The geometry is worked out here, as plain data: blocks of elements, each a dict of its kind
and its attributes' values as strings (the numbers formatted as they are drawn). The markup
is templates/programme/line_chart.svg's, which Django escapes."""

import math
import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from livskvalitet.core.templatetags.livskvalitet import decimal

# Each at least 3:1 against white (WCAG 1.4.11).
COLOURS = ["#0b4a84", "#8a3b00", "#1d5e2a", "#6a1b9a", "#333333", "#a3001b"]
DASHES = ["none", "8 4", "2 3", "10 3 2 3", "4 2", "12 3 2 3 2 3"]
MARKERS = ["circle", "square", "triangle", "diamond", "triangle-down", "plus"]
POLYGONS = {
    "triangle": [(0, -5), (4.5, 3.5), (-4.5, 3.5)],
    "diamond": [(0, -5), (5, 0), (0, 5), (-5, 0)],
    "triangle-down": [(0, 5), (4.5, -3.5), (-4.5, -3.5)],
    "plus": [(-2, -5), (2, -5), (2, -2), (5, -2), (5, 2), (2, 2), (2, 5), (-2, 5), (-2, 2),
             (-5, 2), (-5, -2), (-2, -2)],
}  # fmt: skip
MAX_SERIES = len(COLOURS)
MAX_YEAR_LABELS = 8
CHAR_WIDTH = 7  # rough width of a 12px DejaVu Sans character
AXIS = "#555555"
TARGET = "#222222"  # the target: a cross, and the dotted path to it from the baseline
TEMPLATE = "programme/line_chart.svg"

Value = int | float | Decimal | None


def _number(value: float, decimals: int = 2) -> str:
    """In the active language's style (Swedish: decimal comma, a no-break space between
    thousands; English: a decimal point and commas), no trailing zeros, the minus sign
    U+2212."""
    text = f"{float(value):,.{decimals}f}"
    text = text.rstrip("0").rstrip(".") if decimals else text
    text = "0" if text == "-0" else text
    point, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    thousands = "\u00a0" if thousands in (" ", "\u00a0") else thousands
    whole, _dot, fraction = text.partition(".")
    text = whole.replace(",", thousands) + (point + fraction if fraction else "")
    return text.replace("-", "\u2212")


def _points(values: list[tuple[int, Value]]) -> list[tuple[int, float | None]]:
    """Sorted by year; missing and non-finite values become None."""
    points = {int(year): float("nan" if value is None else value) for year, value in values}
    return sorted((year, value if math.isfinite(value) else None) for year, value in points.items())


def _ticks(low: float, high: float) -> list[float]:
    """4-5 round values covering low..high."""
    if low == high:
        pad = abs(low) / 10 or 1
        low, high = (low - pad, high + pad) if low else (0, 1)
    magnitude = 10 ** math.floor(math.log10((high - low) / 4))
    for factor in (1, 2, 2.5, 5, 10, 20, 25, 50):
        step = factor * magnitude
        first, last = math.floor(round(low / step, 9)), math.ceil(round(high / step, 9))
        if last - first <= 4:
            break
    last = max(last, first + 3)
    return [round((first + i) * step, 10) for i in range(last - first + 1)]


Element = dict[str, str]  # "kind" (line, text, path, circle, rect or polygon), attributes


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, width="", dash="") -> Element:
    return {
        "kind": "line",
        "x1": f"{x1:.1f}",
        "y1": f"{y1:.1f}",
        "x2": f"{x2:.1f}",
        "y2": f"{y2:.1f}",
        "stroke": stroke,
        "width": width,
        "dash": dash,
    }


def _text(x: str, y: str, text: str, anchor: str = "", note: str = "") -> Element:
    return {"kind": "text", "x": x, "y": y, "anchor": anchor, "note": note, "text": text}


def _marker(shape: str, x: float, y: float, colour: str) -> Element:
    if shape == "circle":
        return {"kind": "circle", "cx": f"{x:.1f}", "cy": f"{y:.1f}", "colour": colour}
    if shape == "square":
        return {"kind": "rect", "x": f"{x - 3.5:.1f}", "y": f"{y - 3.5:.1f}", "colour": colour}
    points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in POLYGONS[shape])
    return {"kind": "polygon", "points": points, "colour": colour}


def _cross(x: float, y: float) -> list[Element]:
    return [
        _line(x - 5, y - 5, x + 5, y + 5, TARGET, width="2.5"),
        _line(x - 5, y + 5, x + 5, y - 5, TARGET, width="2.5"),
    ]


def _block(elements: list[Element], group_id: str = "", marker: str = "") -> dict:
    """Elements drawn together; with a ``marker``, in a group (<g>) that says which."""
    return {"elements": elements, "group_id": group_id, "marker": marker}


def _describe(
    unit: str,
    data: list[tuple[str, list[tuple[int, float | None]]]],
    targets=(),
    decimals: int | None = None,
) -> str:
    """In words: the series, the years covered, each series' first and last value, and
    the targets; with ``decimals``, the values as the indicator's table and text show them."""
    shown = _number if decimals is None else (lambda value: decimal(value, decimals))
    years = [year for _label, points in data for year, _value in points]
    years += [year for year, _value, _base in targets]
    names = ", ".join(label for label, _pts in data)
    parts = [_("Line chart, %(start)d–%(end)d: %(names)s.") % {
        "start": min(years), "end": max(years), "names": names}]  # fmt: skip
    if unit:
        parts.append(_("Values in %(unit)s.") % {"unit": unit})
    for label, points in data:
        known = [(year, value) for year, value in points if value is not None]
        ends = known[:1] + known[1:][-1:]  # the first and the last value
        said = [_("%(value)s in %(year)d") % {"value": shown(v), "year": y} for y, v in ends]
        parts.append(f"{label}: {', '.join(said) or _('no values')}.")
    for year, value, _base in targets:
        parts.append(_("Target: %(value)s in %(year)d.") % {"value": shown(value), "year": year})
    return " ".join(parts)


def line_chart_svg(
    *,
    title: str,
    unit: str,
    series: list[tuple[str, list[tuple[int, Value]]]],
    width: int = 520,
    height: int = 260,
    chart_id: str = "chart",
    targets: list[tuple[int, Value, tuple[int, Value] | None]] = (),
    decimals: int | None = None,
) -> str:
    """An accessible SVG line chart, safe to put in a template as it is (the template that
    draws it escapes every text). ``targets`` are (year, value, baseline point or None): a
    cross, and a dotted path from the baseline.
    ``decimals``: those the values are shown with elsewhere, for the description in words."""
    if len(series) > MAX_SERIES:
        raise ValueError(f"At most {MAX_SERIES} series, got {len(series)}.")
    cid = re.sub(r"[^a-z0-9-]+", "-", str(chart_id).lower()).strip("-")
    cid = cid if cid[:1].isalpha() else f"chart-{cid}".rstrip("-")  # ids start with a letter
    data = [(str(label), _points(values)) for label, values in series]
    values = [value for _label, points in data for _year, value in points if value is not None]
    targets = [(int(year), float(value), base) for year, value, base in targets] if values else []
    values += [value for _year, value, _base in targets]
    desc = _describe(unit, data, targets, decimals) if values else _("No values yet")
    chart = {"id": cid, "title": title, "desc": desc, "width": str(width)}
    if not values:
        blocks = [_block([_text("8", "28", desc)])]
        return render_to_string(TEMPLATE, {"chart": chart | {"height": "48", "blocks": blocks}})

    ticks = _ticks(min(values), max(values))
    decimals = max(0, 1 - math.floor(math.log10(ticks[1] - ticks[0])))
    tick_labels = [_number(tick, decimals) for tick in ticks]
    left = 16 + CHAR_WIDTH * max(len(label) for label in tick_labels)
    right = width - 16
    legend, x, row = [], left, 0  # (index, text, x, row); items wrap into rows
    for index, (label, points) in enumerate(data):
        text = label if any(v is not None for _y, v in points) else f"{label} {_('(no values)')}"
        item_width = 40 + CHAR_WIDTH * len(text)
        if x > left and x + item_width > right:
            x, row = left, row + 1
        legend.append((index, text, x, row))
        x += item_width
    if targets:
        text = _("Target")
        if x > left and x + 40 + CHAR_WIDTH * len(text) > right:
            x, row = left, row + 1
        legend.append((None, text, x, row))
    top, bottom = 30, height - 34 - 20 * (row + 1)

    years = [year for _label, points in data for year, _value in points]
    years += [year for year, _value, _base in targets]
    first_year, last_year = min(years), max(years)
    x_start, x_scale = left + 10, (right - left - 20) / max(last_year - first_year, 1)
    if first_year == last_year:  # a single year sits in the middle
        x_start = (left + right) / 2

    def x_of(year: int) -> float:
        return x_start + x_scale * (year - first_year)

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * (value - ticks[0]) / (ticks[-1] - ticks[0])

    axes = []  # the unit, the note, the grid with its values, the axes, the years
    if unit:
        axes.append(_text("8", "16", unit))
    if ticks[0] > 0 or ticks[-1] < 0:  # a cut axis exaggerates change: say so
        note = _("The axis does not start at zero")
        axes.append(_text(str(right), "16", note, anchor="end", note="axis"))
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        axes.append(_line(left, y, right, y, "#dddddd"))
        axes.append(_text(str(left - 6), f"{y + 4:.1f}", label, anchor="end"))
    axes += [_line(left, top - 6, left, bottom, AXIS), _line(left, bottom, right, bottom, AXIS)]
    all_years = list(range(first_year, last_year + 1))
    for year in all_years[:: math.ceil(len(all_years) / MAX_YEAR_LABELS)]:
        x = x_of(year)
        axes.append(_line(x, bottom, x, bottom + 4, AXIS))
        axes.append(_text(f"{x:.1f}", str(bottom + 17), str(year), anchor="middle"))
    blocks = [_block(axes)]

    for index, (_label, points) in enumerate(data):
        colour, dash, shape = COLOURS[index], DASHES[index], MARKERS[index]
        path, pen_down = [], False  # a None lifts the pen, so the line gets a gap
        for year, value in points:
            if value is not None:
                path.append(f"{'L' if pen_down else 'M'}{x_of(year):.1f} {y_of(value):.1f}")
            pen_down = value is not None
        drawn = []
        if path:
            drawn.append({"kind": "path", "d": " ".join(path), "colour": colour, "dash": dash})
        drawn += [_marker(shape, x_of(y), y_of(v), colour) for y, v in points if v is not None]
        blocks.append(_block(drawn, group_id=f"{cid}-series-{index}", marker=shape))

    for year, value, base in targets:
        tx, ty = x_of(year), y_of(value)
        drawn = []
        if base is not None:
            bx, by = x_of(int(base[0])), y_of(float(base[1]))
            drawn.append(_line(bx, by, tx, ty, TARGET, width="1.5", dash="1 3"))
        blocks.append(_block(drawn + _cross(tx, ty), marker="target"))

    key = []
    for index, text, x, row in legend:
        y = bottom + 40 + 20 * row
        if index is None:  # the target
            key.append(_line(x, y - 4, x + 28, y - 4, TARGET, dash="1 3"))
            key += _cross(x + 14, y - 4)
        else:
            key.append(_line(x, y - 4, x + 28, y - 4, COLOURS[index], "2", DASHES[index]))
            key.append(_marker(MARKERS[index], x + 14, y - 4, COLOURS[index]))
        key.append(_text(str(x + 34), str(y), text))
    blocks.append(_block(key))
    return render_to_string(TEMPLATE, {"chart": chart | {"height": str(height), "blocks": blocks}})
