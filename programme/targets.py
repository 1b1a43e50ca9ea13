"""Whether an indicator is on track for its target.

The rule, stated on every page that judges and in the report's method (target_rule): draw the
straight path from the programme's own municipality's value in the baseline year (where that
year has no value, the first later year that has one) to the target value in the target year.
The latest value meets the target: reached. The target year has come and the target is not
met: not reached. The latest value is on the path or beyond it in the target's direction: on
track; short of it: not on track. No values, or only one year before the target year: cannot
be assessed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import IndicatorTarget


class Status(models.TextChoices):
    REACHED = "reached", _("target reached")
    ON_TRACK = "on_track", _("on track for the target")
    OFF_TRACK = "off_track", _("not on track for the target")
    MISSED = "missed", _("target not reached")
    CANNOT_ASSESS = "cannot_assess", _("cannot be assessed")


# Symbols beside the words, so that the status never rests on colour alone.
SYMBOLS = {
    Status.REACHED: "✔",
    Status.ON_TRACK: "↗\ufe0e",  # the arrow as text, not an emoji
    Status.OFF_TRACK: "✘",
    Status.MISSED: "✘",
    Status.CANNOT_ASSESS: "?",
}


# How a sentence about the indicator ends, by the target's status: "…; målet högst 2,0 år
# 2030 nås inte i nuvarande takt".
CLAUSES = {
    Status.REACHED: _("the target of %(target)s by %(year)s is reached"),
    Status.ON_TRACK: _("the target of %(target)s by %(year)s is reached at the current pace"),
    Status.OFF_TRACK: _("the target of %(target)s by %(year)s is not reached at the current pace"),
    Status.MISSED: _("the target of %(target)s by %(year)s was not reached"),
    Status.CANNOT_ASSESS: _(
        "whether the target of %(target)s by %(year)s is reached cannot be assessed"
    ),
}


def target_rule() -> str:
    return _(
        "Target: a straight path is drawn from the value in the baseline year (or the first "
        "later year with a value) to the target in its year. A latest value that meets the "
        "target has reached it; a latest value on the path or beyond it in the target's "
        "direction is on track, one short of it is not; once the target year has come, a "
        "target not met is not reached. With no values, or a single year before the target "
        "year, it cannot be assessed."
    )


@dataclass(frozen=True)
class Judgement:
    target: IndicatorTarget
    status: str
    reason: str = ""
    base_year: int | None = None
    base: Decimal | None = None
    latest_year: int | None = None
    latest: Decimal | None = None
    expected: Decimal | None = None  # the path's value in the latest year

    @property
    def words(self) -> str:
        label = Status(self.status).label
        return f"{label} – {self.reason}" if self.reason else str(label)

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]


def judge(target: IndicatorTarget, values: dict[int, Decimal | None], *, from_year=None):
    """The target judged by values by year (missing values are None or absent), counting
    only years from ``from_year`` (the baseline year) when given."""
    years = sorted(
        year
        for year, value in values.items()
        if value is not None and (from_year is None or year >= from_year)
    )
    if not years:
        return Judgement(target, Status.CANNOT_ASSESS, str(_("no values")))
    latest_year, latest = years[-1], values[years[-1]]
    seen = {"latest_year": latest_year, "latest": latest}
    if target.is_met(latest):
        return Judgement(target, Status.REACHED, **seen)
    if latest_year >= target.year:
        return Judgement(target, Status.MISSED, **seen)
    base_year = years[0]
    if base_year == latest_year:
        return Judgement(target, Status.CANNOT_ASSESS, str(_("too few years with values")), **seen)
    base = values[base_year]
    share = Decimal(latest_year - base_year) / Decimal(target.year - base_year)
    expected = (base + (target.value - base) * share).quantize(Decimal("0.000001")).normalize()
    if target.direction == IndicatorTarget.Direction.AT_MOST:
        on_path = latest <= expected
    else:
        on_path = latest >= expected
    return Judgement(
        target,
        Status.ON_TRACK if on_path else Status.OFF_TRACK,
        base_year=base_year,
        base=base,
        expected=expected,
        **seen,
    )
