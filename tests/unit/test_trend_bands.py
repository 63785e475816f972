"""The grey bands of the trend charts: one band per run of replayed nights, covering exactly
the nights a backfill reconstructed (a band too wide would pass a measured night off as
replayed; one too narrow, the reverse)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from reports.trend_charts import replayed_runs
from rules.trends import Trends

START = date(2026, 10, 1)


def trends(replayed: list[bool]) -> Trends:
    nights = tuple(START + timedelta(days=n) for n in range(len(replayed)))
    return Trends(nights, {}, tuple(n for n, r in zip(nights, replayed, strict=True) if r))


@given(st.lists(st.booleans(), max_size=40))
def test_the_bands_cover_exactly_the_replayed_nights_each_run_once(replayed: list[bool]) -> None:
    runs = replayed_runs(trends(replayed))
    covered = [index for first, last in runs for index in range(first, last + 1)]
    assert covered == [index for index, r in enumerate(replayed) if r]  # in order, none twice
    # Maximal runs: a measured night lies between any two bands.
    assert all(later[0] > earlier[1] + 1 for earlier, later in pairwise(runs))


def test_a_backfilled_month_before_tonight_is_one_band() -> None:
    assert replayed_runs(trends([True] * 30 + [False])) == [(0, 29)]
    assert replayed_runs(trends([False, True, True, False, True])) == [(1, 2), (4, 4)]
