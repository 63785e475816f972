"""The morning read on the health page: view models the templates only lay out.

At the top of the page: the act-today list (at most `rules.act_today.SHOWN`
entries, then "and N more"), within the first screen; what is new and what
was resolved since the last run; the PI's progress as a row of figures and
the trends as small multiples. Near the end, the suppressed findings,
greyed, with their reason.
Every value is text here (item keys carry their Jira link); the templates
escape it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from art.formatting import MISSING, percent
from art.history import SeenFinding
from art.model import Finding
from reports.health_sections import Chart
from reports.morning_json import worst_first
from reports.trend_charts import TREND_CHARTS
from rules.act_today import SHOWN, ActEntry
from rules.health import HealthReport
from rules.pi_progress import PiProgress
from rules.since_last_run import SinceLastRun

LISTED = 10  # new and resolved findings listed on the page; the rest is "and N more"


@dataclass(frozen=True, slots=True)
class Line:
    """One row of a morning table: a severity badge, a subject (linked when it is an item)
    and the cells after it."""

    severity: str
    subject: str
    link: str | None
    cells: tuple[str, ...]
    rules: str = ""  # the act-today list: the rules the subject breaks, before what it says


@dataclass(frozen=True, slots=True)
class Listing:
    title: str
    headers: tuple[str, ...]  # after the severity and the subject
    lines: tuple[Line, ...]
    more: int  # left off the page


def morning_context(report: HealthReport, charts: Mapping[str, bytes]) -> dict[str, Any]:
    """The template variables of the morning read (empty where the report has none of it)."""
    morning = report.morning
    return {
        "act_today": act_today_listing(report.act_today) if report.act_today is not None else None,
        "pi_stats": pi_stats(morning.pi_progress) if morning is not None else [],
        "since_line": since_line(morning.since_last_run) if morning is not None else "",
        "since_listings": since_listings(morning.since_last_run) if morning is not None else [],
        "trend_charts": [
            Chart(name, title, charts[name])
            for name, title in TREND_CHARTS.items()
            if name in charts
        ],
        "suppressed": suppressed_listing(report.suppressed),
    }


def act_today_listing(entries: Sequence[ActEntry]) -> Listing:
    """The first `SHOWN` entries: the item, who has it, the rules it breaks and what they say."""
    lines = tuple(
        Line(
            entry.severity.value,
            entry.subject,
            entry.url,
            (
                entry.item.title if entry.item else MISSING,
                (entry.item.team or MISSING) if entry.item else MISSING,
                (entry.item.assignee or MISSING) if entry.item else MISSING,
                entry.message,
            ),
            rules=", ".join(entry.rules),
        )
        for entry in entries[:SHOWN]
    )
    headers = ("Title", "Team", "Assignee", "What")
    title = f"Act today ({len(entries)})" if len(entries) > SHOWN else "Act today"
    return Listing(title, headers, lines, max(0, len(entries) - SHOWN))


def pi_stats(progress: PiProgress | None) -> list[tuple[str, str]]:
    """The PI's progress as labelled figures: its iteration, day, days left, the features
    done of those planned, predictability so far (none between PIs)."""
    if progress is None:
        return []
    stats = [("PI", progress.pi)]
    if progress.iteration is not None:
        ip = " (IP)" if progress.iteration.is_ip else ""
        stats.append(("Iteration", f"{progress.iteration.number} of {progress.iterations}{ip}"))
    stats += [
        ("Day", f"{progress.day} of {progress.days}"),
        ("Days left", str(progress.days_left)),
    ]
    features = progress.features
    stats.append(
        (
            f"Planned {features.level}s done ({features.basis})",
            f"{features.done} of {features.planned}",
        )
    )
    predictability = progress.predictability
    scored = predictability.status == "scored"
    stats.append(
        ("Predictability", percent(predictability.percent) if scored else predictability.status)
    )
    return stats


def since_line(since: SinceLastRun) -> str:
    if since.previous is None or since.previous_night is None:
        return (
            "No earlier run in the state directory: every finding is new tonight, and "
            "tomorrow's page says what changed."
        )
    ran = since.previous.strftime("%Y-%m-%d %H:%M %Z").strip()
    return (
        f"Since the run for {since.previous_night.isoformat()} (ran {ran}): "
        f"{len(since.new)} new, {len(since.resolved)} resolved, {since.still_open} still open."
    )


def since_listings(since: SinceLastRun) -> list[Listing]:
    """The new and the resolved findings (none listed on a first run: all would be new)."""
    if since.previous is None:
        return []
    headers = ("Rule", "Finding")
    new = worst_first(since.new)
    resolved = worst_first(since.resolved)
    return [
        Listing(f"New ({len(new)})", headers, tuple(map(_line, new[:LISTED])), _rest(new)),
        Listing(
            f"Resolved ({len(resolved)})",
            headers,
            tuple(map(_resolved_line, resolved[:LISTED])),
            _rest(resolved),
        ),
    ]


def suppressed_listing(findings: Sequence[Finding]) -> Listing | None:
    if not findings:
        return None
    lines = tuple(
        Line(
            finding.severity.value,
            finding.subject,
            finding.url,
            (
                finding.rule,
                finding.message,
                finding.suppressed.reason if finding.suppressed else MISSING,
                finding.suppressed.until.isoformat() if finding.suppressed else MISSING,
            ),
        )
        for finding in worst_first(findings)
    )
    headers = ("Rule", "Finding", "Why suppressed", "Until")
    return Listing(f"Suppressed ({len(lines)})", headers, lines, 0)


def _line(finding: Finding) -> Line:
    return Line(
        finding.severity.value, finding.subject, finding.url, (finding.rule, finding.message)
    )


def _resolved_line(entry: SeenFinding) -> Line:
    return Line(entry.severity.value, entry.subject, None, (entry.rule, entry.message))


def _rest(entries: Sequence[object]) -> int:
    return max(0, len(entries) - LISTED)
