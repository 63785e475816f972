"""Reading a report's metrics without trusting their shape.

Metrics are plain nested data that several rules fill and any renderer may
receive half-filled (an older report, a rule that found nothing to measure).
A renderer reads them only through these helpers, so a missing key or an odd
value becomes None or an empty list, never an exception on a nightly run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MISSING = "\u2013"  # en dash: shown where a value is absent


def get_path(value: Any, *path: Any) -> Any:
    """`value[path[0]][path[1]]...`, or None as soon as a step is not a mapping or key."""
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def as_number(value: Any) -> float | None:
    """An int or float as a float; None for anything else (booleans included)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
