"""What a run shows in the Prefect UI: secrets masked everywhere, Jira text shown, not run."""

from __future__ import annotations

from pathlib import Path

import pytest

import flows.runs.artifacts
from art.model import Finding, Severity
from flows.runs.artifacts import (
    Link,
    RunRecord,
    failed_record,
    failure_reported,
    finding_rows,
    markdown_text,
    page_links,
    redacted,
    summary_markdown,
)
from flows.steps.secret_refs import secret_values
from flows.steps.secrets import Secrets
from tests.config_builders import art_config


def test_every_text_of_a_record_is_masked() -> None:
    token = "tok-9f8e7d6c"
    record = RunRecord(
        flow="nightly-health",
        art="Aurora ART",
        dry_run=False,
        headline=f"failed: 401 for {token}",
        facts=[("escalation", f"mailed with {token}")],
        findings=[Finding("wip-limit", Severity.WARNING, f"AUR-1 {token}", f"saw {token}")],
        links=[Link(f"page {token}", f"https://wiki.example.com/?t={token}")],
    )
    shown = redacted(record, [token])
    assert token not in summary_markdown(shown)
    assert token not in repr(finding_rows(shown.findings))
    assert token not in repr(shown)


def test_the_config_secrets_are_the_values_its_references_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RTE_TEST_JIRA_TOKEN", "jira-secret-1")
    monkeypatch.setenv("RTE_TEST_JIRA_USER", "rte@example.com")
    monkeypatch.delenv("RTE_TEST_WIKI_TOKEN", raising=False)
    config = art_config(
        jira={
            "backend": "cloud",
            "url": "https://aurora.atlassian.net",
            "projects": ["AUR"],
            "auth": {"user": "env:RTE_TEST_JIRA_USER", "token": "env:RTE_TEST_JIRA_TOKEN"},
        },
        confluence={
            "backend": "datacenter",
            "url": "https://wiki.example.com",
            "space": "ART",
            "auth": {"token": "env:RTE_TEST_WIKI_TOKEN"},  # not set: cannot leak
        },
    )
    assert secret_values(config, Secrets()) == ["rte@example.com", "jira-secret-1"]


def test_jira_text_is_shown_literally_in_markdown() -> None:
    hostile = "<script>x</script> | [click](javascript:alert(1)) **bold**\nnext"
    shown = markdown_text(hostile)
    assert "<script>" not in shown and "\n" not in shown
    assert "\\|" in shown and "\\[click\\]\\(" in shown and "\\*\\*bold\\*\\*" in shown


def test_the_summary_lists_facts_and_links_without_breaking_out_of_them() -> None:
    record = RunRecord(
        flow="pi-objectives",
        art="Aurora ART",
        dry_run=True,
        headline="Dry run: 2 to create",
        facts=[("PI 2026.4 | predictability", "83% (within)")],
        links=[Link("Team ]Atlas[", "file:///tmp/out dir/pages/a>b.html")],
    )
    markdown = summary_markdown(record)
    assert markdown.startswith("### Aurora ART: pi-objectives (dry run)\n")
    assert "| PI 2026.4 \\| predictability | 83% \\(within\\) |" in markdown
    assert "- [Team \\]Atlas\\[](<file:///tmp/out%20dir/pages/a%3Eb.html>)" in markdown


def test_findings_are_listed_most_severe_first_in_rule_order() -> None:
    findings = [
        Finding("stale", Severity.INFO, "AUR-3", "quiet"),
        Finding("wip-limit", Severity.CRITICAL, "Implementing", "over"),
        Finding("aging-wip", Severity.WARNING, "AUR-2", "old"),
        Finding("blocked", Severity.CRITICAL, "AUR-1", "blocked"),
    ]
    assert [row["subject"] for row in finding_rows(findings)] == [
        "Implementing",
        "AUR-1",
        "AUR-2",
        "AUR-3",
    ]


def test_folder_pages_link_to_their_html_preview(tmp_path: Path) -> None:
    links = page_links(art_config(), tmp_path, [("health:aurora-art", "Aurora ART - ART Health")])
    assert links == [
        Link("Aurora ART - ART Health", (tmp_path / "pages" / "health-aurora-art.html").as_uri())
    ]


@pytest.mark.parametrize(
    ("backend", "url", "expected"),
    [
        (
            "cloud",
            "https://aurora.atlassian.net",
            "https://aurora.atlassian.net/wiki/display/ART/PI+2026.4+-+Team+Atlas",
        ),
        (
            "cloud",
            "https://aurora.atlassian.net/wiki/",
            "https://aurora.atlassian.net/wiki/display/ART/PI+2026.4+-+Team+Atlas",
        ),
        (
            "datacenter",
            "https://wiki.example.com/confluence",
            "https://wiki.example.com/confluence/display/ART/PI+2026.4+-+Team+Atlas",
        ),
    ],
)
def test_confluence_pages_link_by_space_and_title(backend: str, url: str, expected: str) -> None:
    config = art_config(
        confluence={
            "backend": backend,
            "url": url,
            "space": "ART",
            "auth": {"user": "env:U", "token": "env:T"},
        },
    )
    [link] = page_links(config, Path("out"), [("objectives:x", "PI 2026.4 - Team Atlas")])
    assert link.url == expected


def test_a_failed_run_says_so_in_its_summary_with_the_error_in_one_literal_line() -> None:
    error = RuntimeError("Confluence Cloud: HTTP 500\n| 3 page(s) published, last `Team *Atlas*`")
    markdown = summary_markdown(failed_record("pi-objectives", "Aurora ART", False, error))
    title, _, headline, *rest = markdown.splitlines()
    assert title == "### Aurora ART: pi-objectives FAILED"
    assert headline.startswith("Failed: Confluence Cloud: HTTP 500 \\| 3 page\\(s\\) published")
    assert "\\`Team \\*Atlas\\*\\`" in headline
    assert "| error | RuntimeError |" in rest


def test_a_failure_goes_on_even_when_its_summary_cannot_be_saved(monkeypatch) -> None:
    def unreachable_api(record: RunRecord, config: object, secrets: object) -> None:
        raise ConnectionError("Prefect API down")

    monkeypatch.setattr(flows.runs.artifacts, "leave_artifacts", unreachable_api)
    with (
        pytest.raises(LookupError, match="the original failure"),
        failure_reported("nightly-health", art_config(), Secrets(), dry_run=False),
    ):
        raise LookupError("the original failure")
