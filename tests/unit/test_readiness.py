"""PI-planning readiness of the next PI's features, and their WSJF ranking."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

from art.cadence import planning_intervals
from art.config import JiraFields
from art.model import Severity, WorkItem
from rules.hierarchy import build_hierarchy
from rules.readiness import (
    assess_features,
    evaluate_readiness,
    next_pi,
    readiness_checks,
    readiness_findings,
)
from tests.builders import item
from tests.config_builders import art_config

LEVELS = ("story", "feature", "epic")
CONFIG = art_config()
PIS = planning_intervals(CONFIG.cadence)
TODAY = date(2026, 11, 20)
ALL_CHECKS = frozenset({"estimate", "acceptance criteria", "team", "WSJF"})


def wsjf(
    bv: float | None,
    tc: float | None,
    rr: float | None,
    size: float | None,
    score: float | None = None,
) -> dict:
    return {
        "wsjf_business_value": bv,
        "wsjf_time_criticality": tc,
        "wsjf_risk_reduction": rr,
        "wsjf_job_size": size,
        "wsjf_score": score,
    }


def planned(
    key: str,
    *,
    team: str | None = "Atlas",
    estimate: float | None = 20,
    criteria: bool = True,
    parts: dict | None = None,
    label: str | None = "pi-2027.1",
    fix_version: str | None = None,
    **extra: object,
) -> WorkItem:
    fields = {
        "labels": (label,) if label else (),
        "fix_versions": (fix_version,) if fix_version else (),
        "has_acceptance_criteria": criteria,
        **(parts if parts is not None else wsjf(8, 5, 3, 4, 4.0)),
    }
    return item(
        key,
        "Program Backlog",
        level="feature",
        team=team,
        estimate=estimate,
        fields=MappingProxyType(fields),
        **extra,
    )


def assess(*features: WorkItem, checks: frozenset[str] = ALL_CHECKS, extra=()):
    hierarchy = build_hierarchy([*features, *extra], LEVELS)
    return assess_features(features, hierarchy, checks)


def test_the_next_pi_is_the_first_to_start_after_today() -> None:
    assert next_pi(PIS, TODAY).name == "PI 2027.1"
    assert next_pi(PIS, date(2026, 10, 4)).name == "PI 2026.4"
    assert next_pi(PIS, date(2026, 12, 14)) is None


def test_a_feature_with_everything_is_ready() -> None:
    [row] = assess(planned("F-1"))
    assert row.ready and row.missing == ()
    assert (row.wsjf, row.cost_of_delay, row.job_size) == (4.0, 16, 4)


def test_each_missing_input_is_named() -> None:
    rows = {
        row.key: row
        for row in assess(
            planned("F-1", team=None),
            planned("F-2", estimate=None),
            planned("F-3", criteria=False),
            planned("F-4", parts=wsjf(8, None, 3, None)),
            planned("F-5", parts=wsjf(8, 5, 3, 0)),  # a job size of 0 divides nothing
        )
    }
    assert rows["F-1"].missing == ("a team",)
    assert rows["F-2"].missing == ("an estimate",)
    assert rows["F-3"].missing == ("acceptance criteria",)
    assert rows["F-4"].missing == ("a WSJF score (or its parts: time criticality, job size)",)
    assert rows["F-5"].missing == ("a WSJF score (or its parts: job size)",)


def test_estimated_stories_count_as_an_estimate() -> None:
    story = item("S-1", "To Do", level="story", parent="F-1", estimate=5)
    [row] = assess(planned("F-1", estimate=None), extra=[story])
    assert row.ready


def test_a_score_alone_or_the_parts_alone_is_enough() -> None:
    rows = {
        row.key: row
        for row in assess(
            planned("F-1", parts=wsjf(None, None, None, None, 2.5)),
            planned("F-2", parts=wsjf(1, 2, 3, 2)),
        )
    }
    assert rows["F-1"].ready and rows["F-1"].wsjf == 2.5
    assert rows["F-2"].ready and rows["F-2"].wsjf == 3.0


def test_a_score_that_disagrees_with_its_parts_is_an_info_finding() -> None:
    rows = assess(
        planned("F-1", parts=wsjf(2, 13, 20, 20, 3.5)), planned("F-2", parts=wsjf(8, 5, 0, 3, 4.33))
    )  # rounded: agrees
    assert [row.wsjf_mismatch for row in rows] == [False, True]
    [finding] = readiness_findings(rows, next_pi(PIS, TODAY), today=TODAY)
    assert finding.subject == "F-1" and finding.severity is Severity.INFO
    assert "WSJF score 3.5 disagrees with its parts (35 / 20 = 1.75)" in finding.message


def test_missing_inputs_warn_with_the_days_left() -> None:
    rows = assess(planned("F-1", team=None, criteria=False))
    [finding] = readiness_findings(rows, next_pi(PIS, TODAY), today=TODAY)
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "planned for PI 2027.1 (starts 2026-12-14, in 24 days) "
        "but lacks acceptance criteria and a team"
    )
    assert finding.data["missing"] == ["acceptance criteria", "a team"]


def test_only_what_art_yaml_maps_is_checked() -> None:
    assert readiness_checks(JiraFields()) == frozenset()
    assert readiness_checks(JiraFields(team="Team")) == {"team"}
    [row] = assess(
        planned("F-1", team=None, estimate=None, criteria=False, parts={}), checks=frozenset()
    )
    assert row.ready


@given(st.lists(st.one_of(st.none(), st.floats(0.1, 50)), min_size=1, max_size=12))
def test_the_ranking_is_by_wsjf_highest_first_unscored_last(scores) -> None:
    features = [
        planned(f"F-{n}", parts=wsjf(None, None, None, None, score))
        for n, score in enumerate(scores)
    ]
    ranked = assess(*features)
    values = [row.wsjf for row in ranked]
    scored = [value for value in values if value is not None]
    assert scored == sorted(scored, reverse=True)
    assert values == scored + [None] * (len(values) - len(scored))
    assert [row.rank for row in ranked] == [
        *range(1, len(scored) + 1),
        *[None] * (len(values) - len(scored)),
    ]


def test_evaluate_readiness_checks_the_features_labelled_for_the_next_pi() -> None:
    items = [
        planned("F-1", team=None),
        planned("F-2", label="pi-2026.4", team=None),
        planned("F-3"),
    ]
    report = evaluate_readiness(build_hierarchy(items, LEVELS), CONFIG, today=TODAY)
    assert [row.key for row in report.features] == ["F-1", "F-3"]
    assert [f.subject for f in report.findings] == ["F-1"]
    assert report.pi is not None and report.marks is not None
    assert (report.pi.name, report.marks.label, len(report.features), report.ready) == (
        "PI 2027.1",
        "pi-2027.1",
        2,
        1,
    )


def test_without_a_label_for_the_next_pi_nothing_is_checked() -> None:
    config = art_config(
        cadence={
            "pis": [
                {"name": "PI 2026.4", "start": "2026-10-05"},
                {"name": "PI 2027.1", "start": "2026-12-14"},
            ]
        }
    )
    report = evaluate_readiness(
        build_hierarchy([planned("F-1", team=None)], LEVELS), config, today=TODAY
    )
    assert report.features == () and report.findings == ()
    assert report.pi is not None and report.pi.name == "PI 2027.1" and report.marks is None


def test_a_train_that_plans_by_fix_version_gets_the_features_with_either_mark() -> None:
    config = art_config(
        cadence={
            "pis": [
                {"name": "PI 2026.4", "start": "2026-10-05", "fix_version": "PI 2026.4"},
                {
                    "name": "PI 2027.1",
                    "start": "2026-12-14",
                    "label": "pi-2027.1",
                    "fix_version": "PI 2027.1",
                },
            ]
        }
    )
    items = [
        planned("F-1", label=None, fix_version="PI 2027.1"),
        planned("F-2", label="pi-2027.1"),
        planned("F-3", label=None, fix_version="PI 2026.4"),
        planned("F-4", label="pi-2026.4", fix_version="PI 2027.0"),
    ]
    report = evaluate_readiness(build_hierarchy(items, LEVELS), config, today=TODAY)
    assert [row.key for row in report.features] == ["F-1", "F-2"]
    assert report.planned_by == "label pi-2027.1 or fixVersion PI 2027.1"
    assert report.marks is not None
    assert (report.marks.label, report.marks.fix_version) == ("pi-2027.1", "PI 2027.1")


def test_a_fix_version_alone_marks_the_pi() -> None:
    config = art_config(
        cadence={
            "pis": [
                {"name": "PI 2026.4", "start": "2026-10-05"},
                {"name": "PI 2027.1", "start": "2026-12-14", "fix_version": "PI 2027.1"},
            ]
        }
    )
    items = [planned("F-1", fix_version="PI 2027.1"), planned("F-2", fix_version=None)]
    report = evaluate_readiness(build_hierarchy(items, LEVELS), config, today=TODAY)
    assert [row.key for row in report.features] == ["F-1"]
    assert report.planned_by == "fixVersion PI 2027.1"


def test_a_pi_mark_that_no_issue_carries_is_a_finding_not_silence() -> None:
    items = [planned("F-1", label="pi-2027-1"), planned("F-2", label=None)]  # a slip: - for .
    report = evaluate_readiness(build_hierarchy(items, LEVELS), CONFIG, today=TODAY)
    assert report.features == ()
    [finding] = report.findings
    assert (finding.rule, finding.severity, finding.subject) == (
        "readiness",
        Severity.WARNING,
        "PI 2027.1",
    )
    assert finding.data["problem"] == "unmatched-mark"
    assert "no issue carries the label pi-2027.1" in finding.message


def test_a_mark_on_a_story_only_is_no_unmatched_mark() -> None:
    story = item(
        "S-1",
        "To Do",
        level="story",
        fields=MappingProxyType({"labels": ("pi-2027.1",), "fix_versions": ()}),
    )
    items = [planned("F-1", label=None), story]
    report = evaluate_readiness(build_hierarchy(items, LEVELS), CONFIG, today=TODAY)
    assert report.features == () and report.findings == ()
