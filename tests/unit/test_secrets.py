"""Credentials by reference: found, masked, or a message that names what is missing."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.steps.secrets import SecretError, Secrets


def test_an_environment_reference_gives_a_masked_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTE_TEST_TOKEN", "s3cr3t-value")
    secret = Secrets().resolve("env:RTE_TEST_TOKEN", "jira.auth.token")
    assert secret.get_secret_value() == "s3cr3t-value"
    assert "s3cr3t-value" not in f"{secret} {secret!r}"


@pytest.mark.parametrize("value", [None, ""])
def test_a_missing_variable_names_it_and_the_field(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("RTE_TEST_TOKEN", raising=False)
    else:
        monkeypatch.setenv("RTE_TEST_TOKEN", value)
    with pytest.raises(SecretError) as raised:
        Secrets().resolve("env:RTE_TEST_TOKEN", "confluence.auth.token")
    assert str(raised.value).startswith(
        "confluence.auth.token: the environment variable RTE_TEST_TOKEN is not set"
    )


def test_an_unknown_kind_of_reference_says_which_are_supported() -> None:
    with pytest.raises(SecretError, match="use 'env:NAME' or 'prefect-secret:NAME'"):
        Secrets().resolve("vault:jira", "jira.auth.token")


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
        min_size=1,
        max_size=40,
    )
)
def test_a_value_comes_back_exactly_as_set(value: str) -> None:
    os.environ["RTE_TEST_EXACT"] = value
    try:
        secret = Secrets().resolve("env:RTE_TEST_EXACT", "jira.auth.token")
        assert secret.get_secret_value() == value
    finally:
        del os.environ["RTE_TEST_EXACT"]


def test_a_prefect_secret_comes_from_the_block_reader_it_is_given() -> None:
    blocks = {"jira-token": "from-a-block-91"}
    secrets = Secrets(read_block=blocks.get)
    assert secrets.resolve("prefect-secret:jira-token", "jira.auth.token").get_secret_value() == (
        "from-a-block-91"
    )
    with pytest.raises(SecretError) as raised:
        secrets.resolve("prefect-secret:absent", "confluence.auth.token")
    assert str(raised.value).startswith(
        "confluence.auth.token: there is no Prefect Secret block named 'absent'"
    )


def test_without_a_block_reader_a_prefect_secret_is_a_clear_error() -> None:
    with pytest.raises(SecretError, match="Prefect Secret blocks cannot be read here"):
        Secrets().resolve("prefect-secret:jira-token", "jira.auth.token")
