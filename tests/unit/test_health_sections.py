"""The flow sections of the health page: order, tables, charts, hostile text, odd metrics."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime

from rich.console import Console

from art.model import Finding, Severity
from reports.health_page import health_page
from reports.summary import summary_table
from rules.flow_metrics import Period, PeriodFlow, ScopeFlow
from rules.health import HealthMetrics, HealthReport
from tests.metrics_builders import (
    aging,
    cumulative_flow,
    flow_metrics,
    health_metrics,
    kanban,
    percentiles,
    period_flow,
    state,
    team_boards,
    train_flow,
)
from tests.page_parsing import RI, parse_storage, text_of

PNG = b"\x89PNG\r\n\x1a\nnot really a picture"
HOSTILE = "<script>alert(1)</script> & ]]>"

PERIODS = (
    Period("PI 2026.4 to date", "pi", date(2026, 10, 5), date(2026, 11, 20)),
    Period("PI 2026.4 Iteration 1", "iteration", date(2026, 10, 5), date(2026, 10, 18)),
)


def period_values(period: Period, finished: int) -> PeriodFlow:
    times = percentiles(finished, 2.5, 9.0, 14.25)
    return period_flow(
        period,
        finished,
        times=times,
        by_type={"Story": times},
        ratio=0.8123,
        distribution={"Business": finished, "Enabler": 1},
    )


def scope(name: str, finished: int) -> ScopeFlow:
    return ScopeFlow("story", name, {p.name: period_values(p, finished) for p in PERIODS})


BOARDS = team_boards(
    {
        "Atlas": [state("To Do", 2), state("In Progress", 6, limit=5)],
        HOSTILE: [state("To Do", 0), state("In Progress", 0, limit=5)],
    },
    states=["To Do", "In Progress"],
)
FLOW = train_flow(
    team_boards=BOARDS,
    flow_metrics=flow_metrics(PERIODS, scope("ART", 12), scope("Atlas", 5)),
    cumulative_flow=cumulative_flow([date(2026, 10, 5)], {}),
    aging={"story": aging(level="story")},
)
METRICS = health_metrics(
    kanban=kanban(state("Implementing", 3, limit=8)),
    flow=FLOW,
    data_quality={"no-team": 1},
)


def aging_finding(key: str, age: float, severity: Severity = Severity.WARNING) -> Finding:
    data = {
        "type": "Story",
        "team": "Atlas",
        "state": "In Progress",
        "age_days": age,
        "threshold_days": 9.0,
    }
    return Finding("aging-wip", severity, key, f"in progress for {age} days", data)


FINDINGS = (
    aging_finding("AUR-2", 12.0),
    aging_finding("AUR-1", 30.5, Severity.CRITICAL),
    aging_finding("AUR-3", 20.0),
    Finding(
        "blocked",
        Severity.CRITICAL,
        "AUR-4",
        "blocked",
        {"blocked_days": 8.5, "reasons": ["flagged", HOSTILE]},
    ),
    Finding("stale", Severity.WARNING, "AUR-5", "stale", {"idle_days": 12.0}),
    Finding("dependency", Severity.CRITICAL, "AUR-6 blocks AUR-7", "late", {}),
    Finding("data-quality", Severity.WARNING, "AUR-8", "no team", {"problem": "no-team"}),
)


def report(*findings: Finding, metrics: HealthMetrics | None = None) -> HealthReport:
    return HealthReport(
        art="Aurora ART",
        generated_at=datetime(2026, 11, 20, 3, tzinfo=UTC),
        as_of=date(2026, 11, 20),
        pi="PI 2026.4",
        findings=findings,
        metrics=metrics or METRICS,
    )


def tables_after(root: ET.Element, heading: str) -> list[ET.Element]:
    """The tables between the h3 titled `heading` and the next heading."""
    children, found, tables = list(root), False, []
    for child in children:
        if child.tag in ("h2", "h3") and found:
            break
        if child.tag == "h3" and text_of(child) == heading:
            found = True
        elif found and child.tag == "table":
            tables.append(child)
    return tables


def test_the_teams_come_first_then_the_reference_sections_in_reading_order() -> None:
    root = parse_storage(health_page(report(*FINDINGS)).storage)
    assert [text_of(h) for h in root.iter("h2")] == [
        "Teams",
        "Program Kanban WIP",
        "Dependencies and program board",
        "Aging WIP",
        "Blocked work",
        "Stale work",
        "Data quality",
        "Flow metrics",
        "Other findings",
    ]
    assert "No other findings." in text_of(root)


def test_aging_rows_come_oldest_first_with_their_numbers() -> None:
    root = parse_storage(health_page(report(*FINDINGS)).storage)
    [table] = tables_after(root, "aging-wip (3)")
    rows = [[text_of(td) for td in tr] for tr in table.iter("tr") if tr[0].tag == "td"]
    assert [row[1] for row in rows] == ["AUR-1", "AUR-3", "AUR-2"]
    assert rows[0][0] == "Redcritical"  # the lozenge: its colour and title
    assert rows[0][5:] == ["30.5", "9"]


def test_the_summary_says_what_the_art_finished_this_pi() -> None:
    root = parse_storage(health_page(report()).storage)
    assert (
        "PI 2026.4 to date: 12 story items finished (85 % within 9 days), flow efficiency 81 %."
        in text_of(root)
    )


def test_flow_tables_per_period_and_flow_time_by_type() -> None:
    root = parse_storage(health_page(report()).storage)
    [table] = tables_after(root, "PI 2026.4 Iteration 1")
    atlas = [text_of(td) for td in list(table.iter("tr"))[2]]
    assert atlas == [
        "Atlas",
        "story",
        "5",
        "15",
        "2.5 / 9 / 14.2",
        "81 %",
        "4",
        "Business 5, Enabler 1",
    ]
    [by_type] = tables_after(root, "Flow time by type, PI 2026.4 to date")
    assert [text_of(td) for td in list(by_type.iter("tr"))[1]] == [
        "ART",
        "Story",
        "12",
        "2.5",
        "9",
        "14.2",
    ]


def test_team_boards_show_count_against_limit_and_escape_team_names() -> None:
    page = health_page(report())
    root = parse_storage(page.storage)
    [table] = tables_after(root, "Team boards (story WIP / limit)")
    cells = [[text_of(td) for td in tr] for tr in table.iter("tr") if tr[0].tag == "td"]
    assert cells[0] == ["Atlas", "2 / \u2013", "6 / 5 over"]
    assert cells[1][0] == HOSTILE
    assert "<script>" not in page.preview_html and "<script>" not in page.storage


def test_teams_on_boards_of_their_own_get_a_table_per_set_of_columns() -> None:
    boards = team_boards(
        {**BOARDS.teams, "Comet": [state("Doing", 3, limit=2)], "Draco": [state("Doing", 0)]},
        states=BOARDS.states,
        own_boards={"Comet": ["Doing"], "Draco": ["Doing"]},
    )
    flow = replace(FLOW, team_boards=boards)
    page = health_page(report(metrics=replace(METRICS, flow=flow)))
    root = parse_storage(page.storage)
    [shared] = tables_after(root, "Team boards (story WIP / limit)")
    assert [text_of(tr[0]) for tr in shared.iter("tr")][1:] == ["Atlas", HOSTILE]
    [comet_draco] = tables_after(root, "Comet, Draco: own board (story WIP / limit)")
    rows = [[text_of(cell) for cell in tr] for tr in comet_draco.iter("tr")]
    assert rows == [["Team", "Doing"], ["Comet", "3 / 2 over"], ["Draco", "0 / \u2013"]]


def test_charts_are_attachments_in_storage_and_data_uris_in_the_preview() -> None:
    charts = {
        "wip-by-state.png": PNG,
        "cumulative-flow.png": PNG + b"2",
        "aging-wip-story.png": PNG,
    }
    page = health_page(report(*FINDINGS), charts)
    assert dict(page.attachments) == charts
    root = parse_storage(page.storage)
    attached = [a.get(f"{{{RI}}}filename") for a in root.iter(f"{{{RI}}}attachment")]
    assert attached == ["wip-by-state.png", "aging-wip-story.png", "cumulative-flow.png"]
    uris = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page.preview_html)
    assert [base64.b64decode(uri) for uri in uris] == [PNG, PNG, PNG + b"2"]
    assert 'alt="Aging WIP, story"' in page.preview_html


def test_a_period_without_finished_items_shows_dashes_and_no_periods_no_section() -> None:
    idle = period_flow(PERIODS[0], 0, ratio=None, distribution={}, wip={})
    flow = flow_metrics(PERIODS[:1], ScopeFlow("story", "ART", {PERIODS[0].name: idle}))
    root = parse_storage(
        health_page(report(metrics=health_metrics(flow=train_flow(flow_metrics=flow)))).storage
    )
    [table] = tables_after(root, "PI 2026.4 to date")
    cells = [text_of(td) for td in list(table.iter("tr"))[1]]
    dash = "\u2013"
    assert cells == ["ART", "story", "0", "0", f"{dash} / {dash} / {dash}", dash, "0", dash]
    quiet = parse_storage(health_page(report(metrics=health_metrics())).storage)
    assert "Flow metrics" not in [text_of(h) for h in quiet.iter("h2")]


def test_no_metric_is_dumped_by_its_raw_key() -> None:
    """The flow metrics have their section; nothing is listed as a dotted key."""
    page = health_page(report())
    for text in (page.preview_html, page.storage):
        assert "flow_metrics." not in text and "cumulative_flow" not in text
        assert "items.total" not in text and "Other metrics" not in text
        assert "Read 0 items from Jira." in text


def test_the_terminal_summary_shows_the_flow_of_the_pi() -> None:
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(summary_table(report()))
    output = console.export_text()
    assert "Flow, PI 2026.4 to date" in output
    assert "2.5 / 9 / 14.2" in output


def test_the_terminal_summary_counts_findings_per_rule_worst_first() -> None:
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(summary_table(report(*FINDINGS)))
    lines = console.export_text().splitlines()
    start = next(n for n, line in enumerate(lines) if "Findings by rule" in line)
    rows = [line.split() for line in lines[start + 4 : start + 10]]
    assert rows[:3] == [
        ["aging-wip", "1", "2", "0"],
        ["blocked", "1", "0", "0"],
        ["dependency", "1", "0", "0"],
    ]
