"""Every night means every night: the schedules fire once a day through both daylight-saving
changes of the ART's time zone, as Prefect's scheduler computes them (no server needed)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from flows.runs.runtime import prepare_prefect
from flows.runs.schedules import schedule_for

pytestmark = pytest.mark.e2e


def run_days(flow: str, timezone: str, start: date, days: int) -> Counter[date]:
    """How many runs fall on each local day in `days` days from `start`."""
    prepare_prefect(ephemeral=True, quiet=True)  # before Prefect reads its settings
    from prefect.server.schemas.schedules import CronSchedule

    zone = ZoneInfo(timezone)
    begin = datetime.combine(start, datetime.min.time(), zone).astimezone(UTC)
    schedule = CronSchedule(cron=schedule_for(flow).cron, timezone=timezone)
    dates = asyncio.run(
        schedule.get_dates(n=days * 2, start=begin, end=begin + timedelta(days=days))
    )
    return Counter(moment.astimezone(zone).date() for moment in dates)


@pytest.mark.parametrize("timezone", ["Europe/Berlin", "America/New_York"])
@pytest.mark.parametrize("flow", ["nightly-health", "pi-objectives"])
def test_a_nightly_flow_runs_once_on_every_night_of_the_year(flow: str, timezone: str) -> None:
    counts = run_days(flow, timezone, date(2026, 1, 1), 365)
    assert len(counts) == 365
    assert set(counts.values()) == {1}


def test_the_night_the_clocks_skip_two_oclock_still_gets_its_run_at_three() -> None:
    prepare_prefect(ephemeral=True, quiet=True)
    from prefect.server.schemas.schedules import CronSchedule

    zone = ZoneInfo("Europe/Berlin")
    spring = datetime(2026, 3, 28, 12, tzinfo=zone)
    schedule = CronSchedule(cron="0 2 * * *", timezone="Europe/Berlin")
    [run] = asyncio.run(schedule.get_dates(n=1, start=spring))
    local = run.astimezone(zone)
    assert (local.date(), local.hour, local.minute) == (date(2026, 3, 29), 3, 0)
