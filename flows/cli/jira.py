"""`rte sync`: bring the train's Jira issues into the state store, and show what it cost."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from flows.cli.common import ConfigOption, console, load_config, say


def sync(
    config: ConfigOption,
    full: Annotated[
        bool, typer.Option("--full", help="Read every issue again, not only what changed.")
    ] = False,
) -> None:
    """Sync the train's Jira issues into the state store; print the requests it cost."""
    art = load_config(config)
    from rich.table import Table

    from flows.runs.secret_blocks import prefect_secrets
    from flows.steps.bootstrap import bootstrap

    started = time.perf_counter()
    synced = bootstrap(art, ".", secrets=prefect_secrets()).live_jira().sync(full=full)
    outcome = synced.outcome
    say(
        f"{outcome.mode.capitalize()} sync of {art.jira.url}: {outcome.fetched} issue(s) "
        f"fetched, {outcome.removed} removed, {len(outcome.parsed.items)} in the store "
        f"({len(outcome.parsed.rejected)} unreadable); {synced.requests.total} request(s) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    table = Table("endpoint", "requests", "of which retries")
    for endpoint, count, retries in synced.requests.rows():
        table.add_row(endpoint, str(count), str(retries))
    table.add_row(
        "total",
        str(synced.requests.total),
        str(sum(synced.requests.retries.values())),
        end_section=True,
        style="bold",
    )
    console.print(table)
