"""Cross-team dependencies whose blocker is planned later than the work it blocks, or not at all."""

from __future__ import annotations

from datetime import date

import pytest

from art.cadence import planning_intervals
from art.config import CadenceConfig, PiDates
from art.model import Link, Severity, StatusCategory
from rules.dependency import dependency_findings, place_sprint
from tests.builders import item

PIS = planning_intervals(
    CadenceConfig(
        pis=(
            PiDates(name="PI 2026.4", start=date(2026, 10, 5)),
            PiDates(name="PI 2027.1", start=date(2026, 12, 14)),
        )
    )
)
TODAY = date(2026, 11, 20)  # iteration 4 of PI 2026.4


def story(key: str, team: str | None, sprint: str | None, *links: Link, **fields: object):
    return item(key, "To Do", level="story", team=team, iteration=sprint, links=links, **fields)


def blocks(key: str) -> Link:
    return Link("blocks", True, key)


def blocked_by(key: str) -> Link:
    return Link("blocks", False, key)


def run(items: list, today: date = TODAY):
    return dependency_findings(items, PIS, today=today, blocking_link="blocks")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Atlas 2026.4-3", ("PI 2026.4", 3)),
        ("PI 2026.4 Iteration 5", ("PI 2026.4", 5)),
        ("Comet Sprint 2027.1.2", ("PI 2027.1", 2)),
        ("Borealis 2026.41-2", None),  # not PI 2026.4
        ("Draco 2026.4-7", None),  # PI 2026.4 has five iterations
        ("Sprint 14", None),
    ],
)
def test_a_sprint_is_placed_on_the_cadence_by_its_pi_and_number(name: str, expected) -> None:
    placed = place_sprint(name, PIS)
    assert (placed and (PIS[placed[0]].name, placed[1].number)) == (expected or None)


def test_a_blocker_planned_in_a_later_iteration_is_a_red_string() -> None:
    items = [
        story("AUR-1", "Comet", "Comet 2026.4-5", blocks("AUR-2")),
        story("AUR-2", "Atlas", "Atlas 2026.4-4", blocked_by("AUR-1")),
    ]
    [finding] = run(items)  # the link is held by both items: one finding
    assert finding.rule == "dependency"
    assert finding.subject == "AUR-1 blocks AUR-2"
    assert finding.severity is Severity.CRITICAL  # iteration 4 is running: it fails now
    assert finding.data["problem"] == "blocker-planned-later"
    assert finding.data["blocker_iteration"] == "PI 2026.4 Iteration 5"
    assert finding.data["blocked_iteration"] == "PI 2026.4 Iteration 4"
    assert (finding.data["blocker_team"], finding.data["blocked_team"]) == ("Comet", "Atlas")


def test_a_red_string_in_a_future_iteration_is_a_warning() -> None:
    items = [
        story("AUR-1", "Comet", "Comet 2027.1-2", blocks("AUR-2")),
        story("AUR-2", "Atlas", "Atlas 2027.1-1"),
    ]
    [finding] = run(items)
    assert finding.severity is Severity.WARNING


def test_a_blocker_in_no_sprint_is_a_finding_whichever_side_holds_the_link() -> None:
    items = [
        story("AUR-1", "Falcon", None),
        story("AUR-2", "Draco", "Draco 2026.4-4", blocked_by("AUR-1")),
    ]
    [finding] = run(items)
    assert finding.data["problem"] == "blocker-not-planned"
    assert finding.data["blocker_iteration"] is None


def test_what_is_not_a_red_string() -> None:
    items = [
        # same iteration, or earlier
        story("AUR-1", "Comet", "Comet 2026.4-4", blocks("AUR-2")),
        story("AUR-2", "Atlas", "Atlas 2026.4-4"),
        story("AUR-3", "Comet", "Comet 2026.4-2", blocks("AUR-4")),
        story("AUR-4", "Atlas", "Atlas 2026.4-4"),
        # the same team sorts it out itself
        story("AUR-5", "Atlas", None, blocks("AUR-6")),
        story("AUR-6", "Atlas", "Atlas 2026.4-4"),
        # a done blocker, or a done blocked item
        story("AUR-7", "Comet", "Comet 2026.4-5", blocks("AUR-8"), category=StatusCategory.DONE),
        story("AUR-8", "Atlas", "Atlas 2026.4-4"),
        # the blocked item is in no sprint: nothing planned to fail
        story("AUR-9", "Comet", None, blocks("AUR-10")),
        story("AUR-10", "Atlas", None),
        # another link kind, an unknown key, an item without a team
        story("AUR-11", "Comet", None, Link("relates to", True, "AUR-12")),
        story("AUR-12", "Atlas", "Atlas 2026.4-4", blocked_by("AUR-999")),
        story("AUR-13", None, None, blocks("AUR-12")),
    ]
    assert run(items) == []


def test_a_sprint_off_the_cadence_is_reported_not_guessed() -> None:
    items = [
        story("AUR-1", "Comet", "Comet Sprint 14", blocks("AUR-2")),
        story("AUR-2", "Atlas", "Atlas 2026.4-4"),
    ]
    [finding] = run(items)
    assert finding.severity is Severity.INFO
    assert finding.data["problem"] == "sprint-not-on-cadence"
    assert finding.data["sprint"] == "Comet Sprint 14"
