"""Credentials by reference: found, masked, or a message that names what is missing."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.steps.secrets import SecretError, resolve_secret


def test_an_environment_reference_gives_a_masked_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTE_TEST_TOKEN", "s3cr3t-value")
    secret = resolve_secret("env:RTE_TEST_TOKEN", "jira.auth.token")
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
        resolve_secret("env:RTE_TEST_TOKEN", "confluence.auth.token")
    assert str(raised.value).startswith(
        "confluence.auth.token: the environment variable RTE_TEST_TOKEN is not set"
    )


def test_an_unknown_kind_of_reference_says_which_are_supported() -> None:
    with pytest.raises(SecretError, match="use 'env:NAME' or 'prefect-secret:NAME'"):
        resolve_secret("vault:jira", "jira.auth.token")


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
        assert resolve_secret("env:RTE_TEST_EXACT", "jira.auth.token").get_secret_value() == value
    finally:
        del os.environ["RTE_TEST_EXACT"]
