"""The README's order works: `rte blocks register` without a Prefect API, then `rte serve`.

Without an API both use Prefect's own database in PREFECT_HOME: blocks
register through Prefect's temporary API, and serve's local server (started
here as `rte serve` starts it) reads the same file, so a served run finds the
Secret blocks registered before.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from connectors.config_file import read_config
from flows.ops.local_server import PREFECT, free_port
from flows.ops.serve import local_server_for
from tests.demo_copy import copy_demo_config
from tests.e2e.prefect_servers import offline_env, processes_with

pytestmark = pytest.mark.e2e

RTE = str(Path(PREFECT[0]).parent / "rte")
OUTLOOK = {
    "backend": "outlook",
    "mailbox": "art-calendar@example.com",
    "tenant_id": "env:RTE_SERVE_TENANT",
    "client_id": "env:RTE_SERVE_CLIENT",
    "client_secret": "prefect-secret:rte-serve-graph-secret",
}
READ_BLOCK = (
    "from flows.runs.secret_blocks import prefect_secrets\n"
    "secret = prefect_secrets().resolve('prefect-secret:rte-serve-graph-secret', 'calendar')\n"
    "print(secret.get_secret_value())\n"
)


def test_a_block_registered_without_an_api_is_there_for_serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"  # no profile of the user's, no API: Prefect's own database here
    config = copy_demo_config(tmp_path / "art", calendar=OUTLOOK)
    register = subprocess.run(
        [RTE, "blocks", "register", "--config", str(config)],
        cwd=tmp_path,
        env=offline_env(PREFECT_HOME=str(home), RTE_SERVE_GRAPH_SECRET="graph-secret-5e1f"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert register.returncode == 0, register.stdout + register.stderr[-3000:]
    assert "saved Secret block 'rte-serve-graph-secret'" in register.stdout

    for name in ("PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(home))  # the shell `rte serve` would start in
    server = local_server_for(read_config(config), free_port())
    server.start()
    try:
        read = subprocess.run(
            [sys.executable, "-c", READ_BLOCK],
            env=offline_env(PREFECT_HOME=str(home), PREFECT_API_URL=server.api_url),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.stop()
    assert read.returncode == 0, read.stderr[-3000:]
    assert read.stdout.strip() == "graph-secret-5e1f"
    assert (home / "prefect.db").is_file()
    assert not (tmp_path / "art" / "state" / "prefect.db").exists()
    assert not processes_with(f"--port\0{server.port}")
