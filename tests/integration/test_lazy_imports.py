"""What a fresh interpreter imports: `rte --help`, the help of the production commands and
`rte calendar --dry-run` answer without Prefect; the offline demo loads no service client;
the drawing modules load matplotlib only when they draw. Each case runs in a child process,
since this one has imported everything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli.common import DEMO_CONFIG


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["serve", "--help"], ["deploy", "--help"], ["blocks", "register", "--help"]],
)
def test_help_does_not_import_prefect(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from flows.cli import app\n"
        "try:\n"
        f"    app({argv!r})\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "assert 'prefect' not in sys.modules, 'prefect was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd="/tmp"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Usage: " in result.stdout


def test_the_calendar_dry_run_does_not_start_prefect() -> None:
    code = (
        "import sys\n"
        "from flows.cli import app\n"
        f"app(['calendar', '--config', {str(DEMO_CONFIG)!r}, '--dry-run'], standalone_mode=False)\n"
        "assert 'prefect' not in sys.modules, 'prefect was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd="/tmp"
    )
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize(
    "module",
    [
        "reports.charts",
        "reports.predictability_chart",
        "reports.program_board",
        "flows.steps.bootstrap",
    ],
)
def test_importing_a_drawing_module_does_not_import_matplotlib(module: str) -> None:
    """A command that draws nothing (a calendar sync, a dry run) pays nothing for matplotlib."""
    code = f"import sys, {module}; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_offline_demo_loads_no_service_client(tmp_path: Path) -> None:
    """The demo reads an export and writes files: paying for Prefect, the Jira, Confluence
    and Graph clients or their HTTP stacks would only slow the one-off command down."""
    clients = ("prefect", "jira", "atlassian", "msgraph", "azure", "httpx", "requests")
    code = (
        "import sys\n"
        "from flows.cli import app\n"
        f"app(['demo', '--out', {str(tmp_path / 'out')!r}], standalone_mode=False)\n"
        f"print(sorted(name for name in {clients!r} if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "health.json").is_file()
