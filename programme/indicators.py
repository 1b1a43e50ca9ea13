"""Importing indicator values, and reading them for pages and the report."""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import ImportRejected
from .models import SWEDEN, Indicator, IndicatorValue, Municipality
from .trend import gender_gap, trend, trend_rule, trend_rule_from


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    demo_replaced: int = 0  # demo values removed because real ones came for the indicator


FIRST_YEAR, LAST_YEAR = 1950, 2100


def _checked(values) -> tuple[list, list[str]]:
    """The values with their stored form, and the problems that refuse the import."""
    problems, checked, first = [], [], {}
    for item in values:
        try:
            item = dataclasses.replace(item, value=IndicatorValue.exact(item.value))
        except ValueError as error:
            problems.append(f"{item.where or item.kpi}: {error}")
            continue
        key = (item.kpi, item.municipality, item.year, item.gender)
        earlier = first.setdefault(key, item)
        if earlier is not item and (earlier.value, earlier.status) != (item.value, item.status):
            problems.append(
                _(
                    "Two different values for %(kpi)s, %(municipality)s, %(year)d, %(gender)s: "
                    "%(first)s (%(first_where)s) and %(second)s (%(second_where)s)."
                )
                % {
                    "kpi": item.kpi,
                    "municipality": item.municipality,
                    "year": item.year,
                    "gender": item.gender,
                    "first": earlier.value,
                    "first_where": earlier.where or "–",
                    "second": item.value,
                    "second_where": item.where or "–",
                }
            )
        checked.append(item)
    return checked, problems


@transaction.atomic
def values_import(values, *, source: str = "Kolada", is_demo: bool = False) -> ImportSummary:
    """Store Kolada values (objects with kpi, municipality, year, gender, value, status).

    All or nothing: an unknown KPI or municipality, a value that cannot be stored exactly,
    or two different values for the same cell refuse the whole import. The same data again
    changes nothing; a changed value is saved and kept in the value's history.

    Demo and real values never mix in one indicator: real values replace all of an
    indicator's demo values, and demo values are not added where real ones exist.
    """
    indicators = defaultdict(list)
    for indicator in Indicator.objects.exclude(external_id=""):
        indicators[indicator.external_id].append(indicator)
    municipalities = {m.code: m for m in Municipality.objects.all()}
    values, problems = _checked(values)
    unknown_kpis = sorted({v.kpi for v in values} - set(indicators))
    unknown_places = sorted({v.municipality for v in values} - set(municipalities))
    odd_years = sorted({v.year for v in values if not FIRST_YEAR <= v.year <= LAST_YEAR})
    if odd_years:
        problems.append(
            _("Years outside %(first)d–%(last)d: %(years)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "years": ", ".join(map(str, odd_years))}
        )
    if unknown_kpis:
        problems.append(
            _("No indicator has the KPI %(ids)s; add the indicator first.")
            % {"ids": ", ".join(unknown_kpis)}
        )
    if unknown_places:
        problems.append(
            _("Unknown municipality code %(codes)s; add the municipality first.")
            % {"codes": ", ".join(unknown_places)}
        )
    if problems:
        raise ImportRejected(problems)

    summary = ImportSummary()
    affected = [i for kpi in {v.kpi for v in values} for i in indicators[kpi]]
    if is_demo:
        real = set(
            IndicatorValue.objects.filter(indicator__in=affected, is_demo=False).values_list(
                "indicator_id", flat=True
            )
        )
        for kpi in indicators:
            indicators[kpi] = [i for i in indicators[kpi] if i.pk not in real]
    else:
        summary.demo_replaced = replace_demo_values(affected)
    existing = {
        (v.indicator_id, v.municipality.code, v.year, v.gender): v
        for v in IndicatorValue.objects.select_related("municipality").filter(
            indicator__external_id__in={v.kpi for v in values}
        )
    }
    for item in values:
        for indicator in indicators[item.kpi]:
            key = (indicator.pk, item.municipality, item.year, item.gender)
            current = existing.get(key)
            if current is None:
                existing[key] = IndicatorValue.objects.create(
                    indicator=indicator,
                    municipality=municipalities[item.municipality],
                    year=item.year,
                    gender=item.gender,
                    value=item.value,
                    status=item.status,
                    source=source,
                    is_demo=is_demo,
                )
                summary.created += 1
            elif (current.value, current.status or "", current.is_demo) != (
                item.value,
                item.status,
                is_demo,
            ):
                current.value, current.status = item.value, item.status
                current.source, current.is_demo = source, is_demo
                current.save()
                summary.updated += 1
            else:
                summary.unchanged += 1
    return summary


def replace_demo_values(indicators) -> int:
    """Remove every demo value of these indicators: real values are coming for them."""
    deleted, _by_model = IndicatorValue.objects.filter(
        indicator__in=indicators, is_demo=True
    ).delete()
    return deleted


@dataclass
class IndicatorView:
    """One indicator as pages and the report show it."""

    indicator: Indicator
    years: list[int]
    series: list[tuple[str, list[tuple[int, object]]]]
    trend: object = None
    gap: object = None
    is_demo: bool = False
    updated: object = None  # when its latest value was imported
    latest: tuple | None = None  # the own municipality's latest total: (year, value)
    rule: str = ""  # the trend rule it was judged by (trend_rule, trend_rule_from)

    @property
    def rows(self):
        """The data table: one row per year, one column per series."""
        lookup = [dict(points) for _, points in self.series]
        return [(year, [values.get(year) for values in lookup]) for year in self.years]


def indicator_views(focus_area, *, first_year: int | None = None, last_year: int | None = None):
    """Every active indicator of a focus area with its series, trend and gender gap."""
    views = indicator_views_by_area([focus_area], first_year=first_year, last_year=last_year)
    return views[focus_area.pk]


def programme_indicator_views(focus_areas, programme) -> dict:
    """Indicator views per focus-area id as the programme's pages show them: the trend from
    the programme's baseline year to the latest value, as the report judges it."""
    return indicator_views_by_area(focus_areas, first_year=programme.baseline_year)


def indicator_views_by_area(
    focus_areas, *, first_year: int | None = None, last_year: int | None = None
) -> dict:
    """Indicator views per focus-area id. Two queries, whatever the number of focus areas,
    indicators and values (and one more per earlier edition that indicators continue)."""
    indicators = list(
        Indicator.objects.filter(focus_area__in=focus_areas, active=True)
        .select_related("focus_area__programme__municipality")
        .order_by("title")
    )
    chains = _carried_chains(indicators)
    values = defaultdict(list)
    for value in IndicatorValue.objects.filter(
        indicator__in={pk for chain in chains.values() for pk in chain}
    ).select_related("municipality"):
        values[value.indicator_id].append(value)
    views = {area.pk: [] for area in focus_areas}
    rules = {}
    for indicator in indicators:
        programme = indicator.focus_area.programme
        own_code = programme.own_municipality_code
        place = programme.own_municipality_name
        # The rule stated with the trends is the one they were judged by: from a baseline
        # year when one is given, else from the first year with values.
        if place not in rules:
            rules[place] = str(
                trend_rule_from(first_year, place) if first_year is not None else trend_rule(place)
            )
        cells = defaultdict(dict)
        names = {own_code: place}
        demo = False
        updated = None
        # The earliest edition's values first: where editions overlap, the newest counts.
        for pk in reversed(chains[indicator.pk]):
            for value in values[pk]:
                cells[(value.municipality.code, value.gender)][value.year] = value.value
                names[value.municipality.code] = (
                    _("Sweden") if value.municipality.code == SWEDEN else value.municipality.name
                )
                demo = demo or value.is_demo
                if updated is None or value.imported_at > updated:
                    updated = value.imported_at
        years = sorted({year for series in cells.values() for year in series})
        series = []
        comparisons = indicator.comparison_codes()[: Indicator.MAX_COMPARISONS]
        for code in [own_code, *comparisons]:
            if (code, "T") in cells:
                series.append((names[code], sorted(cells[(code, "T")].items())))
        women, men = cells.get((own_code, "K"), {}), cells.get((own_code, "M"), {})
        if indicator.gender_split and (women or men):
            series.append(
                (_("%(place)s, women") % {"place": names[own_code]}, sorted(women.items()))
            )
            series.append((_("%(place)s, men") % {"place": names[own_code]}, sorted(men.items())))
        start = first_year if first_year is not None else (years[0] if years else 0)
        end = last_year if last_year is not None else (years[-1] if years else 0)
        own = sorted((y, v) for y, v in cells.get((own_code, "T"), {}).items() if v is not None)
        view = IndicatorView(
            indicator=indicator,
            years=years,
            series=series,
            is_demo=demo,
            updated=updated,
            latest=own[-1] if own else None,
            rule=rules[place],
        )
        view.trend = trend(
            cells.get((own_code, "T"), {}),
            first_year=start,
            last_year=end,
            better=indicator.better,
        )
        if indicator.gender_split:
            view.gap = gender_gap(women, men, first_year=start, last_year=end)
        views[indicator.focus_area_id].append(view)
    return views


def _carried_chains(indicators) -> dict[int, list[int]]:
    """Each indicator with the earlier editions' indicators it continues, newest first.
    No query for indicators of a first edition; one per earlier edition otherwise."""
    parent = {indicator.pk: indicator.carried_from_id for indicator in indicators}
    frontier = {pk for pk in parent.values() if pk and pk not in parent}
    while frontier:
        found = dict(Indicator.objects.filter(pk__in=frontier).values_list("pk", "carried_from"))
        parent.update(found)
        frontier = {pk for pk in found.values() if pk and pk not in parent}
    chains = {}
    for indicator in indicators:
        chain, pk = [], indicator.pk
        while pk and pk not in chain:
            chain.append(pk)
            pk = parent.get(pk)
        chains[indicator.pk] = chain
    return chains
