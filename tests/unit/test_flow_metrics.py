"""SAFe flow metrics per period, and the cumulative flow diagram's data."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from art.cadence import planning_intervals
from art.config import CadenceConfig, PiDates
from art.model import FlaggedInterval, StatusCategory
from rules.cumulative_flow import cumulative_flow
from rules.flow_metrics import (
    Efficiency,
    Load,
    Period,
    Velocity,
    WorkTypeShare,
    flow_metrics,
    reporting_periods,
)
from rules.percentiles import Percentiles
from tests.builders import day, flow_board, gaps, walked, wandered

BOARD = flow_board()
PIS = planning_intervals(
    CadenceConfig(
        pis=(
            PiDates(name="PI 2026.4", start=date(2026, 10, 5)),
            PiDates(name="PI 2027.1", start=date(2026, 12, 14)),
        )
    )
)
DONE = StatusCategory.DONE
PI_TO_DATE = Period("PI to date", "pi", date(2026, 10, 5), date(2026, 11, 20))
ITERATION_1 = Period("Iteration 1", "iteration", date(2026, 10, 5), date(2026, 10, 18))
NOW = day(46.5)  # 2026-11-20 21:00 UTC


def done(key: str, start: float, end: float, **fields: object):
    return walked(
        key,
        (start - 2, "Analyzing"),
        (start, "Implementing"),
        (end, "Done"),
        category=DONE,
        **fields,
    )


def metrics(items: list, periods=(PI_TO_DATE, ITERATION_1), wait=("Validating",)):
    return flow_metrics(items, BOARD, periods, zone=UTC, now=NOW, wait_states=wait)


def test_the_periods_are_the_pi_to_date_and_its_finished_iterations() -> None:
    periods = reporting_periods(PIS, date(2026, 11, 20))
    assert [p.name for p in periods] == [
        "PI 2026.4 to date",
        "PI 2026.4 Iteration 1",
        "PI 2026.4 Iteration 2",
        "PI 2026.4 Iteration 3",
    ]
    assert (periods[0].start, periods[0].end) == (date(2026, 10, 5), date(2026, 11, 20))
    # Between PIs: the last PI, whole, and all its iterations.
    after = reporting_periods(PIS[:1], date(2027, 1, 20))
    assert after[0].name == "PI 2026.4" and after[0].end == date(2026, 12, 13)
    assert len(after) == 6
    assert reporting_periods(PIS, date(2026, 1, 1)) == ()


def test_velocity_distribution_and_flow_time_of_the_items_finished_in_a_period() -> None:
    items = [
        done("AUR-1", 1, 5, estimate=3.0, work_type="Business"),  # iteration 1
        done("AUR-2", 2, 12, estimate=5.0, work_type="Enabler", issue_type="Enabler"),  # it. 1
        done("AUR-3", 10, 20, estimate=None, work_type=None),  # iteration 2
        done("AUR-4", -40, -20, estimate=8.0),  # before the PI
        walked("AUR-5", (0, "Funnel"), (3, "Implementing")),  # not finished
    ]
    result = metrics(items)
    pi = result["PI to date"]
    assert pi.velocity == Velocity(items=3, points=8.0)
    assert pi.distribution == {
        "Business": WorkTypeShare(count=1, share=0.3333, points=3.0),
        "Enabler": WorkTypeShare(count=1, share=0.3333, points=5.0),
        "unclassified": WorkTypeShare(count=1, share=0.3333, points=0.0),
    }
    assert pi.time_by_type["Feature"] == Percentiles(2, {50: 4.0, 85: 10.0, 95: 10.0})
    assert list(pi.time_by_type) == ["Enabler", "Feature"]
    assert pi.time.count == 3
    assert result["Iteration 1"].velocity == Velocity(items=2, points=8.0)
    assert pi.period.start == date(2026, 10, 5)


def test_load_is_the_wip_per_state_at_the_end_of_the_period() -> None:
    items = [
        walked("AUR-1", (0, "Funnel"), (3, "Implementing"), (20, "Validating")),
        walked("AUR-2", (0, "Funnel"), (15, "Implementing")),  # started after iteration 1
        done("AUR-3", 1, 10),  # in progress at the end of iteration 1, done now
    ]
    result = metrics(items)
    assert result["Iteration 1"].load == Load({"Implementing": 1, "Validating": 0}, total=1)
    assert result["PI to date"].load == Load({"Implementing": 1, "Validating": 1}, total=2)


def test_efficiency_is_time_not_waiting_and_flags_inside_a_wait_state_count_once() -> None:
    # 10 days in flow: 4 in Validating (a wait state), flagged days 6-9 (1 day of it outside).
    item = walked(
        "AUR-1",
        (0, "Analyzing"),
        (2, "Implementing"),
        (8, "Validating"),
        (12, "Done"),
        category=DONE,
        flagged=(FlaggedInterval(day(6), day(9)),),
    )
    efficiency = metrics([item])["PI to date"].efficiency
    assert efficiency == Efficiency(items=1, active_days=4.0, total_days=10.0, ratio=0.4)
    assert metrics([])["PI to date"].efficiency.ratio is None


def test_a_finishing_day_is_read_in_the_arts_time_zone() -> None:
    # 22:30 UTC on 18 October is 00:30 on 19 October in Berlin: iteration 2 there.
    late = replace(done("AUR-1", 1, 13.5625), resolved=None)
    berlin = flow_metrics(
        [late], BOARD, [ITERATION_1], zone=ZoneInfo("Europe/Berlin"), now=NOW, wait_states=()
    )
    utc = flow_metrics([late], BOARD, [ITERATION_1], zone=UTC, now=NOW, wait_states=())
    assert utc["Iteration 1"].velocity.items == 1
    assert berlin["Iteration 1"].velocity.items == 0


history_steps = gaps(
    ["Funnel", "Analyzing", "Implementing", "Validating", "Done", "On Hold"], max_gap=6, max_size=8
)
flags = st.lists(st.tuples(st.floats(0, 40), st.floats(0.01, 10)), max_size=3)


def random_item(key: str, steps: list[tuple[float, str]], flag_spans: list[tuple[float, float]]):
    category = DONE if steps and steps[-1][1] == "Done" else StatusCategory.IN_PROGRESS
    intervals = tuple(FlaggedInterval(day(s), day(s + length)) for s, length in flag_spans)
    return wandered(key, "Funnel", steps, category=category, flagged=intervals)


@given(st.lists(st.tuples(history_steps, flags), max_size=12))
def test_wip_per_state_sums_to_the_items_in_progress_and_efficiency_is_a_share(data) -> None:
    items = [random_item(f"AUR-{n}", steps, spans) for n, (steps, spans) in enumerate(data)]
    pi = metrics(items)["PI to date"]
    assert sum(pi.load.states.values()) == pi.load.total
    assert pi.load.total == sum(1 for item in items if BOARD.is_in_progress(item))
    ratio = pi.efficiency.ratio
    assert ratio is None or 0 <= ratio <= 1
    assert pi.velocity.items == pi.time.count


# --------------------------------------------------------------------------
# Cumulative flow


def test_cumulative_flow_counts_where_each_item_stood_at_each_days_end() -> None:
    items = [
        walked("AUR-1", (0.1, "Funnel"), (1.5, "Implementing"), (3.2, "Done"), category=DONE),
        walked("AUR-2", (-10, "Analyzing"), (2.5, "Implementing"), (2.6, "Analyzing")),
        walked("AUR-3", (5, "Funnel")),  # arrives after the window
    ]
    cfd = cumulative_flow(
        items, BOARD, level="feature", start=date(2026, 10, 5), end=date(2026, 10, 9), zone=UTC
    )
    assert cfd.days[0] == date(2026, 10, 5) and len(cfd.days) == 5
    assert cfd.counts == {
        "Funnel": (1, 0, 0, 0, 0),
        "Analyzing": (1, 1, 1, 1, 1),  # AUR-2 went to Implementing and back the same day
        "Implementing": (0, 1, 1, 0, 0),
        "Validating": (0, 0, 0, 0, 0),
        "Done": (0, 0, 0, 1, 1),
    }
    assert cfd.states == tuple(cfd.counts) and cfd.level == "feature"


@given(st.lists(st.tuples(history_steps, flags), max_size=10))
def test_each_day_the_states_hold_every_item_that_exists_and_stands_on_the_board(data) -> None:
    items = [random_item(f"AUR-{n}", steps, spans) for n, (steps, spans) in enumerate(data)]
    start = date(2026, 10, 5)
    last = start + timedelta(days=30)
    cfd = cumulative_flow(items, BOARD, level="feature", start=start, end=last, zone=UTC)
    for index in range(len(cfd.days)):
        end = day(index + 1) - timedelta(hours=9)  # T0 is 09:00 UTC on the start day
        on_board = 0
        for item in items:
            statuses = [t.to_status for t in item.transitions if t.at < end]
            on_board += bool(statuses) and statuses[-1] in BOARD.positions
        assert sum(cfd.counts[state][index] for state in cfd.states) == on_board
        assert all(cfd.counts[state][index] >= 0 for state in cfd.states)
