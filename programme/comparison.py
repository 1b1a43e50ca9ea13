"""How the programme's municipality compares with the others, for a Kolada indicator.

The rule, stated with every comparison and in the report's method (comparison_rule): in the
latest year the municipality has a value, its value is ranked among every Swedish
municipality with a value that year (Kolada's answer for all municipalities; Sweden as a
whole and the regions, codes 00xx, are not municipalities). Rank 1 is the best by the
indicator's better direction; equal values share a rank. The quartile is the quarter of that
ranking the rank falls in. Beside it: the median of the municipality group the city has
chosen (of its members with a value) and Sweden's value. A missing value is said, never
guessed; an indicator with no better direction is not ranked.
"""

import math
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import SWEDEN, GoalKpi, Indicator, KpiYear

QUARTILE_WORDS = {
    1: _("among the best quarter"),
    2: _("in the second best quarter"),
    3: _("in the second worst quarter"),
    4: _("among the worst quarter"),
}
# Filled circles for the quartile, so that it never rests on colour: ●●●● is the best.
QUARTILE_SYMBOLS = {1: "●●●●", 2: "●●●○", 3: "●●○○", 4: "●○○○"}


def comparison_rule() -> str:
    return _(
        "Comparison: in the latest year with a value, the value is ranked among all Swedish "
        "municipalities with a value that year (from Kolada); rank 1 is the best by the "
        "indicator's better direction and equal values share a rank. The quartile is the "
        "quarter of the ranking the rank falls in. The median of the chosen municipality "
        "group counts the members with a value. Missing values are said, not guessed; an "
        "indicator with no better direction is not ranked."
    )


def is_municipality(code: str) -> bool:
    """A Swedish municipality's code: four digits, the county's two first (01–25), so
    never 00xx (Sweden, the regions)."""
    return len(code) == 4 and code.isdigit() and not code.startswith("00")


@dataclass(frozen=True)
class Comparison:
    year: int
    value: Decimal | None  # the municipality's own, from the all-municipality answer
    count: int = 0  # municipalities with a value that year
    rank: int | None = None  # 1 is the best; None if not ranked
    better_than: int | None = None  # how many municipalities have a worse value
    quartile: int | None = None
    group: str = ""
    group_median: Decimal | None = None
    group_count: int = 0  # members with a value
    group_size: int = 0
    sweden: Decimal | None = None
    is_demo: bool = False
    reason: str = ""  # why there is no rank

    @property
    def others(self) -> int:
        """The other municipalities with a value that year."""
        return self.count - 1 if self.value is not None else self.count

    @property
    def standing(self) -> str:
        """How many of the others it is better than, in words ("bättre än 158 av 282 andra
        kommuner"); empty where it is not ranked."""
        if not self.rank:
            return ""
        return _("better than %(better)s of %(count)s other municipalities") % {
            "better": self.better_than,
            "count": self.others,
        }

    @property
    def quartile_words(self) -> str:
        return str(QUARTILE_WORDS.get(self.quartile, ""))

    @property
    def quartile_symbol(self) -> str:
        return QUARTILE_SYMBOLS.get(self.quartile, "")


def _number(text) -> Decimal | None:
    return None if text is None else Decimal(text)


def compare(
    *, own_code: str, year: int, better: str, all_values: dict, group=None, is_demo=False
) -> Comparison:
    """The comparison in ``year`` from all municipalities' values by code (decimal text or
    None) and the chosen group (a MunicipalityGroup or None)."""
    values = {code: _number(text) for code, text in all_values.items()}
    ranked = {code: v for code, v in values.items() if is_municipality(code) and v is not None}
    own = values.get(own_code)
    group_values = []
    if group is not None:
        group_values = [values[c] for c in group.members if values.get(c) is not None]
    said = {
        "year": year,
        "value": own,
        "count": len(ranked),
        "group": group.title if group is not None else "",
        "group_median": statistics.median(group_values) if group_values else None,
        "group_count": len(group_values),
        "group_size": len(group.members) if group is not None else 0,
        "sweden": values.get(SWEDEN),
        "is_demo": is_demo or bool(group is not None and group.is_demo),
    }
    if own is None:
        return Comparison(**said, reason=str(_("no value of its own that year")))
    if better == Indicator.Better.NEITHER:
        return Comparison(**said, reason=str(_("the indicator has no better direction")))
    if better == Indicator.Better.LOWER:
        ahead = sum(1 for v in ranked.values() if v < own)
        behind = sum(1 for v in ranked.values() if v > own)
    else:
        ahead = sum(1 for v in ranked.values() if v > own)
        behind = sum(1 for v in ranked.values() if v < own)
    rank = ahead + 1
    return Comparison(
        **said,
        rank=rank,
        better_than=behind,
        quartile=min(4, math.ceil(4 * rank / len(ranked))),
    )


def attach_comparisons(views) -> None:
    """Give each IndicatorView of a Kolada indicator its ``comparison`` for its latest year
    with a value. One query whenever a view has a KPI, values or not, so that a page's
    query count does not depend on its data."""
    kpis = {view.indicator.external_id for view in views if view.indicator.external_id}
    if not kpis:
        return
    years = {view.latest[0] for view in views if view.latest} or {0}
    found = {
        (row.kpi, row.year): row for row in KpiYear.objects.filter(kpi__in=kpis, year__in=years)
    }
    for view in views:
        if not (view.indicator.external_id and view.latest):
            continue
        row = found.get((view.indicator.external_id, view.latest[0]))
        if row is None:
            continue
        municipality = view.indicator.focus_area.programme.municipality
        view.comparison = compare(
            own_code=view.indicator.focus_area.programme.own_municipality_code,
            year=row.year,
            better=view.indicator.better,
            all_values=row.values,
            group=municipality.comparison_group if municipality is not None else None,
            is_demo=row.is_demo,
        )


@dataclass(frozen=True)
class GoalKpiView:
    """An Agenda 2030 key figure of a goal, with the municipality's latest value."""

    kpi: GoalKpi
    comparison: Comparison | None  # None: no value of the municipality imported


def goal_kpi_views(sdg, programme) -> list[GoalKpiView]:
    """The goal's Agenda 2030 key figures, each with the programme's municipality's latest
    value among all municipalities' (KpiYear). Two queries (the second read in chunks)."""
    kpis = list(GoalKpi.objects.filter(sdg=sdg).order_by("title", "kpi"))
    wanted = {k.kpi for k in kpis}
    rows = KpiYear.objects.filter(kpi__in=wanted).order_by("-year")
    own = programme.own_municipality_code
    latest = {}
    # The newest first, read a few at a time: usually each KPI's newest year has the
    # municipality's value, so the older years are never read.
    for row in rows.iterator(chunk_size=2 * len(wanted) or 1):
        if row.kpi not in latest and row.values.get(own) is not None:
            latest[row.kpi] = row
            if len(latest) == len(wanted):
                break
    municipality = programme.municipality
    group = municipality.comparison_group if municipality is not None else None
    return [
        GoalKpiView(
            kpi=kpi,
            comparison=compare(
                own_code=own,
                year=latest[kpi.kpi].year,
                better=kpi.better,
                all_values=latest[kpi.kpi].values,
                group=group,
                is_demo=latest[kpi.kpi].is_demo,
            )
            if kpi.kpi in latest
            else None,
        )
        for kpi in kpis
    ]
