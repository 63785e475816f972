"""The flow sections of the health page: order, tables, charts, hostile text, odd metrics."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

from rich.console import Console

from art.model import Finding, Severity
from reports.health_page import health_page
from reports.summary import summary_table
from rules.health import HealthReport

AC = "http://atlassian.com/content"
RI = "http://atlassian.com/resource/identifier"
PNG = b"\x89PNG\r\n\x1a\nnot really a picture"
HOSTILE = "<script>alert(1)</script> & ]]>"

PERIODS = [
    {
        "name": "PI 2026.4 to date",
        "kind": "pi",
        "start": date(2026, 10, 5),
        "end": date(2026, 11, 20),
    },
    {
        "name": "PI 2026.4 Iteration 1",
        "kind": "iteration",
        "start": date(2026, 10, 5),
        "end": date(2026, 10, 18),
    },
]


def period_values(finished: int) -> dict:
    return {
        "velocity": {"items": finished, "points": 3.0 * finished},
        "time": {
            "all": {"count": finished, "p50": 2.5, "p85": 9.0, "p95": 14.25},
            "Story": {"count": finished, "p50": 2.5, "p85": 9.0, "p95": 14.25},
        },
        "efficiency": {"ratio": 0.8123},
        "load": {"states": {"In Progress": 4}, "total": 4},
        "distribution": {"Business": {"count": finished}, "Enabler": {"count": 1}},
    }


METRICS = {
    "kanban": {
        "level": "feature",
        "states": [{"name": "Implementing", "count": 3, "wip_limit": 8}],
    },
    "team_boards": {
        "level": "story",
        "states": ["To Do", "In Progress"],
        "teams": {
            "Atlas": [
                {"name": "To Do", "count": 2},
                {"name": "In Progress", "count": 6, "wip_limit": 5},
            ],
            HOSTILE: [],
        },
    },
    "flow_metrics": {
        "periods": PERIODS,
        "scopes": [
            {
                "level": "story",
                "scope": "ART",
                "by_period": {p["name"]: period_values(12) for p in PERIODS},
            },
            {
                "level": "story",
                "scope": "Atlas",
                "by_period": {p["name"]: period_values(5) for p in PERIODS},
            },
        ],
    },
    "cumulative_flow": {"days": [date(2026, 10, 5)], "states": [], "counts": {}},
    "aging_wip": {"story": {"items": []}},
    "data_quality": {"no-team": 1},
}


def aging(key: str, age: float, severity: Severity = Severity.WARNING) -> Finding:
    data = {
        "type": "Story",
        "team": "Atlas",
        "state": "In Progress",
        "age_days": age,
        "threshold_days": 9.0,
    }
    return Finding("aging-wip", severity, key, f"in progress for {age} days", data)


FINDINGS = (
    aging("AUR-2", 12.0),
    aging("AUR-1", 30.5, Severity.CRITICAL),
    aging("AUR-3", 20.0),
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


def report(*findings: Finding, metrics: dict | None = None) -> HealthReport:
    return HealthReport(
        art="Aurora ART",
        generated_at=datetime(2026, 11, 20, 3, tzinfo=UTC),
        as_of=date(2026, 11, 20),
        pi="PI 2026.4",
        findings=findings,
        metrics=METRICS if metrics is None else metrics,
    )


def storage_root(storage: str) -> ET.Element:
    return ET.fromstring(f'<root xmlns:ac="{AC}" xmlns:ri="{RI}">{storage}</root>')


def text(element: ET.Element) -> str:
    return "".join(element.itertext())


def tables_after(root: ET.Element, heading: str) -> list[ET.Element]:
    """The tables between the h3 titled `heading` and the next heading."""
    children, found, tables = list(root), False, []
    for child in children:
        if child.tag in ("h2", "h3") and found:
            break
        if child.tag == "h3" and text(child) == heading:
            found = True
        elif found and child.tag == "table":
            tables.append(child)
    return tables


def test_sections_follow_the_summary_and_wip_in_the_issues_order() -> None:
    root = storage_root(health_page(report(*FINDINGS)).storage)
    assert [text(h) for h in root.iter("h2")] == [
        "Summary",
        "Program Kanban WIP",
        "Aging WIP",
        "Blocked work",
        "Stale work",
        "Dependencies",
        "Data quality",
        "Flow metrics",
        "Findings",
        "Other metrics",
    ]
    assert "No other findings." in text(root)


def test_aging_rows_come_oldest_first_with_their_numbers() -> None:
    root = storage_root(health_page(report(*FINDINGS)).storage)
    [table] = tables_after(root, "aging-wip (3)")
    rows = [[text(td) for td in tr] for tr in table.iter("tr") if tr[0].tag == "td"]
    assert [row[1] for row in rows] == ["AUR-1", "AUR-3", "AUR-2"]
    assert rows[0][0] == "Redcritical"  # the lozenge: its colour and title
    assert rows[0][5:] == ["30.5", "9"]


def test_the_summary_says_what_the_art_finished_this_pi() -> None:
    root = storage_root(health_page(report()).storage)
    assert (
        "PI 2026.4 to date: 12 story items finished (85 % within 9 days), flow efficiency 81 %."
        in text(root)
    )


def test_flow_tables_per_period_and_flow_time_by_type() -> None:
    root = storage_root(health_page(report()).storage)
    [table] = tables_after(root, "PI 2026.4 Iteration 1")
    atlas = [text(td) for td in list(table.iter("tr"))[2]]
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
    assert [text(td) for td in list(by_type.iter("tr"))[1]] == [
        "ART",
        "Story",
        "12",
        "2.5",
        "9",
        "14.2",
    ]


def test_team_boards_show_count_against_limit_and_escape_team_names() -> None:
    page = health_page(report())
    root = storage_root(page.storage)
    [table] = tables_after(root, "Team boards (story WIP / limit)")
    cells = [[text(td) for td in tr] for tr in table.iter("tr") if tr[0].tag == "td"]
    assert cells[0] == ["Atlas", "2 / \u2013", "6 / 5 over"]
    assert cells[1][0] == HOSTILE
    assert "<script>" not in page.preview_html and "<script>" not in page.storage


def test_teams_on_boards_of_their_own_get_a_table_per_set_of_columns() -> None:
    own = {"Doing": [{"name": "Doing", "count": 3, "wip_limit": 2}]}
    boards = {
        **METRICS["team_boards"],
        "teams": {**METRICS["team_boards"]["teams"], "Comet": own["Doing"], "Draco": []},
        "own_boards": {"Comet": ["Doing"], "Draco": ["Doing"]},
    }
    page = health_page(report(metrics={**METRICS, "team_boards": boards}))
    root = storage_root(page.storage)
    [shared] = tables_after(root, "Team boards (story WIP / limit)")
    assert [text(tr[0]) for tr in shared.iter("tr")][1:] == ["Atlas", HOSTILE]
    [comet_draco] = tables_after(root, "Comet, Draco: own board (story WIP / limit)")
    rows = [[text(cell) for cell in tr] for tr in comet_draco.iter("tr")]
    assert rows == [["Team", "Doing"], ["Comet", "3 / 2 over"], ["Draco", "\u2013 / \u2013"]]


def test_charts_are_attachments_in_storage_and_data_uris_in_the_preview() -> None:
    charts = {
        "wip-by-state.png": PNG,
        "cumulative-flow.png": PNG + b"2",
        "aging-wip-story.png": PNG,
    }
    page = health_page(report(*FINDINGS), charts)
    assert dict(page.attachments) == charts
    root = storage_root(page.storage)
    attached = [a.get(f"{{{RI}}}filename") for a in root.iter(f"{{{RI}}}attachment")]
    assert attached == ["wip-by-state.png", "aging-wip-story.png", "cumulative-flow.png"]
    uris = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page.preview_html)
    assert [base64.b64decode(uri) for uri in uris] == [PNG, PNG, PNG + b"2"]
    assert 'alt="Aging WIP, story"' in page.preview_html


def test_odd_flow_metrics_render_as_dashes_not_errors() -> None:
    odd = {
        "flow_metrics": {
            "periods": [{"name": "P"}, "junk"],
            "scopes": [{"scope": "ART", "by_period": {"P": 3}}, 5],
        },
        "team_boards": {"teams": {"Atlas": "junk"}, "states": None},
        "aging_wip": None,
    }
    page = health_page(report(metrics=odd))
    root = storage_root(page.storage)
    assert [text(h) for h in root.iter("h2")][-1] == "Findings"
    assert "No findings" in text(root)


def test_the_flow_metrics_are_not_repeated_in_the_other_metrics_table() -> None:
    page = health_page(report(metrics=METRICS | {"note": "kept"}))
    assert "flow_metrics." not in page.preview_html
    assert "cumulative_flow" not in page.preview_html
    assert "note" in page.preview_html


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
