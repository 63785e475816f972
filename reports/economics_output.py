"""What `rte rollup`, `rte budget` and `rte readiness` print and write.

The terminal shows the same tables as the health page's economic sections
(`reports.economics_sections`), as rich tables with Jira text taken
literally; `--json` writes the command's report and findings as
deterministic JSON (sorted keys and findings, like `health.json`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from rich import box
from rich.table import Table as RichTable

from art.formatting import number
from art.model import Finding, Severity
from reports.health_json import json_ready, sort_findings, to_plain
from reports.health_sections import Section
from reports.summary import SEVERITY_STYLE, plain

_RIGHT_ALIGNED = (
    "estimate",
    "total",
    "done",
    "remaining",
    "%",
    "variance",
    "forecast",
    "points",
    "items",
    "deviation",
    "budget",
    "spent",
    "wsjf",
    "cost",
    "size",
    "rank",
    "agreed",
    "share",
    "of budget",
    "unestimated",
)


def section_tables(section: Section | None) -> list[RichTable]:
    """A section's tables for the terminal; severity-graded tables get a coloured column."""
    if section is None:
        return []
    tables = []
    for data in section.tables:
        table = RichTable(title=data.title, box=box.SIMPLE_HEAVY, title_justify="left")
        if data.graded:
            table.add_column("Severity", no_wrap=True)
        for header in data.headers:
            if header in ("Summary", "Details"):  # long Jira text: one line, or wrapped
                summary = header == "Summary"
                table.add_column(header, max_width=40 if summary else 80)
                continue
            right = any(word in header.lower() for word in _RIGHT_ALIGNED)
            table.add_column(header, justify="right" if right else "left")
        for row in data.rows:
            cells = [plain(cell) for cell in row.cells]
            if data.graded:
                severity = Severity(row.severity or "info")
                cells.insert(0, plain(severity.value, SEVERITY_STYLE[severity]))
            table.add_row(*cells)
        tables.append(table)
    return tables


def write_back_table(
    writes: Sequence[Any],
    *,
    field: str,
    unchanged: int,
    outcomes: Mapping[str, str] | None = None,
) -> RichTable:
    """The parents whose rolled-up field would change, and how; with `outcomes` (key ->
    `written`, `failed: reason`, `not attempted`), what became of each write."""
    if outcomes is None:
        summary = f"{len(writes)} to write"
    else:
        counts = Counter(outcome.partition(":")[0] for outcome in outcomes.values())
        summary = ", ".join(
            f"{counts[word]} {word}"
            for word in ("written", "failed", "not attempted")
            if counts[word] or word != "not attempted"
        )
    table = RichTable(
        title=f"Write-back to '{field}': {summary}, {unchanged} unchanged",
        box=box.SIMPLE_HEAVY,
        title_justify="left",
    )
    table.add_column("Item")
    table.add_column("In Jira", justify="right")
    table.add_column("Rolled up", justify="right")
    if outcomes is not None:
        table.add_column("Result", max_width=80)
    for write in writes:
        cells = [
            plain(write.key),
            plain(number(write.current)),
            plain(number(write.value)),
        ]
        if outcomes is not None:
            outcome = outcomes.get(write.key, "not attempted")
            cells.append(plain(outcome, "" if outcome == "written" else "bold red"))
        table.add_row(*cells)
    return table


def command_json(
    art: str, as_of: date, body: Mapping[str, Any], findings: Iterable[Finding]
) -> str:
    """A command's `--json` document: the ART, the day, its report as JSON data (from
    `reports.economics_json`, plus what the command adds) and its findings."""
    document = {
        "art": art,
        "as_of": as_of.isoformat(),
        **json_ready(dict(body)),
        "findings": to_plain([finding.to_dict() for finding in sort_findings(findings)]),
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
