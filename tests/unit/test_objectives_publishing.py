"""Publishing the objective pages to the demo's folder backend, and how a run reports itself."""

from __future__ import annotations

from pathlib import Path

from art.model import PublishOutcome
from flows.steps.bootstrap import bootstrap
from flows.steps.publishing import PagePlan, PublishRun, publish_pages
from reports.objectives_pages import objective_pages
from rules.objectives import evaluate_objectives
from tests.objectives_builders import AFTER_PI_1, objective, train


def pages():
    report = evaluate_objectives(
        [objective("Alpha", 8, 7), objective("Beta", 5, 5)], train(), today=AFTER_PI_1
    )
    return objective_pages(report, jira_url=None)


def test_the_folder_gets_storage_and_preview_per_page_and_a_rerun_changes_nothing(
    tmp_path: Path,
) -> None:
    target = bootstrap(train(), tmp_path).pages
    planned = publish_pages(pages(), target, dry_run=True)
    assert planned.count(PublishOutcome.CREATED) == 3 and not (tmp_path / "pages").exists()
    first = publish_pages(pages(), target, dry_run=False)
    assert first.count("created") == 3 and (first.requests, first.writes) == (0, 0)
    files = sorted(path.name for path in (tmp_path / "pages").rglob("*") if path.is_file())
    assert "objectives-test-art-pi-1-art.storage.xml" in files
    assert "objectives-test-art-pi-1-art.html" in files
    assert "predictability.png" in files  # the ART page's chart, beside it
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "pages").rglob("*") if p.is_file()}
    again = publish_pages(pages(), target, dry_run=False)
    assert again.count("unchanged") == 3
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_a_run_summarises_its_plan_in_words_people_use() -> None:
    plans = (
        PagePlan("a", "Page A", PublishOutcome.CREATED),
        PagePlan("b", "Page B", PublishOutcome.UNCHANGED),
        PagePlan("c", "Page C", None, "HTTP 409 twice"),
    )
    dry = PublishRun("Confluence Cloud x", True, plans, requests=7, writes=0)
    assert dry.summary() == (
        "Dry run: Confluence Cloud x: 1 to create, 0 to update, 1 unchanged, 1 failed; "
        "7 request(s), 0 write(s)"
    )
    assert dry.plan_lines(every=True) == [
        "create     Page A",
        "unchanged  Page B",
        "failed     Page C: HTTP 409 twice",
    ]
    done = PublishRun("folder out/pages", False, plans[:2], requests=0, writes=0)
    assert done.summary() == "folder out/pages: 1 created, 0 updated, 1 unchanged"
    assert done.plan_lines() == ["created    Page A"]
