"""Records the rules could not judge.

A nightly check that silently skips what it cannot read reports a healthier
train than the real one. Every such record is counted and listed instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from art.model import BoardColumn, Finding, RejectedRecord, Severity, WorkItem

RULE = "data-quality"


def rejected_record_findings(rejected: Iterable[RejectedRecord]) -> list[Finding]:
    """One finding per source record that could not be read at all."""
    return [
        Finding(
            rule=RULE,
            severity=Severity.WARNING,
            subject=record.key or "(record without a key)",
            message=f"could not be read: {record.reason}",
            data={"problem": "unreadable", "reason": record.reason},
        )
        for record in rejected
    ]


def unknown_status_findings(
    items: Iterable[WorkItem], columns: Sequence[BoardColumn], *, level: str
) -> list[Finding]:
    """Items at the Kanban's level whose status no Kanban state holds."""
    known = {status for column in columns for status in column.statuses}
    return [
        Finding(
            rule=RULE,
            severity=Severity.WARNING,
            subject=item.key,
            message=(
                f"status '{item.status}' is in no Program Kanban state, "
                "so WIP limits cannot count it"
            ),
            data={"problem": "unknown-status", "status": item.status, "level": level},
        )
        for item in items
        if item.level == level and item.status not in known
    ]
