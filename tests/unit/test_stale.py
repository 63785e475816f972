"""Stale work: in progress, but neither moved nor updated for days."""

from __future__ import annotations

from art.model import Severity
from rules.stale import stale_findings
from tests.builders import day, flow_board, shuffled, walked

BOARD = flow_board()
NOW = day(40)


def run(items: list, stale_days: float = 10):
    return stale_findings(items, BOARD, level="feature", now=NOW, stale_days=stale_days)


def test_an_item_without_change_or_update_for_too_long_is_a_finding() -> None:
    idle = walked("AUR-1", (0, "Analyzing"), (25, "Implementing"), updated=day(28))
    [finding] = run([idle])
    assert finding.rule == "stale"
    assert finding.severity is Severity.WARNING
    assert finding.data["idle_days"] == 12
    assert finding.data["last_status_change"] == day(25)
    assert finding.data["last_update"] == day(28)
    assert finding.data["state"] == "Implementing"


def test_a_recent_update_or_move_keeps_an_item_fresh() -> None:
    updated = walked("AUR-1", (0, "Analyzing"), (5, "Implementing"), updated=day(35))
    moved = walked("AUR-2", (0, "Analyzing"), (5, "Implementing"), (33, "Validating"))
    assert run([updated, moved]) == []


def test_past_twice_the_limit_it_is_critical() -> None:
    [finding] = run([walked("AUR-1", (0, "Analyzing"), (5, "Implementing"))])
    assert finding.severity is Severity.CRITICAL
    assert finding.data["idle_days"] == 35


def test_items_not_in_progress_are_never_stale() -> None:
    items = [
        walked("AUR-1", (0, "Funnel")),
        walked("AUR-2", (0, "Funnel"), (2, "Implementing"), (4, "Done")),
        walked("AUR-3", (0, "Funnel"), (2, "On Hold")),  # off the board: data quality's case
    ]
    assert run(items) == []


def test_an_item_created_in_progress_and_never_touched_counts_from_creation() -> None:
    [finding] = run([walked("AUR-1", (20, "Validating"))])
    assert finding.data["idle_days"] == 20


def test_a_feature_whose_stories_move_is_not_stale() -> None:
    feature = walked("AUR-1", (0, "Analyzing"), (5, "Implementing"))
    story = walked("AUR-2", (6, "To Do"), (36, "In Progress"), level="story", parent="AUR-1")
    assert run([feature, story]) == []
    quiet_story = walked("AUR-3", (6, "To Do"), (20, "In Progress"), level="story", parent="AUR-4")
    quiet_feature = walked("AUR-4", (0, "Analyzing"), (5, "Implementing"))
    [finding] = run([quiet_feature, quiet_story])
    assert finding.data["last_child_change"] == day(20)
    assert finding.data["idle_days"] == 20


def test_the_last_change_is_found_in_a_history_out_of_order() -> None:
    moved = walked("AUR-1", (0, "Analyzing"), (5, "Implementing"), (33, "Validating"))
    assert run([shuffled(moved, 1)]) == []
    backward = walked("AUR-2", (0, "Analyzing"), (5, "Validating"), (20, "Implementing"))
    [finding] = run([shuffled(backward, 2)])
    assert finding.data["idle_days"] == 20
