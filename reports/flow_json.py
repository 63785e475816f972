"""The flow rules' results as the JSON members of health.json, one function per result.

Field by field on purpose: health.json is read by people's scripts, so its
names are a contract that changes only here, never by renaming an attribute.
Dates become ISO text; tuples become lists; `reports.health_json` sorts the keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rules.aging import Aging
from rules.cumulative_flow import CumulativeFlow
from rules.flow_health import TeamBoards
from rules.flow_metrics import FlowMetrics, Period, PeriodFlow
from rules.percentiles import Percentiles
from rules.wip import BoardLoad, StateLoad


def board_load_json(load: BoardLoad) -> dict[str, Any]:
    return {"level": load.level, "states": _states_json(load.states)}


def team_boards_json(boards: TeamBoards) -> dict[str, Any]:
    return {
        "level": boards.level,
        "states": list(boards.states),
        "teams": {team: _states_json(states) for team, states in boards.teams.items()},
        "own_boards": {team: list(states) for team, states in boards.own_boards.items()},
    }


def flow_metrics_json(flow: FlowMetrics) -> dict[str, Any]:
    return {
        "periods": [_period_json(period) for period in flow.periods],
        "scopes": [
            {
                "level": scope.level,
                "scope": scope.scope,
                "by_period": {name: _period_flow_json(f) for name, f in scope.by_period.items()},
            }
            for scope in flow.scopes
        ],
    }


def cumulative_flow_json(cfd: CumulativeFlow) -> dict[str, Any]:
    return {
        "level": cfd.level,
        "days": [day.isoformat() for day in cfd.days],
        "states": list(cfd.states),
        "counts": {state: list(counts) for state, counts in cfd.counts.items()},
    }


def aging_json(aging: Aging) -> dict[str, Any]:
    return {
        "level": aging.level,
        "percentile": aging.percentile,
        "window_days": aging.window_days,
        "references": {
            label: percentiles_json(values)
            for label, values in aging.reference_percentiles().items()
        },
        "items": [
            {
                "key": aged.item.key,
                "type": aged.item.issue_type,
                "team": aged.item.team,
                "state": aged.state,
                "age_days": aged.rounded_age_days,
                "threshold_days": aged.threshold_days,
            }
            for aged in aging.wip
        ],
    }


def percentiles_json(values: Percentiles) -> dict[str, Any]:
    """`{"count": 12, "p50": 3.5, "p85": ...}`."""
    return {"count": values.count, **{f"p{p:g}": value for p, value in values.values.items()}}


def _states_json(states: Sequence[StateLoad]) -> list[dict[str, Any]]:
    return [
        {
            "name": state.name,
            "count": state.count,
            "wip_limit": state.wip_limit,
            "wip_min": state.wip_min,
        }
        for state in states
    ]


def _period_json(period: Period) -> dict[str, Any]:
    return {
        "name": period.name,
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def _period_flow_json(flow: PeriodFlow) -> dict[str, Any]:
    efficiency = flow.efficiency
    return {
        "period": _period_json(flow.period),
        "distribution": {
            work_type: {"count": share.count, "share": share.share, "points": share.points}
            for work_type, share in flow.distribution.items()
        },
        "velocity": {"items": flow.velocity.items, "points": flow.velocity.points},
        "time": {
            **{kind: percentiles_json(times) for kind, times in flow.time_by_type.items()},
            "all": percentiles_json(flow.time),
        },
        "load": {"states": dict(flow.load.states), "total": flow.load.total},
        "efficiency": {
            "items": efficiency.items,
            "active_days": efficiency.active_days,
            "total_days": efficiency.total_days,
            "ratio": efficiency.ratio,
        },
    }
