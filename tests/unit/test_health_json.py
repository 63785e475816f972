"""health.json: the health report as deterministic JSON."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from art.model import Finding, Severity
from reports.health_json import health_json, json_ready, sort_findings
from rules.health import ItemCounts
from tests.builders import wip_finding
from tests.metrics_builders import (
    cumulative_flow,
    health_metrics,
    health_report,
    kanban,
    state,
    train_flow,
)

FINDINGS = (
    wip_finding("Implementing", 5, 3),
    Finding("aging", Severity.INFO, "AUR-7", "aging"),
    wip_finding("Analyzing", 4, 2, Severity.CRITICAL),
    Finding("blocked", Severity.CRITICAL, "AUR-9", "blocked for 5 days"),
    wip_finding("Analyzing", 3, 2),
)


def test_the_document_holds_the_report_and_its_findings() -> None:
    metrics = health_metrics(kanban=kanban(state("Implementing", 12, limit=8)))
    document = json.loads(health_json(health_report(*FINDINGS, metrics=metrics)))
    assert list(document) == ["art", "generated_at", "as_of", "pi", "findings", "metrics"]
    assert document["art"] == "Aurora ART"
    assert document["generated_at"] == "2026-10-06T02:30:00+00:00"
    assert document["as_of"] == "2026-10-06"
    assert document["pi"] == "PI 2026.4"
    assert document["metrics"]["kanban"] == {
        "level": "feature",
        "states": [{"name": "Implementing", "count": 12, "wip_limit": 8, "wip_min": None}],
    }
    first = document["findings"][0]
    assert list(first) == ["rule", "severity", "subject", "message", "data"]


def test_findings_are_sorted_by_severity_then_rule_then_subject() -> None:
    document = json.loads(health_json(health_report(*FINDINGS)))
    order = [(f["severity"], f["rule"], f["subject"]) for f in document["findings"]]
    assert order == [
        ("critical", "blocked", "AUR-9"),
        ("critical", "wip-limit", "Analyzing"),
        ("warning", "wip-limit", "Analyzing"),
        ("warning", "wip-limit", "Implementing"),
        ("info", "aging", "AUR-7"),
    ]
    assert [f.subject for f in sort_findings(FINDINGS)][:2] == ["AUR-9", "Analyzing"]


def test_the_same_report_gives_the_same_text_whatever_the_order_of_findings() -> None:
    shuffled = list(FINDINGS)
    random.Random(7).shuffle(shuffled)
    assert health_json(health_report(*FINDINGS)) == health_json(health_report(*shuffled))


def test_the_text_is_indented_and_keeps_non_ascii_characters() -> None:
    finding = Finding("aging", Severity.INFO, "Zürich \u2013 Überblick", "ok")
    text = health_json(health_report(finding))
    assert '\n  "art": "Aurora ART",' in text
    assert "Zürich \u2013 Überblick" in text
    assert text.endswith("}\n")


def test_dates_tuples_sets_and_odd_numbers_become_json() -> None:
    data = {
        "since": date(2026, 9, 1),
        "at": datetime(2026, 9, 1, 8, tzinfo=UTC),
        "items": ("AUR-1", "AUR-2"),
        "teams": frozenset({"Nova", "Apollo"}),
        "waited": timedelta(hours=1),
        "ratio": float("nan"),
        "severity": Severity.WARNING,
        2: "int key",
    }
    document = json.loads(health_json(health_report(Finding("x", Severity.INFO, "s", "m", data))))
    assert document["findings"][0]["data"] == {
        "2": "int key",
        "at": "2026-09-01T08:00:00+00:00",
        "items": ["AUR-1", "AUR-2"],
        "ratio": None,
        "severity": "warning",
        "since": "2026-09-01",
        "teams": ["Apollo", "Nova"],
        "waited": 3600.0,
    }


def test_the_metrics_hold_one_member_per_result_with_sorted_keys_and_iso_days() -> None:
    metrics = health_metrics(
        items=ItemCounts(3, {"story": 2, "feature": 1}, 1),
        flow=train_flow(cumulative_flow=cumulative_flow([date(2026, 10, 5)], {"Funnel": [1]})),
    )
    document = json.loads(health_json(health_report(metrics=metrics)))["metrics"]
    assert list(document) == [
        "aging_wip",
        "capacity",
        "cumulative_flow",
        "data_quality",
        "flow_metrics",
        "forecast",
        "guardrails",
        "items",
        "kanban",
        "program_board",
        "readiness",
        "risks",
        "rollup",
        "team_boards",
    ]
    assert document["items"] == {"by_level": {"feature": 1, "story": 2}, "rejected": 1, "total": 3}
    assert document["cumulative_flow"]["days"] == ["2026-10-05"]


def test_converted_metrics_are_checked_not_guessed_at() -> None:
    assert json_ready({"b": float("nan"), "a": [1.5, float("inf")]}) == {
        "a": [1.5, None],
        "b": None,
    }
    with pytest.raises(TypeError, match="date"):
        json_ready({"day": date(2026, 10, 5)})  # a converter must say how a date is written


def test_hostile_text_stays_data() -> None:
    hostile = '<script>alert(1)</script> ]]> & "quoted" \r\n\x00'
    document = json.loads(health_json(health_report(Finding("x", Severity.INFO, hostile, hostile))))
    assert document["findings"][0]["subject"] == hostile


@given(st.text(), st.text(), st.dictionaries(st.text(), st.integers() | st.text()))
def test_any_text_round_trips(subject: str, message: str, data: dict) -> None:
    finding = Finding("rule", Severity.WARNING, subject, message, data)
    document = json.loads(health_json(health_report(finding)))
    assert document["findings"][0]["subject"] == subject
    assert document["findings"][0]["message"] == message
    assert document["findings"][0]["data"] == data
