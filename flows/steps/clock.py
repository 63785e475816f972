"""What time it is for a run: now in UTC, and today in the ART's own time zone.

A module of its own, light to import: `rte check-config` asks for today (expired
suppressions) without loading the rules and numpy behind the Jira snapshot."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from art.config import ArtConfig


def now_utc() -> datetime:
    return datetime.now(UTC)


def art_today(config: ArtConfig) -> date:
    """Today in the ART's time zone."""
    return now_utc().astimezone(ZoneInfo(config.art.timezone)).date()
