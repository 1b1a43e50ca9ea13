"""Accessible line charts as plain inline SVG (no scripts, no external references), for web
pages and WeasyPrint PDFs. Series differ in colour, dash pattern and marker shape."""

import math
import re
from decimal import Decimal

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
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
TEXT = 'fill="#222222"'
AXIS = "#555555"
TARGET = "#222222"  # the target: a cross, and the dotted path to it from the baseline

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


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, more: str = "") -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}"{more}/>'
    )


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    paint = f'fill="{colour}" stroke="#ffffff" stroke-width="1"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" {paint}/>'
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" {paint}/>'
    points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in POLYGONS[shape])
    return f'<polygon points="{points}" {paint}/>'


def _cross(x: float, y: float) -> str:
    arms = ' stroke-width="2.5"'
    return _line(x - 5, y - 5, x + 5, y + 5, TARGET, arms) + _line(
        x - 5, y + 5, x + 5, y - 5, TARGET, arms
    )


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
    """An accessible SVG line chart, safe to put in a template as it is. ``targets`` are
    (year, value, baseline point or None): a cross, and a dotted path from the baseline.
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
    height = height if values else 48
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-family="Noto Sans, sans-serif" font-size="12">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(desc)}</desc>'
    ]
    if not values:
        return mark_safe(f'{svg[0]}<text x="8" y="28" {TEXT}>{escape(desc)}</text></svg>')  # noqa: S308

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

    if unit:
        svg.append(f'<text x="8" y="16" {TEXT}>{escape(unit)}</text>')
    if ticks[0] > 0 or ticks[-1] < 0:  # a cut axis exaggerates change: say so
        note = _("The axis does not start at zero")
        svg.append(
            f'<text x="{right}" y="16" text-anchor="end" data-note="axis" {TEXT}>'
            f"{escape(note)}</text>"
        )
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        svg.append(_line(left, y, right, y, "#dddddd"))
        svg.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {TEXT}>{label}</text>')
    svg.append(_line(left, top - 6, left, bottom, AXIS) + _line(left, bottom, right, bottom, AXIS))
    all_years = list(range(first_year, last_year + 1))
    for year in all_years[:: math.ceil(len(all_years) / MAX_YEAR_LABELS)]:
        x = x_of(year)
        svg.append(_line(x, bottom, x, bottom + 4, AXIS))
        svg.append(f'<text x="{x:.1f}" y="{bottom + 17}" text-anchor="middle" {TEXT}>{year}</text>')

    for index, (_label, points) in enumerate(data):
        colour, dash, shape = COLOURS[index], DASHES[index], MARKERS[index]
        path, pen_down = [], False  # a None lifts the pen, so the line gets a gap
        for year, value in points:
            if value is not None:
                path.append(f"{'L' if pen_down else 'M'}{x_of(year):.1f} {y_of(value):.1f}")
            pen_down = value is not None
        svg.append(f'<g id="{cid}-series-{index}" data-marker="{shape}">')
        if path:
            svg.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" '
                f'stroke-width="2" stroke-dasharray="{dash}" stroke-linejoin="round"/>'
            )
        svg.extend(_marker(shape, x_of(y), y_of(v), colour) for y, v in points if v is not None)
        svg.append("</g>")

    for year, value, base in targets:
        tx, ty = x_of(year), y_of(value)
        svg.append('<g data-marker="target">')
        if base is not None:
            bx, by = x_of(int(base[0])), y_of(float(base[1]))
            svg.append(_line(bx, by, tx, ty, TARGET, ' stroke-width="1.5" stroke-dasharray="1 3"'))
        svg.append(_cross(tx, ty))
        svg.append("</g>")

    for index, text, x, row in legend:
        y = bottom + 40 + 20 * row
        if index is None:  # the target
            svg.append(_line(x, y - 4, x + 28, y - 4, TARGET, ' stroke-dasharray="1 3"'))
            svg.append(_cross(x + 14, y - 4))
            svg.append(f'<text x="{x + 34}" y="{y}" {TEXT}>{escape(text)}</text>')
            continue
        dash = f' stroke-width="2" stroke-dasharray="{DASHES[index]}"'
        svg.append(_line(x, y - 4, x + 28, y - 4, COLOURS[index], dash))
        svg.append(_marker(MARKERS[index], x + 14, y - 4, COLOURS[index]))
        svg.append(f'<text x="{x + 34}" y="{y}" {TEXT}>{escape(text)}</text>')
    svg.append("</svg>")
    return mark_safe("".join(svg))  # noqa: S308 - every text above is escaped
