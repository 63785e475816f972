"""Where the PI objectives come from: the YAML file, or Jira issues (live or the export).

Plain functions, no Prefect: the `pi_objectives` flow wraps them in a task,
tests call them directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from art.config import ArtConfig
from art.config_errors import ConfigError, Problem
from art.model import Objective, RejectedRecord
from connectors.http import RequestCounter
from connectors.jira import connect
from connectors.jira_export import read_raw_export
from connectors.objectives_jira import (
    ObjectiveQuery,
    objective_field_ids,
    objectives_from_issues,
    objectives_jql,
)
from connectors.objectives_yaml import read_objectives
from flows.steps.jira_snapshot import jira_credentials, now_utc


@dataclass(frozen=True)
class ObjectiveSource:
    """The objectives read, the records that could not be, and the Jira site to link to."""

    objectives: tuple[Objective, ...]
    rejected: tuple[RejectedRecord, ...]
    jira_site: str | None


def read_objective_source(
    config: ArtConfig, *, counter: RequestCounter | None = None
) -> ObjectiveSource:
    """The objectives from the configured source: the YAML file, or Jira (live or export)."""
    settings = config.objectives
    if settings.source == "yaml":
        if settings.file is None:
            raise ConfigError(
                [Problem("objectives.file", "is required when objectives.source is 'yaml'")]
            )
        return ObjectiveSource(read_objectives(settings.file), (), _jira_site(config))
    if config.jira.backend == "export":
        assert config.jira.export_dir is not None  # guaranteed by validate_config
        export = read_raw_export(Path(config.jira.export_dir))
        ids = objective_field_ids(config, export.field_list)
        batch = objectives_from_issues(export.issues, ids, config)
        site: str | None = export.site
    else:
        counter = counter if counter is not None else RequestCounter()
        site_client = connect(config.jira, jira_credentials(config.jira), counter=counter)
        ids = objective_field_ids(config, site_client.field_list())
        query = ObjectiveQuery(objective_fields=tuple(ids.requested()))
        records = site_client.fetch_issues(objectives_jql(config), query)
        batch = objectives_from_issues([record.issue for record in records], ids, config)
        site = config.jira.url
    return ObjectiveSource(batch.objectives, batch.rejected + batch.warnings, site)


def _jira_site(config: ArtConfig) -> str | None:
    """Where feature links point: the live site, or the site the export was taken from."""
    if config.jira.backend != "export":
        return config.jira.url
    if config.jira.export_dir is None:
        return None
    try:
        return read_raw_export(Path(config.jira.export_dir)).site
    except (OSError, ValueError):  # no export to read: features are shown without links
        return None


def art_today(config: ArtConfig) -> date:
    return now_utc().astimezone(ZoneInfo(config.art.timezone)).date()
