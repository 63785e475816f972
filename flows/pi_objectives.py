"""PI objective pages: load config -> fetch objectives -> evaluate -> render -> publish.

One page per team and PI, one ART page per PI, published as a reconcile
(`flows.steps.publishing`): a second run with nothing changed writes nothing.
Each task wraps a plain function from the layer that owns the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from art.config import ArtConfig
from art.model import Page
from flows.runs.artifacts import failure_reported, leave_artifacts
from flows.runs.config_task import load_config
from flows.runs.jira_rate import jira_counter
from flows.runs.run_guard import publishing_slot
from flows.runs.run_records import objectives_record
from flows.runs.task_retries import not_yet_retried
from flows.steps.objectives import ObjectiveSource, art_today, read_objective_source
from flows.steps.publishing import PublishRun, publish_pages
from reports.objectives_pages import objective_pages
from rules.objectives import ObjectivesReport, evaluate_objectives


@dataclass(frozen=True)
class ObjectivesRun:
    report: ObjectivesReport
    published: PublishRun


@task(
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=not_yet_retried,
)
def fetch_objectives(config: ArtConfig) -> ObjectiveSource:
    """Read the PI objectives from the YAML file or from Jira."""
    source = read_objective_source(config, counter=jira_counter(config))
    get_run_logger().info(
        "Read %d objectives (%d unreadable) from %s",
        len(source.objectives),
        len(source.rejected),
        config.objectives.source,
    )
    return source


@task(cache_policy=NO_CACHE)
def evaluate(source: ObjectiveSource, config: ArtConfig, today: date | None) -> ObjectivesReport:
    """Score planned and actual business value per team and for the ART, PI by PI."""
    return evaluate_objectives(
        source.objectives, config, today=today or art_today(config), rejected=source.rejected
    )


@task(cache_policy=NO_CACHE)
def render(report: ObjectivesReport, jira_site: str | None) -> list[Page]:
    """Render the team pages and the ART page of every PI on record."""
    return objective_pages(report, jira_url=jira_site)


@task(
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=not_yet_retried,
)
def publish(pages: list[Page], config: ArtConfig, out_dir: str, dry_run: bool) -> PublishRun:
    """Reconcile the pages with Confluence (or the folder); unchanged pages are left alone."""
    run = publish_pages(pages, config, Path(out_dir), dry_run=dry_run)
    get_run_logger().info("%s", run.summary())
    run.raise_for_failures()
    return run


@flow(name="pi-objectives")
def pi_objectives(
    config_path: str, out_dir: str = "out", dry_run: bool = False, today: date | None = None
) -> ObjectivesRun:
    """Publish the train's PI objectives: one page per team and PI, and the ART's page."""
    config = load_config(config_path)
    with (
        failure_reported("pi-objectives", config, dry_run=dry_run),
        publishing_slot("pi-objectives", config.art.name, dry_run=dry_run),
    ):
        source = fetch_objectives(config)
        report = evaluate(source, config, today)
        published = publish(render(report, source.jira_site), config, out_dir, dry_run)
    leave_artifacts(objectives_record(config, report, published, out_dir), config)
    return ObjectivesRun(report, published)
