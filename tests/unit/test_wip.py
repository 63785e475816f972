"""The WIP limit rule of the Program Kanban."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from art.model import Severity
from rules.wip import flow_load, items_per_state, wip_limit_findings
from tests.builders import column, item

BOARD = (
    column("Funnel"),
    column("Analyzing", limit=2),
    column("Implementing", "Implementing", "In Development", limit=3),
    column("Done"),
)


def features(status: str, count: int, start: int = 1) -> list:
    return [item(f"AUR-{n}", status) for n in range(start, start + count)]


def test_a_state_within_its_limit_raises_nothing() -> None:
    items = features("Analyzing", 2) + features("Implementing", 3, start=10)
    assert wip_limit_findings(items, BOARD, level="feature") == []


def test_a_state_over_its_limit_is_a_warning_with_the_numbers_behind_it() -> None:
    items = features("Implementing", 4)
    [finding] = wip_limit_findings(items, BOARD, level="feature")
    assert finding.rule == "wip-limit"
    assert finding.severity is Severity.WARNING
    assert finding.data["state"] == "Implementing"
    assert finding.data["count"] == 4
    assert finding.data["wip_limit"] == 3
    assert finding.data["over_by"] == 1
    assert finding.data["items"] == ["AUR-1", "AUR-2", "AUR-3", "AUR-4"]


def test_half_again_over_the_limit_is_critical() -> None:
    board = (column("Implementing", limit=4),)
    [busy] = wip_limit_findings(features("Implementing", 5), board, level="feature")
    [overloaded] = wip_limit_findings(features("Implementing", 6), board, level="feature")
    assert busy.severity is Severity.WARNING
    assert overloaded.severity is Severity.CRITICAL


def test_every_status_of_a_state_counts_towards_its_limit() -> None:
    items = features("Implementing", 2) + features("In Development", 2, start=5)
    [finding] = wip_limit_findings(items, BOARD, level="feature")
    assert finding.data["count"] == 4
    assert finding.data["items"] == ["AUR-1", "AUR-2", "AUR-5", "AUR-6"]


def test_items_of_another_level_do_not_count() -> None:
    stories = [item(f"AUR-{n}", "Analyzing", level="story") for n in range(10)]
    assert wip_limit_findings(stories, BOARD, level="feature") == []


def test_an_empty_state_under_its_minimum_is_reported_as_information() -> None:
    board = (column("Analyzing", limit=2), column("Implementing", limit=3, minimum=1))
    [finding] = wip_limit_findings(features("Analyzing", 1), board, level="feature")
    assert finding.severity is Severity.INFO
    assert finding.data["state"] == "Implementing"
    assert finding.data["under_by"] == 1


def test_keys_sort_by_number_not_text() -> None:
    items = [item("AUR-10", "Analyzing"), item("AUR-9", "Analyzing"), item("AUR-100", "Analyzing")]
    [finding] = wip_limit_findings(items, BOARD, level="feature")
    assert finding.data["items"] == ["AUR-9", "AUR-10", "AUR-100"]


statuses = st.sampled_from(
    ["Funnel", "Analyzing", "Implementing", "In Development", "Done", "On Hold"]
)


@given(st.lists(statuses, max_size=60))
def test_counts_per_state_add_up_to_the_items_in_known_statuses(status_list: list[str]) -> None:
    items = [item(f"AUR-{n}", status) for n, status in enumerate(status_list)]
    load = flow_load(items, BOARD, level="feature")
    assert [row.name for row in load] == [c.name for c in BOARD]
    assert sum(row.count for row in load) == sum(s != "On Hold" for s in status_list)
    per_state = items_per_state(items, BOARD)
    for row in load:
        assert row.count == len(per_state[row.name])


@given(st.lists(statuses, max_size=60))
def test_a_finding_is_raised_exactly_for_the_states_over_limit(status_list: list[str]) -> None:
    """The findings and the load table (whose rows the pages colour) agree on every state."""
    items = [item(f"AUR-{n}", status) for n, status in enumerate(status_list)]
    findings = wip_limit_findings(items, BOARD, level="feature")
    over = {f.data["state"] for f in findings if "over_by" in f.data}
    load = flow_load(items, BOARD, level="feature")
    expected = {row.name for row in load if row.wip_limit is not None and row.count > row.wip_limit}
    assert over == expected == {row.name for row in load if row.over_limit}


def test_on_a_team_board_the_finding_names_the_team() -> None:
    board = (column("In Progress", limit=2),)
    stories = [item(f"AUR-{n}", "In Progress", level="story") for n in range(3)]
    [finding] = wip_limit_findings(stories, board, level="story", team="Atlas")
    assert finding.subject == "Atlas: story state 'In Progress'"
    assert finding.data["team"] == "Atlas"
    assert finding.message.startswith("3 stories in 'In Progress'")
