"""The demo ART config with its calendar changed: calendar tests read as "the demo, but"."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from art.config import ArtConfig
from art.config_check import validate_config

DEMO_YAML = Path(__file__).resolve().parents[1] / "flows" / "demo_art" / "art.yaml"
DEMO: dict[str, Any] = yaml.safe_load(DEMO_YAML.read_text(encoding="utf-8"))
TZ = DEMO["art"]["timezone"]


def demo_config(
    *,
    events: list[dict[str, Any]] | None = None,
    pis: list[dict[str, Any]] | None = None,
    **calendar: Any,
) -> ArtConfig:
    """The demo config; `events`, `pis` and calendar settings replaced where given."""
    data = copy.deepcopy(DEMO)
    if events is not None:
        data["calendar"]["events"] = events
    if pis is not None:
        data["cadence"]["pis"] = pis
        names = {pi["name"] for pi in pis}
        for team in data["teams"]:  # absences are by PI: only the PIs there still are
            absences = team.get("absences", {})
            team["absences"] = {pi: days for pi, days in absences.items() if pi in names}
    data["calendar"].update(calendar)
    return validate_config(data)


def shifted_pis(weeks: int, *, index: int | None = None) -> list[dict[str, Any]]:
    """The demo's PIs with one PI (`index`) or all of them starting `weeks` later."""
    pis = copy.deepcopy(DEMO["cadence"]["pis"])
    for number, pi in enumerate(pis):
        if index is None or number == index:
            pi["start"] = pi["start"] + timedelta(weeks=weeks)
    return pis


def weekdays_between(first: date, last: date, weekday: int) -> list[date]:
    """Every `weekday` (0 = Monday) from `first` to `last`, both included."""
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    days = []
    while day <= last:
        days.append(day)
        day += timedelta(weeks=1)
    return days
