"""Credentials from the references in `art.yaml`: `env:NAME` or `prefect-secret:NAME`.

The config holds only where a secret lives; `Secrets` fetches it when an
adapter needs it and hands it over as a pydantic `SecretStr`, whose repr and
str are masked, so a stray log line or traceback cannot show it. Errors name
the reference and the config field, never a value.

Prefect Secret blocks are read through the `BlockReader` the caller hands in
(`flows.runs.secret_blocks.read_secret_block` for runs and the CLI): the
steps never import Prefect, a run with only `env:` references never pays
for it, and tests hand in a dictionary's `get`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pydantic import SecretStr

# The value of the Prefect Secret block of that name, or None when there is no such block.
BlockReader = Callable[[str], "str | None"]


class SecretError(Exception):
    """A referenced secret cannot be found; the message says which and where it is used."""


def _no_blocks(name: str) -> str | None:
    raise SecretError(f"Prefect Secret blocks cannot be read here (block '{name}')")


@dataclass(frozen=True)
class Secrets:
    """Where the references of one run are looked up: the environment and Prefect's blocks."""

    read_block: BlockReader = _no_blocks
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ, repr=False)

    def resolve(self, reference: str, field: str) -> SecretStr:
        """The secret `reference` points to; `field` is its config path, for the message."""
        scheme, _, name = reference.partition(":")
        if scheme == "env" and name:
            value = self.environ.get(name)
            if not value:
                raise SecretError(
                    f"{field}: the environment variable {name} is not set (or empty); "
                    f"{field} refers to it as '{reference}'"
                )
            return SecretStr(value)
        if scheme == "prefect-secret" and name:
            return SecretStr(self._block(name, field, reference))
        raise SecretError(
            f"{field}: '{scheme}' references are not supported; "
            "use 'env:NAME' or 'prefect-secret:NAME'"
        )

    def _block(self, name: str, field: str, reference: str) -> str:
        value = self.read_block(name)
        if value is None:
            raise SecretError(
                f"{field}: there is no Prefect Secret block named '{name}' "
                f"(referred to as '{reference}'); create it with `rte blocks register` "
                "or the Prefect UI"
            )
        if not isinstance(value, str) or not value:
            raise SecretError(f"{field}: the Prefect Secret block '{name}' does not hold text")
        return value
