"""Crons in art.yaml: the five standard fields, and a wrong one named by its field path with
an example (that Prefect accepts them too: tests/integration/test_cron_against_prefect.py)."""

from __future__ import annotations

import pytest

from art.config_errors import ConfigError
from tests.config_builders import art_config


@pytest.mark.parametrize(
    ("cron", "problem"),
    [
        ("0 24 * * *", "hour '24' must lie within 0-23"),
        ("0 2 * *", "must be a cron expression of five fields"),
        ("0 2 * * * *", "must be a cron expression of five fields"),
        ("@daily", "must be a cron expression of five fields"),
        ("0 2 * * monday", "day-of-week 'monday' is not a number"),
        ("0 2 * foo *", "month 'foo' has a name cron does not know (names: jan, feb,"),
        ("30-10 2 * * *", "minute '30-10' has a range that runs backwards"),
        ("*/0 2 * * *", "minute '*/0' has a step of 0"),
        ("0 2 L * *", "day-of-month 'L' is not a number"),
    ],
)
def test_a_wrong_cron_names_its_field_path_and_shows_an_example(cron: str, problem: str) -> None:
    with pytest.raises(ConfigError) as raised:
        art_config(schedules={"pi_objectives": {"cron": cron}})
    [message] = [str(p) for p in raised.value.problems]
    assert message.startswith(f"schedules.pi_objectives.cron: {problem}"), message
    assert "such as '0 2 * * *'" in message


def test_an_unknown_flow_under_schedules_lists_the_keys_there_are() -> None:
    with pytest.raises(ConfigError) as raised:
        art_config(schedules={"nightly": {"cron": "0 2 * * *"}})
    assert [str(p) for p in raised.value.problems] == [
        "schedules.nightly: unknown key (allowed: nightly_health, pi_objectives, art_calendar)"
    ]
