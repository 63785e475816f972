"""The nightly health report as deterministic JSON (`health.json`).

The same report always gives the same bytes: findings are sorted (most
severe first, then rule, subject, message), mapping keys inside `data` and
`metrics` are sorted, and values JSON has no type for are converted one way:

- `date` / `datetime` / `time`: ISO 8601 text;
- `timedelta`: seconds as a number;
- tuples, lists: arrays; sets: arrays sorted by their JSON text;
- enums: their value; other objects: `str(value)`;
- NaN and infinities: null (JSON has no literal for them).
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
from rules.health import HealthReport


def finding_sort_key(finding: Finding) -> tuple[int, str, str, str]:
    """Most severe first, then by rule, subject and message."""
    return (-finding.severity.rank, finding.rule, finding.subject, finding.message)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=finding_sort_key)


def health_json(report: HealthReport) -> str:
    """`report` as indented, key-stable JSON text (UTF-8 characters kept as they are)."""
    document = {
        "art": report.art,
        "generated_at": report.generated_at.isoformat(),
        "as_of": report.as_of.isoformat(),
        "pi": report.pi,
        "findings": [
            {
                "rule": finding.rule,
                "severity": finding.severity.value,
                "subject": finding.subject,
                "message": finding.message,
                "data": to_plain(finding.data),
            }
            for finding in sort_findings(report.findings)
        ],
        "metrics": to_plain(report.metrics),
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


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
