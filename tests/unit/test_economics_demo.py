"""The demo ART holds a case for every roll-up, guardrail and readiness finding.

Read through the real export backend and the health check `rte demo` runs,
checked against the keys `generate.py` lists as planted.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime

import pytest

from reports.health_json import health_json
from rules.capacity_allocation import AllocationRow
from rules.epic_approval import EpicCost
from rules.readiness import FeatureReadiness
from rules.rollup import RollupRow, evaluate_rollup, plan_write_back
from rules.spend import SpendRow
from tests.demo_findings import PLANTED, demo_health, subjects


@pytest.fixture(scope="module")
def demo():
    return demo_health(generated_at=datetime(2026, 11, 20, 18, tzinfo=UTC))


def test_hierarchy_problems_orphans_and_the_cycle(demo) -> None:
    _, _, report = demo
    orphans = set(PLANTED["story_orphan"]) | set(PLANTED["feature_without_epic"])
    assert subjects(report, "data-quality", problem="orphan") >= orphans
    cycle = PLANTED["parent_cycle"]
    assert subjects(report, "data-quality", problem="cycle") == {min(cycle)}


def test_variance_and_unestimated(demo) -> None:
    _, _, report = demo
    assert subjects(report, "rollup-variance") == set(PLANTED["rollup_variance_over_20pct"])
    # stories without points, and a feature known by no estimate at all
    unestimated = set(PLANTED["story_unestimated"]) | set(PLANTED["next_pi_without_estimate"])
    listed = {key for f in report.findings if f.rule == "unestimated" for key in f.data["items"]}
    assert listed and listed <= unestimated


def test_guardrails(demo) -> None:
    _, _, report = demo
    assert subjects(report, "capacity-allocation") == {
        "work type 'Business'",
        "work type 'Enabler'",
    }
    assert subjects(report, "budget") == {"value stream 'Retail Banking'"}
    assert subjects(report, "epic-approval") == set(PLANTED["epic_large_not_approved"])


def test_readiness_and_the_wsjf_ranking(demo) -> None:
    _, _, report = demo
    unready = (
        set(PLANTED["next_pi_without_team"])
        | set(PLANTED["next_pi_without_estimate"])
        | set(PLANTED["next_pi_without_acceptance_criteria"])
        | set(PLANTED["next_pi_without_wsjf"])
        | set(PLANTED["next_pi_wsjf_out_of_date"])
    )
    assert subjects(report, "readiness") == unready
    ranking = report.metrics.economics.readiness.features
    assert {row.key for row in ranking} == set(PLANTED["next_pi_features"])
    assert ranking[-1].key in PLANTED["next_pi_without_wsjf"]


def test_write_back_plan_matches_the_out_of_date_fields(demo) -> None:
    config, snapshot, _ = demo
    rollup = evaluate_rollup(snapshot.items, config)
    plan = plan_write_back(rollup.rows, rollup.hierarchy.items)
    assert {write.key for write in plan} == set(PLANTED["rollup_points_to_write"])


def test_health_json_rows_carry_every_field_of_the_rules_rows(demo) -> None:
    """The JSON is written field by field: a field added to a row must be added there too."""
    _, _, report = demo
    metrics = json.loads(health_json(report))["metrics"]
    guardrails = metrics["guardrails"]

    def names(row: type) -> set[str]:
        return {field.name for field in fields(row)}

    assert set(metrics["rollup"]["rows"][0]) == names(RollupRow)
    assert set(guardrails["allocation"]["rows"][0]) == names(AllocationRow)
    assert set(guardrails["spend"]["rows"][0]) == names(SpendRow)
    assert set(guardrails["epics"]["rows"][0]) == names(EpicCost)
    assert set(metrics["readiness"]["ranking"][0]) == names(FeatureReadiness) | {"ready"}
