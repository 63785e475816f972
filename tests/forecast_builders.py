"""Small trains for the forecast and capacity tests: teams whose throughput is known by heart.

A story finished at noon (UTC, so the same day in Berlin) of a given day, open
stories, and features planned for a PI by its label, with a rank and a team.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

from art.model import StatusCategory, Transition, WorkItem

TODAY = date(2026, 11, 20)  # in PI 2026.4 (2026-10-05 to 2026-12-13) of `art_config`
CURRENT_PI = "pi-2026.4"
NEXT_PI = "pi-2027.1"


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def story(key: str, team: str | None, parent: str | None, **values: Any) -> WorkItem:
    """A story of `team` under `parent`, to do since 20 days unless `values` say otherwise."""
    fields: dict[str, Any] = {
        "status": "To Do",
        "status_category": StatusCategory.TO_DO,
        "created": noon(TODAY) - timedelta(days=20),
    }
    return WorkItem(
        key=key,
        issue_type="Story",
        level="story",
        summary=f"Story {key}",
        parent=parent,
        team=team,
        **(fields | values),
    )


def finished(key: str, team: str | None, on: date, *, parent: str | None = None) -> WorkItem:
    """A story done at noon of `on`, begun the day before."""
    return story(
        key,
        team,
        parent,
        status="Done",
        status_category=StatusCategory.DONE,
        created=noon(on) - timedelta(days=2),
        transitions=(
            Transition(noon(on) - timedelta(days=2), None, "To Do"),
            Transition(noon(on) - timedelta(days=1), "To Do", "In Progress"),
            Transition(noon(on), "In Progress", "Done"),
        ),
    )


def open_story(
    key: str, team: str | None, parent: str | None, *, estimate: float | None = None
) -> WorkItem:
    return story(key, team, parent, estimate=estimate)


def feature(
    key: str,
    *,
    label: str | None = CURRENT_PI,
    rank: str | None = None,
    team: str | None = None,
    estimate: float | None = None,
    status: str = "Implementing",
    due: date | None = None,
    summary: str | None = None,
) -> WorkItem:
    fields: dict[str, Any] = {"labels": (label,) if label else (), "rank": rank}
    if due is not None:
        fields["due_date"] = due
    done = status == "Done"
    return WorkItem(
        key=key,
        issue_type="Feature",
        level="feature",
        summary=summary or f"Feature {key}",
        status=status,
        status_category=StatusCategory.DONE if done else StatusCategory.IN_PROGRESS,
        created=noon(TODAY) - timedelta(days=60),
        team=team,
        estimate=estimate,
        fields=MappingProxyType(fields),
    )


def steady(team: str, per_day: int, *, days: int = 90, prefix: str = "") -> list[WorkItem]:
    """`per_day` stories of `team` finished on each of the `days` days up to today, each
    under a finished feature of three stories (so the team's median is 3)."""
    stories = []
    for back in range(days):
        for _ in range(per_day):
            number = len(stories)
            stories.append(
                finished(
                    f"{prefix or team[:3].upper()}-{number + 1}",
                    team,
                    TODAY - timedelta(days=back),
                    parent=f"OLD-{prefix or team}-{number // 3}",
                )
            )
    return stories


def old_features(stories: list[WorkItem]) -> list[WorkItem]:
    """The finished features `steady` hangs its stories under."""
    keys = sorted({story.parent for story in stories if story.parent})
    return [feature(key, label=None, status="Done") for key in keys]


def opened(team: str | None, parent: str, count: int, *, start: int = 1) -> list[WorkItem]:
    return [open_story(f"{parent}-S{start + n}", team, parent) for n in range(count)]
