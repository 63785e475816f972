"""Monte Carlo simulation of when a team's queue of work is done, from its own throughput.

Throughput forecasting (as ActionableAgile and Troy Magennis describe it)
needs no estimates: a team's past is a sample of how many stories it
finishes on a day, zero days included. One trial lays out a possible future
by drawing each coming day's throughput at random from that sample, and
works the team's queue in order with it: the first piece of work is done on
the day the drawn throughputs add up to its stories, the next when they add
up to both, and so on. Many trials give, for each piece, a distribution of
finishing days; its percentiles are the forecast ("85 % of the futures
finished it by day 23").

`completion_days` runs the trials of one team, all at once with numpy, day
chunk by day chunk until every trial has worked its whole queue (or the
horizon is reached); `percentile_days` reads the percentiles of many pieces
at once. Percentiles are by nearest rank, as in `rules.percentiles`: an
observed day, never an interpolated one, and monotone in the percentile.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import ceil
from typing import Any

import numpy as np
import numpy.typing as npt

from rules.timeline_index import Ints

_MIN_CHUNK_DAYS = 14
Whole = npt.NDArray[np.integer[Any]]  # any integer width: the chunks use 32 bits


def completion_days(
    sample: Sequence[int],
    stories: Sequence[int],
    *,
    trials: int,
    rng: np.random.Generator,
    horizon: int,
) -> Ints:
    """Per trial and piece of work, the day its last story is done.

    `sample` holds the stories finished on each day of the past; `stories`
    the stories of each piece, in the order the team works them. Day 1 is the
    first simulated day; a piece with no story left (before any that has) is
    done on day 0; one not done within `horizon` days gets `horizon + 1`.
    """
    pieces = len(stories)
    days = np.full((trials, pieces), horizon + 1, np.int64)
    if not pieces:
        return days
    ends = np.cumsum(np.asarray(stories, np.int64))  # stories done when each piece is
    total = int(ends[-1])
    done_by = np.searchsorted(ends, np.arange(total + 1), side="right")  # pieces done, by stories
    days[:, : done_by[0]] = 0
    throughput = np.asarray(sample, np.int32)
    if total == 0 or throughput.sum() == 0:
        return days
    per_day = float(throughput.mean())
    done_by = done_by.astype(np.int32)
    active = np.arange(trials)
    stories_done = np.zeros(trials, np.int32)
    pieces_done = np.full(trials, done_by[0], np.int32)
    first = 1
    while active.size and first <= horizon:
        # long enough for the trial with the most left to do, at the mean pace
        left = total - int(stories_done[active].min())
        length = min(horizon - first + 1, max(_MIN_CHUNK_DAYS, ceil(left / per_day)))
        drawn = throughput[rng.integers(0, len(throughput), size=(active.size, length))]
        reached = np.cumsum(drawn, axis=1, dtype=np.int32)
        reached += stories_done[active, None]
        np.minimum(reached, total, out=reached)
        finished = done_by[reached]  # pieces done by the end of each day
        now_done = finished[:, -1].copy()
        _record(days, active, pieces_done[active], now_done, finished, first)
        stories_done[active] = reached[:, -1]
        pieces_done[active] = now_done
        active = active[now_done < pieces]
        first += length
    return days


def _record(
    days: Ints,
    rows: Ints,
    done_before: Whole,
    done_after: Whole,
    finished: Whole,
    first: int,
) -> None:
    """Write the day each piece finished within this chunk of days.

    `finished[r, d]` is how many pieces trial `rows[r]` has done by the end of
    the chunk's day `d`; piece `k` is done on the day after the last day with
    at most `k` done, so counting those days per trial gives every day at once.
    """
    pieces = days.shape[1]
    finished += (np.arange(len(rows), dtype=np.int32) * (pieces + 1))[:, None]
    counts = np.bincount(finished.ravel(), minlength=len(rows) * (pieces + 1))
    days_at_most = np.cumsum(counts.reshape(len(rows), pieces + 1)[:, :pieces], axis=1)
    k = np.arange(pieces)
    now = (k >= done_before[:, None]) & (k < done_after[:, None])
    mine = days[rows]
    mine[now] = (days_at_most + first)[now]
    days[rows] = mine


def nearest_rank(p: float, count: int) -> int:
    """The rank (from 1) of the `p`th percentile of `count` values (`rules.percentiles`)."""
    return max(ceil(Fraction(str(p)) * count / 100), 1)


def percentile_days(days: Ints, percentiles: Sequence[float]) -> Ints:
    """Per column of `days` (trials down, pieces across), each percentile's day."""
    trials, columns = days.shape
    result = np.zeros((columns, len(percentiles)), np.int64)
    if not columns or not trials:
        return result
    width = int(days.max()) + 1
    shifted = days + np.arange(columns, dtype=np.int64) * width
    counts = np.bincount(shifted.ravel(), minlength=columns * width).reshape(columns, width)
    by_day = np.cumsum(counts, axis=1)
    for k, p in enumerate(percentiles):
        result[:, k] = np.argmax(by_day >= nearest_rank(p, trials), axis=1)
    return result


def at_least(counts: Ints, confidence: float) -> int:
    """The most that `confidence` % of the trials reach: N with count >= N in that many."""
    ordered = np.sort(counts)
    return int(ordered[len(ordered) - nearest_rank(confidence, len(ordered))])
