"""An ART's own schedules: `schedules:` in art.yaml over the one table of flows, said in
words."""

from __future__ import annotations

from pathlib import Path

import pytest

from art.config import SchedulesConfig
from flows.runs.schedules import SCHEDULES, art_schedules, describe_cron
from tests.config_builders import art_config

ROOT = Path(__file__).resolve().parents[2]


def test_each_flow_of_the_table_has_its_key_under_schedules() -> None:
    assert list(SchedulesConfig.model_fields) == [s.config_key for s in SCHEDULES]


def test_without_schedules_the_art_runs_each_flow_at_its_usual_time_under_its_own_name() -> None:
    schedules = art_schedules(art_config(art={"name": "Aurora ART"}))
    assert [(s.flow, s.cron, s.active) for s in schedules] == [
        (s.flow, s.cron, True) for s in SCHEDULES
    ]
    assert [s.full_name for s in schedules] == [
        "nightly-health/aurora-art",
        "pi-objectives/aurora-art",
        "art-calendar/aurora-art",
    ]


def test_the_config_moves_one_flow_and_switches_another_off() -> None:
    config = art_config(
        schedules={
            "nightly_health": {"cron": "0  6 * * 1-5"},
            "art_calendar": {"active": False},
        }
    )
    nightly, objectives, calendar = art_schedules(config)
    assert (nightly.cron, nightly.active, nightly.when) == (
        "0 6 * * 1-5",
        True,
        "Monday to Friday at 06:00",
    )
    assert (objectives.cron, objectives.active) == ("30 2 * * *", True)
    assert (calendar.cron, calendar.active) == ("0 3 * * 1", False)
    assert calendar.describe("Europe/Berlin") == (
        "art-calendar/test-art: every Monday at 03:00 (0 3 * * 1, Europe/Berlin, switched off)"
    )


@pytest.mark.parametrize(
    ("cron", "words"),
    [
        ("0 2 * * *", "every night at 02:00"),
        ("30 2 * * *", "every night at 02:30"),
        ("0 7 * * *", "every day at 07:00"),
        ("0 3 * * 1", "every Monday at 03:00"),
        ("0 8 * * 7", "every Sunday at 08:00"),
        ("15 7 * * mon,wed,FRI", "every Monday, Wednesday and Friday at 07:15"),
        ("0 6 * * 1-5", "Monday to Friday at 06:00"),
        ("0 4 1 * *", "on day 1 of each month at 04:00"),
        ("*/15 * * * *", "on its cron schedule"),
        ("0 2 * * */2", "on its cron schedule"),
        ("0 2 1 1 *", "on its cron schedule"),
    ],
)
def test_a_cron_in_words(cron: str, words: str) -> None:
    assert describe_cron(cron) == words
