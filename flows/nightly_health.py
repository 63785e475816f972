"""The nightly health check: fetch -> evaluate -> render -> publish.

Each task wraps a plain function from the layer that owns the work, so the
logic is tested without Prefect and the flow stays a readable pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from art.config import ArtConfig
from art.model import Page
from connectors.files import write_bytes_atomically
from flows.artifacts import failure_reported, leave_artifacts
from flows.config_task import load_config
from flows.escalation import escalate
from flows.jira_rate import jira_counter
from flows.publishing import publish_pages
from flows.run_guard import publishing_slot
from flows.run_records import health_record
from flows.sources import JiraSnapshot, evaluate_snapshot, fetch_snapshot, now_utc
from flows.task_retries import not_yet_retried
from reports.charts import health_charts
from reports.health_json import health_json
from reports.health_page import health_page
from rules.health import HealthReport


@dataclass(frozen=True)
class RenderedHealth:
    json: str
    page: Page
    charts: dict[str, bytes] = field(default_factory=dict)  # PNG by file name


@task(
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=not_yet_retried,
)
def fetch_work_items(config: ArtConfig, today: date | None) -> JiraSnapshot:
    """Read the train's issues and changelogs from Jira (or its export)."""
    snapshot = fetch_snapshot(config, today, counter=jira_counter(config))
    get_run_logger().info(
        "Fetched %d items (%d unreadable) as of %s",
        len(snapshot.items),
        len(snapshot.rejected),
        snapshot.as_of,
    )
    return snapshot


@task(cache_policy=NO_CACHE)
def evaluate(snapshot: JiraSnapshot, config: ArtConfig) -> HealthReport:
    """Apply the health rules to the snapshot."""
    return evaluate_snapshot(snapshot, config, generated_at=now_utc())


@task(cache_policy=NO_CACHE)
def render(report: HealthReport) -> RenderedHealth:
    """Render health.json, the charts and the health page (storage XHTML and HTML preview)."""
    charts = health_charts(report.metrics)
    return RenderedHealth(json=health_json(report), page=health_page(report, charts), charts=charts)


@task(
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=not_yet_retried,
)
def publish(rendered: RenderedHealth, config: ArtConfig, out_dir: str, dry_run: bool) -> dict:
    """Publish the page where confluence.backend says, and write the report files.

    The page is reconciled (an unchanged page is not written, in the folder or
    in Confluence); unchanged files are left alone.
    """
    logger = get_run_logger()
    out = Path(out_dir)
    published = publish_pages([rendered.page], config, out, dry_run=dry_run)
    logger.info("Health page %r: %s", rendered.page.key, published.summary())
    published.raise_for_failures()
    outcome = published.pages[0].outcome
    if dry_run:
        logger.info("Dry run: health.json, health.html and the charts not written")
        return {"dry_run": True, "page": str(outcome)}
    changed = {
        "health.json": write_bytes_atomically(out / "health.json", rendered.json.encode()),
        "health.html": write_bytes_atomically(
            out / "health.html", rendered.page.preview_html.encode()
        ),
    }
    for name, png in rendered.charts.items():
        changed[name] = write_bytes_atomically(out / name, png)
    logger.info("Published page %r: %s; files changed: %s", rendered.page.key, outcome, changed)
    return {"page": str(outcome), **changed}


@task(cache_policy=NO_CACHE)
def send_escalation(report: HealthReport, config: ArtConfig, out_dir: str, dry_run: bool) -> str:
    """Mail the findings at or above notifications.min_severity (or write escalation.html)."""
    outcome = escalate(report, config, Path(out_dir), dry_run=dry_run)
    get_run_logger().info("Escalation: %s", outcome)
    return outcome


@flow(name="nightly-health")
def nightly_health(
    config_path: str, out_dir: str = "out", dry_run: bool = False, today: date | None = None
) -> HealthReport:
    """Check the Program Kanban's health and publish the report."""
    config = load_config(config_path)
    with (
        failure_reported("nightly-health", config, dry_run=dry_run),
        publishing_slot("nightly-health", config.art.name, dry_run=dry_run),
    ):
        snapshot = fetch_work_items(config, today)
        report = evaluate(snapshot, config)
        rendered = render(report)
        published = publish(rendered, config, out_dir, dry_run)
        escalation = send_escalation(report, config, out_dir, dry_run)
    record = health_record(config, report, rendered.page, published, escalation, out_dir, dry_run)
    leave_artifacts(record, config)
    return report
