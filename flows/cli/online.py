"""`rte check-config PATH --online`: sign in to every configured service and say, one row a
check, whether art.yaml fits what it finds (`flows.steps.online_check`); exit 2 if not."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from flows.cli.common import console, say
from flows.cli.errors import ChecksFailed
from reports.terminal import plain

if TYPE_CHECKING:
    from art.config import ArtConfig
    from flows.steps.online_check import CheckRow


def check_online(config: ArtConfig) -> None:
    """Run the online checks, print their table; ChecksFailed when any found a problem."""
    from flows.runs.secret_blocks import prefect_secrets
    from flows.steps.bootstrap import bootstrap
    from flows.steps.online_check import check_online as run_checks

    adapters = bootstrap(config, Path.cwd(), secrets=prefect_secrets())
    with console.status("Signing in to the configured services ..."):
        rows = run_checks(adapters)
    console.print(check_table(rows))
    problems = sum(1 for row in rows if not row.ok)
    if problems:
        raise ChecksFailed(
            f"{problems} of {len(rows)} online checks found a problem (see the table): "
            "fix them and run again"
        )
    say(f"All {len(rows)} online checks passed")


def check_table(rows: list[CheckRow]) -> Table:
    """One row a check: the service, what was checked, ok and what was found, or the problem
    and its fix (text from the services and the config is printed as it is, never as markup)."""
    table = Table(title="Online checks", title_justify="left")
    table.add_column("Service")
    table.add_column("Checked")
    table.add_column("Result")
    for row in rows:
        if row.ok:
            result = Text.assemble(("ok", "green"), " ", plain(row.found))
        else:
            result = Text.assemble(("PROBLEM", "bold red"), " ", plain(row.problem or ""))
            if row.fix:
                result.append_text(Text.assemble("\n", ("fix:", "bold"), " ", plain(row.fix)))
        table.add_row(plain(row.service), plain(row.what), result)
    return table
