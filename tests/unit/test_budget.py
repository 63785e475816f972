"""Lean budget guardrails: capacity allocation, spend per value stream, epic approval."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from art.cadence import planning_intervals
from art.config import BudgetConfig
from art.model import Severity, StatusCategory, WorkItem
from rules.budget import evaluate_guardrails
from rules.capacity_allocation import (
    UNCLASSIFIED,
    allocation_findings,
    capacity_allocation,
    work_type_of,
)
from rules.epic_approval import cost_per_point, epic_approval_findings, epic_costs
from rules.hierarchy import build_hierarchy
from rules.rollup import evaluate_rollup, roll_up
from rules.spend import UNATTRIBUTED, budget_findings, spend_by_value_stream
from tests.builders import item
from tests.config_builders import art_config

LEVELS = ("story", "feature", "epic")
BERLIN = ZoneInfo("Europe/Berlin")
CONFIG = art_config()
PI4 = planning_intervals(CONFIG.cadence)[0]  # 2026-10-05 .. 2026-12-13, 70 days
TODAY = date(2026, 11, 20)  # day 47
DONE, DOING, TODO = StatusCategory.DONE, StatusCategory.IN_PROGRESS, StatusCategory.TO_DO


def epic(key: str, stream: str | None, status: str = "Implementing", **extra: object) -> WorkItem:
    fields = MappingProxyType({"value_stream": stream} if stream else {})
    return item(key, status, level="epic", fields=fields, **extra)


def feature(key: str, parent: str | None, **extra: object) -> WorkItem:
    return item(key, "Implementing", level="feature", parent=parent, **extra)


def finished(
    key: str,
    parent: str | None,
    points: float | None,
    team: str = "Atlas",
    on: datetime = datetime(2026, 11, 2, 12, tzinfo=UTC),
    **extra: object,
) -> WorkItem:
    return item(
        key,
        "Done",
        level="story",
        category=DONE,
        parent=parent,
        estimate=points,
        team=team,
        resolved=on,
        **extra,
    )


def planned(
    key: str, parent: str | None, points: float | None, sprint: str | None = "S 4", **extra: object
) -> WorkItem:
    return item(
        key,
        "To Do",
        level="story",
        category=TODO,
        parent=parent,
        estimate=points,
        iteration=sprint,
        **extra,
    )


# --------------------------------------------------------------------------
# Capacity allocation


def test_work_type_is_the_items_own_then_its_issue_types_then_its_ancestors() -> None:
    items = [
        feature("F-1", None, work_type="Enabler"),
        planned("S-1", "F-1", 1, work_type="Business"),
        planned("S-2", "F-1", 1),
        replace(planned("B-1", "F-1", 1), issue_type="Bug"),
        planned("S-3", None, 1),
    ]
    hierarchy = build_hierarchy(items, LEVELS)
    kinds = {
        key: work_type_of(hierarchy.items[key], hierarchy, {"Bug": "Maintenance"})
        for key in ("S-1", "S-2", "B-1", "S-3")
    }
    assert kinds == {"S-1": "Business", "S-2": "Enabler", "B-1": "Maintenance", "S-3": UNCLASSIFIED}


ALLOCATION = BudgetConfig(
    capacity_allocation={"Business": 60, "Enabler": 30, "Maintenance": 10}, tolerance_pct=5
)


def allocation_items() -> list[WorkItem]:
    return [
        finished("S-1", None, 50, work_type="Business"),
        planned("S-2", None, 20, work_type="Business"),
        finished("S-3", None, 20, work_type="Enabler"),
        planned("S-4", None, 10, work_type="Maintenance"),
        # outside the PI: finished before it, or in no sprint yet, or finished after today
        finished("S-5", None, 99, work_type="Enabler", on=datetime(2026, 9, 30, tzinfo=UTC)),
        planned("S-6", None, 99, sprint=None, work_type="Enabler"),
        finished("S-7", None, 99, work_type="Enabler", on=datetime(2026, 11, 25, tzinfo=UTC)),
        # a finished story with a sprint still counts only if finished in the PI
        finished(
            "S-8",
            None,
            99,
            work_type="Enabler",
            on=datetime(2026, 9, 1, tzinfo=UTC),
            iteration="S 1",
        ),
    ]


def test_capacity_allocation_shares_the_pis_finished_and_planned_points_by_work_type() -> None:
    hierarchy = build_hierarchy(allocation_items(), LEVELS)
    rows = {
        row.work_type: row
        for row in capacity_allocation(hierarchy, ALLOCATION, PI4, today=TODAY, zone=BERLIN)
    }
    business = rows["Business"]
    assert (business.completed_points, business.planned_points, business.points) == (50, 20, 70)
    assert (business.points_pct, business.items, business.items_pct) == (70.0, 2, 50.0)
    assert business.deviation_pp == 10.0
    assert rows["Enabler"].points_pct == 20.0 and rows["Enabler"].deviation_pp == -10.0
    assert rows["Maintenance"].deviation_pp == 0.0
    assert list(rows) == ["Business", "Enabler", "Maintenance"]


def test_a_share_outside_the_tolerance_is_a_finding_critical_beyond_twice_it() -> None:
    hierarchy = build_hierarchy(allocation_items(), LEVELS)
    rows = capacity_allocation(hierarchy, ALLOCATION, PI4, today=TODAY, zone=BERLIN)
    findings = {f.subject: f for f in allocation_findings(rows, pi=PI4, tolerance_pct=5)}
    assert set(findings) == {"work type 'Business'", "work type 'Enabler'"}
    assert findings["work type 'Business'"].severity is Severity.WARNING  # 10 = 2 x 5
    assert "70% of PI 2026.4's points, over the agreed 60% by 10 points" in (
        findings["work type 'Business'"].message
    )
    wide = allocation_findings(rows, pi=PI4, tolerance_pct=4)
    assert {f.severity for f in wide} == {Severity.CRITICAL}


def test_unagreed_work_types_are_shown_but_not_judged() -> None:
    items = [finished("S-1", None, 5, work_type="Business"), planned("S-2", None, 5)]
    rows = capacity_allocation(
        build_hierarchy(items, LEVELS), ALLOCATION, PI4, today=TODAY, zone=BERLIN
    )
    unclassified = next(row for row in rows if row.work_type == UNCLASSIFIED)
    assert (unclassified.target_pct, unclassified.deviation_pp) == (None, None)
    assert not any(
        f.subject == f"work type '{UNCLASSIFIED}'"
        for f in allocation_findings(rows, pi=PI4, tolerance_pct=5)
    )


def test_without_any_points_the_shares_are_by_item_count() -> None:
    items = [
        finished("S-1", None, None, work_type="Business"),
        planned("S-2", None, None, work_type="Enabler"),
    ]
    rows = {
        row.work_type: row
        for row in capacity_allocation(
            build_hierarchy(items, LEVELS), ALLOCATION, PI4, today=TODAY, zone=BERLIN
        )
    }
    assert rows["Business"].points_pct is None
    assert rows["Business"].deviation_pp == -10.0  # 50 % of the items against 60 %


# --------------------------------------------------------------------------
# Spend per value stream

STREAMS = BudgetConfig(
    value_streams=[
        {"name": "Retail", "pi_budget": 150000},
        {"name": "Payments", "pi_budget": 200000},
    ]
)


def spend_items() -> list[WorkItem]:
    return [
        epic("E-R", "Retail"),
        feature("F-R", "E-R"),
        epic("E-P", "Payments"),
        feature("F-P", "E-P"),
        finished("S-1", "F-R", 30, team="Atlas"),
        finished("S-2", "F-P", 10, team="Atlas"),
        finished("S-3", "F-P", 5, team="Borealis"),
    ]


def test_each_teams_cost_to_date_is_spread_over_the_value_streams_of_its_finished_work() -> None:
    spend = spend_by_value_stream(
        build_hierarchy(spend_items(), LEVELS), CONFIG.teams, STREAMS, PI4, today=TODAY, zone=BERLIN
    )
    assert (spend.days_gone, spend.pi_days) == (47, 70)
    atlas, borealis = 60000 * 47 / 14, 30000 * 47 / 14  # cost per iteration, pro rata
    rows = {row.value_stream: row for row in spend.rows}
    assert rows["Retail"].spent == pytest.approx(atlas * 0.75, abs=0.01)
    assert rows["Payments"].spent == pytest.approx(atlas * 0.25 + borealis, abs=0.01)
    assert rows["Payments"].forecast == pytest.approx(rows["Payments"].spent * 70 / 47, abs=0.02)
    assert rows["Retail"].points == 30
    assert rows["Payments"].forecast_pct == pytest.approx(
        (atlas * 0.25 + borealis) * 70 / 47 / 200000 * 100, abs=0.1
    )


def test_a_value_stream_over_budget_at_the_current_burn_warns_already_over_is_critical() -> None:
    spend = spend_by_value_stream(
        build_hierarchy(spend_items(), LEVELS), CONFIG.teams, STREAMS, PI4, today=TODAY, zone=BERLIN
    )
    findings = {f.subject: f for f in budget_findings(spend, pi=PI4, currency="EUR")}
    # Retail: spent 151,071 > 150,000 already; Payments: spent 151,071, forecast 225,000.
    assert findings["value stream 'Retail'"].severity is Severity.CRITICAL
    assert findings["value stream 'Payments'"].severity is Severity.WARNING
    assert "by the end of PI 2026.4" in findings["value stream 'Payments'"].message
    assert "EUR" in findings["value stream 'Payments'"].message


def test_a_team_that_finished_nothing_still_costs_and_is_unattributed() -> None:
    items = [epic("E-R", "Retail"), feature("F-R", "E-R"), finished("S-1", "F-R", 3)]
    spend = spend_by_value_stream(
        build_hierarchy(items, LEVELS), CONFIG.teams, STREAMS, PI4, today=TODAY, zone=BERLIN
    )
    rows = {row.value_stream: row for row in spend.rows}
    assert rows[UNATTRIBUTED].spent == pytest.approx(30000 * 47 / 14, abs=0.01)
    assert rows[UNATTRIBUTED].budget is None
    assert rows["Payments"].spent == 0


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Atlas", "Borealis", "Nobody"]),
            st.sampled_from(["E-R", "E-P", "E-X", None]),
            st.one_of(st.none(), st.sampled_from([1, 2, 3, 5, 8])),
        ),
        max_size=20,
    ),
    st.dates(date(2026, 9, 1), date(2027, 1, 31)),
)
def test_the_spread_conserves_the_teams_cost(stories, today) -> None:
    items = [epic("E-R", "Retail"), epic("E-P", "Payments"), epic("E-X", None)]
    items += [
        finished(f"S-{n}", parent, points, team=team)
        for n, (team, parent, points) in enumerate(stories)
    ]
    spend = spend_by_value_stream(
        build_hierarchy(items, LEVELS), CONFIG.teams, STREAMS, PI4, today=today, zone=BERLIN
    )
    days = max(0, (min(today, PI4.end) - PI4.start).days + 1)
    assert sum(row.spent for row in spend.rows) == pytest.approx(90000 * days / 14, abs=0.1)


# --------------------------------------------------------------------------
# Epic approval


def test_cost_per_point_is_configured_or_the_teams_cost_over_their_capacity() -> None:
    assert cost_per_point(BudgetConfig(), CONFIG.teams) == 1500.0  # 90,000 / 60
    assert cost_per_point(BudgetConfig(cost_per_point=900), CONFIG.teams) == 900
    assert cost_per_point(BudgetConfig(), art_config(teams=[{"name": "X"}]).teams) is None


def epic_cases() -> list[WorkItem]:
    return [
        epic("E-1", "Retail", status="Analyzing", estimate=400),  # 600,000: not approved
        epic("E-2", "Retail", status="Reviewing", estimate=100),
        feature("F-2", "E-2"),
        item("S-2", "In Progress", level="story", category=DOING, parent="F-2", estimate=500),
        epic("E-3", "Payments", status="Portfolio Backlog", estimate=900),  # approved
        epic("E-4", "Payments", status="Analyzing", estimate=100),  # 150,000: small
        epic("E-5", None, status="Done", category=DONE, estimate=900),
    ]


def test_epics_above_the_threshold_need_an_approval_state_critical_once_work_started() -> None:
    hierarchy = build_hierarchy(epic_cases(), LEVELS)
    costs = epic_costs(
        roll_up(hierarchy),
        hierarchy,
        price=1500,
        approved_statuses=("Portfolio Backlog", "Implementing"),
    )
    assert [c.key for c in costs] == ["E-1", "E-2", "E-3", "E-4"]  # E-5 is finished
    by_key = {c.key: c for c in costs}
    assert by_key["E-1"].cost == 600000 and not by_key["E-1"].started
    assert by_key["E-2"].forecast_points == 500 and by_key["E-2"].started
    findings = {
        f.subject: f for f in epic_approval_findings(costs, threshold=500000, currency="EUR")
    }
    assert set(findings) == {"E-1", "E-2"}
    assert findings["E-1"].severity is Severity.WARNING
    assert findings["E-2"].severity is Severity.CRITICAL
    assert "exceeds the epic threshold of 500,000 EUR" in findings["E-1"].message


def test_guardrails_read_everything_from_art_yaml_and_stay_quiet_where_it_says_nothing() -> None:
    quiet = evaluate_guardrails(evaluate_rollup(epic_cases(), CONFIG), CONFIG, today=TODAY)
    assert quiet.findings == ()  # no allocation agreed, no budgets, no threshold
    assert quiet.pi is not None and quiet.price == 1500.0
    config = art_config(
        budgets={"epic_threshold": 500000, "epic_approved_statuses": ["Portfolio Backlog"]}
    )
    report = evaluate_guardrails(evaluate_rollup(epic_cases(), config), config, today=TODAY)
    assert {f.subject for f in report.findings} == {"E-1", "E-2"}
    assert report.price == 1500.0 and report.epic_threshold == 500000
    assert report.approved_statuses == ("Portfolio Backlog",)
    assert report.spend is not None and report.spend.days_gone == 47
    between = evaluate_guardrails(evaluate_rollup([], config), config, today=date(2026, 12, 13))
    assert between.pi is not None  # the IP iteration's last day is still the PI
    after = evaluate_guardrails(evaluate_rollup([], config), config, today=date(2030, 1, 1))
    assert after.pi is None and after.spend is None and after.allocation == ()
