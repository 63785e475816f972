"""The domain model every source becomes and every rule reads.

Jira Cloud, Jira Data Center and the demo's export folder all turn into these
objects, so a rule never knows where its data came from. They are frozen:
a rule that wants to "change" an item has misunderstood its job.

All datetimes are timezone-aware (UTC as Jira sends them); dates that belong
to the ART's calendar (PI and iteration boundaries) are plain `date`s read in
the ART's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal, get_args


class StatusCategory(StrEnum):
    """Jira's three status categories, the only status meaning Jira itself guarantees."""

    TO_DO = "to_do"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Severity(StrEnum):
    """How loudly a finding should speak; ordered so thresholds can compare."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Transition:
    """One status change from the changelog; `from_status` is None for creation."""

    at: datetime
    from_status: str | None
    to_status: str


@dataclass(frozen=True, slots=True)
class FlaggedInterval:
    """A period during which the item carried Jira's Flagged (impediment) marker."""

    start: datetime
    end: datetime | None  # None: still flagged

    def duration(self, now: datetime) -> timedelta:
        return (self.end or now) - self.start


@dataclass(frozen=True, slots=True)
class Link:
    """An issue link seen from the item that holds it.

    `outward` is True when this item is the link's subject ("A blocks B" held
    by A), False when it is the object ("B is blocked by A" held by B).
    """

    kind: str
    outward: bool
    key: str


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A Jira issue at any level of the SAFe hierarchy (story, feature, epic...)."""

    key: str
    issue_type: str
    level: str | None  # hierarchy level from config; None when the type is not mapped
    summary: str
    status: str
    status_category: StatusCategory
    created: datetime
    parent: str | None = None
    team: str | None = None
    estimate: float | None = None
    work_type: str | None = None
    updated: datetime | None = None
    resolved: datetime | None = None
    iteration: str | None = None
    assignee: str | None = None  # the display name, fetched with the other fields
    transitions: tuple[Transition, ...] = ()
    flagged: tuple[FlaggedInterval, ...] = ()
    links: tuple[Link, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def first_entered(self, statuses: frozenset[str] | set[str]) -> datetime | None:
        """When the item first reached any of `statuses` (creation counts)."""
        for transition in self.transitions:
            if transition.to_status in statuses:
                return transition.at
        return None

    def is_flagged(self) -> bool:
        return any(interval.end is None for interval in self.flagged)


@dataclass(frozen=True, slots=True)
class BoardColumn:
    """A Program Kanban state (or board column): the statuses it holds and its WIP bounds."""

    name: str
    statuses: frozenset[str]
    wip_limit: int | None = None
    wip_min: int | None = None
    # to do / in progress / done for flow rules; None: judged from the items' Jira categories
    category: StatusCategory | None = None


@dataclass(frozen=True, slots=True)
class Team:
    """An agile team of the ART, as the rules and the calendar need it."""

    name: str
    jira_value: str
    capacity_per_iteration: float | None = None
    cost_per_iteration: float | None = None
    scrum_master: str | None = None
    product_owner: str | None = None
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Iteration:
    """One timebox of a PI; the last one may be the Innovation and Planning iteration."""

    name: str
    number: int
    start: date
    end: date  # inclusive: the last working day of the timebox
    is_ip: bool = False

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class PI:
    """A Planning Interval: a fixed run of iterations with a name such as 'PI 2026.4'."""

    name: str
    iterations: tuple[Iteration, ...]

    @property
    def start(self) -> date:
        return self.iterations[0].start

    @property
    def end(self) -> date:
        return self.iterations[-1].end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def iteration_at(self, day: date) -> Iteration | None:
        return next((it for it in self.iterations if it.contains(day)), None)


# Business owners score an objective's value from 1 to 10 at PI Planning; at
# Inspect & Adapt they score what was achieved from 0 (nothing) to 10.
PLANNED_VALUE_RANGE = range(1, 11)
ACTUAL_VALUE_RANGE = range(0, 11)


@dataclass(frozen=True, slots=True)
class Objective:
    """A team PI objective with its business value, planned at PI Planning and scored at I&A."""

    team: str
    pi: str
    text: str
    committed: bool
    planned_value: int | None = None
    actual_value: int | None = None
    features: tuple[str, ...] = ()
    key: str | None = None


@dataclass(frozen=True, slots=True)
class ArtEvent:
    """An ART calendar event (PI Planning, System Demo, ART Sync...) with a stable key."""

    key: str
    title: str
    start: datetime
    end: datetime
    description: str = ""
    location: str = ""
    attendees: tuple[str, ...] = ()
    rrule: str | None = None
    exdates: tuple[datetime, ...] = ()
    online_meeting: bool = False  # Outlook adds a Teams link; an .ics cannot


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """The Jira item a finding is about, as a reader needs it to act: what, who, where.

    `url` is None when the Jira site is not known (links are then left out).
    """

    key: str
    title: str
    url: str | None
    assignee: str | None
    team: str | None
    status: str


@dataclass(frozen=True, slots=True)
class Suppressed:
    """Why a finding is hidden from the totals (`suppressions:` in art.yaml), and until when."""

    reason: str
    until: date


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule says: which rule, how serious, about what, and the numbers behind it.

    `item` and `suppressed` are added after the rules ran (`rules.health`), so
    no rule fills them in itself.
    """

    rule: str
    severity: Severity
    subject: str
    message: str
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    item: ItemFacts | None = None
    suppressed: Suppressed | None = None

    @property
    def url(self) -> str | None:
        """The link to the item the finding is about (None for a team, state or the ART)."""
        return self.item.url if self.item is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "subject": self.subject,
            "message": self.message,
            "data": dict(self.data),
        }


@dataclass(frozen=True, slots=True)
class RejectedRecord:
    """A source record that could not become a WorkItem, kept so it is reported, not lost."""

    key: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Page:
    """A page we own: a stable key, its title, its Confluence storage body and attachments.

    `preview_html` is a self-contained HTML rendering for people without
    Confluence (the demo's folder backend writes it beside the storage file).
    `parent_key` puts the page under another page rte publishes (a team's health
    page under its ART's), published before it in the same run.
    """

    key: str
    title: str
    storage: str
    preview_html: str = ""
    attachments: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    parent_key: str | None = None  # another of our pages it sits under (else the configured)


# What becomes of something a person changed since rte wrote it (`on_drift` in art.yaml).
DriftAction = Literal["restore", "report"]
DRIFT_ACTIONS: tuple[DriftAction, ...] = get_args(DriftAction)


def check_drift_action(on_drift: str) -> None:
    """Refuse an on_drift the publishers do not know (the config schema allows only these)."""
    if on_drift not in DRIFT_ACTIONS:
        raise ValueError(f"on_drift must be one of {DRIFT_ACTIONS}, not {on_drift!r}")


@dataclass(frozen=True, slots=True)
class Drift:
    """Something rte publishes (an event, a page) that a person changed since rte wrote it:
    what differs from the plan, and whether the run put the plan back (`restored`) or only
    reports it. `shown` is how the RTE recognises it: an event's key, a page's title."""

    key: str
    shown: str
    service: str  # "Outlook", "Confluence"
    changes: tuple[str, ...]
    restored: bool

    def line(self) -> str:
        """ "'Team A' changed in Confluence (restored): title: 'Team A' -> 'A'"."""
        what = "restored" if self.restored else "reported, left as it is"
        return f"{self.shown} changed in {self.service} ({what}): {'; '.join(self.changes)}"


class PublishOutcome(StrEnum):
    """What publishing a page did (or, in a dry run, would do).

    Equal to the plain strings "created", "updated", "unchanged", so a plan
    prints and serialises as text. Every publisher (folder, Confluence)
    answers with it.
    """

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
