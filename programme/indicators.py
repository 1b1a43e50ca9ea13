"""Importing indicator values, and reading them for pages and the report."""

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from livskvalitet.core.templatetags.livskvalitet import decimal

from .comparison import attach_comparisons
from .errors import ImportRejected
from .models import (
    SWEDEN,
    GoalKpi,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    KpiYear,
    Municipality,
    MunicipalityGroup,
    Programme,
    Sdg,
)
from .targets import CLAUSES, judge
from .trend import gender_gap, trend, trend_rule, trend_rule_from


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    demo_replaced: int = 0  # demo values removed because real ones came for the indicator


FIRST_YEAR, LAST_YEAR = 1950, 2100


def _checked(values) -> tuple[list, list[str]]:
    """The values with their stored form, and the problems that refuse the import: a value
    not stored exactly, two different values for one cell, a year out of range."""
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
    odd_years = sorted({v.year for v in checked if not FIRST_YEAR <= v.year <= LAST_YEAR})
    if odd_years:
        problems.append(
            _("Years outside %(first)d–%(last)d: %(years)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "years": ", ".join(map(str, odd_years))}
        )
    return checked, problems


@transaction.atomic
def values_import(values, *, source: str = "Kolada", is_demo: bool = False) -> ImportSummary:
    """Store Kolada values (objects with kpi, municipality, year, gender, value, status).

    All or nothing: an unknown KPI or municipality, a value that cannot be stored exactly,
    or two different values for the same cell refuse the whole import. The same data again
    changes nothing; a changed value is saved and kept in the value's history.

    The values go onto the indicators of the installation's own programmes.

    Demo and real values never mix in one indicator: real values replace all of an
    indicator's demo values, and demo values are not added where real ones exist.
    """
    indicators = defaultdict(list)
    # The installation's own programmes' indicators only: another city's with the same
    # KPI is its own installation's to fill.
    own = Indicator.objects.filter(focus_area__programme__in=Programme.objects.of_installation())
    for indicator in own.exclude(external_id=""):
        indicators[indicator.external_id].append(indicator)
    municipalities = {m.code: m for m in Municipality.objects.all()}
    values, problems = _checked(values)
    unknown_kpis = sorted({v.kpi for v in values} - set(indicators))
    unknown_places = sorted({v.municipality for v in values} - set(municipalities))
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
            indicator__in=own.filter(external_id__in={v.kpi for v in values})
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


@transaction.atomic
def comparison_import(values, *, source: str = "Kolada", is_demo: bool = False) -> ImportSummary:
    """Store every municipality's totals of Kolada KPIs (what Kolada answers per KPI and
    year for all municipalities), one row per KPI and year, for comparisons.

    The same checks as values_import, all or nothing; values of a KPI and year already
    stored are kept and updated with the new ones (a file of one page adds to the others).
    Real values replace a KPI-year's demo values; demo values never go where real ones are.
    """
    values, problems = _checked(v for v in values if v.gender == "T")
    kpis = set(Indicator.objects.exclude(external_id="").values_list("external_id", flat=True))
    kpis |= set(GoalKpi.objects.values_list("kpi", flat=True))
    unknown_kpis = sorted({v.kpi for v in values} - kpis)
    if unknown_kpis:
        problems.append(
            _(
                "No indicator or Agenda 2030 key figure has the KPI %(ids)s; add the "
                "indicator or import the key figures first."
            )
            % {"ids": ", ".join(unknown_kpis)}
        )
    if problems:
        raise ImportRejected(problems)
    cells = defaultdict(dict)
    for item in values:
        cells[(item.kpi, item.year)][item.municipality] = (
            None if item.value is None else format(item.value, "f")
        )
    summary = ImportSummary()
    query = KpiYear.objects.filter(kpi__in={kpi for kpi, _year in cells})
    existing = {(row.kpi, row.year): row for row in query.select_for_update()}
    for (kpi, year), found in cells.items():
        row = existing.get((kpi, year))
        if row is None:
            KpiYear.objects.create(kpi=kpi, year=year, values=found, source=source, is_demo=is_demo)
            summary.created += 1
            continue
        if is_demo and not row.is_demo:
            summary.unchanged += 1
            continue
        merged = found if row.is_demo and not is_demo else {**row.values, **found}
        if merged == row.values and row.is_demo == is_demo:
            summary.unchanged += 1
            continue
        summary.demo_replaced += int(row.is_demo and not is_demo)
        row.values, row.source, row.is_demo = merged, source, is_demo
        row.save()
        summary.updated += 1
    return summary


def _upsert(model, lookup: dict, wanted: dict, summary: ImportSummary) -> None:
    """Create the row, or change it where it differs from ``wanted``, and count which."""
    row, created = model.objects.get_or_create(**lookup, defaults=wanted)
    if created:
        summary.created += 1
    elif any(getattr(row, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(row, name, value)
        row.save()
        summary.updated += 1
    else:
        summary.unchanged += 1


GOAL_IN_TITLE = re.compile(r"\b(?:mål|goal|sdg)\s*(\d{1,2})\b", re.IGNORECASE)


@transaction.atomic
def goal_kpis_import(groups, *, goal: int | None = None) -> ImportSummary:
    """Store the KPIs of Kolada KPI groups (kolada.KoladaKpiGroup) as Agenda 2030 key
    figures, each under the global goal its group's title names ("Mål 13 …"), or under
    ``goal`` for every group. All or nothing: a group whose goal cannot be told is refused."""
    goals = {sdg.number: sdg for sdg in Sdg.objects.all()}
    problems, rows = [], []
    for group in groups:
        match = GOAL_IN_TITLE.search(group.title)
        number = goal if goal is not None else (int(match[1]) if match else None)
        if number not in goals:
            problems.append(
                _("The group %(id)s “%(title)s” names no global goal (1–17); give --goal.")
                % {"id": group.id, "title": group.title}
            )
            continue
        rows.extend((goals[number], kpi, title, group.title) for kpi, title in group.members)
    if problems:
        raise ImportRejected(problems)
    summary = ImportSummary()
    for sdg, kpi, title, group_title in rows:
        _upsert(GoalKpi, {"sdg": sdg, "kpi": kpi}, {"title": title, "group": group_title}, summary)
    return summary


@transaction.atomic
def groups_import(groups, *, is_demo: bool = False) -> ImportSummary:
    """Store Kolada's municipality groups (kolada.KoladaGroup), by id; the same again
    changes nothing."""
    summary = ImportSummary()
    for group in groups:
        wanted = {"title": group.title, "members": list(group.members), "is_demo": is_demo}
        _upsert(MunicipalityGroup, {"code": group.id}, wanted, summary)
    return summary


@transaction.atomic
def municipalities_import(municipalities) -> ImportSummary:
    """Store Kolada's municipalities and regions (kolada.KoladaMunicipality) by code, with
    their names; the same again changes nothing."""
    summary = ImportSummary()
    for municipality in municipalities:
        _upsert(Municipality, {"code": municipality.id}, {"name": municipality.title}, summary)
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
    targets: list = dataclasses.field(default_factory=list)  # targets.Judgement, by year
    comparison: object = None  # comparison.Comparison with all municipalities, if imported
    # What the source says of a missing value ("Bortfall"), per series: {year: status}.
    notes: list = dataclasses.field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        """The data table's columns after the year: each series, then the target."""
        labels = [label for label, _points in self.series]
        return [*labels, _("Target")] if self.targets else labels

    @property
    def rows(self):
        """The data table: one row per year (target years included), one column per
        series and, where the indicator has targets, one for the target. A cell is
        (value, what the source says of a missing value)."""
        lookup = [dict(points) for _, points in self.series]
        notes = self.notes or [{} for _ in lookup]
        if self.targets:
            lookup.append({j.target.year: j.target.value for j in self.targets})
            notes = [*notes, {}]
        return [
            (
                year,
                [
                    (values.get(year), said.get(year, ""))
                    for values, said in zip(lookup, notes, strict=True)
                ],
            )
            for year in self.shown_years
        ]

    @property
    def shown_years(self) -> list[int]:
        """The years the chart and the table show: the values' and the targets'."""
        return sorted({*self.years, *(j.target.year for j in self.targets)})

    @property
    def summary(self) -> str:
        """The indicator in one sentence a council member reads first: the latest value,
        how it compares with the other municipalities and whether its targets are reached:
        "3,2 ton CO₂e/inv 2026, bättre än 158 av 282 andra kommuner; målet högst 2,0 ton
        CO₂e/inv år 2030 nås inte i nuvarande takt." Empty without a value."""
        if not self.latest:
            return ""
        unit = self.indicator.unit_shown
        shown = decimal(self.latest[1], self.indicator.decimals)
        text = _("%(value)s %(unit)s in %(year)s") % {
            "value": shown,
            "unit": unit,
            "year": self.latest[0],
        }
        comparison = self.comparison
        if comparison is not None and comparison.rank and comparison.year == self.latest[0]:
            text += ", " + comparison.standing
        for judgement in self.targets:
            goal = judgement.target
            text += "; " + str(CLAUSES[judgement.status]) % {
                "target": f"{goal.get_direction_display()} "
                f"{decimal(goal.value, self.indicator.decimals)} {unit}".strip(),
                "year": goal.year,
            }
        return " ".join(text.split()) + "."

    @property
    def target_points(self) -> list[tuple[int, object]]:
        return [(j.target.year, j.target.value) for j in self.targets]


def with_and_without_values(views) -> tuple[list, list]:
    """The views of indicators that have values, and of those without a single one (which
    pages list apart, not as rows of dashes)."""
    return [view for view in views if view.years], [view for view in views if not view.years]


def active_indicators(focus_areas):
    """The active indicators of these focus areas, in the order every list of them shows."""
    return Indicator.objects.filter(focus_area__in=focus_areas, active=True).order_by("title")


def indicator_views(
    focus_area, *, first_year: int | None = None, last_year: int | None = None, only=None
):
    """Every active indicator of a focus area with its series, trend and gender gap (or
    only the one whose id is ``only``: none when it is not an active indicator of the area)."""
    views = indicator_views_by_area(
        [focus_area], first_year=first_year, last_year=last_year, only=only
    )
    return views[focus_area.pk]


def programme_indicator_views(focus_areas, programme, *, only=None) -> dict:
    """Indicator views per focus-area id as the programme's pages show them: the trend from
    the programme's baseline year to the latest value, as the report judges it."""
    return indicator_views_by_area(focus_areas, first_year=programme.baseline_year, only=only)


def indicator_views_by_area(
    focus_areas, *, first_year: int | None = None, last_year: int | None = None, only=None
) -> dict:
    """Indicator views per focus-area id. Four queries, whatever the number of focus areas,
    indicators and values (and one more per earlier edition that indicators continue).
    With ``only`` (an indicator's id), that indicator's view alone is read."""
    indicators = active_indicators(focus_areas)
    if only is not None:
        indicators = indicators.filter(pk=only)
    indicators = list(
        indicators.select_related(
            "focus_area__programme__municipality__comparison_group"
        ).prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.select_related("document"))
        )
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
        cells, statuses = defaultdict(dict), defaultdict(dict)
        names = {own_code: place}
        demo = False
        updated = None
        # The earliest edition's values first: where editions overlap, the newest counts.
        for pk in reversed(chains[indicator.pk]):
            for value in values[pk]:
                cells[(value.municipality.code, value.gender)][value.year] = value.value
                if value.value is None and value.status:
                    statuses[(value.municipality.code, value.gender)][value.year] = value.status
                names[value.municipality.code] = (
                    _("Sweden") if value.municipality.code == SWEDEN else value.municipality.name
                )
                demo = demo or value.is_demo
                if updated is None or value.imported_at > updated:
                    updated = value.imported_at
        years = sorted({year for series in cells.values() for year in series})
        series, notes = [], []
        comparisons = indicator.comparison_codes()[: Indicator.MAX_COMPARISONS]
        for code in [own_code, *comparisons]:
            if (code, "T") in cells:
                series.append((names[code], sorted(cells[(code, "T")].items())))
                notes.append(statuses[(code, "T")])
        women, men = cells.get((own_code, "K"), {}), cells.get((own_code, "M"), {})
        if indicator.gender_split and (women or men):
            series.append(
                (_("%(place)s, women") % {"place": names[own_code]}, sorted(women.items()))
            )
            series.append((_("%(place)s, men") % {"place": names[own_code]}, sorted(men.items())))
            notes.extend([statuses[(own_code, "K")], statuses[(own_code, "M")]])
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
            notes=notes,
        )
        view.trend = trend(
            cells.get((own_code, "T"), {}),
            first_year=start,
            last_year=end,
            better=indicator.better,
        )
        view.targets = [
            judge(target, cells.get((own_code, "T"), {}), from_year=first_year)
            for target in indicator.targets.all()
        ]
        if indicator.gender_split:
            view.gap = gender_gap(women, men, first_year=start, last_year=end)
        views[indicator.focus_area_id].append(view)
    attach_comparisons([view for area in views.values() for view in area])
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
