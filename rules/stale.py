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

from collections.abc import Container, Iterable
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
    index = BoardIndex.at_level(items, board, level)
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
    child_activity = _latest_child_change(timeline, idle_since) if idle_since else {}
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


def _latest_child_change(timeline: TimelineIndex, parents: Container[str]) -> dict[str, datetime]:
    """The latest change of the children of each of `parents` that has any (of equal
    changes, the child listed last, as a walk over the items keeping the latest would)."""
    children = [i for i, parent in enumerate(timeline.parents) if parent in parents]
    if not children:
        return {}
    of = [timeline.parents[i] for i in children]
    number = {parent: n for n, parent in enumerate(dict.fromkeys(of))}
    groups = np.array([number[parent] for parent in of])
    positions = np.array(children)
    order = np.lexsort((positions, timeline.last_change[positions], groups))
    latest = order[np.append(groups[order][1:] != groups[order][:-1], True)]
    return {of[k]: timeline.last_change_moment(children[k]) for k in latest.tolist()}


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
