"""`rte blocks register` against a real Prefect API: the blocks hold the values, the output none."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.runs.secret_blocks import prefect_secrets
from tests.demo_copy import copy_demo_config

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

OUTLOOK = {
    "backend": "outlook",
    "mailbox": "art-calendar@example.com",
    "tenant_id": "prefect-secret:rte-test-tenant",
    "client_id": "env:RTE_TEST_CLIENT_ID",
    "client_secret": "prefect-secret:rte-test-graph-secret",
}


def test_the_blocks_are_saved_from_the_environment_and_read_back_by_the_flows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = copy_demo_config(tmp_path, calendar=OUTLOOK)
    monkeypatch.setenv("RTE_TEST_TENANT", "tenant-0b5e")
    monkeypatch.setenv("ENTRA_SECRET", "graph-secret-77aa")
    result = CliRunner().invoke(
        app,
        [
            "blocks",
            "register",
            "--config",
            str(config),
            "--env",
            "rte-test-graph-secret=ENTRA_SECRET",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "saved Secret block 'rte-test-tenant' <- $RTE_TEST_TENANT (used by calendar.tenant_id)",
        "saved Secret block 'rte-test-graph-secret' <- $ENTRA_SECRET (used by "
        "calendar.client_secret)",
    ]
    reference = "prefect-secret:rte-test-graph-secret"
    secret = prefect_secrets().resolve(reference, "calendar.client_secret")
    assert secret.get_secret_value() == "graph-secret-77aa"
    assert "tenant-0b5e" not in result.output and "graph-secret-77aa" not in result.output


def test_a_missing_variable_saves_nothing_and_says_which(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = copy_demo_config(
        tmp_path, calendar={**OUTLOOK, "tenant_id": "prefect-secret:rte-test-unsaved"}
    )
    monkeypatch.delenv("RTE_TEST_UNSAVED", raising=False)
    monkeypatch.setenv("RTE_TEST_GRAPH_SECRET", "never-saved-3c")
    result = CliRunner().invoke(app, ["blocks", "register", "--config", str(config)])
    assert result.exit_code == 2
    assert "$RTE_TEST_UNSAVED for block 'rte-test-unsaved'" in result.output
    assert "never-saved-3c" not in result.output
    from prefect.blocks.system import Secret

    with pytest.raises(ValueError):
        Secret.load("rte-test-unsaved", _sync=True)  # type: ignore[call-arg]
