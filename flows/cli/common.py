"""What every `rte` command shares: its consoles, option types, reading art.yaml, printing.

The command modules (`flows/cli/*.py`) import from here, and `flows/cli/__init__.py`
registers their commands on the one app. Nothing here imports Prefect or the
config schema at import time, so `rte --help` answers at once.

Text from outside (Jira, art.yaml, file names) is printed as plain text: never
through rich markup, where "[/]" in an ART's name would be a markup error,
and with control characters shown as escapes, so a summary cannot move the
cursor or recolour the terminal.
"""

from __future__ import annotations

import os
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from reports.terminal import plain

if TYPE_CHECKING:
    from art.config import ArtConfig

# Piped into a file or a CI log there is no terminal to fit: rich would squeeze the
# tables into 80 columns and cut keys to "AUR-…". Wide enough for every table instead;
# COLUMNS still decides where it is set, and a terminal keeps its own width.
PIPED_WIDTH = 160
# Keys in click's context meta, which every level of the command shares: the error
# handler reads them after the command has failed.
VERBOSE = "rte.verbose"
CONFIG = "rte.config"


def _stdout_console() -> Console:
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console


console = _stdout_console()
errors = Console(stderr=True, soft_wrap=True)

# The demo ART ships inside the package, so `rte demo` works wherever rte is installed
# (a wheel installs unpacked: the folder is a folder on disk).
DEMO_CONFIG = Path(str(resources.files("flows") / "demo_art" / "art.yaml"))


def _remember_verbose(ctx: typer.Context, value: bool) -> bool:
    ctx.meta[VERBOSE] = ctx.meta.get(VERBOSE, False) or value
    return value


def _remember_config(ctx: typer.Context, value: Path | None) -> Path | None:
    ctx.meta[CONFIG] = value
    return value


ConfigPath = Annotated[
    Path,
    typer.Argument(help="Path to art.yaml.", show_default=False, callback=_remember_config),
]
ConfigOption = Annotated[
    Path,
    typer.Option(
        "--config", help="Path to art.yaml.", show_default=False, callback=_remember_config
    ),
]


def _valid_day(value: str | None) -> str | None:
    parse_day(value)
    return value


TodayOption = Annotated[
    str | None,
    typer.Option(help="Evaluate as of this date (YYYY-MM-DD).", callback=_valid_day),
]
VerboseOption = Annotated[
    bool,
    typer.Option(
        help="Show the run's logs, and a traceback when it fails.", callback=_remember_verbose
    ),
]
JsonFile = Annotated[
    Path | None,
    typer.Option("--json", help="Also write the result as JSON to this file.", dir_okay=False),
]
OutDir = Annotated[Path, typer.Option("--out", help="Folder the run writes into.", file_okay=False)]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print what would change; write nothing.")
]
PrefectOption = Annotated[
    bool,
    typer.Option(
        "--prefect",
        help="Run as Prefect flow runs (on Prefect's temporary API when none is configured).",
    ),
]
PruneOption = Annotated[
    bool,
    typer.Option(
        "--prune",
        help="Archive the pages rte published that the plan no longer has (a PI or team gone, "
        "or confluence.team_pages off; Confluence Cloud); without it they are only listed as "
        "orphans.",
    ),
]


def load_config(path: Path) -> ArtConfig:
    """Read art.yaml; a ConfigError names every problem (the CLI prints them and exits 2)."""
    from connectors.config_file import read_config

    return read_config(path)


def say(line: str) -> None:
    """One line of output, printed as it is (no markup, no control characters)."""
    console.print(plain(line), highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    """One line on stderr, printed as it is: a message may quote Jira or a file name."""
    errors.print(plain(message), highlight=False)


def parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"'{value}' is not a date such as 2026-11-20", param_hint="--today"
        ) from None
