"""The program board: where each card sits, which strings join them, and which are red."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from art.cadence import planning_intervals
from art.model import Severity, WorkItem
from rules.dependency import dependency_findings
from rules.milestones import train_milestones
from rules.program_board import DependencyString, ProgramBoard, ProgramBoards, program_boards
from tests.board_builders import blocked_by, blocks, feature, story
from tests.config_builders import TEAMS, art_config

CONFIG = art_config()  # Atlas and Borealis; PI 2026.4 from 5 Oct, PI 2027.1 from 14 Dec
TODAY = date(2026, 11, 20)  # iteration 4 of PI 2026.4
IT = "PI 2026.4 Iteration {}".format


def boards(items: list[WorkItem], today: date = TODAY, config=CONFIG) -> ProgramBoards:
    return program_boards(items, config, today=today, milestones=train_milestones(config))


def cells(board: ProgramBoard) -> list[tuple[str, str, list[str]]]:
    return [(c.team, c.column, [card.key for card in c.cards]) for c in board.cells]


# What a string and a dependency finding both say: who waits on whom, in which iterations.
ENDS = (
    "blocker",
    "blocked",
    "blocker_team",
    "blocked_team",
    "blocker_iteration",
    "blocked_iteration",
)


def ends(string: DependencyString) -> tuple[object, ...]:
    return tuple(getattr(string, name) for name in ENDS)


def strings(board: ProgramBoard) -> list[tuple[object, ...]]:
    return [(*ends(s), s.problem, s.red) for s in board.strings]


TRAIN = [
    # AUR-1: Atlas's feature, where its last Atlas story is (the Borealis one does not count)
    feature("AUR-1", "Atlas", blocks("AUR-2")),
    story("AUR-11", "Atlas", "Atlas 2026.4-2", parent="AUR-1"),
    story("AUR-12", "Atlas", "Atlas Sprint 2026.4 - 3", parent="AUR-1"),
    story("AUR-13", "Borealis", "Borealis 2026.4-4", parent="AUR-1"),
    # AUR-2: its own target iteration wins over its stories
    feature("AUR-2", "Borealis", target="PI 2026.4 Iteration 1"),
    story("AUR-21", "Borealis", "Borealis 2026.4-4", parent="AUR-2"),
    # AUR-3: no team of its own; most of its stories are Borealis's
    feature("AUR-3", None, blocks("AUR-1")),
    story("AUR-31", "Borealis", "Borealis 2026.4-2", parent="AUR-3"),
    story("AUR-32", "Borealis", "Borealis 2026.4-2", parent="AUR-3"),
    story("AUR-33", "Atlas", "Atlas 2026.4-1", parent="AUR-3"),
    # labelled for this PI, no stories yet; labelled for the next; neither
    feature("AUR-4", "Atlas", labels=("pi-2026.4",)),
    feature("AUR-5", "Borealis", labels=("pi-2027.1",)),
    feature("AUR-6", "Atlas"),
    # stories waiting on stories: on no sprint, and in the next PI
    story("AUR-40", "Borealis", None, blocks("AUR-41")),
    story("AUR-41", "Atlas", "Atlas 2026.4-4"),
    story("AUR-50", "Atlas", "Atlas 2027.1-1"),
    story("AUR-51", "Borealis", "Borealis 2026.4-5", blocked_by("AUR-50")),
]


def test_each_card_sits_in_its_teams_row_and_planned_iteration() -> None:
    board = boards(TRAIN).current
    assert board is not None and board.pi == "PI 2026.4"
    assert board.teams == ("Atlas", "Borealis")
    assert board.columns == (*(IT(n) for n in range(1, 6)), "Unplanned")
    assert cells(board) == [
        ("Atlas", IT(3), ["AUR-1"]),
        ("Atlas", IT(4), ["AUR-41"]),
        ("Atlas", "Unplanned", ["AUR-4", "AUR-50"]),
        ("Borealis", IT(1), ["AUR-2"]),
        ("Borealis", IT(2), ["AUR-3"]),
        ("Borealis", IT(5), ["AUR-51"]),
        ("Borealis", "Unplanned", ["AUR-40"]),
    ]
    unplanned = {card.key: card.planned for c in board.cells for card in c.cards}
    assert (unplanned["AUR-4"], unplanned["AUR-50"]) == (None, "PI 2027.1 Iteration 1")


def test_the_strings_join_the_teams_and_the_late_or_unplanned_blockers_are_red() -> None:
    board = boards(TRAIN).current
    assert board is not None
    assert strings(board) == [
        ("AUR-1", "AUR-2", "Atlas", "Borealis", IT(3), IT(1), "blocker-planned-later", True),
        ("AUR-3", "AUR-1", "Borealis", "Atlas", IT(2), IT(3), None, False),
        ("AUR-40", "AUR-41", "Borealis", "Atlas", None, IT(4), "blocker-not-planned", True),
        (
            "AUR-50",
            "AUR-51",
            "Atlas",
            "Borealis",
            "PI 2027.1 Iteration 1",
            IT(5),
            "blocker-planned-later",
            True,
        ),
    ]
    assert [(v.blocker, v.blocked) for v in board.violations] == [
        ("AUR-1", "AUR-2"),
        ("AUR-40", "AUR-41"),
        ("AUR-50", "AUR-51"),
    ]


def test_the_next_pi_gets_a_board_once_a_feature_carries_its_label() -> None:
    labelled = boards(TRAIN).next
    assert labelled is not None and labelled.pi == "PI 2027.1"
    assert cells(labelled) == [
        ("Atlas", "PI 2027.1 Iteration 1", ["AUR-50"]),
        ("Borealis", "Unplanned", ["AUR-5", "AUR-51"]),
    ]
    assert [(s.blocker, s.blocked, s.red) for s in labelled.strings] == [("AUR-50", "AUR-51", True)]
    unlabelled = [i for i in TRAIN if i.key != "AUR-5"]
    assert boards(unlabelled).next is None


def test_the_milestone_row_holds_the_pis_events() -> None:
    board = boards(TRAIN).current
    assert board is not None
    assert [(m.name, m.start) for m in board.milestones] == [
        ("PI Planning", date(2026, 10, 5)),
        ("System Demo", date(2026, 10, 16)),
        ("System Demo", date(2026, 10, 30)),
        ("System Demo", date(2026, 11, 13)),
        ("System Demo", date(2026, 11, 27)),
        ("Inspect & Adapt", date(2026, 12, 11)),
    ]


def test_rows_are_named_as_art_yaml_names_the_teams() -> None:
    config = art_config(teams=[{"name": "Atlas", "jira_value": "ATL"}, TEAMS[1]])
    items = [
        story("AUR-1", "ATL", "Atlas 2026.4-2", blocks("AUR-2")),
        story("AUR-2", "Borealis", "Borealis 2026.4-1"),
        feature("AUR-3", None, labels=("pi-2026.4",)),  # nobody's: a row of its own
    ]
    board = boards(items, config=config).current
    assert board is not None and board.teams == ("Atlas", "Borealis", "no team")
    assert strings(board)[0][2:4] == ("Atlas", "Borealis")


def test_a_sprint_off_the_cadence_is_a_string_that_cannot_be_judged() -> None:
    items = [
        story("AUR-1", "Atlas", "Atlas Sprint 14", blocks("AUR-2")),
        story("AUR-2", "Borealis", "Borealis 2026.4-3"),
    ]
    board = boards(items).current
    assert board is not None
    assert [(s.problem, s.red) for s in board.strings] == [("sprint-not-on-cadence", False)]
    assert cells(board) == [("Atlas", "Unplanned", ["AUR-1"]), ("Borealis", IT(3), ["AUR-2"])]


def test_without_a_running_pi_there_is_no_current_board() -> None:
    assert boards(TRAIN, today=date(2026, 9, 1)).current is None


# --------------------------------------------------------------------------
# The dependency rule is the board's red strings, one for one

PIS = planning_intervals(CONFIG.cadence)
SPRINTS = st.sampled_from(
    [None, *(f"{{}} 2026.4-{n}" for n in range(1, 6)), "{} 2027.1-2", "{} Sprint 9"]
)


@st.composite
def trains(draw: st.DrawFn) -> list[WorkItem]:
    count = draw(st.integers(min_value=2, max_value=8))
    pairs = draw(st.lists(st.tuples(st.integers(1, count), st.integers(1, count)), max_size=10))
    items = []
    for n in range(1, count + 1):
        team = draw(st.sampled_from(["Atlas", "Borealis"]))
        sprint = draw(SPRINTS)
        links = [blocks(f"AUR-{b}") for a, b in pairs if a == n and a != b]
        done = draw(st.booleans())
        items.append(story(f"AUR-{n}", team, sprint and sprint.format(team), *links, done=done))
    return items


@settings(max_examples=150, deadline=None)
@given(train=trains())
def test_each_red_string_is_one_dependency_finding_naming_both_teams_and_iterations(
    train: list[WorkItem],
) -> None:
    board = boards(train).current
    assert board is not None
    red = [ends(s) for s in board.violations]
    findings = [
        tuple(f.data[name] for name in ENDS)
        for f in dependency_findings(train, PIS, today=TODAY, blocking_link="blocks")
        if f.severity is not Severity.INFO and f.data["blocked_iteration"].startswith("PI 2026.4")
    ]
    assert red == findings  # the same dependencies, in the same order, each once
