"""The adapters of a flow run: the config's, with Prefect's Secret blocks and Jira ceiling."""

from __future__ import annotations

from pathlib import Path

from art.config import ArtConfig
from flows.runs.jira_rate import jira_counter
from flows.runs.secret_blocks import prefect_secrets
from flows.steps.bootstrap import Adapters, bootstrap


def run_adapters(config: ArtConfig, out_dir: str | Path, ics_file: str | None = None) -> Adapters:
    """`bootstrap` as a flow run needs it: secrets also from Prefect's blocks, and the Jira
    requests through the site's rate limit when a portfolio has set one."""
    return bootstrap(
        config,
        out_dir,
        secrets=prefect_secrets(),
        jira_counter=jira_counter(config),
        ics_file=ics_file,
    )
