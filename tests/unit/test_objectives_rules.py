"""Planned and actual business value, predictability per team and for the ART, and findings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from art.formatting import percent
from art.model import Objective, RejectedRecord, Severity
from connectors.config_file import read_config
from connectors.objectives_yaml import read_objectives
from flows.cli.common import DEMO_CONFIG
from rules.objectives import (
    Band,
    Predictability,
    evaluate_objectives,
    predictability,
)
from tests.objectives_builders import (
    AFTER_PI_1,
    BEFORE_PI_1,
    DURING_PI_1,
    PI_1,
    PI_2,
    objective,
    train,
)


def figure_of(report, pi: str, team: str | None = None) -> Predictability:
    summary = next(s for s in report.pis if s.pi == pi)
    if team is None:
        return summary.figure
    return next(t.figure for t in summary.teams if t.team == team)


def problems(report, problem: str) -> list:
    return [f for f in report.findings if f.data.get("problem") == problem]


def test_planned_counts_committed_objectives_only_and_actual_counts_all() -> None:
    # Hand-computed: planned 8 + 5 = 13 (the uncommitted 3 is left out);
    # actual 6 + 5 + 3 = 14 (the uncommitted objective achieved counts); 14 / 13 = 107.7%.
    figure = predictability(
        [
            objective("Alpha", 8, 6),
            objective("Alpha", 5, 5),
            objective("Alpha", 3, 3, committed=False),
        ]
    )
    assert (figure.planned, figure.actual, figure.scored) == (13, 14, True)
    assert figure.percent == pytest.approx(100 * 14 / 13)
    assert percent(figure.percent) == "107.7%"
    assert figure.band(80, 100) is Band.ABOVE


def test_the_art_figure_is_a_sum_over_sums_not_a_mean_of_percentages() -> None:
    # Alpha: planned 10, actual 5 (50%). Beta: planned 30, actual 30 (100%).
    # ART: 35 / 40 = 87.5%, where the mean of the percentages would say 75%.
    report = evaluate_objectives(
        [
            objective("Alpha", 10, 5),
            objective("Beta", 10, 10),
            objective("Beta", 10, 10),
            objective("Beta", 10, 10),
        ],
        train(),
        today=AFTER_PI_1,
    )
    assert figure_of(report, PI_1, "Alpha").percent == pytest.approx(50.0)
    assert figure_of(report, PI_1, "Beta").percent == pytest.approx(100.0)
    art = figure_of(report, PI_1)
    assert (art.planned, art.actual) == (40, 35)
    assert art.percent == pytest.approx(87.5)
    assert report.pis[0].band is Band.WITHIN


def test_the_demo_train_matches_the_hand_computed_figures() -> None:
    # flows/demo_art/objectives.yaml, computed by hand in its header comment.
    config = read_config(DEMO_CONFIG)
    assert config.objectives.file is not None
    report = evaluate_objectives(
        read_objectives(config.objectives.file), config, today=date(2026, 11, 20)
    )
    expected = {
        "Atlas": (18, 19, "105.6%", Band.ABOVE),
        "Borealis": (16, 13, "81.3%", Band.WITHIN),
        "Comet": (18, 16, "88.9%", Band.WITHIN),
        "Draco": (15, 7, "46.7%", Band.BELOW),
        "Eclipse": (15, 14, "93.3%", Band.WITHIN),
        "Falcon": (18, 17, "94.4%", Band.WITHIN),
        "Gemini": (13, 9, "69.2%", Band.BELOW),
    }
    finished = report.pis[0]
    assert finished.pi == "PI 2026.3"
    got = {
        t.team: (t.figure.planned, t.figure.actual, percent(t.figure.percent), t.band)
        for t in finished.teams
    }
    assert got == expected
    assert (finished.figure.planned, finished.figure.actual) == (113, 95)
    assert percent(finished.figure.percent) == "84.1%"
    mean = sum(100 * a / p for p, a, _, _ in expected.values()) / len(expected)
    assert percent(mean) == "82.8%"  # what averaging would wrongly report
    planned = report.pis[1]
    assert planned.pi == "PI 2026.4" and planned.band is Band.UNSCORED
    assert [f.subject for f in problems(report, "no-planned-value")] == ["Gemini"]


def test_a_pi_not_yet_scored_has_no_figure_and_no_band_finding() -> None:
    report = evaluate_objectives(
        [objective("Alpha", 8), objective("Beta", 5)], train(), today=DURING_PI_1
    )
    summary = report.pis[0]
    assert summary.figure.percent is None and summary.band is Band.UNSCORED
    assert [f for f in report.findings if f.rule == "predictability"] == []


@pytest.mark.parametrize(
    ("committed_actual", "bonus", "band"),
    [(7, 0, Band.BELOW), (8, 0, Band.WITHIN), (10, 0, Band.WITHIN), (10, 1, Band.ABOVE)],
)
def test_the_band_includes_its_edges(committed_actual: int, bonus: int, band: Band) -> None:
    # planned 10: 7 -> 70%, 8 -> 80% (the lower edge), 10 -> 100% (the upper edge),
    # 10 + an uncommitted 1 -> 110%.
    figure = predictability(
        [objective("Alpha", 10, committed_actual), objective("Alpha", 1, bonus, committed=False)]
    )
    assert figure.band(80, 100) is band


def test_teams_outside_the_band_are_flagged_below_as_warning_above_as_info() -> None:
    report = evaluate_objectives(
        [
            objective("Alpha", 10, 5),
            objective("Beta", 10, 10),
            objective("Beta", 2, 2, committed=False),
        ],
        train(),
        today=AFTER_PI_1,
    )
    flagged = {f.subject: f for f in report.findings if f.rule == "predictability"}
    assert set(flagged) == {"Alpha", "Beta"}
    assert flagged["Alpha"].severity is Severity.WARNING
    assert flagged["Alpha"].data["percent"] == 50.0
    assert (
        "50%" in flagged["Alpha"].message and "below the 80-100% band" in flagged["Alpha"].message
    )
    assert flagged["Beta"].severity is Severity.INFO


def test_the_band_comes_from_config() -> None:
    report = evaluate_objectives(
        [objective("Alpha", 10, 7)], train(band_low=70, band_high=90), today=AFTER_PI_1
    )
    assert report.pis[0].teams[0].band is Band.WITHIN
    assert (report.band_low, report.band_high) == (70, 90)


def test_a_missing_planned_value_is_a_finding_only_after_pi_planning() -> None:
    objectives = [objective("Alpha", None), objective("Alpha", 5)]
    assert (
        problems(evaluate_objectives(objectives, train(), today=BEFORE_PI_1), "no-planned-value")
        == []
    )
    found = problems(
        evaluate_objectives(objectives, train(), today=DURING_PI_1), "no-planned-value"
    )
    assert len(found) == 1
    assert found[0].rule == "data-quality" and found[0].data == {
        "problem": "no-planned-value",
        "pi": PI_1,
        "team": "Alpha",
    }


def test_a_missing_actual_value_after_the_pi_counts_as_zero_and_is_reported() -> None:
    objectives = [objective("Alpha", 8, 8), objective("Alpha", 4)]
    during = evaluate_objectives(objectives, train(), today=DURING_PI_1)
    assert problems(during, "no-actual-value") == []
    after = evaluate_objectives(objectives, train(), today=AFTER_PI_1)
    assert len(problems(after, "no-actual-value")) == 1
    assert figure_of(after, PI_1, "Alpha").percent == pytest.approx(100 * 8 / 12)


def test_values_off_the_scale_are_ignored_and_reported() -> None:
    report = evaluate_objectives(
        [objective("Alpha", 11, 5), objective("Alpha", 5, -1), objective("Alpha", 5, 5)],
        train(),
        today=AFTER_PI_1,
    )
    figure = figure_of(report, PI_1, "Alpha")
    assert (figure.planned, figure.actual) == (10, 10)
    assert len(problems(report, "planned-value-off-scale")) == 1
    assert len(problems(report, "actual-value-off-scale")) == 1


def test_an_unknown_team_or_pi_is_reported_and_left_out() -> None:
    report = evaluate_objectives(
        [objective("Alpha", 5, 5), objective("Gamma", 5, 5), objective("Alpha", 5, 5, pi="PI 9")],
        train(),
        today=AFTER_PI_1,
    )
    stray = problems(report, "unknown-team-or-pi")
    assert len(stray) == 2
    assert "team 'Gamma' is not one of the teams" in stray[0].message
    assert "PI 'PI 9' is not in cadence.pis" in stray[1].message
    assert (figure_of(report, PI_1).planned, figure_of(report, PI_1).actual) == (5, 5)


def test_a_team_is_matched_by_its_jira_value_too() -> None:
    report = evaluate_objectives([objective("Beta team", 5, 4)], train(), today=AFTER_PI_1)
    beta = next(t for t in report.pis[0].teams if t.team == "Beta")
    assert beta.figure.actual == 4 and beta.objectives[0].team == "Beta team"


def test_a_team_without_objectives_after_pi_planning_is_reported() -> None:
    report = evaluate_objectives([objective("Alpha", 5)], train(), today=DURING_PI_1)
    assert [f.subject for f in problems(report, "no-objectives")] == ["Beta"]
    assert [t.team for t in report.pis[0].teams] == ["Alpha", "Beta"]


def test_rejected_source_records_become_findings() -> None:
    report = evaluate_objectives(
        [],
        train(),
        today=DURING_PI_1,
        rejected=[RejectedRecord("ART-9", "no team (customfield_1)")],
    )
    assert report.pis == ()
    assert [(f.subject, f.data["problem"]) for f in report.findings] == [("ART-9", "unreadable")]


def test_the_history_of_a_pi_stops_at_that_pi() -> None:
    report = evaluate_objectives(
        [objective("Alpha", 5, 5), objective("Alpha", 5, 4, pi=PI_2)], train(), today=AFTER_PI_1
    )
    assert [s.pi for s in report.history(PI_1)] == [PI_1]
    assert [s.pi for s in report.history(PI_2)] == [PI_1, PI_2]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (81.25, "81.3%"),
        (100.0, "100%"),
        (87.5, "87.5%"),
        (0.0, "0%"),
        (66.66666, "66.7%"),
        (None, "\u2013"),
    ],
)
def test_percentages_are_rounded_half_up_to_one_decimal(value: float | None, text: str) -> None:
    assert percent(value) == text


values = st.integers(min_value=1, max_value=10)
objectives_strategy = st.lists(
    st.builds(
        lambda team, planned, actual, committed: objective(
            team, planned, actual, committed=committed
        ),
        st.sampled_from(["Alpha", "Beta"]),
        st.one_of(st.none(), values),
        st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
        st.booleans(),
    ),
    max_size=30,
)


@given(objectives_strategy)
def test_the_art_figure_is_the_sum_of_the_team_figures(objectives: list[Objective]) -> None:
    report = evaluate_objectives(objectives, train(), today=AFTER_PI_1)
    for summary in report.pis:
        assert summary.figure.planned == sum(t.figure.planned for t in summary.teams)
        assert summary.figure.actual == sum(t.figure.actual for t in summary.teams)
        if summary.figure.percent is not None:
            assert summary.figure.percent == pytest.approx(
                100 * summary.figure.actual / summary.figure.planned
            )


@given(objectives_strategy, st.randoms(use_true_random=False))
def test_the_figures_do_not_depend_on_the_order_of_the_objectives(
    objectives: list[Objective], random
) -> None:
    shuffled = list(objectives)
    random.shuffle(shuffled)
    assert predictability(shuffled) == predictability(objectives)
