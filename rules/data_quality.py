"""Records the rules could not judge.

A nightly check that silently skips what it cannot read reports a healthier
train than the real one. Every such record is counted and listed instead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from art.model import BoardColumn, Finding, RejectedRecord, Severity, WorkItem
from rules.board import Board
from rules.timeline import ordered_transitions

RULE = "data-quality"


def rejected_record_findings(rejected: Iterable[RejectedRecord]) -> list[Finding]:
    """One finding per source record that could not be read at all."""
    return [
        Finding(
            rule=RULE,
            severity=Severity.WARNING,
            subject=record.key or "(record without a key)",
            message=f"could not be read: {record.reason}",
            data={"problem": "unreadable", "reason": record.reason},
        )
        for record in rejected
    ]


def unknown_status_findings(
    items: Iterable[WorkItem],
    columns: Sequence[BoardColumn],
    *,
    level: str,
    board: str = "Program Kanban",
) -> list[Finding]:
    """Items at the board's level whose status no column of `board` holds."""
    known = {status for column in columns for status in column.statuses}
    return [
        Finding(
            rule=RULE,
            severity=Severity.WARNING,
            subject=item.key,
            message=(
                f"status '{item.status}' is in no {board} state, so WIP limits cannot count it"
            ),
            data={"problem": "unknown-status", "status": item.status, "level": level},
        )
        for item in items
        if item.level == level and item.status not in known
    ]


def team_findings(
    items: Iterable[WorkItem], teams: Collection[str], *, level: str, team_field: str | None
) -> list[Finding]:
    """Items at the teams' level with no team, or a team the ART does not list.

    Such items count for the ART but for no team: no team's WIP, flow
    metrics or dependencies see them. When art.yaml maps no Team field at
    all, every item lacks a team for the same reason: that is one finding
    about the config, not one per item.
    """
    if team_field is None:
        return [unmapped_team_field_finding(items, teams, level=level)] if teams else []
    findings = []
    for item in items:
        if item.level != level or (item.team is not None and item.team in teams):
            continue
        if item.team is None:
            message, problem = "has no team, so no team's WIP or flow metrics count it", "no-team"
        else:
            message = f"team '{item.team}' is not a team of this ART (art.yaml teams)"
            problem = "unknown-team"
        findings.append(
            Finding(
                rule=RULE,
                severity=Severity.WARNING,
                subject=item.key,
                message=message,
                data={"problem": problem, "team": item.team, "level": level},
            )
        )
    return findings


def unmapped_team_field_finding(
    items: Iterable[WorkItem], teams: Collection[str], *, level: str
) -> Finding:
    unassigned = sum(1 for item in items if item.level == level)
    return Finding(
        rule=RULE,
        severity=Severity.WARNING,
        subject="jira.fields.team",
        message=(
            f"art.yaml lists {len(teams)} teams but maps no Team field (jira.fields.team), so "
            f"none of the {unassigned} {level} items has a team and no team's WIP or flow "
            "metrics count anything; set jira.fields.team to the Team field's name or id"
        ),
        data={"problem": "team-field-unmapped", "level": level, "items": unassigned},
    )


def no_history_findings(items: Iterable[WorkItem], board: Board, *, level: str) -> list[Finding]:
    """Items past the board's first column without a single recorded status change.

    Either they were created straight into that column or their changelog
    is missing; either way their age and cycle time count from creation.
    """
    first = board.columns[0].name if board.columns else None
    findings = []
    for item in items:
        state = board.state_of(item) if item.level == level else None
        if state is None or state == first or len(ordered_transitions(item)) > 1:
            continue
        findings.append(
            Finding(
                rule=RULE,
                severity=Severity.INFO,
                subject=item.key,
                message=(
                    f"in '{state}' without any recorded status change: created there, or its "
                    "changelog is missing; its age counts from creation"
                ),
                data={
                    "problem": "no-history",
                    "state": state,
                    "level": level,
                    "created": item.created,
                },
            )
        )
    return findings


def future_date_findings(items: Iterable[WorkItem], now: datetime) -> list[Finding]:
    """Items created, updated or moved after the check ran: a clock or an import gone wrong.

    Their ages and flow times would come out negative or from another time,
    so each is named instead of being judged silently.
    """
    findings = []
    for item in items:
        moments = [item.created, item.updated, *(change.at for change in item.transitions)]
        latest = max((moment for moment in moments if moment is not None), default=None)
        if latest is None or latest <= now:
            continue
        findings.append(
            Finding(
                rule=RULE,
                severity=Severity.WARNING,
                subject=item.key,
                message=(
                    f"dated {latest:%Y-%m-%d %H:%M %Z}, after this check ran: a wrong clock or "
                    "a bad import; its ages and flow times cannot be trusted"
                ),
                data={"problem": "future-date", "latest": latest},
            )
        )
    return findings


def problem_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many records of each data-quality problem the findings name."""
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.rule == RULE:
            problem = str(finding.data.get("problem", "other"))
            counts[problem] = counts.get(problem, 0) + 1
    return dict(sorted(counts.items()))
