"""Whether an indicator moves the right way over a cycle's years.

The rule, stated on every page and in the report (trend_rule): compare the programme's own
municipality's total value in the earliest and the latest year with a value inside the cycle's span.
A relative change smaller than the threshold is "unchanged"; otherwise the value went up
or down (the arrow), and the direction in which the indicator is better decides whether
that is better or worse (the words, and the programme's scale: positive or negative).
No values, fewer than two years with values, a start value of zero, or an indicator with
no better direction: cannot be assessed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import Assessment, Indicator

THRESHOLD = Decimal("0.02")  # a relative change of 2 %
MIN_YEARS = 2


def trend_rule(place: str) -> str:
    """The rule from the first year with values, for ``place``: the programme's own
    municipality, whose values are judged."""
    return _(
        "Trend: %(place)s's value in the first and the last year of the period that have "
        "values. A change of less than 2 percent of the first value counts as unchanged; "
        "otherwise the arrow shows whether the value went up or down, and the indicator's "
        "better direction whether that is better or worse. With fewer than two years of "
        "values the trend cannot be assessed."
    ) % {"place": place}


def trend_rule_from(baseline_year: int, place: str) -> str:
    """The rule as a follow-up cycle applies it: from its baseline year."""
    return _(
        "Trend: %(place)s's latest value compared with its value in the baseline year "
        "%(year)s (the year before the programme took effect, unless the follow-up names "
        "another); where that year has no value, the first later year that has one, as "
        "shown with each indicator. A change of less than 2 percent of the baseline value "
        "counts as unchanged; otherwise the arrow shows whether the value went up or down, "
        "and the indicator's better direction whether that is better or worse. With fewer "
        "than two years of values the trend cannot be assessed."
    ) % {"year": baseline_year, "place": place}


UP, DOWN, SAME = "up", "down", "unchanged"
ARROWS = {UP: "↑", DOWN: "↓", SAME: "→"}


@dataclass(frozen=True)
class Trend:
    """``direction`` is where the value went (up, down, unchanged within the threshold;
    empty where that cannot be said); ``assessment`` whether that is better or worse for
    the indicator (the programme's scale). Pages, the API and the report say both the same
    way: the arrow shows the direction, the words add the judgement ("Minskar – bättre")."""

    assessment: str
    reason: str = ""
    first_year: int | None = None
    last_year: int | None = None
    first: Decimal | None = None
    last: Decimal | None = None
    direction: str = ""

    @property
    def change(self) -> Decimal | None:
        if self.first in (None, 0) or self.last is None:
            return None
        return (self.last - self.first) / abs(self.first)

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction, "")

    @property
    def words(self) -> str:
        """The direction and the judgement, or why there is none: whole phrases, so that
        each language words them its own way."""
        if self.direction == SAME:
            return str(_("Unchanged"))
        phrase = WORDS.get((self.direction, self.assessment))
        if phrase is not None:
            return str(phrase)
        unjudged = {UP: _("Increasing – %(why)s"), DOWN: _("Decreasing – %(why)s")}
        return str(unjudged.get(self.direction, _("Cannot be assessed – %(why)s"))) % {
            "why": self.reason
        }


WORDS = {
    (UP, Assessment.POSITIVE): _("Increasing – better"),
    (UP, Assessment.NEGATIVE): _("Increasing – worse"),
    (DOWN, Assessment.POSITIVE): _("Decreasing – better"),
    (DOWN, Assessment.NEGATIVE): _("Decreasing – worse"),
}


NO_TREND = Trend(Assessment.CANNOT_ASSESS, _("no values"))


def trend(
    values: dict[int, Decimal | None], *, first_year: int, last_year: int, better: str
) -> Trend:
    """The trend from values by year (missing values are None or absent)."""
    years = sorted(y for y, v in values.items() if v is not None and first_year <= y <= last_year)
    if not years:
        if any(v is not None and y < first_year for y, v in values.items()):
            # Values, but none from the year the trend is judged from (a new edition's
            # baseline year, say): not "no values" beside a table of them.
            return Trend(
                Assessment.CANNOT_ASSESS, format_lazy(_("no values from {year}"), year=first_year)
            )
        return NO_TREND
    if len(years) < MIN_YEARS:
        return Trend(Assessment.CANNOT_ASSESS, _("too few years with values"))
    start, end = years[0], years[-1]
    result = {"first_year": start, "last_year": end, "first": values[start], "last": values[end]}
    if values[start] == 0:
        return Trend(Assessment.CANNOT_ASSESS, _("the first value is zero"), **result)
    change = (values[end] - values[start]) / abs(values[start])
    if abs(change) < THRESHOLD:
        return Trend(Assessment.UNCHANGED, direction=SAME, **result)
    direction = UP if change > 0 else DOWN
    if better == Indicator.Better.NEITHER:
        return Trend(
            Assessment.CANNOT_ASSESS,
            _("the indicator has no better direction"),
            direction=direction,
            **result,
        )
    improving = change > 0 if better == Indicator.Better.HIGHER else change < 0
    return Trend(
        Assessment.POSITIVE if improving else Assessment.NEGATIVE, direction=direction, **result
    )


@dataclass(frozen=True)
class GenderGap:
    first_year: int
    last_year: int
    first: Decimal  # women minus men
    last: Decimal

    @property
    def narrowed(self) -> bool:
        return abs(self.last) < abs(self.first)


def gender_gap(women: dict, men: dict, *, first_year: int, last_year: int) -> GenderGap | None:
    """The gap between women and men in the first and last year where both have values."""
    years = sorted(
        y
        for y in set(women) & set(men)
        if first_year <= y <= last_year and women[y] is not None and men[y] is not None
    )
    if not years:
        return None
    start, end = years[0], years[-1]
    return GenderGap(start, end, women[start] - men[start], women[end] - men[end])
