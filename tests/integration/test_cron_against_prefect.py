"""Every cron art.yaml accepts, Prefect accepts too: the schedule `rte serve` and `rte deploy`
hand over never fails at deployment time. (Prefect's own check imports Prefect, which looks
at the platform with a subprocess: hence here, beside the other real components.)"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from art.cron import FIELDS, check_cron
from flows.runs.runtime import prepare_prefect


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
