"""`rte blocks register`: which blocks, from which variables, and never a value in sight."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from art.config import ArtConfig
from flows.cli import app
from flows.cli.common import DEMO_CONFIG
from flows.ops.blocks import (
    BlocksError,
    BlockSource,
    block_sources,
    register_blocks,
    variable_for,
)
from flows.steps.secret_refs import SecretReference, secret_references
from tests.config_builders import art_config

OUTLOOK = {
    "backend": "outlook",
    "mailbox": "art-calendar@example.com",
    "tenant_id": "env:GRAPH_TENANT",
    "client_id": "prefect-secret:graph-client",
    "client_secret": "prefect-secret:graph-secret",
}


def production_config(**overrides: object) -> ArtConfig:
    sections: dict[str, object] = {
        "jira": {
            "backend": "cloud",
            "url": "https://aurora.atlassian.net",
            "projects": ["AUR"],
            "auth": {"user": "env:JIRA_USER", "token": "prefect-secret:jira-token"},
        },
        "confluence": {
            "backend": "cloud",
            "url": "https://aurora.atlassian.net",
            "space": "ART",
            "auth": {"user": "env:JIRA_USER", "token": "prefect-secret:jira-token"},
        },
        "calendar": OUTLOOK,
        "teams": [{"name": "env:not-a-secret"}],
    }
    sections.update(overrides)
    return art_config(**sections)


def test_every_reference_the_schema_declares_is_found_and_nothing_else() -> None:
    assert secret_references(production_config()) == [
        SecretReference("jira.auth.user", "env:JIRA_USER"),
        SecretReference("jira.auth.token", "prefect-secret:jira-token"),
        SecretReference("calendar.tenant_id", "env:GRAPH_TENANT"),
        SecretReference("calendar.client_id", "prefect-secret:graph-client"),
        SecretReference("calendar.client_secret", "prefect-secret:graph-secret"),
        SecretReference("confluence.auth.user", "env:JIRA_USER"),
        SecretReference("confluence.auth.token", "prefect-secret:jira-token"),
    ]


def test_each_block_once_with_every_field_that_uses_it() -> None:
    sources = block_sources(production_config(), {"graph-secret": "ENTRA_APP_SECRET"})
    assert sources == [
        BlockSource("jira-token", "JIRA_TOKEN", ("jira.auth.token", "confluence.auth.token")),
        BlockSource("graph-client", "GRAPH_CLIENT", ("calendar.client_id",)),
        BlockSource("graph-secret", "ENTRA_APP_SECRET", ("calendar.client_secret",)),
    ]


@pytest.mark.parametrize(
    ("block", "variable"),
    [("jira-token", "JIRA_TOKEN"), ("graph.client/id", "GRAPH_CLIENT_ID"), ("x", "X")],
)
def test_the_default_variable_is_the_block_name_in_upper_case(block: str, variable: str) -> None:
    assert variable_for(block) == variable


def test_an_override_for_a_block_the_config_does_not_use_is_refused() -> None:
    with pytest.raises(BlocksError, match="does not refer to: jira-tokn \\(its prefect-secret"):
        block_sources(production_config(), {"jira-tokn": "JIRA_API_TOKEN"})


def test_a_name_prefect_would_refuse_is_reported_before_anything_is_saved() -> None:
    config = production_config(calendar={**OUTLOOK, "client_id": "prefect-secret:Graph_Client"})
    with pytest.raises(BlocksError, match="not a Prefect block name: Graph_Client"):
        block_sources(config, {})


def test_nothing_is_saved_unless_every_value_is_there() -> None:
    saved: dict[str, str] = {}
    sources = block_sources(production_config(), {})
    environ = {"JIRA_TOKEN": "jira-value-1", "GRAPH_CLIENT": "", "GRAPH_SECRET": "graph-value-2"}
    with pytest.raises(BlocksError) as raised:
        register_blocks(sources, environ, saved.__setitem__)
    assert saved == {}
    message = str(raised.value)
    assert (
        message
        == "not set (or empty), so nothing was saved: $GRAPH_CLIENT for block 'graph-client'"
    )
    assert "jira-value-1" not in message and "graph-value-2" not in message


def test_the_blocks_get_the_values_and_the_report_names_only_blocks_and_variables() -> None:
    saved: dict[str, str] = {}
    sources = block_sources(production_config(), {})
    environ = {"JIRA_TOKEN": "t-1", "GRAPH_CLIENT": "c-2", "GRAPH_SECRET": "s-3", "OTHER": "o"}
    lines = register_blocks(sources, environ, saved.__setitem__)
    assert saved == {"jira-token": "t-1", "graph-client": "c-2", "graph-secret": "s-3"}
    assert lines[0] == (
        "Secret block 'jira-token' <- $JIRA_TOKEN (used by jira.auth.token, confluence.auth.token)"
    )
    assert not any(value in " ".join(lines) for value in ("t-1", "c-2", "s-3"))


def test_the_command_refuses_a_malformed_env_option_and_a_config_without_blocks() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["blocks", "register", "--config", str(DEMO_CONFIG)])
    assert result.exit_code == 0
    assert "refers to no prefect-secret: block; nothing to register" in result.output
    result = runner.invoke(
        app, ["blocks", "register", "--config", str(DEMO_CONFIG), "--env", "JIRA_TOKEN"]
    )
    assert result.exit_code == 2
    assert "--env: write BLOCK=VARIABLE" in result.output
