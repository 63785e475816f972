"""Records the rules could not judge: counted and listed, never a crash."""

from __future__ import annotations

from art.model import Finding, Severity, Transition
from rules.data_quality import no_history_findings, problem_counts, team_findings
from tests.builders import day, flow_board, item, walked

BOARD = flow_board()


def test_stories_without_a_team_or_with_a_team_the_art_does_not_list_are_findings() -> None:
    stories = [
        item("AUR-1", "To Do", level="story", team=None),
        item("AUR-2", "To Do", level="story", team="Atlas"),
        item("AUR-3", "To Do", level="story", team="Ghost Squad"),
        item("AUR-4", "Funnel", level="feature", team=None),  # features have no team
    ]
    findings = team_findings(stories, {"Atlas", "Comet"}, level="story", team_field="Team")
    assert [(f.subject, f.data["problem"]) for f in findings] == [
        ("AUR-1", "no-team"),
        ("AUR-3", "unknown-team"),
    ]
    assert all(f.rule == "data-quality" and f.severity is Severity.WARNING for f in findings)
    assert "Ghost Squad" in findings[1].message


def test_teams_without_a_team_field_are_one_finding_about_the_config_not_one_per_item() -> None:
    stories = [item(f"AUR-{n}", "To Do", level="story", team=None) for n in range(1, 599)]
    stories.append(item("AUR-999", "Funnel", level="feature", team=None))
    [finding] = team_findings(stories, {"Atlas", "Comet"}, level="story", team_field=None)
    assert (finding.subject, finding.data["problem"]) == ("jira.fields.team", "team-field-unmapped")
    assert finding.data["items"] == 598
    assert "lists 2 teams but maps no Team field" in finding.message
    assert team_findings(stories, set(), level="story", team_field=None) == []


def test_an_item_past_the_first_state_without_any_status_change_is_reported() -> None:
    items = [
        item("AUR-1", "Implementing", created=day(3)),  # created there, or history lost
        item("AUR-2", "Funnel"),  # where everything starts: nothing is missing
        walked("AUR-3", (0, "Funnel"), (2, "Implementing")),
        item("AUR-4", "On Hold"),  # off the board: unknown-status's case
        item("AUR-5", "Validating", transitions=()),  # no transitions at all
    ]
    findings = no_history_findings(items, BOARD, level="feature")
    assert [f.subject for f in findings] == ["AUR-1", "AUR-5"]
    assert findings[0].severity is Severity.INFO
    assert findings[0].data == {
        "problem": "no-history",
        "state": "Implementing",
        "level": "feature",
        "created": day(3),
    }


def test_a_history_with_changes_in_any_order_is_a_history() -> None:
    moved = item(
        "AUR-1",
        "Validating",
        transitions=(
            Transition(day(4), "Implementing", "Validating"),
            Transition(day(0), None, "Funnel"),
        ),
    )
    assert no_history_findings([moved], BOARD, level="feature") == []


def test_problems_are_counted_by_kind() -> None:
    findings = [
        Finding("data-quality", Severity.WARNING, "AUR-1", "m", {"problem": "no-team"}),
        Finding("data-quality", Severity.WARNING, "AUR-2", "m", {"problem": "no-team"}),
        Finding("data-quality", Severity.INFO, "AUR-3", "m", {"problem": "no-history"}),
        Finding("data-quality", Severity.INFO, "AUR-4", "m"),
        Finding("stale", Severity.INFO, "AUR-5", "m", {"problem": "no-team"}),
    ]
    assert problem_counts(findings) == {"no-history": 1, "no-team": 2, "other": 1}
