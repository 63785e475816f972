"""`prefect-secret:` references, read from a real Prefect API (the shared test harness)."""

from __future__ import annotations

import pytest

from flows.runs.secret_blocks import prefect_secrets
from flows.steps.secrets import SecretError


@pytest.mark.e2e
def test_a_secret_block_is_read_and_a_missing_one_is_named(prefect_harness: None) -> None:
    from prefect.blocks.system import Secret

    Secret(value="from-prefect-7c1d").save("rte-test-jira-token", overwrite=True)
    secret = prefect_secrets().resolve("prefect-secret:rte-test-jira-token", "jira.auth.token")
    assert secret.get_secret_value() == "from-prefect-7c1d"
    with pytest.raises(SecretError) as raised:
        prefect_secrets().resolve("prefect-secret:rte-absent", "jira.auth.token")
    assert str(raised.value).startswith(
        "jira.auth.token: there is no Prefect Secret block named 'rte-absent'"
    )
