"""Every credential reference an `art.yaml` holds, found by the schema, not by guessing.

`rte blocks register` creates a Prefect Secret block for each
`prefect-secret:` reference; the artifacts redact every value those
references (and the `env:` ones) stand for. Both need the full list, and only
fields the schema declares as credential references count, so a team called
"env:x" is never taken for one.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from art.config import ArtConfig, SecretRef
from flows.steps.secrets import SecretError, Secrets

_SECRET_VALIDATOR = typing.get_args(SecretRef)[1]  # Annotated[str, AfterValidator(...)]


@dataclass(frozen=True)
class SecretReference:
    """Where a credential is used (`jira.auth.token`) and where it lives (`env:JIRA_TOKEN`)."""

    field: str
    reference: str

    @property
    def scheme(self) -> str:
        return self.reference.partition(":")[0]

    @property
    def name(self) -> str:
        return self.reference.partition(":")[2]


def secret_references(config: ArtConfig) -> list[SecretReference]:
    """The config's credential references, in the order of the schema."""
    return list(_walk(config, ""))


def secret_values(config: ArtConfig, secrets: Secrets) -> list[str]:
    """The values behind the config's references that can be found now (for redaction);
    a reference that cannot be resolved cannot leak either."""
    values = []
    for ref in secret_references(config):
        try:
            values.append(secrets.resolve(ref.reference, ref.field).get_secret_value())
        except SecretError:
            continue
    return values


def _walk(model: BaseModel, prefix: str) -> Iterator[SecretReference]:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            yield from _walk(value, f"{path}.")
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk(item, f"{path}[{index}].")
        elif isinstance(value, str) and _is_secret_field(info):
            yield SecretReference(path, value)


def _is_secret_field(info: FieldInfo) -> bool:
    if _SECRET_VALIDATOR in info.metadata:
        return True
    return any(
        _SECRET_VALIDATOR in getattr(arg, "__metadata__", ())
        for arg in typing.get_args(info.annotation)
    )
