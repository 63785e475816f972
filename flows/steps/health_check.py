"""The nightly health check: read, evaluate, recall, render, publish, escalate, remember.

`check_health` is the pipeline the `nightly_health` flow runs as tasks and
`rte health` / `rte demo` run in process; each step is a plain function over
what the one before returned.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from art.config import ArtConfig
from art.model import Page
from connectors.files import write_bytes_atomically
from flows.steps.bootstrap import Adapters
from flows.steps.clock import now_utc
from flows.steps.escalation import escalate
from flows.steps.jira_snapshot import JiraSnapshot, JiraSource, evaluate_snapshot
from flows.steps.morning_read import recall, remember
from flows.steps.pipeline import StepRunner, run_directly, talks_to_services
from flows.steps.publishing import PageTarget, PublishRun, publish_pages
from reports.charts import health_charts
from reports.health_json import health_json
from reports.health_page import health_page
from reports.program_board import program_board_pictures
from reports.team_sections import team_key_prefix, team_pages, team_views
from reports.trend_charts import trend_charts
from rules.health import HealthReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedHealth:
    json: str
    page: Page
    charts: dict[str, bytes] = field(default_factory=dict)  # PNG by file name
    team_pages: tuple[Page, ...] = ()  # under the ART's page, with confluence.team_pages

    @property
    def pages(self) -> list[Page]:
        """Every page to publish, the ART's first (the team pages' parent)."""
        return [self.page, *self.team_pages]


@dataclass(frozen=True)
class PublishedHealth:
    """The page's fate, and which report files changed (none are written in a dry run)."""

    pages: PublishRun
    files_changed: dict[str, bool]

    @property
    def page_outcome(self) -> str:
        return str(self.pages.pages[0].outcome)


@dataclass(frozen=True)
class HealthRun:
    """One health check: the report, its page, what was published, and the escalation."""

    report: HealthReport
    page: Page
    published: PublishedHealth
    escalation: str


@talks_to_services
def read_snapshot(jira: JiraSource, today: date | None) -> JiraSnapshot:
    """Read the train's issues and changelogs from Jira (or its export)."""
    snapshot = jira.snapshot(today)
    log.info(
        "Read %d items (%d unreadable) as of %s",
        len(snapshot.items),
        len(snapshot.rejected),
        snapshot.as_of,
    )
    return snapshot


def evaluate(snapshot: JiraSnapshot, config: ArtConfig) -> HealthReport:
    """Apply the health rules to the snapshot."""
    return evaluate_snapshot(snapshot, config, generated_at=now_utc())


def render(
    report: HealthReport, jira_url: str | None = None, with_team_pages: bool = False
) -> RenderedHealth:
    """Render health.json, the charts (the program boards and the trends too) and the health
    page (storage XHTML and HTML preview), its items, risks and dependencies linked to
    `jira_url`; `with_team_pages` (confluence.team_pages), a page per team under it."""
    charts = {
        **health_charts(report.metrics, report.findings),
        **program_board_pictures(report.metrics.program_board),
        **trend_charts(report),
    }
    views = team_views(report, pages=with_team_pages)  # the health page's and the teams'
    page = health_page(report, charts, jira_url, teams=views)
    teams = tuple(team_pages(report, page.key, page.title, views)) if with_team_pages else ()
    return RenderedHealth(json=health_json(report), page=page, charts=charts, team_pages=teams)


@talks_to_services
def publish(
    rendered: RenderedHealth, target: PageTarget, out_dir: Path, dry_run: bool, prune: bool = False
) -> PublishedHealth:
    """Publish the pages where confluence.backend says, then write the report files.

    The pages are reconciled (an unchanged page is not written, in the folder or
    in Confluence); unchanged files are left alone; a dry run writes nothing. The
    team pages published before that the plan no longer has (a team gone, or
    confluence.team_pages turned off) are reported as orphans, or with `prune` archived.
    """
    scope = team_key_prefix(rendered.page.key)
    pages = publish_pages(rendered.pages, target, dry_run=dry_run, scope=scope, prune=prune)
    log.info("Health page %r: %s", rendered.page.key, pages.summary())
    pages.raise_for_failures()
    if dry_run:
        return PublishedHealth(pages, {})
    files = {
        "health.json": rendered.json.encode(),
        "health.html": rendered.page.preview_html.encode(),
        **rendered.charts,
    }
    changed = {name: write_bytes_atomically(out_dir / name, data) for name, data in files.items()}
    log.info("Files changed: %s", sorted(name for name, done in changed.items() if done))
    return PublishedHealth(pages, changed)


def check_health(
    adapters: Adapters,
    *,
    dry_run: bool,
    today: date | None,
    prune: bool = False,
    step: StepRunner = run_directly,
) -> HealthRun:
    """The nightly check: read Jira, apply the rules, compare with the nights before, render,
    publish, escalate what is new, and remember tonight."""
    config = adapters.config
    snapshot = step(read_snapshot, adapters.jira, today)
    report = step(evaluate, snapshot, config)
    recalled = step(recall, report, snapshot, config, adapters.history, adapters.objectives)
    report = recalled.report
    rendered = step(render, report, snapshot.site, config.confluence.team_pages)
    published = step(publish, rendered, adapters.pages, adapters.out_dir, dry_run, prune)
    escalation = step(escalate, report, config, adapters.escalation, dry_run=dry_run)
    step(remember, recalled, adapters.history, dry_run)
    return HealthRun(report, rendered.page, published, escalation)
