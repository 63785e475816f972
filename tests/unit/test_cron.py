"""Crons in art.yaml: the five standard fields, a wrong one named by its field path with an
example, and every form accepted here accepted by Prefect's own check too."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from art.config_errors import ConfigError
from art.cron import FIELDS, check_cron
from flows.runs.runtime import prepare_prefect
from tests.config_builders import art_config


def prefect_accepts(cron: str) -> bool:
    """Prefect's own check of a cron schedule, as a deployment's schedule gets it."""
    prepare_prefect(quiet=True)  # before Prefect reads its settings
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    try:
        CronSchedule(cron=cron, timezone="Europe/Berlin")
    except ValidationError:
        return False
    return True


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


@pytest.mark.parametrize(
    "cron",
    [
        "0 2 * * *",
        "*/15 8-17 * * 1-5",
        "0 6 * * mon-fri",
        "0 7 * * MON,Wed,fri",
        "0 4 1,15 * *",
        "0 9 * jan-mar *",
        "0 2 * * 0-7",
        "5/10 * * * *",
        "0-59/5 * * * *",
    ],
)
def test_the_usual_forms_pass_both_checks(cron: str) -> None:
    assert check_cron(cron) == cron
    assert prefect_accepts(cron)


def _item(field: int) -> st.SearchStrategy[str]:
    """One item of a field as art.yaml takes it: '*', a number or name, a range, a step."""
    low, high, names = FIELDS[field].low, FIELDS[field].high, FIELDS[field].names
    value = st.integers(low, high)
    token = value.map(str) | (st.sampled_from(names) if names else value.map(str))
    ranged = st.tuples(value, value).map(lambda ends: f"{min(ends)}-{max(ends)}")
    step = st.just("") | st.integers(1, high + 5).map(lambda n: f"/{n}")
    return st.tuples(st.just("*") | token | ranged, step).map("".join)


CRONS = st.tuples(
    *(st.lists(_item(field), min_size=1, max_size=3).map(",".join) for field in range(5))
).map(" ".join)


@given(CRONS)
def test_every_cron_art_yaml_accepts_prefect_accepts_too(cron: str) -> None:
    assert check_cron(cron) == cron
    assert prefect_accepts(cron), cron
