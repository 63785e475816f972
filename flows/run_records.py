"""How each flow's run reads in the Prefect UI: the `RunRecord` of a health check, of the
objective pages and of the calendar. Plain functions over what the flows already hold,
so what a run shows is tested without Prefect."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from art.config import ArtConfig
from art.model import Finding, Page, Severity
from flows.artifacts import Link, RunRecord, file_link, outlook_link, page_links, severity_counts
from flows.publishing import PublishRun
from rules.calendar import CalendarPlan
from rules.health import HealthReport
from rules.objectives import ObjectivesReport


def health_record(
    config: ArtConfig,
    report: HealthReport,
    page: Page,
    published: Mapping[str, object],
    escalation: str,
    out_dir: str,
    dry_run: bool,
) -> RunRecord:
    """The nightly check: findings by severity, what became of the page and the files."""
    outcome = str(published.get("page", "unknown"))
    # `published` maps each report file to whether it changed, plus "page" (and "dry_run")
    changed = sorted(
        name for name, value in published.items() if value is True and name != "dry_run"
    )
    facts = [
        ("as of", report.as_of.isoformat()),
        ("PI", report.pi or "none running"),
        ("findings", severity_counts(report.findings)),
        ("health page", outcome),
        ("files changed", ", ".join(changed) or "none"),
        ("escalation", escalation),
    ]
    links: list[Link] = []
    if not dry_run:
        links = page_links(config, Path(out_dir), [(page.key, page.title)])
        links.append(file_link("health.html (preview)", Path(out_dir) / "health.html"))
    return RunRecord(
        flow="nightly-health",
        art=config.art.name,
        dry_run=dry_run,
        headline=f"{len(report.findings)} finding(s): {severity_counts(report.findings)}; "
        f"health page {outcome}",
        facts=facts,
        findings=report.findings,
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
        findings=report.findings,
        links=links,
    )


def calendar_record(
    config: ArtConfig,
    plan: CalendarPlan,
    *,
    backend: str,
    target: str,
    facts: list[tuple[str, str]],
    dry_run: bool,
) -> RunRecord:
    """The calendar: what was planned and published; each holiday change is a finding."""
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
    links: list[Link] = []
    if not dry_run:
        links = [
            outlook_link(target)
            if backend == "outlook"
            else file_link(f"{config.art.name} calendar (.ics)", Path(target))
        ]
    return RunRecord(
        flow="art-calendar",
        art=config.art.name,
        dry_run=dry_run,
        headline=f"{len(plan.events)} event(s) planned, {len(plan.adjustments)} moved or "
        f"skipped for holidays; {backend}: {target}",
        facts=[
            ("events planned", str(len(plan.events))),
            ("moved or skipped for holidays", str(len(plan.adjustments))),
            *facts,
        ],
        findings=findings,
        links=links,
    )
