"""Builders of the nightly check's typed metrics, for tests of what renders them.

A renderer test states only the result it is about (a board's load, a
period's flow); everything else is the empty result a night without such
data gives: no states, no periods, nothing to roll up, no PI to plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from art.model import Finding
from rules.aging import AgedItem, Aging, Reference
from rules.budget import GuardrailReport
from rules.cumulative_flow import CumulativeFlow
from rules.economics import Economics
from rules.flow_health import TeamBoards, TrainFlow
from rules.flow_metrics import (
    Efficiency,
    FlowMetrics,
    Load,
    Period,
    PeriodFlow,
    ScopeFlow,
    Velocity,
    WorkTypeShare,
)
from rules.health import HealthMetrics, HealthReport, ItemCounts
from rules.hierarchy import build_hierarchy
from rules.percentiles import Percentiles
from rules.readiness import ReadinessReport
from rules.rollup import RollupReport
from rules.wip import BoardLoad, StateLoad
from tests.builders import T0, item


def state(name: str, count: int, limit: int | None = None, minimum: int | None = None) -> StateLoad:
    return StateLoad(name, count, limit, minimum)


def kanban(*states: StateLoad, level: str = "feature") -> BoardLoad:
    return BoardLoad(level, states)


def team_boards(
    teams: Mapping[str, Iterable[StateLoad]],
    states: Iterable[str] = (),
    own_boards: Mapping[str, Iterable[str]] | None = None,
    level: str = "story",
) -> TeamBoards:
    return TeamBoards(
        level,
        tuple(states),
        {team: tuple(loads) for team, loads in teams.items()},
        {team: tuple(columns) for team, columns in (own_boards or {}).items()},
    )


def percentiles(count: int, p50: float | None, p85: float | None, p95: float | None) -> Percentiles:
    return Percentiles(count, {50: p50, 85: p85, 95: p95})


def period_flow(
    period: Period,
    finished: int,
    *,
    times: Percentiles | None = None,
    by_type: Mapping[str, Percentiles] | None = None,
    ratio: float | None = 0.8,
    distribution: Mapping[str, int] | None = None,
    wip: Mapping[str, int] | None = None,
) -> PeriodFlow:
    """`finished` items of 3 points each; flow times, efficiency and load as given."""
    shares = distribution if distribution is not None else {"Business": finished}
    load = wip if wip is not None else {"In Progress": 4}
    return PeriodFlow(
        period=period,
        distribution={
            kind: WorkTypeShare(count, round(count / max(finished, 1), 4), 3.0 * count)
            for kind, count in shares.items()
        },
        velocity=Velocity(finished, 3.0 * finished),
        time=times or percentiles(finished, None, None, None),
        time_by_type=by_type or {},
        load=Load(load, sum(load.values())),
        efficiency=Efficiency(finished, 8.0, 10.0, ratio),
    )


def flow_metrics(periods: Iterable[Period], *scopes: ScopeFlow) -> FlowMetrics:
    return FlowMetrics(tuple(periods), scopes)


def cumulative_flow(
    days: Iterable[date], counts: Mapping[str, Iterable[int]], level: str = "feature"
) -> CumulativeFlow:
    """The diagram of `counts` (by state, in board order), one count per day."""
    return CumulativeFlow(
        level,
        tuple(days),
        tuple(counts),
        {name: tuple(per_day) for name, per_day in counts.items()},
    )


def aged(key: str, state: str, age_days: float, reference: Reference | None = None) -> AgedItem:
    return AgedItem(item(key, state), state, T0, age_days, reference)


def aging(
    *wip: AgedItem,
    level: str = "feature",
    percentile: float = 85,
    references: Iterable[Reference] = (),
) -> Aging:
    return Aging(level, percentile, 180, wip, {ref.label: ref for ref in references})


def train_flow(**parts: Any) -> TrainFlow:
    """A night's flow with only `parts` (TrainFlow's fields) measured."""
    empty = TrainFlow(
        team_boards=team_boards({}),
        flow_metrics=flow_metrics(()),
        cumulative_flow=cumulative_flow((), {}),
        aging={},
    )
    return replace(empty, **parts)


def economic_reports(**parts: Any) -> Economics:
    """Economics with only `parts` (rollup, guardrails, readiness) holding anything."""
    empty = Economics(
        rollup=RollupReport(build_hierarchy([], ["story", "feature", "epic"]), (), ()),
        guardrails=GuardrailReport(
            pi=None,
            currency="EUR",
            tolerance_pct=10,
            allocation=(),
            spend=None,
            price=None,
            epic_threshold=None,
            approved_statuses=(),
            epics=(),
            findings=(),
        ),
        readiness=ReadinessReport(None, None, (), ()),
    )
    return replace(empty, **parts)


def health_metrics(
    *,
    kanban: BoardLoad | None = None,
    items: ItemCounts | None = None,
    flow: TrainFlow | None = None,
    economics: Economics | None = None,
    data_quality: Mapping[str, int] | None = None,
) -> HealthMetrics:
    """The metrics of a night; each part left out is the empty one."""
    return HealthMetrics(
        kanban=kanban or BoardLoad("feature", ()),
        items=items or ItemCounts(0, {}, 0),
        flow=flow or train_flow(),
        economics=economics or economic_reports(),
        data_quality=data_quality or {},
    )


def health_report(
    *findings: Finding, metrics: HealthMetrics | None = None, art: str = "Aurora ART"
) -> HealthReport:
    """A health report of the night of 2026-10-06, in PI 2026.4."""
    return HealthReport(
        art=art,
        generated_at=datetime(2026, 10, 6, 2, 30, tzinfo=UTC),
        as_of=date(2026, 10, 6),
        pi="PI 2026.4",
        findings=tuple(findings),
        metrics=metrics or health_metrics(),
    )
