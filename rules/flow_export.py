"""Flow data for peer tools: the rows of ActionableAgile Analytics' CSV format.

Columns: `ID`, `Link`, `Name`, one column per board state in board order
holding the day (YYYY-MM-DD, in the ART's time zone) the item entered it,
then `Type`, `Team`, `Blocked Days`. The dates follow `Board.entry_times`:
per state up to the item's current one, the earliest time it entered that
state or any later one (skipped states are back-filled, dates never go
backwards along a row); states after its current one are empty. Creation
counts as entering the first status. `Blocked Days` is the whole days the
item spent flagged or in a blocked status (`rules.blocked.blocked_days`).

Items standing in a status on no state cannot be placed on the row; they
are left out and named in `skipped`, by status, never silently lost.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

import numpy as np

from art.model import WorkItem
from rules.blocked import blocked_days
from rules.board import Board
from rules.board_index import NONE, BoardIndex
from rules.timeline_index import Ints, date_of, local_days

LEADING = ("ID", "Link", "Name")
TRAILING = ("Type", "Team", "Blocked Days")


@dataclass(frozen=True, slots=True)
class FlowExport:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # the level's items in a status on no state: status -> their keys
    skipped: Mapping[str, tuple[str, ...]]


def flow_export(
    items: Iterable[WorkItem],
    board: Board,
    *,
    level: str,
    zone: tzinfo,
    now: datetime,
    blocked_statuses: Collection[str],
    site: str | None = None,
) -> FlowExport:
    """One row per item of `level` on the board; `site` (the Jira URL) makes the links."""
    header = (*LEADING, *(column.name for column in board.columns), *TRAILING)
    index = BoardIndex.at_level(items, board, level)
    timeline = index.timeline
    chosen = np.flatnonzero(index.scope)
    entries = index.entries[chosen]
    entered = entries != NONE
    shown: Ints = np.full(entries.shape, NONE, np.int64)
    shown[entered] = local_days(timeline.times[entries[entered]], zone)
    iso = {day: date_of(day).isoformat() for day in np.unique(shown).tolist()} | {NONE: ""}
    ever_blocked = timeline.ever_in(blocked_statuses)
    marked = timeline.flagged
    rows: list[tuple[str, ...]] = []
    skipped: dict[str, list[str]] = {}
    holds = index.holds[chosen].tolist()
    blocked_rows = (ever_blocked | marked)[chosen].tolist()
    root = f"{site.rstrip('/')}/browse/" if site else None
    by_row: list[list[int]] = shown.tolist()
    for i, held, days, blocked_now in zip(
        chosen.tolist(), holds, by_row, blocked_rows, strict=True
    ):
        item = timeline.items[i]
        if not held:
            skipped.setdefault(item.status, []).append(item.key)
            continue
        blocked = 0
        if blocked_now:
            history = timeline.transitions_of(i)
            blocked = round(blocked_days(item, blocked_statuses, now, history))
        rows.append(
            (
                item.key,
                root + item.key if root else "",
                item.summary,
                *map(iso.__getitem__, days),
                item.issue_type,
                item.team or "",
                str(blocked),
            )
        )
    by_status = {status: tuple(keys) for status, keys in sorted(skipped.items())}
    return FlowExport(header, tuple(rows), by_status)
