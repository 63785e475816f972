"""Credentials from the references in `art.yaml`: `env:NAME` or `prefect-secret:NAME`.

The config holds only where a secret lives; this module fetches it when a
connector needs it and hands it over as a pydantic `SecretStr`, whose repr and
str are masked, so a stray log line or traceback cannot show it. Errors name
the reference and the config field, never a value. Prefect is imported only
for `prefect-secret:` references, so `rte sync` with environment variables
never pays for it.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import SecretStr


class SecretError(Exception):
    """A referenced secret cannot be found; the message says which and where it is used."""


def resolve_secret(reference: str, field: str) -> SecretStr:
    """The secret `reference` points to; `field` is its config path, for the error message."""
    scheme, _, name = reference.partition(":")
    if scheme == "env" and name:
        value = os.environ.get(name)
        if not value:
            raise SecretError(
                f"{field}: the environment variable {name} is not set (or empty); "
                f"{field} refers to it as '{reference}'"
            )
        return SecretStr(value)
    if scheme == "prefect-secret" and name:
        return SecretStr(_prefect_secret(name, field, reference))
    raise SecretError(
        f"{field}: '{scheme}' references are not supported; use 'env:NAME' or 'prefect-secret:NAME'"
    )


def _prefect_secret(name: str, field: str, reference: str) -> str:
    from prefect.blocks.system import Secret

    try:
        block: Any = Secret.load(name, _sync=True)  # type: ignore[call-arg]  # sync even in a flow
    except ValueError:
        raise SecretError(
            f"{field}: there is no Prefect Secret block named '{name}' "
            f"(referred to as '{reference}'); create it with the Prefect UI or "
            f"`Secret(value=...).save('{name}')`"
        ) from None
    value = block.get()
    if not isinstance(value, str) or not value:
        raise SecretError(f"{field}: the Prefect Secret block '{name}' does not hold text")
    return value
