"""The demo ART holds a forecast-late case, a capacity-overload and a capacity-tight case.

Read through the real export backend and the health check `rte demo` runs,
checked against the keys `generate.py` lists as planted.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from reports.health_json import health_json
from rules.forecast import CONFIDENCES
from tests.demo_findings import PLANTED, demo_health, subjects

PI_END = date(2026, 12, 13)


@pytest.fixture(scope="module")
def demo():
    return demo_health(generated_at=datetime(2026, 11, 20, 18, tzinfo=UTC))


def test_every_open_feature_of_the_pi_has_its_dates_in_rank_order(demo) -> None:
    _, snapshot, report = demo
    forecast = report.metrics.forecast
    assert forecast is not None and forecast.pi is not None and forecast.pi.name == "PI 2026.4"
    planned = [i for i in snapshot.items if "pi-2026.4" in i.fields.get("labels", ())]
    open_keys = {i.key for i in planned if i.status != "Done"}
    assert {row.key for row in forecast.features} == open_keys
    ranks = [
        next(i for i in planned if i.key == row.key).fields["rank"] for row in forecast.features
    ]
    assert ranks == sorted(ranks)  # worked highest WSJF first
    for row in forecast.features:
        days = [row.dates[p] for p in CONFIDENCES]
        assert None not in days and days == sorted(days)
    document = json.loads(health_json(report))["metrics"]["forecast"]
    assert [row["key"] for row in document["features"]] == [r.key for r in forecast.features]
    assert set(document["features"][0]["dates"]) == {"50", "85", "95"}


def test_the_demo_has_late_features_by_the_pi_end_and_by_a_due_date(demo) -> None:
    _, _, report = demo
    late = subjects(report, "forecast-late")
    assert late
    [due] = PLANTED["feature_with_due_date"]
    assert subjects(report, "forecast-late", deadline_is="due date") == {due}
    assert subjects(report, "forecast-late", deadline=PI_END) == late - {due}
    severities = {f.severity.value for f in report.findings if f.rule == "forecast-late"}
    assert severities == {"warning", "critical"}


def test_a_feature_without_stories_is_forecast_from_its_teams_median(demo) -> None:
    _, _, report = demo
    assert report.metrics.forecast is not None
    [pulled_in] = PLANTED["feature_in_pi_without_stories"]
    row = next(row for row in report.metrics.forecast.features if row.key == pulled_in)
    assert row.assumed and row.teams == ("Gemini",)
    assert row.note is not None and "Gemini's median stories per feature" in row.note


def test_every_team_has_its_load_for_the_next_pi_and_two_are_bottlenecks(demo) -> None:
    config, _, report = demo
    capacity = report.metrics.capacity
    assert capacity is not None and capacity.pi is not None and capacity.pi.name == "PI 2027.1"
    assert [row.team for row in capacity.teams] == [team.name for team in config.teams]
    assert subjects(report, "capacity-overload") == {"Falcon"}
    assert subjects(report, "capacity-tight") == {"Draco"}
    atlas = capacity.teams[0]
    assert atlas.absences == 2.5 and len(atlas.holidays) == 3
    assert atlas.capacity == 40 * 4 - (3 + 2.5) * 4
    planned = set(PLANTED["next_pi_features"])
    loaded = {load.key for row in capacity.teams for load in row.features}
    assert loaded | {load.key for load in capacity.unassigned} == planned
    document = json.loads(health_json(report))["metrics"]["capacity"]
    assert document["bottlenecks"] == ["Falcon", "Draco"]
