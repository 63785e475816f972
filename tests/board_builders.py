"""Small trains for the risk rules and the program board: risks, features, stories, links.

A test states the few items its story is about; dates are days (noon UTC, the same
day in Berlin), sprints are named the way teams name them ("Atlas 2026.4-3").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from types import MappingProxyType
from typing import Any

from art.model import Link, StatusCategory, WorkItem
from tests.builders import item


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def risk(
    key: str,
    status: str = "Identified",
    *,
    team: str | None = None,
    owner: str | None = None,
    due: date | None = None,
    created: date = date(2026, 10, 5),
    updated: date | None = None,
    resolved: date | None = None,
    roam: str | None = None,
    labels: tuple[str, ...] = (),
    issue_type: str = "Risk",
) -> WorkItem:
    """A risk issue: ROAM by its status (or the `roam` field), owned by `owner`."""
    extras: dict[str, Any] = {"labels": labels, "fix_versions": ()}
    if due is not None:
        extras["duedate"] = due
    if roam is not None:
        extras["roam"] = roam
    done = status == "Resolved"
    return item(
        key,
        status,
        level=None,  # type: ignore[arg-type]
        issue_type=issue_type,
        category=StatusCategory.DONE if done else StatusCategory.IN_PROGRESS,
        created=noon(created),
        updated=noon(updated or created),
        resolved=noon(resolved) if resolved else None,
        team=team,
        assignee=owner,
        fields=MappingProxyType(extras),
    )


def feature(
    key: str,
    team: str | None = None,
    *links: Link,
    status: str = "Implementing",
    target: str | None = None,
    labels: tuple[str, ...] = (),
    done: bool = False,
) -> WorkItem:
    """A feature of `team` (or of none), planned by its stories unless `target` names an
    iteration; `labels` mark the PIs it is planned for."""
    extras: dict[str, Any] = {"labels": labels, "fix_versions": ()}
    if target is not None:
        extras["target_iteration"] = target
    return item(
        key,
        status,
        level="feature",
        team=team,
        links=links,
        category=StatusCategory.DONE if done else StatusCategory.IN_PROGRESS,
        fields=MappingProxyType(extras),
    )


def story(
    key: str,
    team: str | None,
    sprint: str | None,
    *links: Link,
    parent: str | None = None,
    done: bool = False,
) -> WorkItem:
    return item(
        key,
        "Done" if done else "To Do",
        level="story",
        team=team,
        iteration=sprint,
        parent=parent,
        links=links,
        category=StatusCategory.DONE if done else StatusCategory.TO_DO,
    )


def blocks(key: str) -> Link:
    return Link("blocks", True, key)


def blocked_by(key: str) -> Link:
    return Link("blocks", False, key)
