"""The flow rules on the demo ART: every rule finds its planted cases, and only those."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from art.config_check import validate_config
from art.config_errors import ConfigError
from art.model import BoardColumn
from reports.health_json import health_json
from tests.demo_findings import PLANTED, demo_health, subjects

# A clock on another day: "now" is then the end of the export's day in Berlin.
CLOCK = datetime(2030, 1, 1, tzinfo=UTC)


def evaluate_demo():
    return demo_health(generated_at=CLOCK)[2]


@pytest.fixture(scope="module")
def report():
    return evaluate_demo()


def test_the_demo_has_findings_of_every_flow_rule(report) -> None:
    rules = {finding.rule for finding in report.findings}
    assert rules >= {"wip-limit", "aging-wip", "blocked", "stale", "dependency", "data-quality"}


def test_wip_limits_are_checked_on_the_program_kanban_and_on_every_team_board(report) -> None:
    assert subjects(report, "wip-limit") >= {
        "feature state 'Analyzing'",
        "feature state 'Implementing'",
        "Comet: story state 'In Progress'",
        "Gemini: story state 'In Progress'",
    }


def test_the_red_strings_are_exactly_the_planted_late_and_unplanned_blockers(report) -> None:
    links = PLANTED["blocks_links"]
    assert subjects(report, "dependency") == {*links["blocker_later"], *links["blocker_no_sprint"]}


def test_long_impediments_are_found_and_short_ones_are_not(report) -> None:
    blocked = subjects(report, "blocked")
    assert blocked >= {
        *PLANTED["story_flagged_now_over_3_days"],
        *PLANTED["story_blocked_over_3_days"],
    }
    assert not blocked & set(PLANTED["story_flagged_now_under_3_days"])
    # AUR-540 is in Blocked for under 3 days, but has waited for AUR-474 since it started.
    assert blocked & set(PLANTED["story_blocked_under_3_days"]) == {"AUR-540"}


def test_stale_items_are_the_planted_ones(report) -> None:
    assert subjects(report, "stale", level="story") == set(PLANTED["story_stale_in_progress"])


def test_data_quality_names_what_the_rules_could_not_judge(report) -> None:
    assert subjects(report, "data-quality", problem="no-team") == set(PLANTED["story_without_team"])
    assert subjects(report, "data-quality", problem="unknown-status") >= set(
        PLANTED["feature_status_not_on_kanban"]
    )
    assert subjects(report, "data-quality", problem="no-history") == set(
        PLANTED["story_without_histories_not_to_do"]
    )
    assert report.metrics.data_quality["no-team"] == len(PLANTED["story_without_team"])


def test_aging_findings_are_items_past_their_percentile(report) -> None:
    for finding in report.findings:
        if finding.rule == "aging-wip":
            assert finding.data["age_days"] > finding.data["threshold_days"]
    assert "AUR-336" in subjects(report, "aging-wip")  # in progress, untouched for weeks


def test_flow_metrics_cover_the_art_and_each_team_for_the_pi_and_its_finished_iterations(
    report,
) -> None:
    flow = report.metrics.flow.flow_metrics
    assert [p.name for p in flow.periods] == [
        "PI 2026.4 to date",
        "PI 2026.4 Iteration 1",
        "PI 2026.4 Iteration 2",
        "PI 2026.4 Iteration 3",
    ]
    scopes = [(s.level, s.scope) for s in flow.scopes]
    assert scopes[:2] == [("feature", "ART"), ("story", "ART")]
    assert {scope for level, scope in scopes if level == "story"} >= {"Atlas", "Gemini"}
    story_art = flow.scopes[1].by_period
    iterations = [story_art[p.name].velocity.items for p in flow.periods[1:]]
    assert sum(iterations) <= story_art["PI 2026.4 to date"].velocity.items
    assert report.metrics.flow.cumulative_flow.states[0] == "Funnel"


def test_health_json_is_the_same_for_the_same_snapshot_and_clock(report) -> None:
    assert health_json(evaluate_demo()) == health_json(report)


def test_team_states_are_validated_like_the_program_kanbans(tmp_path: Path) -> None:
    data = {
        "art": {"name": "A"},
        "teams": [{"name": "Atlas"}],
        "jira": {"backend": "export", "export_dir": "jira"},
        "kanban": {
            "states": [{"name": "Doing", "statuses": ["Doing"]}],
            "team_level": "squad",
            "team_states": [
                {"name": "Doing", "statuses": ["In Progress"], "wip_limit": 2, "wip_min": 3},
                {"name": "Doing", "statuses": ["In Progress"]},
            ],
        },
        "cadence": {"pis": [{"name": "PI 1", "start": "2026-10-05"}]},
    }
    with pytest.raises(ConfigError) as raised:
        validate_config(data)
    problems = {problem.path: problem.message for problem in raised.value.problems}
    assert problems["kanban.team_states[1].name"] == "'Doing' appears more than once"
    assert "already in kanban.team_states[0]" in problems["kanban.team_states[1].statuses"]
    assert problems["kanban.team_states[0].wip_min"] == "must not exceed wip_limit"
    assert problems["kanban.team_level"].startswith("must be one of the hierarchy levels")


# Comet's own Jira board: no Blocked and no review column, a tight limit on Doing.
COMET_BOARD = (
    BoardColumn("Backlog", frozenset({"To Do"})),
    BoardColumn("Doing", frozenset({"In Progress"}), wip_limit=1),
    BoardColumn("Done", frozenset({"Done"})),
)


def test_a_team_with_its_own_board_is_counted_on_its_columns_and_limits(report) -> None:
    _, snapshot, own = demo_health(generated_at=CLOCK, team_columns={"Comet": COMET_BOARD})
    wip = subjects(own, "wip-limit")
    assert "Comet: story state 'Doing'" in wip and "Comet: story state 'In Progress'" not in wip
    others = {subject for subject in subjects(report, "wip-limit") if "Comet" not in subject}
    assert others <= wip  # the other teams keep the shared team_states
    boards = own.metrics.flow.team_boards
    assert boards.own_boards == {"Comet": ("Backlog", "Doing", "Done")}
    assert [load.name for load in boards.teams["Comet"]] == ["Backlog", "Doing", "Done"]
    assert tuple(load.name for load in boards.teams["Atlas"]) == boards.states
    # Comet's stories in a status its board has no column for are named, and only those
    off_board = {
        finding.subject
        for finding in own.findings
        if finding.rule == "data-quality" and "Comet board" in finding.message
    }
    held = {status for column in COMET_BOARD for status in column.statuses}
    assert off_board and off_board == {
        item.key
        for item in snapshot.items
        if item.team == "Comet" and item.level == "story" and item.status not in held
    }
