"""The nightly health report as deterministic JSON (`health.json`).

The same report always gives the same bytes: findings are sorted (most
severe first, then rule, subject, message) and mapping keys inside `data`
and `metrics` are sorted.

The metrics are the rules' result objects, each turned into JSON here (and
in `reports.flow_json` / `reports.economics_json`) field by field, so the
document's shape is written down once and a renamed attribute fails the
type check instead of vanishing from the file. A finding's `data` is
free-form, so values JSON has no type for are converted one way:

- `date` / `datetime` / `time`: ISO 8601 text;
- `timedelta`: seconds as a number;
- tuples, lists: arrays; sets: arrays sorted by their JSON text;
- enums: their value; other objects: `str(value)`;
- NaN and infinities: null (JSON has no literal for them; in the metrics too).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

from art.model import Finding
from reports.board_json import program_board_json, risks_json
from reports.economics_json import guardrails_json, readiness_json, rollup_json
from reports.flow_json import (
    aging_json,
    board_load_json,
    cumulative_flow_json,
    flow_metrics_json,
    team_boards_json,
)
from reports.morning_json import finding_extras, morning_members, trends_json, worst_first
from reports.outlook_json import capacity_json, forecast_json
from rules.health import HealthMetrics, HealthReport


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by rule, subject and message (`worst_first`, for findings)."""
    return worst_first(findings)


def health_json(report: HealthReport) -> str:
    """`report` as indented, key-stable JSON text (UTF-8 characters kept as they are)."""
    document = {
        "art": report.art,
        "generated_at": report.generated_at.isoformat(),
        "as_of": report.as_of.isoformat(),
        "pi": report.pi,
        **morning_members(report),
        "findings": [
            {
                "rule": finding.rule,
                "severity": finding.severity.value,
                "subject": finding.subject,
                "message": finding.message,
                "data": to_plain(finding.data),
                **finding_extras(finding),
            }
            for finding in sort_findings((*report.findings, *report.suppressed))
        ],
        "metrics": json_ready(metrics_json(report.metrics) | trends_member(report)),
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def metrics_json(metrics: HealthMetrics) -> dict[str, Any]:
    """The `metrics` object of health.json: one member per rule's result."""
    flow, economics = metrics.flow, metrics.economics
    return {
        "kanban": board_load_json(metrics.kanban),
        "items": {
            "total": metrics.items.total,
            "by_level": dict(metrics.items.by_level),
            "rejected": metrics.items.rejected,
        },
        "team_boards": team_boards_json(flow.team_boards),
        "flow_metrics": flow_metrics_json(flow.flow_metrics),
        "cumulative_flow": cumulative_flow_json(flow.cumulative_flow),
        "aging_wip": {level: aging_json(aging) for level, aging in flow.aging.items()},
        "rollup": rollup_json(economics.rollup),
        "guardrails": guardrails_json(economics.guardrails),
        "readiness": readiness_json(economics.readiness),
        "data_quality": dict(metrics.data_quality),
        "risks": risks_json(metrics.risks),
        "program_board": program_board_json(metrics.program_board),
        "forecast": forecast_json(metrics.forecast),
        "capacity": capacity_json(metrics.capacity),
    }


def trends_member(report: HealthReport) -> dict[str, Any]:
    """`metrics.trends`, when the report has its morning read (`reports.morning_json`)."""
    return {"trends": trends_json(report.morning.trends)} if report.morning is not None else {}


def json_ready(value: Any) -> Any:
    """Converted metrics checked and made stable: keys sorted, NaN and infinities null.

    Anything but JSON's own types is a converter's mistake and raises, rather
    than being guessed at as a finding's free-form data is.
    """
    if isinstance(value, dict):
        return {str(key): json_ready(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [json_ready(item) for item in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str | int):
        return value
    raise TypeError(f"not JSON data: {type(value).__name__}")


def to_plain(value: Any) -> Any:
    """`value` as JSON-ready data (dicts with sorted string keys, lists, str, numbers, None)."""
    if value is None or isinstance(value, bool | int | str):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Enum):
        return to_plain(value.value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Mapping):
        items = ((str(key), to_plain(item)) for key, item in value.items())
        return dict(sorted(items, key=lambda pair: pair[0]))
    if is_dataclass(value) and not isinstance(value, type):
        return to_plain(asdict(value))
    if isinstance(value, set | frozenset):
        return sorted((to_plain(item) for item in value), key=_json_text)
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    return str(value)


def _json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
