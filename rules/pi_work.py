"""The work of a PI as the guardrails count it, and shares of it.

A story belongs to a PI's past when it was finished (Jira's resolution) on a
day of the PI up to today, in the ART's time zone; it belongs to the PI's
plan when it is open and in a sprint. Jira's Sprint field names no PI, so
an open story in any sprint counts as planned in the PI running today.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from art.model import PI, StatusCategory, WorkItem


def finished_in(item: WorkItem, pi: PI, today: date, zone: ZoneInfo) -> bool:
    """Finished on a day of `pi` no later than `today`."""
    if item.status_category is not StatusCategory.DONE or item.resolved is None:
        return False
    day = item.resolved.astimezone(zone).date()
    return pi.start <= day <= min(today, pi.end)


def planned(item: WorkItem) -> bool:
    """Open and in a sprint."""
    return item.status_category is not StatusCategory.DONE and bool(item.iteration)


def share(part: float, whole: float) -> float | None:
    """`part` as a percentage of `whole`, one decimal; None of nothing."""
    return round(part / whole * 100, 1) if whole else None
