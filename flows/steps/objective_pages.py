"""The PI objective pages: read the objectives -> score them -> render -> publish.

One page per team and PI and one ART page per PI, published as a reconcile:
a second run with nothing changed writes nothing. `publish_objectives` is the
pipeline the `pi_objectives` flow runs as tasks and `rte objectives` runs in
process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from art.model import Page
from flows.steps.bootstrap import Adapters
from flows.steps.health_check import read_snapshot
from flows.steps.objectives import (
    ObjectiveSource,
    ObjectivesReader,
    lay_out_boards,
    render_objective_pages,
    score_objectives,
)
from flows.steps.pipeline import StepRunner, run_directly, talks_to_services
from flows.steps.publishing import PageTarget, PublishRun, publish_pages
from reports.objectives_pages import objectives_scope
from rules.objectives import ObjectivesReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ObjectivesRun:
    report: ObjectivesReport
    published: PublishRun


@talks_to_services
def read_objectives(reader: ObjectivesReader) -> ObjectiveSource:
    """Read the PI objectives from the YAML file or from Jira."""
    source = reader.read()
    log.info("Read %d objectives (%d unreadable)", len(source.objectives), len(source.rejected))
    return source


@talks_to_services
def publish(
    pages: list[Page], target: PageTarget, dry_run: bool, scope: str, prune: bool = False
) -> PublishRun:
    """Reconcile the pages with Confluence (or the folder); unchanged pages are left alone, the
    objectives pages of PIs or teams no longer planned are reported, or with `prune` archived."""
    run = publish_pages(pages, target, dry_run=dry_run, scope=scope, prune=prune)
    log.info("%s", run.summary())
    for line in run.plan_lines():
        log.info("%s", line)
    run.raise_for_failures()
    return run


def publish_objectives(
    adapters: Adapters,
    *,
    dry_run: bool,
    today: date | None,
    prune: bool = False,
    step: StepRunner = run_directly,
) -> ObjectivesRun:
    """Publish the train's PI objectives: one page per team and PI, and the ART's page
    with its program board and ROAM board (read from the train's Jira issues)."""
    source = step(read_objectives, adapters.objectives)
    report = step(score_objectives, source, adapters.config, today)
    snapshot = step(read_snapshot, adapters.jira, today)
    boards = step(lay_out_boards, snapshot, adapters.config)
    pages = step(render_objective_pages, report, source, boards)
    scope = objectives_scope(adapters.config.art.name)
    published = step(publish, pages, adapters.pages, dry_run, scope, prune)
    return ObjectivesRun(report, published)
