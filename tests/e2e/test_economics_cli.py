"""`rte readiness` as the installed script, its output piped as in a CI log or a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli.common import DEMO_CONFIG

pytestmark = pytest.mark.e2e


def test_piped_output_shows_every_cell_whole(tmp_path: Path) -> None:
    """In a CI log or a file there is no terminal to fit: no key or value may be cut to '…'."""
    out = tmp_path / "readiness.json"
    env = {name: value for name, value in os.environ.items() if name != "COLUMNS"}
    rte = Path(sys.executable).with_name("rte")
    result = subprocess.run(
        [str(rte), "readiness", "--config", str(DEMO_CONFIG), "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    keys = [row["key"] for row in json.loads(out.read_text())["ranking"]]
    shown = [line.split() for line in result.stdout.splitlines()]
    assert keys and all(any(key in words for words in shown) for key in keys)
    assert "…" not in result.stdout
