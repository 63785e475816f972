"""The demo ART as the nightly health check sees it, and the cases `generate.py` planted in it.

Tests of the rules on the demo read the export through the real backend, evaluate it
as `rte demo` does, and compare the findings' subjects with the planted keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from art.config import ArtConfig
from art.model import BoardColumn
from connectors.config_file import read_config
from flows.cli.common import DEMO_CONFIG
from flows.steps.bootstrap import bootstrap
from flows.steps.jira_snapshot import JiraSnapshot, evaluate_snapshot
from rules.health import HealthReport

PLANTED = json.loads((DEMO_CONFIG.parent / "jira" / "export.json").read_text())["planted"]


def demo_health(
    generated_at: datetime, team_columns: Mapping[str, tuple[BoardColumn, ...]] | None = None
) -> tuple[ArtConfig, JiraSnapshot, HealthReport]:
    """The demo's config, its snapshot as of the export's day, and the health report on it
    (with `team_columns` as the teams' own boards a live Jira would have given)."""
    config = read_config(DEMO_CONFIG)
    snapshot = replace(bootstrap(config, ".").jira.snapshot(), team_columns=team_columns or {})
    report = evaluate_snapshot(snapshot, config, generated_at=generated_at)
    return config, snapshot, report


def subjects(report: HealthReport, rule: str, **data: object) -> set[str]:
    """The subjects of the report's `rule` findings whose data holds every `data` item."""
    return {
        f.subject
        for f in report.findings
        if f.rule == rule and all(f.data.get(k) == v for k, v in data.items())
    }
