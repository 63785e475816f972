"""Small builders so a test reads as a story about an item's history."""

from __future__ import annotations

from datetime import UTC, datetime

from art.model import BoardColumn, StatusCategory, Transition, WorkItem

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def item(
    key: str,
    status: str,
    *,
    level: str = "feature",
    category: StatusCategory = StatusCategory.IN_PROGRESS,
    created: datetime = T0,
    transitions: tuple[Transition, ...] = (),
    **fields: object,
) -> WorkItem:
    return WorkItem(
        key=key,
        issue_type={"feature": "Feature", "story": "Story", "epic": "Epic"}.get(level, level),
        level=level,
        summary=f"Summary of {key}",
        status=status,
        status_category=category,
        created=created,
        transitions=transitions or (Transition(created, None, status),),
        **fields,  # type: ignore[arg-type]
    )


def column(
    name: str, *statuses: str, limit: int | None = None, minimum: int | None = None
) -> BoardColumn:
    return BoardColumn(
        name=name, statuses=frozenset(statuses or (name,)), wip_limit=limit, wip_min=minimum
    )
