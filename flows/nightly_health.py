"""The nightly health check: fetch -> evaluate -> render -> publish.

Each task wraps a plain function from the layer that owns the work, so the
logic is tested without Prefect and the flow stays a readable pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from art.config import ArtConfig
from art.model import HealthReport, Page
from connectors.config_file import read_config
from connectors.files import FolderPublisher, write_bytes_atomically
from flows.sources import JiraSnapshot, fetch_snapshot, now_utc
from reports.health_json import health_json
from reports.health_page import health_page
from rules.health import evaluate_health


@dataclass(frozen=True)
class RenderedHealth:
    json: str
    page: Page


@task(cache_policy=NO_CACHE)
def load_config(config_path: str) -> ArtConfig:
    """Read and validate art.yaml."""
    return read_config(config_path)


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=10)
def fetch_work_items(config: ArtConfig, today: date | None) -> JiraSnapshot:
    """Read the train's issues and changelogs from Jira (or its export)."""
    snapshot = fetch_snapshot(config, today)
    get_run_logger().info(
        "Fetched %d items (%d unreadable) as of %s",
        len(snapshot.items), len(snapshot.rejected), snapshot.as_of,
    )
    return snapshot


@task(cache_policy=NO_CACHE)
def evaluate(snapshot: JiraSnapshot, config: ArtConfig) -> HealthReport:
    """Apply the health rules to the snapshot."""
    return evaluate_health(
        snapshot.items, snapshot.rejected, config, snapshot.columns,
        today=snapshot.as_of, generated_at=now_utc(),
    )


@task(cache_policy=NO_CACHE)
def render(report: HealthReport) -> RenderedHealth:
    """Render health.json and the health page (storage XHTML and HTML preview)."""
    return RenderedHealth(json=health_json(report), page=health_page(report))


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=10)
def publish(rendered: RenderedHealth, config: ArtConfig, out_dir: str, dry_run: bool) -> dict:
    """Write the report files and the page; unchanged files are left alone."""
    logger = get_run_logger()
    out = Path(out_dir)
    if dry_run:
        logger.info("Dry run: would write health.json, health.html and page %r", rendered.page.key)
        return {"dry_run": True}
    outcome = FolderPublisher(out / config.confluence.pages_dir).publish_page(rendered.page)
    changed = {
        "health.json": write_bytes_atomically(out / "health.json", rendered.json.encode()),
        "health.html": write_bytes_atomically(
            out / "health.html", rendered.page.preview_html.encode()
        ),
    }
    logger.info("Published page %r: %s; files changed: %s", rendered.page.key, outcome, changed)
    return {"page": str(outcome), **changed}


@flow(name="nightly-health")
def nightly_health(
    config_path: str, out_dir: str = "out", dry_run: bool = False, today: date | None = None
) -> HealthReport:
    """Check the Program Kanban's health and publish the report."""
    config = load_config(config_path)
    snapshot = fetch_work_items(config, today)
    report = evaluate(snapshot, config)
    publish(render(report), config, out_dir, dry_run)
    return report
