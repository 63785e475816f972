"""The PI objectives for the terminal: predictability per PI and the findings, as rich tables.

Text from the source (objective texts in findings, team names) goes into
cells through `reports.summary.plain`: literal, without terminal controls.
"""

from __future__ import annotations

from rich import box
from rich.table import Table

from art.formatting import MISSING, percent
from reports.summary import SEVERITY_STYLE, plain
from rules.objectives import Band, ObjectivesReport

_BAND_STYLE = {Band.WITHIN: "green", Band.BELOW: "bold red", Band.ABOVE: "blue", Band.UNSCORED: ""}


def predictability_table(report: ObjectivesReport) -> Table:
    """One row per PI on record: the train's figures and the teams outside the band."""
    table = Table(
        title=f"{report.art}: predictability (band {report.band_low:g}-{report.band_high:g}%)",
        box=box.SIMPLE_HEAVY,
        title_justify="left",
    )
    for column in ("PI", "planned BV", "actual BV", "predictability", "teams outside the band"):
        table.add_column(column, justify="right" if "BV" in column else "left")
    for summary in report.pis:
        outside = [
            f"{team.team} {percent(team.figure.percent)}"
            for team in summary.teams
            if team.band in (Band.BELOW, Band.ABOVE)
        ]
        scored = summary.figure.scored
        table.add_row(
            plain(summary.pi),
            str(summary.figure.planned),
            str(summary.figure.actual) if scored else MISSING,
            plain(percent(summary.figure.percent), _BAND_STYLE[summary.band]),
            plain(", ".join(outside) if outside else ("none" if scored else "not scored yet")),
        )
    return table


def objective_findings_table(report: ObjectivesReport) -> Table:
    table = Table(title="Findings", box=box.SIMPLE_HEAVY, title_justify="left")
    for column in ("severity", "rule", "subject", "message"):
        table.add_column(column)
    for finding in report.findings:
        table.add_row(
            plain(finding.severity.value, SEVERITY_STYLE[finding.severity]),
            plain(finding.rule),
            plain(finding.subject),
            plain(finding.message),
        )
    return table
