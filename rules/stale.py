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
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from art.model import Finding, Severity, WorkItem
from rules.board import Board
from rules.board_index import BoardIndex
from rules.timeline import in_days
from rules.timeline_index import TimelineIndex, microseconds_of

RULE = "stale"
CRITICAL_FACTOR = 2


def stale_findings(
    items: Iterable[WorkItem], board: Board, *, level: str, now: datetime, stale_days: float
) -> list[Finding]:
    """A finding per in-progress item of `level` idle for longer than `stale_days`."""
    timeline = TimelineIndex.of(items)
    index = BoardIndex(timeline, board, timeline.level_mask(level))
    return stale_on(index, level=level, now=now, stale_days=stale_days)


def stale_on(index: BoardIndex, *, level: str, now: datetime, stale_days: float) -> list[Finding]:
    """`stale_findings` of the board index's items (its scope: the items at `level`)."""
    timeline = index.timeline
    items, keys, moments, last = timeline.items, timeline.keys, timeline.moments, timeline.lasts
    in_progress = np.flatnonzero(index.scope & index.in_progress)
    idle_days = (
        (microseconds_of(now) - timeline.last_change[in_progress]).astype(np.float64) / 1e6 / 86400
    ).tolist()
    idle_since: dict[str, tuple[datetime, float]] = {}  # the last change, and the days since
    for i, idle in zip(in_progress.tolist(), idle_days, strict=True):
        if idle > stale_days:
            idle_since[keys[i]] = (timeline.last_change_moment(i), idle)
    child_activity: dict[str, datetime] = {}
    if idle_since:
        for i, parent in enumerate(timeline.parents):
            if parent in idle_since:
                touched = timeline.last_change_moment(i)
                child_activity[parent] = max(touched, child_activity.get(parent, touched))
    states = index.state_names
    wording = _Wording(level, stale_days)
    findings = []
    for i, key in enumerate(keys):
        since = idle_since.get(key)
        if since is None:
            continue
        touched, idle = since
        children = child_activity.get(key)
        if children is not None:
            idle = in_days(now - max(touched, children))
        if idle > stale_days:
            findings.append(wording.finding(items[i], states[i], idle, children, moments[last[i]]))
    return findings


@dataclass(frozen=True, slots=True)
class _Wording:
    """What the stale findings of one level share."""

    level: str
    stale_days: float

    def finding(
        self,
        item: WorkItem,
        state: str | None,
        idle: float,
        children_touched: datetime | None,
        last_status_change: datetime,
    ) -> Finding:
        stale_days = self.stale_days
        severity = Severity.CRITICAL if idle > CRITICAL_FACTOR * stale_days else Severity.WARNING
        whose = " to it or its children" if children_touched else ""
        return Finding(
            RULE,
            severity,
            item.key,
            f"no status change or update{whose} for {idle:.1f} days, in '{state}' "
            f"(limit {stale_days:g} days)",
            {
                "level": self.level,
                "team": item.team,
                "state": state,
                "idle_days": round(idle, 2),
                "last_status_change": last_status_change,
                "last_update": item.updated,
                "last_child_change": children_touched,
                "threshold_days": stale_days,
            },
        )
