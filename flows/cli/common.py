"""What every `rte` command shares: its consoles, option types, reading art.yaml, failing.

The command modules (`flows/cli_*.py`) import from here, and `flows/cli.py`
registers their commands on the one app; keeping these helpers out of
`flows/cli.py` lets it import the command modules without an import cycle.
Nothing here imports Prefect, so `rte --help` answers at once.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from art.config import ArtConfig
from art.config_errors import ConfigError

# Piped into a file or a CI log there is no terminal to fit: rich would squeeze the
# tables into 80 columns and cut keys to "AUR-…". Wide enough for every table instead;
# COLUMNS still decides where it is set, and a terminal keeps its own width.
PIPED_WIDTH = 160


def _stdout_console() -> Console:
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console


console = _stdout_console()
errors = Console(stderr=True, soft_wrap=True)

DEMO_CONFIG = Path(__file__).resolve().parents[2] / "examples" / "demo-art" / "art.yaml"

ConfigPath = Annotated[Path, typer.Argument(help="Path to art.yaml.", show_default=False)]
ConfigOption = Annotated[
    Path, typer.Option("--config", help="Path to art.yaml.", show_default=False)
]
TodayOption = Annotated[str | None, typer.Option(help="Evaluate as of this date (YYYY-MM-DD).")]
VerboseOption = Annotated[bool, typer.Option(help="Show Prefect's run logs.")]
JsonFile = Annotated[
    Path | None, typer.Option("--json", help="Also write the result as JSON to this file.")
]


def load_config(path: Path) -> ArtConfig:
    """Read art.yaml, or print every problem with its field path and exit 2."""
    from connectors.config_file import read_config

    try:
        return read_config(path)
    except ConfigError as exc:
        print_problems(path, exc)


def print_problems(path: Path, exc: ConfigError) -> NoReturn:
    """Print every problem with its field path, then exit 2."""
    errors.print(f"[bold red]{path}: {len(exc.problems)} problem(s)[/]", highlight=False)
    for problem in exc.problems:
        errors.print(f"  {problem}", markup=False, highlight=False)
    raise typer.Exit(2) from None


def warn(message: str) -> None:
    """Print to stderr as plain text: a message may quote Jira or a file name."""
    errors.print(message, markup=False, highlight=False)


def fail(message: str, code: int = 1) -> NoReturn:
    """Say why a command cannot go on, then exit."""
    warn(message)
    raise typer.Exit(code) from None


def say(line: str) -> None:
    console.print(line, markup=False, highlight=False, soft_wrap=True)


def parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.print(f"--today: '{value}' is not a date such as 2026-11-20", markup=False)
        raise typer.Exit(2) from None
