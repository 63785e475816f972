"""The nightly health check as a Prefect flow: read -> evaluate -> render -> publish -> escalate.

The pipeline is `flows.steps.health_check.check_health`, each step a task
here; around it the flow holds the ART's publishing slot, and leaves its
summary in the Prefect UI (also when it fails). After the pipeline it emits
a Prefect event for each new critical finding (`flows.runs.finding_events`),
for Automations to route.
"""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.runs.adapters import run_adapters
from flows.runs.artifacts import failure_reported, leave_artifacts
from flows.runs.config_task import load_config
from flows.runs.finding_events import emit_new_findings
from flows.runs.run_guard import publishing_slot
from flows.runs.run_records import health_record
from flows.runs.tasks import as_task
from flows.steps.health_check import HealthRun, check_health


@flow(name="nightly-health")
def nightly_health(
    config_path: str,
    out_dir: str = "out",
    dry_run: bool = False,
    today: date | None = None,
    prune: bool = False,
) -> HealthRun:
    """Check the Program Kanban's health and publish the report; `prune` archives the team
    pages no longer planned (Confluence Cloud)."""
    config = load_config(config_path)
    adapters = run_adapters(config, out_dir)
    with (
        failure_reported("nightly-health", config, adapters.secrets, dry_run=dry_run),
        publishing_slot("nightly-health", config, dry_run=dry_run),
    ):
        run = check_health(adapters, dry_run=dry_run, today=today, prune=prune, step=as_task)
        emit_new_findings(config, run.report, dry_run=dry_run)
    leave_artifacts(health_record(config, run, out_dir, dry_run), config, adapters.secrets)
    return run
