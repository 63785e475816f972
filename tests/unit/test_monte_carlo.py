"""The Monte Carlo engine: a team's futures drawn from its own daily throughput."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.monte_carlo import TeamTrials, at_least, first_day, simulate_team
from rules.percentiles import nearest_rank, percentile

TRIALS = 200


def run(
    sample: list[int],
    stories: list[int],
    *,
    seed: int = 1,
    horizon: int = 60,
    checkpoints: tuple[int, ...] = (),
    trials: int = TRIALS,
) -> TeamTrials:
    return simulate_team(
        sample,
        stories,
        trials=trials,
        rng=np.random.default_rng(seed),
        horizon=horizon,
        checkpoints=checkpoints,
    )


def days_done(result: TeamTrials, piece: int, p: float = 50) -> int | None:
    return first_day(result.done[:, piece] / result.trials, p, result.trials)


def test_one_story_a_day_finishes_each_piece_on_the_day_its_stories_add_up() -> None:
    result = run([1] * 90, [3, 2, 4])
    for p in (50, 85, 95, 100):
        assert [days_done(result, k, p) for k in range(3)] == [3, 5, 9]
    # every future is the same: no piece is done a day early, all are done on the day
    assert result.done[2].tolist() == [0, 0, 0]
    assert result.done[3].tolist() == [TRIALS, 0, 0]
    assert result.done[9].tolist() == [TRIALS] * 3


def test_two_stories_a_day_and_a_piece_with_nothing_left() -> None:
    result = run([2, 2, 2], [0, 3, 2, 1], checkpoints=(1, 2))
    assert [days_done(result, k) for k in range(4)] == [0, 2, 3, 3]
    assert result.at[1].tolist() == [1] * TRIALS  # day 1: 2 stories, only the empty piece done
    assert result.at[2].tolist() == [2] * TRIALS


def test_no_throughput_never_finishes_and_the_horizon_bounds_the_rest() -> None:
    stalled = run([0, 0, 0], [1], horizon=30)
    assert not stalled.done.any()
    assert days_done(stalled, 0) is None
    slow = run([1], [5, 100], horizon=30)  # the second piece needs day 105
    assert days_done(slow, 0) == 5 and days_done(slow, 1) is None


def test_the_same_seed_gives_the_same_futures_and_another_seed_others() -> None:
    sample = [0, 0, 1, 3, 0, 2, 5, 1, 0]
    first = run(sample, [4, 7, 2], seed=42, checkpoints=(10,))
    again = run(sample, [4, 7, 2], seed=42, checkpoints=(10,))
    other = run(sample, [4, 7, 2], seed=43, checkpoints=(10,))
    assert np.array_equal(first.done, again.done)
    assert np.array_equal(first.at[10], again.at[10])
    assert not np.array_equal(first.done, other.done)


def test_the_chances_agree_with_trials_walked_one_by_one() -> None:
    """Against a plain simulation, trial by trial: the tallies must tell the same story."""
    sample, stories, trials = [0, 0, 1, 2, 3, 0, 5], [4, 7, 1, 9], 20_000
    result = run(sample, stories, trials=trials, horizon=200)
    plain = np.random.default_rng(9)
    ends = np.cumsum(stories)
    walked = []
    for _ in range(trials):
        total, day, mine = 0, 0, []
        while len(mine) < len(stories):
            day += 1
            total += sample[plain.integers(0, len(sample))]
            mine += [day] * int(((ends <= total).sum()) - len(mine))
        walked.append(mine)
    by_piece = np.array(walked).T
    for k, days in enumerate(by_piece):
        for p in (50, 85, 95):
            expected = percentile(sorted(days.tolist()), p)
            assert abs(days_done(result, k, p) - expected) <= 1  # type: ignore[operator]


def test_nearest_rank_and_at_least_read_the_trials_as_people_do() -> None:
    assert nearest_rank(85, 10_000) == 8_500
    assert nearest_rank(70, 10) == 7  # exact, not ceil(0.7 * 10) == 8 in floating point
    assert nearest_rank(50, 1) == 1
    counts = np.array([3, 5, 5, 6, 9, 10, 10, 11, 12, 12])
    # "in 80 % of the futures at least 5 were done": 8 of the 10 counts are 5 or more
    assert at_least(counts, 80) == 5
    assert at_least(counts, 50) == 10
    assert at_least(counts, 100) == 3


@settings(max_examples=60, deadline=None)
@given(
    sample=st.lists(st.integers(0, 6), min_size=1, max_size=30).filter(any),
    stories=st.lists(st.integers(0, 12), min_size=1, max_size=6),
    seed=st.integers(0, 2**32 - 1),
)
def test_percentiles_keep_their_order_and_later_pieces_never_finish_sooner(
    sample: list[int], stories: list[int], seed: int
) -> None:
    result = run(sample, stories, seed=seed, horizon=400)
    done = result.done
    assert (np.diff(done, axis=0) >= 0).all()  # a piece once done stays done
    assert (np.diff(done, axis=1) <= 0).all()  # a later piece is never done in more futures
    for k in range(len(stories)):
        dates = [days_done(result, k, p) for p in (50, 85, 95)]
        known = [day for day in dates if day is not None]
        assert known == sorted(known)
        assert dates[: len(known)] == known  # a later percentile is never known before
