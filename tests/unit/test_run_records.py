"""How each flow's run reads in the Prefect UI, and the names Prefect gets from ours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from art.model import Finding, Page, PublishOutcome, Severity
from flows.runs.artifacts import Link
from flows.runs.jira_rate import jira_limit_name
from flows.runs.names import key_slug
from flows.runs.run_guard import guard_name, wait_from_environment
from flows.runs.run_records import calendar_record, health_record, objectives_record
from flows.steps.calendar import CalendarRun
from flows.steps.health_check import HealthRun, PublishedHealth
from flows.steps.publishing import PagePlan, PublishRun
from rules.calendar import Adjustment, CalendarPlan
from rules.health import HealthReport
from rules.objectives import ObjectivesReport
from tests.config_builders import art_config
from tests.metrics_builders import health_metrics

FINDINGS = (
    Finding("wip-limit", Severity.CRITICAL, "Implementing", "11 items, limit 8"),
    Finding("aging-wip", Severity.WARNING, "AUR-7", "old"),
)
REPORT = HealthReport(
    art="Test ART",
    generated_at=datetime(2026, 11, 20, 2, tzinfo=UTC),
    as_of=date(2026, 11, 20),
    pi="PI 2026.4",
    findings=FINDINGS,
    metrics=health_metrics(),
)
PAGE = Page(key="health:test-art", title="Test ART - ART Health", storage="<p/>")


def health_run(outcome: PublishOutcome, files: dict[str, bool], escalation: str) -> HealthRun:
    pages = PublishRun("folder", not files, (PagePlan(PAGE.key, PAGE.title, outcome),), 0, 0)
    return HealthRun(REPORT, PAGE, PublishedHealth(pages, files), escalation)


def test_a_health_run_links_its_page_and_preview(tmp_path: Path) -> None:
    run = health_run(
        PublishOutcome.UPDATED, {"health.json": True, "health.html": False}, "no escalation"
    )
    record = health_record(art_config(), run, str(tmp_path), dry_run=False)
    assert record.headline == "2 finding(s): 1 critical, 1 warning, 0 info; health page updated"
    assert ("files changed", "health.json") in record.facts
    assert record.links == [
        Link("Test ART - ART Health", (tmp_path / "pages" / "health-test-art.html").as_uri()),
        Link("health.html (preview)", (tmp_path / "health.html").as_uri()),
    ]
    assert record.findings == FINDINGS


def test_a_dry_run_links_nothing(tmp_path: Path) -> None:
    run = health_run(PublishOutcome.CREATED, {}, "would write")
    record = health_record(art_config(), run, str(tmp_path), dry_run=True)
    assert record.dry_run and record.links == []
    assert ("files changed", "none") in record.facts


def test_an_objectives_run_links_the_pages_it_published_and_not_the_failed_one(
    tmp_path: Path,
) -> None:
    published = PublishRun(
        target="folder",
        dry_run=False,
        pages=(
            PagePlan("objectives:a", "PI 2026.4 - Team Atlas", PublishOutcome.CREATED),
            PagePlan("objectives:b", "PI 2026.4 - Team Comet", None, "space ART not found"),
        ),
        requests=0,
        writes=0,
    )
    report = ObjectivesReport(art="Test ART", band_low=80, band_high=100, pis=(), findings=())
    record = objectives_record(art_config(), report, published, str(tmp_path))
    assert [link.title for link in record.links] == ["PI 2026.4 - Team Atlas"]
    assert ("PI 2026.4 - Team Comet", "failed: space ART not found") in record.facts


def test_each_holiday_change_of_the_calendar_is_a_finding(tmp_path: Path) -> None:
    plan = CalendarPlan(
        events=(),
        adjustments=(
            Adjustment(
                "x/system-demo/i-5",
                "System Demo",
                date(2026, 12, 25),
                date(2026, 12, 28),
                "Christmas Day",
            ),
            Adjustment("x/art-sync", "ART Sync", date(2027, 1, 6), None, "Epiphany"),
        ),
    )
    target = tmp_path / "art-calendar.ics"
    record = calendar_record(
        art_config(), CalendarRun("ics", plan, str(target), "UTC"), dry_run=False
    )
    assert [f.message for f in record.findings] == [
        "System Demo on 2026-12-25: moved to 2026-12-28 (Christmas Day)",
        "ART Sync on 2027-01-06: skipped (Epiphany)",
    ]
    assert {f.severity for f in record.findings} == {Severity.INFO}
    assert record.links == [Link("Test ART calendar (.ics)", target.as_uri())]
    outlook = calendar_record(
        art_config(), CalendarRun("outlook", plan, "cal@example.com", "UTC"), dry_run=False
    )
    assert outlook.links[0].title == "Outlook calendar of cal@example.com"


@given(st.text(max_size=40))
def test_keys_are_what_prefect_accepts(name: str) -> None:
    key = key_slug(name)
    assert key and all(char in "abcdefghijklmnopqrstuvwxyz0123456789-" for char in key)


def test_names_are_readable_and_distinct_when_letters_fold_alike() -> None:
    assert key_slug("Aurora ART") == "aurora-art"
    assert key_slug("Équipe Ü").startswith("equipe-u-")
    assert key_slug("Équipe Ü") != key_slug("Equipe U")
    assert guard_name("nightly-health", "Aurora ART") == "rte-publish-nightly-health-aurora-art"
    assert jira_limit_name("https://Aurora.atlassian.net/") == "rte-jira-aurora-atlassian-net"


@pytest.mark.parametrize(("value", "seconds"), [("", 3600.0), ("0", 0.0), (" 2.5 ", 2.5)])
def test_the_wait_for_the_slot_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, seconds: float
) -> None:
    monkeypatch.setenv("RTE_PUBLISH_WAIT_SECONDS", value)
    assert wait_from_environment() == seconds


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_wait_that_is_not_a_number_of_seconds_is_named(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("RTE_PUBLISH_WAIT_SECONDS", value)
    with pytest.raises(ValueError, match="RTE_PUBLISH_WAIT_SECONDS: must be a number of seconds"):
        wait_from_environment()
