"""Small builders so a test reads as a story about an item's history."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from art.model import (
    BoardColumn,
    Finding,
    Severity,
    StatusCategory,
    Transition,
    WorkItem,
)
from rules.board import Board

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def item(
    key: str,
    status: str,
    *,
    level: str = "feature",
    category: StatusCategory = StatusCategory.IN_PROGRESS,
    created: datetime = T0,
    transitions: tuple[Transition, ...] = (),
    issue_type: str | None = None,
    **fields: object,
) -> WorkItem:
    return WorkItem(
        key=key,
        issue_type=issue_type
        or {"feature": "Feature", "story": "Story", "epic": "Epic"}.get(level, level),
        level=level,
        summary=f"Summary of {key}",
        status=status,
        status_category=category,
        created=created,
        transitions=transitions or (Transition(created, None, status),),
        **fields,  # type: ignore[arg-type]
    )


def column(
    name: str,
    *statuses: str,
    limit: int | None = None,
    minimum: int | None = None,
    category: StatusCategory | None = None,
) -> BoardColumn:
    return BoardColumn(
        name=name,
        statuses=frozenset(statuses or (name,)),
        wip_limit=limit,
        wip_min=minimum,
        category=category,
    )


def day(n: float) -> datetime:
    """`n` days after T0 (fractions are parts of a day)."""
    return T0 + timedelta(days=n)


def moves(*steps: tuple[float, str]) -> tuple[Transition, ...]:
    """A history from (day, status) steps: the first is the creation, each next one a move."""
    transitions = [Transition(day(steps[0][0]), None, steps[0][1])]
    for (_, before), (when, status) in pairwise(steps):
        transitions.append(Transition(day(when), before, status))
    return tuple(transitions)


def walked(key: str, *steps: tuple[float, str], **fields: object) -> WorkItem:
    """An item created and moved through `steps` (see `moves`), standing in the last status."""
    return item(key, steps[-1][1], created=day(steps[0][0]), transitions=moves(*steps), **fields)


def flow_board(**limits: int) -> Board:
    """A small Program Kanban: Funnel, Analyzing (to do), Implementing, Validating, Done.

    `limits` gives WIP limits by state name.
    """
    categories = {
        "Funnel": StatusCategory.TO_DO,
        "Analyzing": StatusCategory.TO_DO,
        "Implementing": StatusCategory.IN_PROGRESS,
        "Validating": StatusCategory.IN_PROGRESS,
        "Done": StatusCategory.DONE,
    }
    return Board.of(
        [
            column(name, category=category, limit=limits.get(name))
            for name, category in categories.items()
        ]
    )


def gaps(statuses: Sequence[str], *, max_gap: float = 5, max_size: int = 10) -> SearchStrategy:
    """Hypothesis: lists of (days since the previous move, status moved to)."""
    return st.lists(
        st.tuples(st.floats(min_value=0.01, max_value=max_gap), st.sampled_from(list(statuses))),
        max_size=max_size,
    )


def wandered(
    key: str, first: str, moves_after: Sequence[tuple[float, str]], **fields: object
) -> WorkItem:
    """An item created on day 0 in `first`, then moved after each gap (see `gaps`)."""
    when, steps = 0.0, [(0.0, first)]
    for gap, status in moves_after:
        when += gap
        steps.append((when, status))
    return walked(key, *steps, **fields)


def shuffled(work_item: WorkItem, seed: int) -> WorkItem:
    """The same item with its history in a random order: rules must not rely on the parser's."""
    transitions = list(work_item.transitions)
    random.Random(seed).shuffle(transitions)
    return replace(work_item, transitions=tuple(transitions))


def wip_finding(
    state: str,
    count: int,
    limit: int,
    severity: Severity = Severity.WARNING,
    level: str = "feature",
) -> Finding:
    """A WIP-limit finding worded as the WIP rule words it, about the `level` Program Kanban."""
    return Finding(
        rule="wip-limit",
        severity=severity,
        subject=state,
        message=f"{state} holds {count} features, over its WIP limit of {limit}",
        data={"level": level, "state": state, "count": count, "wip_limit": limit},
    )
