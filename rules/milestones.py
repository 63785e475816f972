"""The ART's milestones on the cadence: PI Planning, System Demos, Inspect & Adapt.

They are read from the same calendar the invites are made from
(`rules.calendar.plan_calendar`), holidays and all, so the program board's
milestone row and the risk rules' "after PI Planning ended" agree with what
people have in their calendars. A train whose calendar lists no PI Planning
still plans its PIs: it is then taken as the first two working days of the
PI, the default layout.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from art.config import DEFAULT_EVENTS, ArtConfig
from art.model import PI, ArtEvent
from rules.calendar import plan_calendar, slug

MILESTONE_KINDS = ("pi-planning", "system-demo", "inspect-adapt")
_DAY_SUFFIX = re.compile(r" \(day \d+ of \d+\)$")
_DAY_KEY = re.compile(r"/day-\d+$")


@dataclass(frozen=True, slots=True)
class Milestone:
    """One event of the train's rhythm, over one or more days."""

    kind: str  # pi-planning, system-demo, inspect-adapt
    pi: str  # the PI it belongs to (a PI Planning: the PI it plans)
    name: str  # the event's title in art.yaml ("System Demo")
    title: str  # the invite's title ("System Demo: PI 2026.4 Iteration 2")
    start: date
    end: date  # the last day (a two-day PI Planning ends on its second)


def train_milestones(config: ArtConfig) -> tuple[Milestone, ...]:
    """Every milestone of every PI of the cadence, in date order.

    A PI Planning spread over days is one milestone from its first to its last day.
    """
    config = _with_pi_planning(config)
    templates = {t.key: t for t in config.calendar.events if t.kind in MILESTONE_KINDS}
    pis = {slug(pi.name): pi.name for pi in config.cadence.pis}
    grouped: dict[tuple[str, str, str], list[ArtEvent]] = {}
    for event in plan_calendar(config).events:
        # a key says what the event is: <art>/<pi>/<template>[/iteration-<n>][/day-<n>]
        _, pi_slug, template_key, *_ = event.key.split("/")
        if template_key in templates and pi_slug in pis:
            one = _DAY_KEY.sub("", event.key)
            grouped.setdefault((pi_slug, template_key, one), []).append(event)
    milestones = [
        Milestone(
            kind=templates[template_key].kind,
            pi=pis[pi_slug],
            name=templates[template_key].title,
            title=_DAY_SUFFIX.sub("", events[0].title),
            start=min(event.start.date() for event in events),
            end=max(event.start.date() for event in events),
        )
        for (pi_slug, template_key, _), events in grouped.items()
    ]
    return tuple(sorted(milestones, key=lambda m: (m.start, m.kind, m.title)))


def pi_plannings(config: ArtConfig) -> Mapping[str, Milestone]:
    """Each PI's PI Planning, by PI name."""
    return {m.pi: m for m in train_milestones(config) if m.kind == "pi-planning"}


def milestones_in(milestones: tuple[Milestone, ...], pi: PI) -> tuple[Milestone, ...]:
    """The milestones that start within the PI's iterations."""
    return tuple(m for m in milestones if pi.start <= m.start <= pi.end)


def _with_pi_planning(config: ArtConfig) -> ArtConfig:
    """The config as the milestones read it: with the default PI Planning if none is listed."""
    events = config.calendar.events
    if any(event.kind == "pi-planning" for event in events):
        return config
    default = next(event for event in DEFAULT_EVENTS if event.kind == "pi-planning")
    calendar = config.calendar.model_copy(update={"events": (*events, default)})
    return config.model_copy(update={"calendar": calendar})
