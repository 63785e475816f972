"""PI objective pages: one per team and one for the ART, per PI on record.

Titles are predictable (`PI 2026.4 - Team Atlas - PI Objectives`,
`PI 2026.4 - Aurora ART - Program PI Objectives`) because publishers find a
page by its title, and the keys (`objectives:<art>:<pi>:team:<team>`) are
stable, because the publisher marks each page with it.

A page holds nothing that changes by itself from day to day (no "as of"
date), so re-rendering an unchanged PI gives identical bytes and the
publisher writes nothing. The ART page's chart stops at its own PI for the
same reason.

The view model is built here; the templates only lay it out, through the
escaping, XML-safe environment of `reports.templating`.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from art.formatting import MISSING, number, percent
from art.model import Finding, Objective, Page
from reports.board_sections import objectives_board_context
from reports.issue_links import IssueLink as FeatureLink
from reports.issue_links import issue_link as feature_link
from reports.predictability_chart import FILENAME as CHART_FILENAME
from reports.predictability_chart import predictability_chart
from reports.templating import render, slugify
from rules.data_quality import RULE as DATA_QUALITY
from rules.objectives import (
    Band,
    ObjectivesReport,
    PiObjectives,
    Predictability,
    TeamObjectives,
)
from rules.train_boards import TrainBoards

_BAND_LOOK = {  # lozenge colour, label
    Band.WITHIN: ("Green", "within band"),
    Band.BELOW: ("Red", "below band"),
    Band.ABOVE: ("Blue", "above band"),
    Band.UNSCORED: ("Grey", "not scored"),
}


def team_page_title(pi: str, team: str) -> str:
    return f"{pi} - Team {team} - PI Objectives"


def art_page_title(pi: str, art: str) -> str:
    return f"{pi} - {art} - Program PI Objectives"


def objectives_scope(art: str) -> str:
    """The key prefix every objectives page of the ART has (the flow's pages, for orphans)."""
    return f"objectives:{slugify(art)}:"


def team_page_key(art: str, pi: str, team: str) -> str:
    return f"objectives:{slugify(art)}:{slugify(pi)}:team:{slugify(team)}"


def art_page_key(art: str, pi: str) -> str:
    return f"objectives:{slugify(art)}:{slugify(pi)}:art"


def objective_pages(
    report: ObjectivesReport, *, jira_url: str | None = None, boards: TrainBoards | None = None
) -> list[Page]:
    """Every page of every PI on record: the team pages, then the ART page, PI by PI.

    `boards` puts a PI's program board (and, for the PI running, the ROAM
    board) on its ART page."""
    pages: list[Page] = []
    for summary in report.pis:
        pages.extend(team_page(report, summary, team, jira_url) for team in summary.teams)
        pages.append(art_page(report, summary, jira_url, boards))
    return pages


def team_page(
    report: ObjectivesReport, summary: PiObjectives, team: TeamObjectives, jira_url: str | None
) -> Page:
    """One team's objectives in one PI."""
    context = {
        **_common(report, summary),
        "page_kind": "team",
        "title": team_page_title(summary.pi, team.team),
        "team": team.team,
        "figure": figure_row(team.team, team.figure, team.band),
        "objectives": objective_rows(team.objectives, jira_url),
        "notes": _notes(summary.findings, team=team.team),
    }
    return _page(team_page_key(report.art, summary.pi, team.team), context)


def art_page(
    report: ObjectivesReport,
    summary: PiObjectives,
    jira_url: str | None,
    boards: TrainBoards | None = None,
) -> Page:
    """The Program PI objectives: every team's objectives, figures and the chart across PIs,
    with the PI's program board and ROAM board when `boards` holds them."""
    chart = predictability_chart(
        report.history(summary.pi), band_low=report.band_low, band_high=report.band_high
    )
    context = {
        **_common(report, summary),
        "page_kind": "art",
        "title": art_page_title(summary.pi, report.art),
        "figure": figure_row(report.art, summary.figure, summary.band, is_art=True),
        "rows": [
            figure_row(t.team, t.figure, t.band, objectives=t.objectives) for t in summary.teams
        ],
        "teams": [
            {
                "name": team.team,
                "title": team_page_title(summary.pi, team.team),
                "objectives": objective_rows(team.objectives, jira_url),
            }
            for team in summary.teams
        ],
        "chart": CHART_FILENAME if chart else None,
        "chart_data_uri": _data_uri(chart) if chart else None,
        "notes": _notes(summary.findings),
    }
    board_context, pictures = objectives_board_context(boards, summary.pi, jira_url)
    attachments = ({CHART_FILENAME: chart} if chart else {}) | pictures
    return _page(art_page_key(report.art, summary.pi), context | board_context, attachments)


# --------------------------------------------------------------------------
# View model


@dataclass(frozen=True, slots=True)
class ObjectiveRow:
    text: str
    committed: bool
    planned: str
    actual: str
    features: tuple[FeatureLink, ...]

    @property
    def commitment(self) -> str:
        return "committed" if self.committed else "uncommitted"

    @property
    def colour(self) -> str:
        return "Green" if self.committed else "Grey"


@dataclass(frozen=True, slots=True)
class FigureRow:
    name: str
    committed: int
    uncommitted: int
    planned: str
    actual: str
    percent: str
    band: str
    colour: str
    is_art: bool = False

    @property
    def highlight(self) -> str | None:
        """The table-cell highlight for a figure outside the band, else None."""
        return {"Red": "red", "Blue": "blue"}.get(self.colour)


def objective_rows(objectives: Sequence[Objective], jira_url: str | None) -> list[ObjectiveRow]:
    return [
        ObjectiveRow(
            text=objective.text,
            committed=objective.committed,
            planned=_number(objective.planned_value),
            actual=_number(objective.actual_value),
            features=tuple(feature_link(key, jira_url) for key in objective.features),
        )
        for objective in objectives
    ]


def figure_row(
    name: str,
    figure: Predictability,
    band: Band,
    *,
    is_art: bool = False,
    objectives: Sequence[Objective] = (),
) -> FigureRow:
    colour, label = _BAND_LOOK[band]
    committed = sum(1 for objective in objectives if objective.committed)
    return FigureRow(
        name=name,
        committed=committed,
        uncommitted=len(objectives) - committed,
        planned=str(figure.planned),
        actual=str(figure.actual) if figure.scored else MISSING,
        percent=percent(figure.percent),
        band=label,
        colour=colour,
        is_art=is_art,
    )


def _number(value: int | None) -> str:
    return number(value, "d")


def _notes(findings: Sequence[Finding], *, team: str | None = None) -> list[Finding]:
    """The data-quality findings worth showing on a page (one team's, or all of the PI's)."""
    return [
        finding
        for finding in findings
        if finding.rule == DATA_QUALITY and (team is None or finding.data.get("team") == team)
    ]


def _common(report: ObjectivesReport, summary: PiObjectives) -> dict[str, Any]:
    return {
        "art": report.art,
        "pi": summary.pi,
        "start": summary.start.isoformat(),
        "end": summary.end.isoformat(),
        "band": f"{report.band_low:g}-{report.band_high:g}%",
        "art_title": art_page_title(summary.pi, report.art),
    }


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _page(key: str, context: dict[str, Any], attachments: dict[str, bytes] | None = None) -> Page:
    return Page(
        key=key,
        title=context["title"],
        storage=render("objectives.storage.xml.j2", "storage", context),
        preview_html=render("objectives.preview.html.j2", "preview", context),
        attachments=MappingProxyType(dict(attachments or {})),
    )
