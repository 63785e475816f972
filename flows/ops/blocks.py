"""`rte blocks register`: a Prefect Secret block for each `prefect-secret:` reference in art.yaml.

The values come from environment variables of the shell that registers them
(by default the block name in upper case, `jira-token` <- `JIRA_TOKEN`), so
no secret is ever typed into a command line or a file. Nothing is saved
unless every value is there, and what is printed names blocks, variables and
config fields, never a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from art.config import ArtConfig
from flows.steps.secret_refs import secret_references

BLOCK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # what Prefect accepts as a block name


class BlocksError(Exception):
    """The blocks cannot be registered; the message names what is missing, never a value."""


@dataclass(frozen=True)
class BlockSource:
    """One Secret block, the environment variable its value comes from, and who uses it."""

    block: str
    variable: str
    fields: tuple[str, ...]

    def describe(self) -> str:
        return f"Secret block '{self.block}' <- ${self.variable} (used by {', '.join(self.fields)})"


def variable_for(block: str) -> str:
    """The default environment variable of a block: 'jira-token' -> 'JIRA_TOKEN'."""
    return re.sub(r"[^A-Z0-9]+", "_", block.upper()).strip("_")


def block_sources(config: ArtConfig, variables: Mapping[str, str]) -> list[BlockSource]:
    """The blocks the config refers to, each with its variable (`variables` overrides by block)."""
    fields_by_block: dict[str, list[str]] = {}
    for ref in secret_references(config):
        if ref.scheme == "prefect-secret":
            fields_by_block.setdefault(ref.name, []).append(ref.field)
    unknown = sorted(set(variables) - set(fields_by_block))
    if unknown:
        known = ", ".join(sorted(fields_by_block)) or "none"
        raise BlocksError(
            f"--env names block(s) the config does not refer to: {', '.join(unknown)} "
            f"(its prefect-secret: blocks: {known})"
        )
    invalid = sorted(block for block in fields_by_block if not BLOCK_NAME.match(block))
    if invalid:
        raise BlocksError(
            f"not a Prefect block name: {', '.join(invalid)}; block names take lower-case "
            "letters, digits and dashes (change the prefect-secret: reference in the config)"
        )
    return [
        BlockSource(block, variables.get(block) or variable_for(block), tuple(fields))
        for block, fields in fields_by_block.items()
    ]


def register_blocks(
    sources: list[BlockSource],
    environ: Mapping[str, str],
    save: Callable[[str, str], None],
) -> list[str]:
    """Save every block from its variable, or none if any variable is missing or empty."""
    missing = [source for source in sources if not environ.get(source.variable)]
    if missing:
        raise BlocksError(
            "not set (or empty), so nothing was saved: "
            + "; ".join(f"${s.variable} for block '{s.block}'" for s in missing)
        )
    for source in sources:
        save(source.block, environ[source.variable])
    return [source.describe() for source in sources]
