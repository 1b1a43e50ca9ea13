"""The trend rule, table-driven."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from programme.trend import gender_gap, trend

CASES = [
    # values by year, better, expected, why
    ({2025: D(10), 2026: D(11)}, "higher", "positive", "10 % up, higher is better"),
    ({2025: D(10), 2026: D(11)}, "lower", "negative", "10 % up, lower is better"),
    ({2025: D(10), 2026: D(9)}, "lower", "positive", "down, lower is better"),
    ({2025: D(10), 2026: D(9)}, "higher", "negative", "down, higher is better"),
    ({2025: D(100), 2026: D("101.9")}, "higher", "unchanged", "1.9 % is under the threshold"),
    ({2025: D(100), 2026: D(102)}, "higher", "positive", "2 % reaches the threshold"),
    ({2025: D(-50), 2026: D(-40)}, "higher", "positive", "a negative start: change over |first|"),
    ({2026: D(10)}, "higher", "cannot_assess", "one year only"),
    ({}, "higher", "cannot_assess", "no values"),
    ({2025: None, 2026: D(10)}, "higher", "cannot_assess", "a missing value is not zero"),
    ({2024: D(5), 2026: D(10)}, "higher", "cannot_assess", "2024 is outside the span"),
    ({2025: D(0), 2026: D(10)}, "higher", "cannot_assess", "a zero start has no relative change"),
    ({2025: D(10), 2026: D(20)}, "neither", "cannot_assess", "no better direction"),
]


@pytest.mark.parametrize(("values", "better", "expected", "why"), CASES, ids=[c[3] for c in CASES])
def test_trend_rule(values, better, expected, why):
    assert trend(values, first_year=2025, last_year=2026, better=better).assessment == expected


def test_longer_series_use_the_first_and_last_year_with_values():
    result = trend(
        {2019: D(4), 2020: None, 2021: D(5), 2022: D(3)},
        first_year=2019,
        last_year=2023,
        better="lower",
    )
    assert (result.first_year, result.last_year) == (2019, 2022)
    assert result.assessment == "positive"
    assert result.change == D("-0.25")


def test_gender_gap_and_its_change():
    gap = gender_gap(
        {2019: D(60), 2022: D(62)},
        {2019: D(70), 2021: D(1), 2022: D(66)},
        first_year=2019,
        last_year=2022,
    )
    assert (gap.first, gap.last, gap.narrowed) == (D(-10), D(-4), True)
    assert gender_gap({2019: D(1)}, {2020: D(1)}, first_year=2019, last_year=2022) is None


WORDS = [
    # values by year, better, arrow, words
    ({2025: D("3.5"), 2026: D("3.2")}, "lower", "↓", "Minskar – bättre"),
    ({2025: D("3.5"), 2026: D("3.2")}, "higher", "↓", "Minskar – sämre"),
    ({2025: D(10), 2026: D(11)}, "higher", "↑", "Ökar – bättre"),
    ({2025: D(10), 2026: D(11)}, "lower", "↑", "Ökar – sämre"),
    ({2025: D(440), 2026: D(432)}, "higher", "→", "Oförändrad"),
    ({2025: D(10), 2026: D(20)}, "neither", "↑", "Ökar – indikatorn har ingen bättre riktning"),
    ({}, "higher", "", "Kan inte bedömas – inga värden"),
    ({2026: D(10)}, "higher", "", "Kan inte bedömas – för få år med värden"),
    ({2025: D(0), 2026: D(10)}, "higher", "", "Kan inte bedömas – det första värdet är noll"),
]


@pytest.mark.parametrize(("values", "better", "arrow", "words"), WORDS, ids=[w[3] for w in WORDS])
def test_the_arrow_says_where_the_value_went_and_the_words_whether_it_is_better(
    values, better, arrow, words
):
    """Issue 21: "▲ Positiv utveckling (3,5 → 3,2)" stood beside a falling line."""
    result = trend(values, first_year=2025, last_year=2026, better=better)
    with translation.override("sv"):
        assert (result.arrow, result.words) == (arrow, words)


def test_values_only_before_the_year_judged_from_are_not_called_no_values():
    """A new edition judges from its baseline year: earlier values show in its table, so
    the words say there are none from that year, not none at all."""
    with translation.override("sv"):
        earlier = trend({2020: D(4), 2024: D(5)}, first_year=2027, last_year=2031, better="lower")
        assert earlier.assessment == "cannot_assess"
        assert earlier.words == "Kan inte bedömas – inga värden från 2027"
        none = trend({}, first_year=2027, last_year=2031, better="lower")
        assert none.words == "Kan inte bedömas – inga värden"
