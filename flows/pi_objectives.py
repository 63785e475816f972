"""PI objective pages as a Prefect flow: read -> score -> render -> publish.

The pipeline is `flows.steps.objective_pages.publish_objectives`, each step
a task here; one page per team and PI and one ART page per PI, published as
a reconcile, so a second run with nothing changed writes nothing.
"""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.runs.adapters import run_adapters
from flows.runs.artifacts import failure_reported, leave_artifacts
from flows.runs.config_task import load_config
from flows.runs.run_guard import publishing_slot
from flows.runs.run_records import objectives_record
from flows.runs.tasks import as_task
from flows.steps.objective_pages import ObjectivesRun, publish_objectives


@flow(name="pi-objectives")
def pi_objectives(
    config_path: str,
    out_dir: str = "out",
    dry_run: bool = False,
    today: date | None = None,
    prune: bool = False,
) -> ObjectivesRun:
    """Publish the train's PI objectives: one page per team and PI, and the ART's page.

    Pages published before for a PI or team the objectives no longer have are
    reported as orphans; `prune` archives them (Confluence Cloud).
    """
    config = load_config(config_path)
    adapters = run_adapters(config, out_dir)
    with (
        failure_reported("pi-objectives", config, adapters.secrets, dry_run=dry_run),
        publishing_slot("pi-objectives", config, dry_run=dry_run),
    ):
        run = publish_objectives(adapters, dry_run=dry_run, today=today, prune=prune, step=as_task)
    record = objectives_record(config, run.report, run.published, out_dir)
    leave_artifacts(record, config, adapters.secrets)
    return run
