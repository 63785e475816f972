"""Blocked work: impediments that have outlived the few days a team can absorb.

An item is blocked while it carries Jira's Flagged marker, while it stands in
one of the blocked statuses (`jira.blocked_statuses`), or, once started,
while an issue that "blocks" it is unresolved (not in a done category).
Those periods are united, so a flagged item in Blocked is not counted twice.
The current spell is the united period that reaches now; a finding is
raised when it is longer than `rules.blocked_days`, critical past twice
that. The total over the item's life goes with it (and into the flow
export's Blocked Days).

A link carries no date here, so link-blocking is dated from when the item
started, or the blocker was created if that is later: the blocker was
unresolved all along, since it is unresolved now.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from art.model import Finding, Severity, StatusCategory, Transition, WorkItem
from rules.board import Board
from rules.board_index import BoardIndex
from rules.timeline import Interval, covered, in_days, merged, ordered_transitions, status_segments

RULE = "blocked"

CRITICAL_FACTOR = 2


def blocked_intervals(
    item: WorkItem,
    blocked_statuses: Collection[str],
    now: datetime,
    transitions: Sequence[Transition] | None = None,
) -> list[Interval]:
    """When the item was flagged or in a blocked status, up to `now`."""
    intervals = flagged_intervals(item, now)
    intervals += [
        (start, end)
        for start, end, status in status_segments(transitions or ordered_transitions(item), now)
        if status in blocked_statuses
    ]
    return intervals


def flagged_intervals(item: WorkItem, now: datetime) -> list[Interval]:
    """When the item was flagged, up to `now`."""
    return [(flag.start, min(flag.end or now, now)) for flag in item.flagged]


def blocked_days(
    item: WorkItem,
    blocked_statuses: Collection[str],
    now: datetime,
    transitions: Sequence[Transition] | None = None,
) -> float:
    """Total days flagged or in a blocked status (the flow export's Blocked Days)."""
    return in_days(covered(blocked_intervals(item, blocked_statuses, now, transitions)))


def blockers_of(
    item: WorkItem, by_key: Mapping[str, WorkItem], blocking_link: str
) -> list[WorkItem]:
    """The unresolved items that block `item` through a link, in key order."""
    keys = {link.key for link in item.links if link.kind == blocking_link and not link.outward}
    found = (by_key.get(key) for key in sorted(keys))
    return [
        blocker
        for blocker in found
        if blocker is not None and blocker.status_category is not StatusCategory.DONE
    ]


def blocked_findings(
    items: Iterable[WorkItem],
    board: Board,
    *,
    level: str,
    now: datetime,
    threshold_days: float,
    blocked_statuses: Collection[str],
    blocking_link: str,
) -> list[Finding]:
    """A finding per unfinished item of `level` blocked now for longer than the threshold."""
    return blocked_on(
        BoardIndex.at_level(items, board, level),
        level=level,
        now=now,
        threshold_days=threshold_days,
        blocked_statuses=blocked_statuses,
        blocking_link=blocking_link,
    )


def blocked_on(
    index: BoardIndex,
    *,
    level: str,
    now: datetime,
    threshold_days: float,
    blocked_statuses: Collection[str],
    blocking_link: str,
) -> list[Finding]:
    """`blocked_findings` of the board index's items (its scope: the items at `level`).

    Only an item flagged now, in a blocked status now, or holding a link can
    have a reason to be blocked; the others are not looked at.
    """
    timeline, board = index.timeline, index.board
    items = timeline.items
    open_items = index.scope & index.holds & ~index.done
    in_status = timeline.code_mask(blocked_statuses)[timeline.item_status]
    candidates = np.flatnonzero(open_items & (in_status | timeline.flagged_now | timeline.linked))
    ever_blocked = timeline.ever_in(blocked_statuses)
    by_key: dict[str, WorkItem] | None = None
    findings = []
    for i in candidates.tolist():
        item = items[i]
        reasons = []
        if item.is_flagged():
            reasons.append("flagged")
        if item.status in blocked_statuses:
            reasons.append(f"status '{item.status}'")
        started = index.moment(int(index.started[i]))
        blockers: list[WorkItem] = []
        if started and item.links:
            by_key = by_key if by_key is not None else dict(zip(timeline.keys, items, strict=True))
            blockers = blockers_of(item, by_key, blocking_link)
        if not reasons and not blockers:
            continue
        intervals = (
            blocked_intervals(item, blocked_statuses, now, timeline.transitions_of(i))
            if ever_blocked[i]
            else flagged_intervals(item, now)
        )
        if blockers:
            since = max(started or now, min(blocker.created for blocker in blockers))
            intervals.append((since, now))
            reasons.append("blocked by " + ", ".join(blocker.key for blocker in blockers))
        spells = merged(intervals)
        if not spells or spells[-1][1] < now:
            continue
        current = in_days(now - spells[-1][0])
        if current > threshold_days:
            findings.append(
                _finding(item, board, level, spells, current, reasons, blockers, threshold_days)
            )
    return findings


def _finding(
    item: WorkItem,
    board: Board,
    level: str,
    spells: list[Interval],
    current: float,
    reasons: list[str],
    blockers: list[WorkItem],
    threshold_days: float,
) -> Finding:
    total = in_days(covered(spells))
    data: dict[str, Any] = {
        "level": level,
        "team": item.team,
        "state": board.state_of(item),
        "since": spells[-1][0],
        "blocked_days": round(current, 2),
        "total_blocked_days": round(total, 2),
        "threshold_days": threshold_days,
        "reasons": reasons,
        "blockers": [blocker.key for blocker in blockers],
    }
    severity = Severity.CRITICAL if current > CRITICAL_FACTOR * threshold_days else Severity.WARNING
    return Finding(
        rule=RULE,
        severity=severity,
        subject=item.key,
        message=(
            f"blocked for {current:.1f} days ({'; '.join(reasons)}), "
            f"{total:.1f} days in all; the limit is {threshold_days:g}"
        ),
        data=data,
    )
