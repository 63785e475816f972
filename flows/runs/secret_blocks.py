"""Prefect Secret blocks: where `prefect-secret:` references in art.yaml are kept.

Reading goes through `flows.steps.secrets.Secrets`, which takes
`read_secret_block` as its block reader; `rte blocks register` saves through
`save_secret_block`. Prefect is imported only when a block is actually read
or saved, so a run that uses only `env:` references never pays for it.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from flows.steps.secrets import Secrets


def read_secret_block(name: str) -> str | None:
    """The value of the Secret block `name`, or None when there is no such block."""
    from prefect.blocks.system import Secret

    try:
        block: Any = Secret.load(name, _sync=True)  # type: ignore[call-arg]  # sync even in a flow
    except ValueError:
        return None
    value = block.get()
    return value if isinstance(value, str) else ""


def save_secret_block(name: str, value: str) -> None:
    """Create or replace the Prefect Secret block `name`."""
    from prefect.blocks.system import Secret

    Secret(value=SecretStr(value)).save(name, overwrite=True)


def prefect_secrets() -> Secrets:
    """The references of a run or a command: the environment, and Prefect's Secret blocks."""
    return Secrets(read_block=read_secret_block)
