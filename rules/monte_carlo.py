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

`simulate_team` runs the trials of one team all at once with numpy, a chunk
of days at a time, until every trial has worked its whole queue (or the
horizon is reached). It keeps, for each day and piece, how many trials had
the piece done by then (the chance it is done by that day), and, for the
days asked (the PI's end), how many pieces each trial had done.
`first_day` reads a percentile off a chance: the first day by which the
nearest rank of the trials (as in `rules.percentiles`) had it done, so an
observed day, never an interpolated one, and monotone in the percentile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

import numpy as np
import numpy.typing as npt

from rules.percentiles import nearest_rank
from rules.timeline_index import Ints

_MIN_CHUNK_DAYS = 14
_MAX_CELLS = 4_000_000  # a chunk's tally of trials per day and story count stays below this
Whole = npt.NDArray[np.integer[Any]]  # any integer width: the chunks use 32 bits


@dataclass(frozen=True, eq=False)
class TeamTrials:
    """What one team's trials say about its queue.

    `done[d, k]`: in how many trials piece `k` was done by the end of day `d`
    (day 0 is today: only pieces with nothing left); `at[day]`: per trial,
    how many pieces were done by the end of that day.
    """

    trials: int
    done: Ints  # (horizon + 1) x pieces
    at: Mapping[int, Ints]


def simulate_team(
    sample: Sequence[int],
    stories: Sequence[int],
    *,
    trials: int,
    rng: np.random.Generator,
    horizon: int,
    checkpoints: Sequence[int] = (),
) -> TeamTrials:
    """Run `trials` futures of a team working `stories` (each piece's, in queue order) at
    the daily throughputs of `sample`, for at most `horizon` days."""
    pieces = len(stories)
    ends = np.cumsum(np.asarray(stories, np.int64))  # stories done when each piece is
    total = int(ends[-1]) if pieces else 0
    done_by = np.searchsorted(ends, np.arange(total + 1), side="right")  # pieces, by stories
    done = np.zeros((horizon + 1, pieces), np.int64)
    done[:, : done_by[0]] = trials  # nothing left of these: done today
    wanted = [day for day in checkpoints if 0 <= day <= horizon]
    at = {day: np.full(trials, done_by[0], np.int64) for day in checkpoints}
    throughput = np.asarray(sample, np.int32)
    if total == 0 or not throughput.any():
        return TeamTrials(trials, done, at)
    per_day = float(throughput.mean())
    longest = max(_MIN_CHUNK_DAYS, _MAX_CELLS // (total + 1))  # bounds the chunk's tally
    active = np.arange(trials)
    stories_done = np.zeros(trials, np.int32)
    retired = 0  # trials with the whole queue done
    until = np.full(trials, horizon + 1, np.int64)  # the first day after the chunk it retired in
    first = 1
    while active.size and first <= horizon:
        # long enough for the trial with the most left to do, at the mean pace
        left = total - int(stories_done[active].min())
        length = min(horizon - first + 1, longest, max(_MIN_CHUNK_DAYS, ceil(left / per_day)))
        # days down, trials across: a day's stories add to the day before's, row by row
        reached = throughput[rng.integers(0, len(throughput), size=(length, active.size))]
        np.cumsum(reached, axis=0, out=reached)
        reached += stories_done[active]
        np.minimum(reached, total, out=reached)
        for day in wanted:
            if first <= day < first + length:
                at[day][active] = done_by[reached[day - first]]
        last = reached[-1].copy()
        done[first : first + length] = _at_least(reached, total)[:, ends] + retired
        stories_done[active] = last
        complete = last == total
        until[active[complete]] = first + length
        retired += int(complete.sum())
        active = active[~complete]
        first += length
    if not active.size:
        done[first:] = trials
    for day in wanted:
        at[day][until <= day] = pieces
    return TeamTrials(trials, done, at)


def _at_least(reached: Whole, total: int) -> Ints:
    """Per day of the chunk (rows of `reached`) and story count `v`, the trials that had at
    least `v` stories done by then. Overwrites `reached`."""
    days, width = reached.shape[0], total + 1
    reached += (np.arange(days, dtype=np.int32) * width)[:, None]
    per_count = np.bincount(reached.ravel(), minlength=days * width).reshape(days, width)
    return np.cumsum(per_count[:, ::-1], axis=1)[:, ::-1]


def first_day(chance: npt.NDArray[np.float64], p: float, trials: int) -> int | None:
    """The first day by which the chance of being done reaches the `p`th percentile's rank
    among `trials` futures (its nearest rank); None when no day of the horizon does."""
    reached = np.flatnonzero(chance >= nearest_rank(p, trials) / trials)
    return int(reached[0]) if len(reached) else None


def at_least(counts: Ints, confidence: float) -> int:
    """The most that `confidence` % of the trials reach: N with count >= N in that many."""
    ordered = np.sort(counts)
    return int(ordered[len(ordered) - nearest_rank(confidence, len(ordered))])
