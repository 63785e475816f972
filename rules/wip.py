"""WIP limits of the Program Kanban.

SAFe: "WIP limits ... help ensure that the ART does not take on more work than
it has the capacity to deliver"; a state holding more items than its limit
means the train is starting more than it finishes. A state below its minimum
is a starving downstream step. Each state is checked on its own; the counts
are also the "flow load" metric.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

from art.model import BoardColumn, Finding, Severity, WorkItem
from rules.hierarchy import key_order

RULE = "wip-limit"
CRITICAL_OVERLOAD = 1.5  # at 150 % of its limit a state is no longer "a bit busy"


def items_per_state(
    items: Iterable[WorkItem], columns: Sequence[BoardColumn]
) -> dict[str, list[WorkItem]]:
    """The items standing in each state, by state name, in board order."""
    state_of_status = {status: column.name for column in columns for status in column.statuses}
    per_state: dict[str, list[WorkItem]] = {column.name: [] for column in columns}
    for item in items:
        state = state_of_status.get(item.status)
        if state is not None:
            per_state[state].append(item)
    return per_state


def wip_limit_findings(
    items: Iterable[WorkItem],
    columns: Sequence[BoardColumn],
    *,
    level: str,
    team: str | None = None,
) -> list[Finding]:
    """A finding for every state above its WIP limit or below its minimum.

    With `team`, the items are that team's and the columns its board's: the
    subject and data name the team.
    """
    per_state = items_per_state((item for item in items if item.level == level), columns)
    board = f"{team}: " if team else ""
    findings = []
    for column in columns:
        keys = sorted((item.key for item in per_state[column.name]), key=key_order)
        count = len(keys)
        data: dict[str, Any] = {
            "level": level,
            "state": column.name,
            "count": count,
            "wip_limit": column.wip_limit,
            "wip_min": column.wip_min,
            "items": keys,
        }
        if team:
            data["team"] = team
        if column.wip_limit is not None and count > column.wip_limit:
            severity = (
                Severity.CRITICAL
                if count >= ceil(column.wip_limit * CRITICAL_OVERLOAD)
                else Severity.WARNING
            )
            findings.append(
                Finding(
                    rule=RULE,
                    severity=severity,
                    subject=f"{board}{level} state '{column.name}'",
                    message=(
                        f"{count} {_plural(level)} in '{column.name}', over its WIP limit of "
                        f"{column.wip_limit} by {count - column.wip_limit}"
                    ),
                    data=data | {"over_by": count - column.wip_limit},
                )
            )
        elif column.wip_min is not None and count < column.wip_min:
            findings.append(
                Finding(
                    rule=RULE,
                    severity=Severity.INFO,
                    subject=f"{board}{level} state '{column.name}'",
                    message=(
                        f"{count} {_plural(level)} in '{column.name}', under its minimum of "
                        f"{column.wip_min}: the steps after it may run dry"
                    ),
                    data=data | {"under_by": column.wip_min - count},
                )
            )
    return findings


@dataclass(frozen=True, slots=True)
class StateLoad:
    """How many items stand in one state, against its bounds."""

    name: str
    count: int
    wip_limit: int | None
    wip_min: int | None

    @property
    def over_limit(self) -> bool:
        return self.wip_limit is not None and self.count > self.wip_limit

    @property
    def under_minimum(self) -> bool:
        return self.wip_min is not None and self.count < self.wip_min


@dataclass(frozen=True, slots=True)
class BoardLoad:
    """The flow load of a board at one hierarchy level: its states in board order."""

    level: str
    states: tuple[StateLoad, ...]


def flow_load(
    items: Iterable[WorkItem], columns: Sequence[BoardColumn], *, level: str
) -> tuple[StateLoad, ...]:
    """Items per state against its bounds: the table beside the WIP findings."""
    per_state = items_per_state((item for item in items if item.level == level), columns)
    return tuple(
        StateLoad(column.name, len(per_state[column.name]), column.wip_limit, column.wip_min)
        for column in columns
    )


def _plural(noun: str) -> str:
    """'feature' -> 'features', 'story' -> 'stories'."""
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"
