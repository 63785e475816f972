"""What a run shows of people's edits and dropped pages: findings and facts in the Prefect UI."""

from __future__ import annotations

from art.model import Drift, PublishOutcome, Severity
from connectors.confluence_api import Orphan
from flows.runs.run_records import calendar_record, objectives_record
from flows.steps.calendar import CalendarRun
from flows.steps.publishing import PagePlan, PublishRun
from rules.calendar import CalendarPlan
from rules.objectives import ObjectivesReport
from tests.config_builders import art_config

KEY = "aurora-art/pi-2026-4/system-demo/iteration-1"


def test_an_event_a_person_changed_is_a_warning_with_what_changed() -> None:
    changes = ("subject: 'System Demo' -> 'Demo [moved]'",)
    drift = Drift(KEY, KEY, "Outlook", changes, False)
    run = CalendarRun(
        "outlook", CalendarPlan((), ()), "cal@example.com", "UTC", drift=(drift,), requests=3
    )
    record = calendar_record(art_config(), run, dry_run=True)
    [finding] = record.findings
    assert (finding.rule, finding.severity, finding.subject) == (
        "calendar-drift",
        Severity.WARNING,
        KEY,
    )
    assert finding.message == f"{KEY} changed in Outlook (reported, left as it is): " + (
        "subject: 'System Demo' -> 'Demo [moved]'"
    )
    facts = dict(record.facts)
    assert facts["changed in Outlook"] == "1 (0 restored, the rest reported)"
    assert facts["Graph requests (retries included)"] == "3"


def test_a_page_a_person_changed_and_an_orphan_are_findings_of_the_objectives_run() -> None:
    changes = ("title: 'Team A' -> 'A'",)
    drift = Drift("objectives:x:pi:team:a", "'Team A'", "Confluence", changes, True)
    orphan = Orphan("objectives:x:pi:team:b", "65541", "Team B")
    published = PublishRun(
        "Confluence",
        False,
        (PagePlan(drift.key, "Team A", PublishOutcome.UPDATED, drift=drift),),
        6,
        2,
        (orphan,),
    )
    report = ObjectivesReport("Test ART", 80, 100, (), ())
    record = objectives_record(art_config(), report, published, "out")
    assert [(f.rule, f.severity) for f in record.findings] == [
        ("page-drift", Severity.WARNING),
        ("page-orphan", Severity.WARNING),
    ]
    assert record.findings[0].message == (
        "'Team A' changed in Confluence (restored): title: 'Team A' -> 'A'"
    )
    assert ("orphan", record.findings[1].message) in record.facts
    assert "1 changed by a person, 1 orphan(s)" in record.headline
    assert published.plan_lines() == [
        "updated    Team A",
        f"drift      {drift.line()}",
        "orphan     'Team B' (id 65541, rte key objectives:x:pi:team:b): no longer planned "
        "(--prune archives it)",
    ]
