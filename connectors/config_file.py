"""Reading `art.yaml` from disk.

Relative paths in the file are relative to the file itself, so a config
works the same from any working directory (cron, a Prefect worker, a laptop).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from art.config import ArtConfig
from art.config_check import validate_config
from art.config_errors import ConfigError, Problem
from connectors.jql import train_condition

YAML_HINT = (
    " (YAML nests by indentation: check that this line lines up with its siblings, uses "
    "spaces, not tabs, and that a value holding ': ' or ' #' is in quotes)"
)


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that refuses duplicate keys, which PyYAML would silently overwrite; on
    libyaml's parser where PyYAML has it (a tenth of the pure-Python parser's time)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """A date the calendar does not have (2026-02-30) stays text, so the schema names its
    field; PyYAML would raise a bare ValueError from deep inside the parser."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_config(path: Path | str) -> ArtConfig:
    """Load and validate `art.yaml`; raise ConfigError naming every problem.

    Beyond the schema, `jira.jql` must be a condition rte can join with its
    own (`connectors.jql`), so `rte check-config` already says when it is not.
    """
    path = Path(path)
    try:
        config = validate_config(read_yaml(path))
        train_condition(config.jira)
    except ConfigError as exc:
        raise ConfigError(exc.problems, source=exc.source or str(path)) from None
    return anchor_paths(config, path.resolve().parent)


def read_yaml(path: Path) -> Any:
    """Parse one of our YAML files, refusing duplicate keys; ConfigError names file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem("", "no such file")], source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.__class__.__name__
        raise ConfigError([Problem("", f"cannot be read ({reason})")], source=str(path)) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = Problem("", f"{where}{exc.problem}{YAML_HINT}")
        raise ConfigError([problem], source=str(path)) from None
    except yaml.YAMLError as exc:
        raise ConfigError([Problem("", f"not valid YAML ({exc})")], source=str(path)) from None


def anchor_paths(config: ArtConfig, base: Path) -> ArtConfig:
    """Make the file-system paths in the config absolute, relative to `base`."""

    def anchored(value: str | None) -> str | None:
        return None if value is None else str((base / value).resolve())

    return config.model_copy(
        update={
            "jira": config.jira.model_copy(update={"export_dir": anchored(config.jira.export_dir)}),
            "objectives": config.objectives.model_copy(
                update={"file": anchored(config.objectives.file)}
            ),
            "state_dir": anchored(config.state_dir),
        }
    )
