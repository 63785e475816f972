"""The PI outlook as JSON: the current PI's forecast and the next PI's load against capacity.

`metrics.forecast` and `metrics.capacity` in health.json, and the documents
of `rte forecast --json` and `rte readiness --json`, written field by field
here. Dates become ISO text; percentiles are keyed by their number as text
("50", "85", "95"); the callers sort the keys.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.capacity import CapacityReport, FeatureLoad, TeamCapacity
from rules.forecast import FeatureForecast, PiForecast, TeamPace


def forecast_json(forecast: PiForecast | None) -> dict[str, Any] | None:
    if forecast is None:
        return None
    pi = forecast.pi
    return {
        "pi": pi.name if pi else None,
        "ends": _iso(pi.end) if pi else None,
        "as_of": forecast.as_of.isoformat(),
        "window_days": forecast.window_days,
        "trials": forecast.trials,
        "seed": forecast.seed,
        "horizon": forecast.horizon.isoformat(),
        "planned": forecast.planned,
        "done": forecast.done,
        "done_by_end": {str(p): count for p, count in forecast.done_by_end.items()},
        "teams": [_pace_json(pace) for pace in forecast.teams],
        "features": [_feature_json(feature) for feature in forecast.features],
        "note": forecast.note,
    }


def capacity_json(report: CapacityReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    pi = report.pi
    return {
        "pi": pi.name if pi else None,
        "starts": _iso(pi.start) if pi else None,
        "planned_by": report.planned_by,
        "tight_pct": report.tight_pct,
        "teams": [_team_json(team) for team in report.teams],
        "unassigned": [_load_json(load) for load in report.unassigned],
        "bottlenecks": [team.team for team in report.bottlenecks],
        "note": report.note,
    }


def _pace_json(pace: TeamPace) -> dict[str, Any]:
    return {
        "team": pace.team,
        "finished": pace.finished,
        "per_day": pace.per_day,
        "median_stories": pace.median_stories,
    }


def _feature_json(feature: FeatureForecast) -> dict[str, Any]:
    return {
        "rank": feature.rank,
        "key": feature.key,
        "summary": feature.summary,
        "status": feature.status,
        "teams": list(feature.teams),
        "open_stories": feature.open_stories,
        "assumed": feature.assumed,
        "dates": {str(p): _iso(day) for p, day in feature.dates.items()},
        "done_by_pi_end": feature.done_by_pi_end,
        "due_date": _iso(feature.due),
        "note": feature.note,
    }


def _team_json(team: TeamCapacity) -> dict[str, Any]:
    return {
        "team": team.team,
        "capacity_per_iteration": team.per_iteration,
        "iterations": team.iterations,
        "holidays": [{"date": day.isoformat(), "name": name} for day, name in team.holidays],
        "absences": team.absences,
        "capacity": team.capacity,
        "load": team.load,
        "load_pct": team.load_pct,
        "status": team.status,
        "features": [_load_json(load) for load in team.features],
    }


def _load_json(load: FeatureLoad) -> dict[str, Any]:
    return {
        "key": load.key,
        "summary": load.summary,
        "estimate": load.estimate,
        "share": load.share,
        "points": load.points,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
