"""The four risk rules, each at its boundary: the day before, the day of and the day after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from art.model import Severity, WorkItem
from rules.milestones import train_milestones
from rules.risk_register import RiskReport, evaluate_risks
from tests.board_builders import risk
from tests.config_builders import art_config

# Two-day PI Planning at the start of PI 2026.4 (Monday 5 and Tuesday 6 October).
CONFIG = art_config(risks={"roam_within_days": 5, "stale_days": 14})
MILESTONES = train_milestones(CONFIG)
PLANNING_END = date(2026, 10, 6)


def evaluate(*risks: WorkItem, today: date) -> RiskReport:
    return evaluate_risks(risks, CONFIG, today=today, milestones=MILESTONES)


def found(rule: str, *risks: WorkItem, today: date) -> list[str]:
    return [f.subject for f in evaluate(*risks, today=today).findings if f.rule == rule]


# --------------------------------------------------------------------------
# risk-unroamed


@pytest.mark.parametrize(
    ("today", "late"),
    [(date(2026, 10, 10), False), (date(2026, 10, 11), False), (date(2026, 10, 12), True)],
)
def test_a_risk_from_pi_planning_has_five_days_after_it_ends(today: date, late: bool) -> None:
    raised = risk("AUR-1", created=date(2026, 10, 5))  # raised on day one of PI Planning
    assert found("risk-unroamed", raised, today=today) == (["AUR-1"] if late else [])


@pytest.mark.parametrize(
    ("today", "late"),
    [(date(2026, 11, 6), False), (date(2026, 11, 7), False), (date(2026, 11, 8), True)],
)
def test_a_risk_raised_later_has_five_days_from_the_day_it_was_raised(
    today: date, late: bool
) -> None:
    raised = risk("AUR-1", created=date(2026, 11, 2), updated=date(2026, 11, 2))
    assert found("risk-unroamed", raised, today=today) == (["AUR-1"] if late else [])


def test_the_unroamed_finding_says_from_when_and_by_how_much() -> None:
    [finding] = evaluate(risk("AUR-1", team="Atlas"), today=date(2026, 10, 14)).findings
    assert finding.severity is Severity.WARNING
    assert finding.data["counted_from"] == PLANNING_END
    assert finding.data["deadline"] == date(2026, 10, 11)
    assert finding.data["days_late"] == 3
    assert "8 days after PI Planning ended (2026-10-06)" in finding.message


def test_roamed_risks_and_risks_before_any_pi_planning_are_not_unroamed() -> None:
    roamed = [risk(f"AUR-{n}", status) for n, status in enumerate(("Owned", "Accepted"), 1)]
    assert found("risk-unroamed", *roamed, today=date(2026, 11, 20)) == []
    # PI 2026.4 is the first PI: before its PI Planning nothing had to be ROAMed
    early = risk("AUR-3", created=date(2026, 9, 1), updated=date(2026, 9, 1))
    assert found("risk-unroamed", early, today=date(2026, 10, 4)) == []


# --------------------------------------------------------------------------
# risk-unowned


def test_an_owned_risk_needs_an_assignee_and_only_an_owned_one() -> None:
    today = date(2026, 11, 20)
    risks = [
        risk("AUR-1", "Owned", updated=today),
        risk("AUR-2", "Owned", owner="Ines Weber", updated=today),
        risk("AUR-3", "Mitigated", updated=today),
        risk("AUR-4", "Accepted", updated=today),
        risk("AUR-5", "Identified", created=date(2026, 11, 19)),
    ]
    [finding] = evaluate(*risks, today=today).findings  # nothing else is wrong with them
    assert (finding.rule, finding.subject) == ("risk-unowned", "AUR-1")


# --------------------------------------------------------------------------
# risk-overdue


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(date(2026, 11, 12), False), (date(2026, 11, 13), False), (date(2026, 11, 14), True)],
)
def test_a_risk_is_overdue_from_the_day_after_its_due_date(today: date, overdue: bool) -> None:
    due = risk("AUR-1", "Owned", owner="Ines Weber", due=date(2026, 11, 13), updated=today)
    assert found("risk-overdue", due, today=today) == (["AUR-1"] if overdue else [])


def test_an_overdue_risk_is_critical_and_a_resolved_one_is_not_overdue() -> None:
    late = risk("AUR-1", "Mitigated", owner="Ines Weber", due=date(2026, 11, 13))
    done = risk("AUR-2", "Resolved", due=date(2026, 11, 13), resolved=date(2026, 11, 18))
    today = date(2026, 11, 20)
    [finding] = [f for f in evaluate(late, done, today=today).findings if f.rule == "risk-overdue"]
    assert finding.subject == "AUR-1" and finding.severity is Severity.CRITICAL
    assert finding.data["days_overdue"] == 7
    assert finding.message == "due 2026-11-13, 7 days ago, and still mitigated"


# --------------------------------------------------------------------------
# risk-stale


@pytest.mark.parametrize(
    ("today", "stale"),
    [(date(2026, 11, 14), False), (date(2026, 11, 15), False), (date(2026, 11, 16), True)],
)
def test_a_risk_is_stale_a_day_after_fourteen_days_without_an_update(
    today: date, stale: bool
) -> None:
    quiet = risk("AUR-1", "Accepted", owner="Ines Weber", updated=date(2026, 11, 1))
    assert found("risk-stale", quiet, today=today) == (["AUR-1"] if stale else [])


def test_a_resolved_risk_is_never_stale() -> None:
    old = risk("AUR-1", "Resolved", updated=date(2026, 10, 7), resolved=date(2026, 10, 7))
    assert found("risk-stale", old, today=date(2026, 12, 1)) == []


# --------------------------------------------------------------------------
# The law behind the boundaries

DAYS = st.integers(min_value=0, max_value=60)


@given(due_in=DAYS, updated_ago=DAYS, status=st.sampled_from(["Owned", "Accepted", "Resolved"]))
def test_overdue_and_stale_hold_exactly_past_their_day(
    due_in: int, updated_ago: int, status: str
) -> None:
    today = date(2026, 11, 20)
    one = risk(
        "AUR-1",
        status,
        owner="Ines Weber",
        due=date(2026, 10, 20) + timedelta(days=due_in),
        updated=today - timedelta(days=updated_ago),
        resolved=today if status == "Resolved" else None,
    )
    rules = {f.rule for f in evaluate(one, today=today).findings}
    is_open = status != "Resolved"
    due = date(2026, 10, 20) + timedelta(days=due_in)
    assert ("risk-overdue" in rules) == (is_open and due < today)
    assert ("risk-stale" in rules) == (is_open and updated_ago > 14)
