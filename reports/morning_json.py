"""The morning read's members of health.json, field by field (see `reports.health_json`).

- `act_today`: one entry per item to act on (`rules.act_today`);
- `pi_progress`: the PI, its iteration and days, features done against planned,
  predictability so far (`rules.pi_progress`); null between PIs;
- `since_last_run`: `{previous, previous_night, new, resolved, still_open}`
  (`rules.since_last_run`);
- `metrics.trends`: `{nights, series, replayed}` (`rules.trends`);
- in a finding: `item` (`{key, title, url, assignee, team, status}`) when it is
  about a Jira item, `suppressed` (`{reason, until}`) when a suppression hides it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from art.history import SeenFinding
from art.model import Finding, ItemFacts, Severity
from rules.act_today import ActEntry
from rules.health import HealthReport
from rules.pi_progress import PiProgress
from rules.since_last_run import SinceLastRun
from rules.trends import Trends


def morning_members(report: HealthReport) -> dict[str, Any]:
    """The top-level members the report has: none for a report made without them."""
    members: dict[str, Any] = {}
    if report.act_today is not None:
        members["act_today"] = [act_entry_json(entry) for entry in report.act_today]
    if report.morning is not None:
        members["pi_progress"] = pi_progress_json(report.morning.pi_progress)
        members["since_last_run"] = since_last_run_json(report.morning.since_last_run)
    return members


def finding_extras(finding: Finding) -> dict[str, Any]:
    """A finding's `item` and `suppressed` members, when it has them."""
    extras: dict[str, Any] = {}
    if finding.item is not None:
        extras["item"] = item_json(finding.item)
    if finding.suppressed is not None:
        extras["suppressed"] = {
            "reason": finding.suppressed.reason,
            "until": finding.suppressed.until.isoformat(),
        }
    return extras


def item_json(item: ItemFacts) -> dict[str, Any]:
    return {
        "key": item.key,
        "title": item.title,
        "url": item.url,
        "assignee": item.assignee,
        "team": item.team,
        "status": item.status,
    }


def act_entry_json(entry: ActEntry) -> dict[str, Any]:
    return {
        "subject": entry.subject,
        "severity": entry.severity.value,
        "rules": list(entry.rules),
        "message": entry.message,
        "url": entry.url,
        "age_days": entry.age_days,
        "item": item_json(entry.item) if entry.item is not None else None,
    }


def since_last_run_json(since: SinceLastRun) -> dict[str, Any]:
    return {
        "previous": since.previous.isoformat() if since.previous else None,
        "previous_night": since.previous_night.isoformat() if since.previous_night else None,
        "new": [_new_json(finding) for finding in worst_first(since.new)],
        "resolved": [_resolved_json(entry) for entry in worst_first(since.resolved)],
        "still_open": since.still_open,
    }


def pi_progress_json(progress: PiProgress | None) -> dict[str, Any] | None:
    if progress is None:
        return None
    iteration = progress.iteration
    predictability = progress.predictability
    return {
        "pi": progress.pi,
        "start": progress.start.isoformat(),
        "end": progress.end.isoformat(),
        "day": progress.day,
        "days": progress.days,
        "days_left": progress.days_left,
        "iteration": None
        if iteration is None
        else {
            "name": iteration.name,
            "number": iteration.number,
            "of": progress.iterations,
            "ip": iteration.is_ip,
            "start": iteration.start.isoformat(),
            "end": iteration.end.isoformat(),
        },
        "features": {
            "level": progress.features.level,
            "done": progress.features.done,
            "planned": progress.features.planned,
            "planned_by": progress.features.basis,
        },
        "predictability": {
            "status": predictability.status,
            "percent": predictability.percent,
            "planned_value": predictability.planned_value,
            "actual_value": predictability.actual_value,
            "band": predictability.band,
            "note": predictability.note,
        },
    }


def trends_json(trends: Trends) -> dict[str, Any]:
    return {
        "nights": [night.isoformat() for night in trends.nights],
        "series": {name: list(values) for name, values in trends.series.items()},
        "replayed": [night.isoformat() for night in trends.replayed],
    }


def _new_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "subject": finding.subject,
        "message": finding.message,
        "url": finding.url,
    }


def _resolved_json(entry: SeenFinding) -> dict[str, Any]:
    return {
        "rule": entry.rule,
        "severity": entry.severity.value,
        "subject": entry.subject,
        "message": entry.message,
    }


Entry = TypeVar("Entry", Finding, SeenFinding)


def worst_first(entries: Iterable[Entry]) -> list[Entry]:
    """Most severe first, then by rule, subject and message."""
    return sorted(entries, key=_order)


def _order(entry: Finding | SeenFinding) -> tuple[int, str, str, str]:
    severity: Severity = entry.severity
    return (-severity.rank, entry.rule, entry.subject, entry.message)
