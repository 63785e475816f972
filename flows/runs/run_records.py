"""How each flow's run reads in the Prefect UI: the `RunRecord` of a health check, of the
objective pages and of the calendar. Plain functions over what the flows already hold,
so what a run shows is tested without Prefect."""

from __future__ import annotations

from pathlib import Path

from art.config import ArtConfig
from art.model import Finding, Severity
from flows.runs.artifacts import (
    Link,
    RunRecord,
    file_link,
    outlook_link,
    page_links,
    severity_counts,
)
from flows.steps.calendar import CalendarRun
from flows.steps.health_check import HealthRun
from flows.steps.publishing import PublishRun, orphan_line
from rules.objectives import ObjectivesReport


def health_record(config: ArtConfig, run: HealthRun, out_dir: str, dry_run: bool) -> RunRecord:
    """The nightly check: findings by severity, what became of the page and the files."""
    report, outcome = run.report, run.published.page_outcome
    changed = sorted(name for name, done in run.published.files_changed.items() if done)
    facts = [
        ("as of", report.as_of.isoformat()),
        ("PI", report.pi or "none running"),
        ("findings", severity_counts(report.findings)),
        ("health page", outcome),
        ("files changed", ", ".join(changed) or "none"),
        ("escalation", run.escalation),
    ]
    links: list[Link] = []
    if not dry_run:
        links = page_links(config, Path(out_dir), [(run.page.key, run.page.title)])
        links.append(file_link("health.html (preview)", Path(out_dir) / "health.html"))
    return RunRecord(
        flow="nightly-health",
        art=config.art.name,
        dry_run=dry_run,
        headline=f"{len(report.findings)} finding(s): {severity_counts(report.findings)}; "
        f"health page {outcome}",
        facts=facts,
        findings=(*report.findings, *publish_findings(run.published.pages)),
        links=links,
    )


def objectives_record(
    config: ArtConfig, report: ObjectivesReport, published: PublishRun, out_dir: str
) -> RunRecord:
    """The objective pages: predictability per PI, and each page's fate."""
    facts = []
    for pi in report.pis:
        percent = pi.figure.percent
        figure = "not scored yet" if percent is None else f"{percent:.0f}% ({pi.band.value})"
        facts.append((f"{pi.pi} predictability", figure))
    facts += [
        (plan.title, str(plan.outcome or f"failed: {plan.error}")) for plan in published.pages
    ]
    facts += [("orphan", orphan_line(orphan)) for orphan in published.orphans]
    links = (
        []
        if published.dry_run
        else page_links(
            config,
            Path(out_dir),
            [(plan.key, plan.title) for plan in published.pages if plan.outcome is not None],
        )
    )
    return RunRecord(
        flow="pi-objectives",
        art=config.art.name,
        dry_run=published.dry_run,
        headline=published.summary(),
        facts=facts,
        findings=(*report.findings, *publish_findings(published)),
        links=links,
    )


def publish_findings(published: PublishRun) -> list[Finding]:
    """A page a person changed (restored or reported) and a page the plan dropped: findings."""
    findings = [
        Finding("page-drift", Severity.WARNING, plan.key, plan.drift.line())
        for plan in published.pages
        if plan.drift is not None
    ]
    findings += [
        Finding(
            "page-orphan",
            Severity.INFO if orphan.archived else Severity.WARNING,
            orphan.key,
            orphan_line(orphan),
        )
        for orphan in published.orphans
    ]
    return findings


def calendar_record(config: ArtConfig, run: CalendarRun, dry_run: bool) -> RunRecord:
    """The calendar: what was planned and published; each holiday change is a finding."""
    plan = run.plan
    findings = [
        Finding(
            "holiday",
            Severity.INFO,
            item.key,
            f"{item.title} on {item.planned}: "
            + (f"moved to {item.moved_to}" if item.moved_to else "skipped")
            + f" ({item.holiday})",
        )
        for item in plan.adjustments
    ]
    findings += [
        Finding("calendar-drift", Severity.WARNING, drift.key, drift.line()) for drift in run.drift
    ]
    links: list[Link] = []
    if not dry_run:
        links = [
            outlook_link(run.target)
            if run.backend == "outlook"
            else file_link(f"{config.art.name} calendar (.ics)", Path(run.target))
        ]
    return RunRecord(
        flow="art-calendar",
        art=config.art.name,
        dry_run=dry_run,
        headline=f"{len(plan.events)} event(s) planned, {len(plan.adjustments)} moved or "
        f"skipped for holidays; {run.backend}: {run.target}",
        facts=[
            ("events planned", str(len(plan.events))),
            ("moved or skipped for holidays", str(len(plan.adjustments))),
            *_calendar_facts(run),
        ],
        findings=findings,
        links=links,
    )


def _calendar_facts(run: CalendarRun) -> list[tuple[str, str]]:
    """The sync's counts (or whether the .ics changed), and the plan's last line."""
    rows: list[tuple[str, str]] = []
    if run.outcome is not None:
        outcome = run.outcome
        rows += [
            (
                "created / updated / cancelled",
                f"{outcome.created} / {outcome.updated} / {outcome.removed}",
            ),
            ("unchanged", str(outcome.unchanged)),
            ("holiday occurrences cancelled", str(outcome.occurrences_cancelled)),
            ("$batch requests (retries included)", str(outcome.batch_requests)),
        ]
    if run.drift:
        restored = sum(drift.restored for drift in run.drift)
        rows.append(
            ("changed in Outlook", f"{len(run.drift)} ({restored} restored, the rest reported)")
        )
    if run.requests is not None:
        rows.append(("Graph requests (retries included)", str(run.requests)))
    if run.changes:
        rows.append(("changes", run.changes[-1]))
    if run.file_changed is not None:
        rows.append((".ics file changed", "yes" if run.file_changed else "no"))
    return rows
