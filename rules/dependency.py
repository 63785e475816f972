"""Cross-team dependencies planned the wrong way round: the red strings of a program board.

At PI Planning each dependency is a string between two teams' cards; it
turns red when the blocking card sits in a later iteration than the card it
blocks, or in none. Here a dependency is a "blocks" link (the outward
wording is `rules.blocking_link`) between items of two different teams,
each placed on the cadence as the program board places it
(`rules.placement`: a target iteration, a sprint, or a feature's stories).
It is a red string, and a finding, when neither item is done, the blocked
item is planned, and the blocker is planned in a later iteration or in
none. When the blocked item's iteration has already begun, the plan is
failing now and the finding is critical; otherwise it is a warning.

Each red string of the program board (`rules.program_board`) is exactly
one finding here: both are made from `cross_team_dependencies`. A sprint
that cannot be placed cannot be compared: it is reported as information,
so the naming can be fixed, rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from art.model import PI, Finding, Severity, StatusCategory, WorkItem
from rules.hierarchy import key_order
from rules.placement import OffCadence, Placement, Planner, Slot
from rules.placement import place_sprint as place_sprint  # re-exported for existing callers

RULE = "dependency"
PLANNED_LATER = "blocker-planned-later"
NOT_PLANNED = "blocker-not-planned"
OFF_CADENCE = "sprint-not-on-cadence"
RED = frozenset({PLANNED_LATER, NOT_PLANNED})


@dataclass(frozen=True, slots=True)
class Dependency:
    """A "blocks" link between items of two teams, placed on the cadence and judged."""

    blocker: WorkItem
    blocked: WorkItem
    blocker_team: str  # as the team is named: by config, else its Jira value
    blocked_team: str
    blocker_at: Placement
    blocked_at: Placement
    problem: str | None  # PLANNED_LATER / NOT_PLANNED: a red string; OFF_CADENCE: unjudged

    @property
    def red(self) -> bool:
        return self.problem in RED


def cross_team_dependencies(
    planner: Planner, *, blocking_link: str, team_names: Mapping[str, str] | None = None
) -> list[Dependency]:
    """Every "blocks" link between items of two different teams, in key order.

    A link is held by both its items; each dependency is listed once.
    `team_names` maps a team's Jira value to its name (unknown values stay).
    """
    names = team_names or {}
    pairs: set[tuple[str, str]] = set()
    for item in planner.by_key.values():
        for link in item.links:
            if link.kind == blocking_link:
                pairs.add((item.key, link.key) if link.outward else (link.key, item.key))
    found = []
    for blocker_key, blocked_key in sorted(pairs, key=lambda p: (key_order(p[0]), key_order(p[1]))):
        blocker, blocked = planner.by_key.get(blocker_key), planner.by_key.get(blocked_key)
        if blocker is None or blocked is None:
            continue
        teams = planner.team(blocker), planner.team(blocked)
        if teams[0] is None or teams[1] is None or teams[0] == teams[1]:
            continue
        blocker_at, blocked_at = planner.placement(blocker), planner.placement(blocked)
        found.append(
            Dependency(
                blocker,
                blocked,
                names.get(teams[0], teams[0]),
                names.get(teams[1], teams[1]),
                blocker_at,
                blocked_at,
                _problem(blocker, blocked, blocker_at, blocked_at),
            )
        )
    return found


def _problem(
    blocker: WorkItem, blocked: WorkItem, blocker_at: Placement, blocked_at: Placement
) -> str | None:
    done = StatusCategory.DONE
    if blocker.status_category is done or blocked.status_category is done or blocked_at is None:
        return None  # resolved, or nothing planned that could fail
    if isinstance(blocked_at, OffCadence) or isinstance(blocker_at, OffCadence):
        return OFF_CADENCE
    if blocker_at is None:
        return NOT_PLANNED
    return PLANNED_LATER if blocker_at.order > blocked_at.order else None


def dependency_findings(
    items: Iterable[WorkItem], pis: Sequence[PI], *, today: date, blocking_link: str
) -> list[Finding]:
    """A finding per red string (and per dependency whose sprint is off the cadence)."""
    planner = Planner(items, pis)
    return dependency_findings_of(
        cross_team_dependencies(planner, blocking_link=blocking_link), today=today
    )


def dependency_findings_of(dependencies: Iterable[Dependency], *, today: date) -> list[Finding]:
    """The findings of already judged dependencies: one per red string, one per unjudged."""
    return [
        _finding(dependency, today) for dependency in dependencies if dependency.problem is not None
    ]


def iteration_name(placement: Placement) -> str | None:
    """The cadence's name of where an item is planned; None when nowhere or off the cadence."""
    return placement.iteration.name if isinstance(placement, Slot) else None


def _finding(dependency: Dependency, today: date) -> Finding:
    blocker, blocked = dependency.blocker, dependency.blocked
    subject = f"{blocker.key} blocks {blocked.key}"
    data: dict[str, Any] = {
        "blocker": blocker.key,
        "blocker_team": dependency.blocker_team,
        "blocker_sprint": blocker.iteration,
        "blocker_iteration": iteration_name(dependency.blocker_at),
        "blocked": blocked.key,
        "blocked_team": dependency.blocked_team,
        "blocked_sprint": blocked.iteration,
        "blocked_iteration": iteration_name(dependency.blocked_at),
        "problem": dependency.problem,
    }
    if dependency.problem == OFF_CADENCE:
        off = next(
            p for p in (dependency.blocked_at, dependency.blocker_at) if isinstance(p, OffCadence)
        )
        return Finding(
            rule=RULE,
            severity=Severity.INFO,
            subject=subject,
            message=f"sprint '{off.sprint}' is on no iteration of the ART's cadence; "
            "the dependency cannot be checked",
            data=data | {"sprint": off.sprint},
        )
    assert isinstance(dependency.blocked_at, Slot)
    needed = dependency.blocked_at.iteration
    severity = Severity.CRITICAL if needed.start <= today else Severity.WARNING
    wants = f"{dependency.blocked_team} needs {blocker.key} from {dependency.blocker_team} in "
    if dependency.problem == NOT_PLANNED:
        message = f"{wants}{needed.name}, but it is planned in no iteration"
    else:
        message = (
            f"{wants}{needed.name}, but {dependency.blocker_team} plans it for the later "
            f"{data['blocker_iteration']}"
        )
    return Finding(rule=RULE, severity=severity, subject=subject, message=message, data=data)
