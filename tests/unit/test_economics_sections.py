"""The health page's roll-up, guardrail and readiness sections."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from types import MappingProxyType

from art.model import StatusCategory
from reports.economics_sections import economic_sections
from reports.health_page import health_page
from rules.economics import evaluate_economics
from rules.health import HealthReport
from tests.builders import item
from tests.config_builders import art_config
from tests.metrics_builders import economic_reports, health_metrics, health_report
from tests.page_parsing import Html, parse_storage, text_of

HOSTILE = '<script>alert(1)</script> & "]]>" <ac:structured-macro ac:name="html">'
TODAY = date(2026, 11, 20)


def hostile_report() -> HealthReport:
    config = art_config(
        budgets={
            "value_streams": [{"name": "Retail", "pi_budget": 1000}],
            "capacity_allocation": {"Business": 50, "Enabler": 50},
            "epic_threshold": 1000,
            "epic_approved_statuses": ["Implementing"],
        }
    )
    label = MappingProxyType({"labels": ("pi-2027.1",), "value_stream": "Retail"})
    items = [
        # a summary with markup, as Jira may send it
        replace(
            item("E-1", "Analyzing", level="epic", estimate=100, fields=label), summary=HOSTILE
        ),
        item("F-1", "Implementing", level="feature", parent="E-1", estimate=5, fields=label),
        item(
            "S-1",
            "Done",
            level="story",
            parent="F-1",
            estimate=8,
            team="Atlas",
            category=StatusCategory.DONE,
            work_type="Business",
            resolved=datetime(2026, 11, 2, tzinfo=UTC),
        ),
    ]
    economics = evaluate_economics(items, config, today=TODAY)
    metrics = health_metrics(economics=economics)
    return HealthReport(
        "Test ART",
        datetime(2026, 11, 20, tzinfo=UTC),
        TODAY,
        "PI 2026.4",
        economics.findings,
        metrics,
    )


def test_each_economic_rule_has_its_section_with_its_findings() -> None:
    report = hostile_report()
    titles = [section.title for section in economic_sections(report)]
    assert titles == ["Estimate roll-up", "Lean budget guardrails", "PI-planning readiness"]
    tables = {t.title.split(" (")[0] for s in economic_sections(report) for t in s.tables}
    rules = {f.rule for f in report.findings} - {"data-quality"}
    assert rules <= tables  # every finding of these rules is listed in its section


def test_the_sections_reach_the_page_as_text_and_are_not_repeated_below() -> None:
    page = health_page(hostile_report())
    root = parse_storage(page.storage)
    headings = [text_of(h) for h in root.iter("h2")]
    assert {"Estimate roll-up", "Lean budget guardrails", "PI-planning readiness"} <= set(headings)
    cells = [text_of(cell) for cell in root.iter("td")]
    assert HOSTILE in cells
    assert not any(cell.startswith("rollup.rows") for cell in cells)  # not in "other metrics"
    h3 = [text_of(h) for h in root.iter("h3")]
    assert h3.count("epic-approval (1)") == 1  # in its section, not again under Findings
    preview = Html(page.preview_html)
    assert "script" not in preview.tags and HOSTILE in preview.cells


def test_reports_with_nothing_to_show_give_no_section() -> None:
    # nothing to roll up, no PI running to guard, no PI ahead to plan
    quiet = health_report(metrics=health_metrics(economics=economic_reports()))
    assert economic_sections(quiet) == []
    assert "Estimate roll-up" not in health_page(quiet).storage
