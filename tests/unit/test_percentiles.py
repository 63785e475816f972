"""Nearest-rank percentiles: observed values, monotone in p, exact ranks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.percentiles import Percentiles, percentile, summary

values = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1)
ps = st.floats(min_value=0.01, max_value=100)


def test_the_85th_percentile_of_twenty_values_is_the_17th() -> None:
    ordered = list(range(1, 21))
    assert percentile(ordered, 85) == 17
    assert percentile(ordered, 50) == 10  # the lower middle value of an even count
    assert percentile(ordered, 100) == 20
    assert percentile(ordered, 0.1) == 1


def test_the_rank_is_exact_where_floating_point_would_round_up() -> None:
    # ceil(0.7 * 10) is 8 in floating point; the 70th percentile of 10 values is the 7th.
    assert percentile(list(range(1, 11)), 70) == 7
    assert percentile(list(range(1, 11)), 70.5) == 8


def test_no_values_or_a_p_outside_the_range_is_refused() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 85)
    with pytest.raises(ValueError, match="p must be"):
        percentile([1.0], 0)


def test_a_summary_counts_and_leaves_percentiles_empty_without_values() -> None:
    assert summary([]) == Percentiles(0, {50: None, 85: None, 95: None})
    assert summary([3.0, 1.0, 2.0], (50, 85.5)) == Percentiles(3, {50: 2.0, 85.5: 3.0})
    assert summary([3.0, 1.0, 2.0]).at(50) == 2.0 and summary([1.0]).at(90) is None


@given(values, ps, ps)
def test_percentiles_are_monotone_in_p(data: list[float], p: float, q: float) -> None:
    ordered = sorted(data)
    low, high = min(p, q), max(p, q)
    assert percentile(ordered, low) <= percentile(ordered, high)


@given(values, ps)
def test_at_least_p_percent_lie_at_or_below_and_fewer_strictly_below(
    data: list[float], p: float
) -> None:
    ordered = sorted(data)
    value = percentile(ordered, p)
    assert value in ordered
    at_or_below = sum(1 for v in ordered if v <= value)
    below = sum(1 for v in ordered if v < value)
    assert at_or_below * 100 >= p * len(ordered) * (1 - 1e-12)
    assert below * 100 < p * len(ordered) * (1 + 1e-12)
