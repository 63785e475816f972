"""The morning read: what the state directory adds to a night's report.

Beside what the rules found tonight, an RTE reading the page with their
coffee wants what changed since last night (`rules.since_last_run`), how
the headline figures moved (`rules.trends`), where the PI stands
(`rules.pi_progress`), and a mail only about what is new. `morning_read`
puts tonight's report together with the history kept so far, and returns
the history as it stands after tonight, for the run to keep (unless it is
a dry run).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo

from art.config import ArtConfig
from art.history import HealthHistory, NightFigures, RunFindings
from art.model import Finding, Severity, WorkItem
from rules.act_today import act_today
from rules.data_quality import RULE as DATA_QUALITY
from rules.data_quality import problem_counts
from rules.health import HealthReport
from rules.pi_progress import PiProgress
from rules.since_last_run import (
    EscalationPlan,
    SinceLastRun,
    escalation_plan,
    mailed_after,
    seen,
    since_last_run,
)
from rules.trends import Trends, trends

STATE_FILE = "state-file"


@dataclass(frozen=True, slots=True)
class MorningRead:
    since_last_run: SinceLastRun
    trends: Trends
    pi_progress: PiProgress | None
    escalation: EscalationPlan


@dataclass(frozen=True, slots=True)
class Recalled:
    """Tonight's report with its morning read, and the history to keep after tonight."""

    report: HealthReport
    history: HealthHistory


def with_state_problems(
    report: HealthReport, problems: Sequence[str], items: Iterable[WorkItem], zone: tzinfo
) -> HealthReport:
    """The report with a data-quality finding for each state file that could not be read."""
    if not problems:
        return report
    added = [
        Finding(
            rule=DATA_QUALITY,
            severity=Severity.WARNING,
            subject="state directory",
            message=problem,
            data={"problem": STATE_FILE},
        )
        for problem in problems
    ]
    findings = (*report.findings, *added)
    return replace(
        report,
        findings=findings,
        metrics=replace(report.metrics, data_quality=problem_counts(findings)),
        act_today=act_today(findings, items, today=report.as_of, zone=zone),
    )


def morning_read(
    report: HealthReport,
    history: HealthHistory,
    *,
    tonight: NightFigures,
    backfilled: Sequence[NightFigures],
    progress: PiProgress | None,
    config: ArtConfig,
) -> Recalled:
    """Tonight's report with its morning read, and the history after tonight."""
    night = report.as_of
    notifications = config.notifications
    min_severity = Severity(notifications.min_severity)
    nights = {entry.night: entry for entry in (*backfilled, *history.nights)}
    nights[night] = tonight
    plan = escalation_plan(
        report.findings,
        history.mailed,
        night=night,
        min_severity=min_severity,
        remind_days=notifications.remind_days,
    )
    morning = MorningRead(
        since_last_run=since_last_run(
            report.findings, report.suppressed, history.run_before(night)
        ),
        trends=trends(nights.values(), night, config.trends.window_days),
        pi_progress=progress,
        escalation=plan,
    )
    after = HealthHistory(
        nights=tuple(sorted(nights.values(), key=lambda entry: entry.night)),
        runs=_runs_after(history.runs, night, report.generated_at, report.findings),
        mailed=mailed_after(
            report.findings, history.mailed, plan, night=night, min_severity=min_severity
        ),
    )
    return Recalled(replace(report, morning=morning), after)


def _runs_after(
    runs: Sequence[RunFindings], night: date, run_at: datetime, findings: Sequence[Finding]
) -> tuple[RunFindings, ...]:
    """The runs on record with tonight's in place of an earlier run of the same night."""
    tonight = RunFindings(night, run_at, seen(findings))
    kept = [run for run in runs if run.night != night]
    return tuple(sorted([*kept, tonight], key=lambda run: run.night))
