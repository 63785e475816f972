"""The ROAM board and the program board on a page: view models the templates only lay out.

The health page shows both (the program board of the current PI and, once
its features are labelled, of the next one), with every dependency finding
and every risk finding beside them, their items linked to Jira. The ART's
PI objectives page shows the board of its PI, and the ROAM board when that
PI is the one running; nothing there depends on the day (no severities, no
"overdue"), so an unchanged Jira leaves the page unchanged.

Everything from Jira is text here; the templates (`boards.*.j2`) escape it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from art.formatting import MISSING
from art.model import Finding
from reports.health_json import sort_findings
from reports.health_sections import FOLD, LOZENGE, Chart
from reports.issue_links import IssueLink, issue_link
from reports.program_board import CURRENT, NEXT
from rules.dependency import RULE as DEPENDENCY
from rules.health import HealthReport
from rules.program_board import DependencyString, ProgramBoard, ProgramBoards
from rules.risk_overdue import RULE as OVERDUE
from rules.risk_register import RiskReport
from rules.risk_stale import RULE as STALE
from rules.risk_unowned import RULE as UNOWNED
from rules.risk_unroamed import RULE as UNROAMED
from rules.risks import ROAMED, Risk, Roam
from rules.train_boards import TrainBoards

RISK_RULES = (UNROAMED, UNOWNED, OVERDUE, STALE)
BOARD_RULES = frozenset({DEPENDENCY, *RISK_RULES})  # shown here, not in the generic findings
_COLOURS = {**LOZENGE, "red": "Red", "ok": "Green"}
_PROBLEMS = {
    "blocker-planned-later": "blocker planned later",
    "blocker-not-planned": "blocker not planned",
    "sprint-not-on-cadence": "a sprint is off the cadence",
}


@dataclass(frozen=True, slots=True)
class Badge:
    """A lozenge (storage) or badge (preview): a finding's severity, or a string's state
    on the program board ("red", "ok"), and its colour."""

    label: str

    @property
    def colour(self) -> str:
        return _COLOURS.get(self.label, "Grey")

    @property
    def severity(self) -> bool:
        return self.label in LOZENGE


@dataclass(frozen=True, slots=True)
class LinkedRow:
    """A table row that opens with a badge and issue links, then plain text cells."""

    badge: Badge
    links: tuple[IssueLink, ...]
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BoardView:
    """One program board: its picture and its strings."""

    title: str
    picture: Chart
    rows: tuple[LinkedRow, ...]  # blocker, blocked; teams and iterations; red first


@dataclass(frozen=True, slots=True)
class RiskCard:
    link: IssueLink
    summary: str
    line: str  # team, owner, due date, status


@dataclass(frozen=True, slots=True)
class RoamColumn:
    title: str
    cards: tuple[RiskCard, ...]


@dataclass(frozen=True, slots=True)
class RoamView:
    """The ROAM board: the four columns, what is not ROAMed yet, the counts by team."""

    intro: str
    unroamed: tuple[RiskCard, ...]
    columns: tuple[RoamColumn, ...]
    count_headers: tuple[str, ...]
    count_rows: tuple[tuple[str, ...], ...]
    findings: tuple[LinkedRow, ...]


DEPENDENCY_HEADERS = (
    "Blocker",
    "Waits on it",
    "Blocker's team",
    "Planned in",
    "Team waiting",
    "Needed in",
    "Problem",
)
RISK_FINDING_HEADERS = ("Risk", "Rule", "Finding")


# --------------------------------------------------------------------------
# The health page


def health_board_context(
    report: HealthReport, charts: Mapping[str, bytes], jira_url: str | None
) -> dict[str, Any]:
    """The template variables of the health page's board sections."""
    boards = report.metrics.program_board
    dependency_findings = [f for f in sort_findings(report.findings) if f.rule == DEPENDENCY]
    views = [
        BoardView(title, Chart(name, _alt(board), charts[name]), ())
        for title, name, board in _drawn(boards)
        if name in charts
    ]
    finding_rows = [_finding_row(f, jira_url) for f in dependency_findings]
    judged = {(f.data.get("blocker"), f.data.get("blocked")) for f in dependency_findings}
    fine = {
        (s.blocker, s.blocked): _string_row(s, jira_url)
        for board in boards.drawn()
        for s in board.strings
        if (s.blocker, s.blocked) not in judged
    }
    risk_findings = [f for f in sort_findings(report.findings) if f.rule in RISK_RULES]
    return {
        "program_boards": views,
        "dependency_rows": finding_rows + list(fine.values()),
        "dependency_headers": DEPENDENCY_HEADERS,
        "roam": roam_view(report.metrics.risks, jira_url, risk_findings),
        "risk_headers": RISK_FINDING_HEADERS,
        "fold": FOLD,
    }


def _drawn(boards: ProgramBoards) -> list[tuple[str, str, ProgramBoard]]:
    drawn = []
    if boards.current is not None:
        drawn.append((f"{boards.current.pi} (running)", CURRENT, boards.current))
    if boards.next is not None:
        drawn.append((f"{boards.next.pi} (next, being planned)", NEXT, boards.next))
    return drawn


def _finding_row(finding: Finding, jira_url: str | None) -> LinkedRow:
    data = finding.data
    keys = [str(data.get("blocker") or ""), str(data.get("blocked") or "")]
    return LinkedRow(
        Badge(finding.severity.value),
        tuple(issue_link(key, jira_url) for key in keys),
        (
            _text(data.get("blocker_team")),
            _text(data.get("blocker_iteration")),
            _text(data.get("blocked_team")),
            _text(data.get("blocked_iteration")),
            finding.message,
        ),
    )


# --------------------------------------------------------------------------
# The ART's PI objectives page


def objectives_board_context(
    boards: TrainBoards | None, pi: str, jira_url: str | None
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The board sections of the ART's page of `pi`, and the picture to attach.

    Its program board if one is drawn for it; its ROAM board if it is the PI running.
    """
    context: dict[str, Any] = {
        "program_boards": [],
        "dependency_rows": [],
        "dependency_headers": DEPENDENCY_HEADERS,
        "roam": None,
        "risk_headers": RISK_FINDING_HEADERS,
        "fold": FOLD,
    }
    attachments: dict[str, bytes] = {}
    if boards is None:
        return context, attachments
    from reports.program_board import program_board_png

    program = boards.program
    board = next((b for b in program.drawn() if b.pi == pi), None)
    if board is not None:
        png = program_board_png(board)
        attachments[CURRENT] = png
        rows = tuple(_string_row(s, jira_url) for s in _red_first(board.strings))
        context["program_boards"] = [BoardView(board.pi, Chart(CURRENT, _alt(board), png), rows)]
    if program.current is not None and program.current.pi == pi:
        context["roam"] = roam_view(boards.risks, jira_url, ())
    return context, attachments


# --------------------------------------------------------------------------
# Shared


def roam_view(
    report: RiskReport, jira_url: str | None, findings: Sequence[Finding]
) -> RoamView | None:
    """The ROAM board of the register; None when there is nothing to show."""
    if not report.risks and not findings:
        return None
    planning = report.planning
    since = (
        f" and those resolved since {planning.title} began ({planning.start:%d %b %Y})"
        if planning
        else ""
    )
    states = [state.value for state in Roam]
    count_rows = [
        (team, *(str(counts[state]) for state in states), str(sum(counts.values())))
        for team, counts in report.counts.teams.items()
    ]
    art = report.counts.art
    count_rows.append(("ART", *(str(art[state]) for state in states), str(sum(art.values()))))
    return RoamView(
        intro=f"Every open risk{since}, by ROAM state; the owner is the assignee.",
        unroamed=tuple(_risk_card(r, jira_url) for r in report.risks if r.roam is Roam.UNROAMED),
        columns=tuple(
            RoamColumn(
                state.value.capitalize(),
                tuple(_risk_card(r, jira_url) for r in report.risks if r.roam is state),
            )
            for state in ROAMED
        ),
        count_headers=("Team", *(s.capitalize() for s in states), "All"),
        count_rows=tuple(count_rows),
        findings=tuple(
            LinkedRow(
                Badge(f.severity.value), (issue_link(f.subject, jira_url),), (f.rule, f.message)
            )
            for f in findings
        ),
    )


def _risk_card(risk: Risk, jira_url: str | None) -> RiskCard:
    parts = [
        risk.team or "no team",
        f"owner {risk.owner or 'nobody'}",
        f"due {risk.due.isoformat() if risk.due else MISSING}",
        f"status {risk.status}",
    ]
    return RiskCard(issue_link(risk.key, jira_url), risk.summary, " · ".join(parts))


def _string_row(string: DependencyString, jira_url: str | None) -> LinkedRow:
    return LinkedRow(
        Badge("red" if string.red else "ok"),
        (issue_link(string.blocker, jira_url), issue_link(string.blocked, jira_url)),
        (
            string.blocker_team,
            _text(string.blocker_iteration),
            string.blocked_team,
            _text(string.blocked_iteration),
            _PROBLEMS.get(string.problem or "", "in order"),
        ),
    )


def _red_first(strings: Iterable[DependencyString]) -> list[DependencyString]:
    return sorted(strings, key=lambda s: not s.red)  # stable: key order within each


def _alt(board: ProgramBoard) -> str:
    red = len(board.violations)
    return f"Program board of {board.pi}: {len(board.strings)} dependencies, {red} red"


def _text(value: Any) -> str:
    return MISSING if value is None else str(value)
