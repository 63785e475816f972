"""Stale work: items in progress that nobody has touched for days.

Work in progress that neither moves nor gets updated is usually not being
worked on: it holds a WIP slot, hides the real load, and ages quietly. An
item in an in-progress column whose latest status change and latest update
(Jira's `updated`: any edit, comment or transition) are both older than
`rules.stale_days` is a finding; past twice that it is critical.

A feature moves through its stories: while any of its children changes, it
is being worked on even if nobody edits the feature itself. So the latest
change of an item's direct children counts as its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from art.model import Finding, Severity, WorkItem
from rules.board import Board
from rules.timeline import in_days, last_change, ordered_transitions

RULE = "stale"
CRITICAL_FACTOR = 2


def stale_findings(
    items: Iterable[WorkItem], board: Board, *, level: str, now: datetime, stale_days: float
) -> list[Finding]:
    """A finding per in-progress item of `level` idle for longer than `stale_days`."""
    everything = list(items)
    idle_since: dict[str, datetime] = {}
    for item in everything:
        if item.level == level and board.is_in_progress(item):
            touched = last_change(item, ordered_transitions(item))
            if in_days(now - touched) > stale_days:
                idle_since[item.key] = touched
    child_activity: dict[str, datetime] = {}
    for child in everything:
        if child.parent in idle_since:
            touched = last_change(child, ordered_transitions(child))
            child_activity[child.parent] = max(touched, child_activity.get(child.parent, touched))
    findings = []
    for item in everything:
        if item.key not in idle_since:
            continue
        touched = max(idle_since[item.key], child_activity.get(item.key, idle_since[item.key]))
        idle = in_days(now - touched)
        if idle > stale_days:
            findings.append(
                _finding(item, board, level, idle, child_activity.get(item.key), stale_days)
            )
    return findings


def _finding(
    item: WorkItem,
    board: Board,
    level: str,
    idle: float,
    children_touched: datetime | None,
    stale_days: float,
) -> Finding:
    state = board.state_of(item)
    severity = Severity.CRITICAL if idle > CRITICAL_FACTOR * stale_days else Severity.WARNING
    whose = " to it or its children" if children_touched else ""
    return Finding(
        rule=RULE,
        severity=severity,
        subject=item.key,
        message=(
            f"no status change or update{whose} for {idle:.1f} days, in '{state}' "
            f"(limit {stale_days:g} days)"
        ),
        data={
            "level": level,
            "team": item.team,
            "state": state,
            "idle_days": round(idle, 2),
            "last_status_change": ordered_transitions(item)[-1].at,
            "last_update": item.updated,
            "last_child_change": children_touched,
            "threshold_days": stale_days,
        },
    )
