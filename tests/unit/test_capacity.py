"""Load against capacity for the next PI: hand-computed capacities and splits."""

from __future__ import annotations

from datetime import date

import pytest

from art.config_errors import ConfigError
from art.model import Severity, WorkItem
from rules.capacity import CapacityReport, TeamCapacity, evaluate_capacity
from tests.config_builders import art_config
from tests.forecast_builders import CURRENT_PI, NEXT_PI, TODAY, feature, open_story

# PI 2027.1 starts 2026-12-14: five iterations of two weeks, the fifth the IP iteration.
# Bavaria's public holidays on weekdays of iterations 1-4: 25 Dec, 1 Jan, 6 Jan (26 Dec is
# a Saturday), so three days of ten-day iterations are lost.
HOLIDAYS = {"country": "DE", "subdivision": "BY"}
TEAMS = [
    {"name": "Atlas", "capacity_per_iteration": 40},
    {"name": "Borealis", "capacity_per_iteration": 20, "absences": {"PI 2027.1": 5}},
    {"name": "Comet"},
]


def capacity(items: list[WorkItem], **sections: object) -> CapacityReport:
    config = art_config(**({"teams": TEAMS, "calendar": {"holidays": HOLIDAYS}} | sections))
    return evaluate_capacity(items, config, today=TODAY)


def team(report: CapacityReport, name: str) -> TeamCapacity:
    return next(row for row in report.teams if row.team == name)


def test_capacity_is_the_non_ip_iterations_less_holidays_and_absences() -> None:
    report = capacity([])
    atlas, borealis, comet = report.teams
    assert report.pi is not None and report.pi.name == "PI 2027.1"
    assert atlas.iterations == 4
    assert [day for day, _ in atlas.holidays] == [
        date(2026, 12, 25),
        date(2027, 1, 1),
        date(2027, 1, 6),
    ]
    assert atlas.capacity == 40 * 4 - 3 * 4  # a day is a tenth of an iteration: 4 points
    assert borealis.capacity == 20 * 4 - (3 + 5) * 2
    assert comet.capacity is None and comet.status == "no capacity"
    without_holidays = capacity([], calendar={})
    assert team(without_holidays, "Atlas").capacity == 160


def test_load_splits_by_the_stories_points_and_counts_for_their_teams() -> None:
    items = [
        feature("F-1", label=NEXT_PI, estimate=50),
        open_story("S-1", "Atlas", "F-1", estimate=8),
        open_story("S-2", "Borealis", "F-1", estimate=2),
        feature("F-2", label=NEXT_PI),  # no own estimate: its stories' total, split by count
        open_story("S-3", "Atlas", "F-2"),
        open_story("S-4", "Borealis", "F-2"),
        feature("F-3", label=NEXT_PI, estimate=12, team="Borealis"),  # no stories yet
        feature("F-4", label=CURRENT_PI, estimate=999, team="Atlas"),  # the running PI's
    ]
    report = capacity(items)
    atlas, borealis = team(report, "Atlas"), team(report, "Borealis")
    assert [(load.key, load.share, load.points) for load in atlas.features] == [
        ("F-1", 0.8, 40.0),
        ("F-2", 0.5, 0.0),  # stories without points: nothing to add up
    ]
    assert [(load.key, load.share, load.points) for load in borealis.features] == [
        ("F-1", 0.2, 10.0),
        ("F-2", 0.5, 0.0),
        ("F-3", 1.0, 12.0),
    ]
    assert (atlas.load, borealis.load) == (40.0, 22.0)


def test_a_feature_with_neither_stories_nor_a_team_is_unassigned() -> None:
    items = [
        feature("F-1", label=NEXT_PI, estimate=30),
        feature("F-2", label=NEXT_PI, estimate=10),
        open_story("S-1", None, "F-2", estimate=3),
        open_story("S-2", "Atlas", "F-2", estimate=1),
    ]
    report = capacity(items)
    assert [(load.key, load.points) for load in report.unassigned] == [
        ("F-1", 30.0),
        ("F-2", 7.5),
    ]
    assert team(report, "Atlas").load == 2.5


def test_over_capacity_is_critical_over_the_tight_share_a_warning() -> None:
    # Atlas: 148 points of capacity; Borealis: 64
    items = [
        feature("F-1", label=NEXT_PI, estimate=149, team="Atlas"),
        feature("F-2", label=NEXT_PI, estimate=55, team="Borealis"),  # 85.9 %
    ]
    report = capacity(items)
    findings = {finding.subject: finding for finding in report.findings}
    assert findings["Atlas"].rule == "capacity-overload"
    assert findings["Atlas"].severity is Severity.CRITICAL
    assert findings["Atlas"].data["load_pct"] == 100.7
    assert findings["Borealis"].rule == "capacity-tight"
    assert findings["Borealis"].severity is Severity.WARNING
    assert "over 85 % of its capacity" in findings["Borealis"].message
    assert "less 3 public holidays and 5 days of absences" in findings["Borealis"].message
    assert [row.team for row in report.bottlenecks] == ["Atlas", "Borealis"]


def test_full_is_not_over_capacity_and_exactly_the_tight_share_is_fine() -> None:
    items = [
        feature("F-1", label=NEXT_PI, estimate=148, team="Atlas"),  # 100 %
        feature("F-2", label=NEXT_PI, estimate=54.4, team="Borealis"),  # 85 %
    ]
    report = capacity(items)
    [finding] = report.findings
    assert (finding.subject, finding.rule) == ("Atlas", "capacity-tight")
    assert [row.status for row in report.teams] == ["tight", "ok", "no capacity"]
    looser = capacity(items, capacity={"tight_pct": 100})
    assert looser.findings == ()


def test_without_a_next_pi_or_its_label_nothing_is_measured() -> None:
    last = evaluate_capacity([], art_config(), today=date(2027, 1, 20))
    assert last.pi is None and last.note == "no PI after 2027-01-20 in cadence.pis"
    unlabelled = art_config(
        cadence={
            "pis": [
                {"name": "PI 2026.4", "start": "2026-10-05"},
                {"name": "PI 2027.1", "start": "2026-12-14"},
            ]
        }
    )
    report = evaluate_capacity([], unlabelled, today=TODAY)
    assert report.teams == () and "no label or fix_version" in (report.note or "")


def test_absences_must_name_a_pi_of_the_cadence() -> None:
    teams = [{"name": "Atlas", "absences": {"PI 2099.9": 3}}]
    with pytest.raises(ConfigError) as raised:
        art_config(teams=teams)
    assert "teams[0].absences" in str(raised.value)
    assert "'PI 2099.9' is not a PI of cadence.pis" in str(raised.value)
    with pytest.raises(ConfigError, match=r"teams\[0\]\.absences\.PI 2027\.1: must be >= 0"):
        art_config(teams=[{"name": "Atlas", "absences": {"PI 2027.1": -1}}])
