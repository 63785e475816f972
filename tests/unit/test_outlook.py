"""The PI outlook as JSON, on the health page, in one line, and in pictures."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from art.model import WorkItem
from reports.charts import health_charts
from reports.health_json import health_json
from reports.health_page import health_page
from reports.outlook_charts import CAPACITY, FORECAST, capacity_chart, forecast_chart
from reports.outlook_json import capacity_json, forecast_json
from reports.outlook_sections import bottleneck_line, outlook_sentence
from rules.capacity import CapacityReport, evaluate_capacity
from rules.forecast import PiForecast, forecast_pi
from tests.config_builders import art_config
from tests.forecast_builders import (
    NEXT_PI,
    TODAY,
    feature,
    old_features,
    opened,
    steady,
)
from tests.metrics_builders import health_metrics, health_report
from tests.page_parsing import Html, parse_storage, text_of

HOSTILE = "<script>alert(1)</script> & ]]>"
CONFIG = art_config(forecast={"trials": 500})


def train() -> list[WorkItem]:
    stories = steady("Atlas", 1)
    return [
        *old_features(stories),
        *stories,
        feature("F-1", rank="0|a:", summary=HOSTILE),
        *opened("Atlas", "F-1", 3),
        feature("F-2", rank="0|b:"),
        *opened("Atlas", "F-2", 40),
        feature("F-3", label=NEXT_PI, estimate=170, team="Atlas", summary=HOSTILE),
    ]


def outlook() -> tuple[PiForecast, CapacityReport]:
    items = train()
    forecast = forecast_pi(items, CONFIG, CONFIG.kanban.columns(), today=TODAY)
    return forecast, evaluate_capacity(items, CONFIG, today=TODAY)


def test_the_forecast_as_json_dates_by_confidence_and_the_pis_outlook() -> None:
    forecast, _ = outlook()
    document = forecast_json(forecast)
    assert document is not None
    assert (document["pi"], document["ends"], document["trials"]) == (
        "PI 2026.4",
        "2026-12-13",
        500,
    )
    first = document["features"][0]
    assert first["key"] == "F-1" and first["rank"] == 1
    day_three = (TODAY + timedelta(days=3)).isoformat()
    assert first["dates"] == {p: day_three for p in ("50", "85", "95")}
    assert document["done_by_end"] == {"50": 1, "85": 1, "95": 1}
    assert forecast_json(None) is None


def test_capacity_as_json_names_every_team_and_the_bottlenecks() -> None:
    _, capacity = outlook()
    document = capacity_json(capacity)
    assert document is not None
    assert [team["team"] for team in document["teams"]] == ["Atlas", "Borealis"]
    atlas = document["teams"][0]
    assert (atlas["capacity"], atlas["load"], atlas["status"]) == (160.0, 170.0, "overloaded")
    assert document["bottlenecks"] == ["Atlas"]


def test_the_bottleneck_line_names_the_most_loaded_first() -> None:
    _, capacity = outlook()
    assert bottleneck_line(capacity) == (
        "Bottlenecks for PI 2027.1: Atlas at 106.2 % of its capacity."
    )
    calm = replace(capacity, teams=capacity.teams[1:], findings=())
    assert bottleneck_line(calm) == (
        "Bottlenecks for PI 2027.1: none; no team is loaded over 85 % of its capacity."
    )
    nothing = evaluate_capacity([], CONFIG, today=TODAY + timedelta(days=60))
    assert bottleneck_line(nothing) == "Capacity: no PI after 2027-01-19 in cadence.pis."


def test_the_outlook_in_one_sentence() -> None:
    forecast, _ = outlook()
    assert outlook_sentence(forecast) == (
        "By the end of PI 2026.4 (2026-12-13), 1 of its 2 planned features are done in 85 % "
        "of 500 simulated futures (1 in half of them, 1 in 95 %); 0 are done already."
    )


def test_health_json_holds_both_and_the_page_shows_them_as_text() -> None:
    forecast, capacity = outlook()
    findings = (*forecast.findings, *capacity.findings)
    metrics = replace(health_metrics(), forecast=forecast, capacity=capacity)
    report = health_report(*findings, metrics=metrics)
    document = json.loads(health_json(report))["metrics"]
    assert document["forecast"]["features"][1]["key"] == "F-2"
    assert document["capacity"]["teams"][0]["team"] == "Atlas"
    charts = health_charts(report.metrics)
    assert {FORECAST, CAPACITY} <= set(charts)
    page = health_page(report, charts)
    root = parse_storage(page.storage)
    headings = [text_of(element) for element in root.iter("h2")]
    assert "Forecast: PI 2026.4" in headings
    assert "Load against capacity: PI 2027.1" in headings
    assert HOSTILE in text_of(root)  # Jira text stays text
    assert "<script>" not in page.preview_html and HOSTILE in Html(page.preview_html).text
    groups = [text_of(element) for element in root.iter("h3")]
    assert "forecast-late (1)" in groups and "capacity-overload (1)" in groups
    assert groups.count("forecast-late (1)") == 1  # in its section, not again with the rest
    assert {FORECAST, CAPACITY} <= set(page.attachments)


def test_the_charts_are_the_same_bytes_every_time_and_absent_without_data() -> None:
    forecast, capacity = outlook()
    picture = forecast_chart(forecast)
    assert picture is not None and picture.startswith(b"\x89PNG")
    assert forecast_chart(forecast) == picture
    assert capacity_chart(capacity) == capacity_chart(capacity)
    assert forecast_chart(replace(forecast, features=())) is None
    assert capacity_chart(replace(capacity, pi=None)) is None
