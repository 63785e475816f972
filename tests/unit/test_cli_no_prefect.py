"""`rte --help` and the help of the production commands answer without importing Prefect."""

from __future__ import annotations

import subprocess
import sys

import pytest


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
