"""`rte sync`: bring the train's Jira issues into the state store, and show what it cost."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from art.config_errors import ConfigError
from flows.cli.common import ConfigOption, console, fail, load_config, print_problems


def sync(
    config: ConfigOption,
    full: Annotated[
        bool, typer.Option("--full", help="Read every issue again, not only what changed.")
    ] = False,
) -> None:
    """Sync the train's Jira issues into the state store; print the requests it cost."""
    art = load_config(config)
    if art.jira.backend == "export":
        fail(f"{config}: jira.backend is 'export'; there is no Jira to sync", 2)
    from rich.table import Table

    from connectors.jira import JiraError
    from flows.steps.jira_snapshot import sync_jira
    from flows.steps.secrets import SecretError

    started = time.perf_counter()
    try:
        synced = sync_jira(art, full=full)
    except ConfigError as exc:  # a field name that matches no Jira field, or several
        print_problems(config, exc)
    except (JiraError, SecretError) as exc:
        fail(f"rte sync: {exc}")
    outcome = synced.outcome
    console.print(
        f"{outcome.mode.capitalize()} sync of {art.jira.url}: {outcome.fetched} issue(s) "
        f"fetched, {outcome.removed} removed, {len(outcome.parsed.items)} in the store "
        f"({len(outcome.parsed.rejected)} unreadable); {synced.requests.total} request(s) "
        f"in {time.perf_counter() - started:.1f} s",
        markup=False,
        highlight=False,
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
