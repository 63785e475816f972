"""The small trains, pages and calendars the reliability suites run on, and fast retry policies.

Small on purpose: every crash point and every storm run publishes all of it
again, so a few pages and a couple of dozen events keep the suites in
seconds while still crossing what matters (attachments, a `$batch` boundary,
a series with a holiday, creates next to updates and cancellations).
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from art.config import ArtConfig
from art.config_check import validate_config
from art.model import Page
from reports.objectives_pages import objective_pages
from rules.objectives import evaluate_objectives
from tests.calendar_builders import DEMO
from tests.fakes.confluence import TOKEN, USER, FakeConfluence
from tests.integration.jira_fixtures import FAST as INTEGRATION_FAST
from tests.objectives_builders import AFTER_PI_1, PI_2, objective, train

SPACE, PARENT = "ART", "Release Train"
MAILBOX = "art-calendar@example.com"
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
CONFLUENCE_ENV = {"RTE_REL_CONFLUENCE_USER": USER, "RTE_REL_CONFLUENCE_TOKEN": TOKEN}

# The integration tests' fast policy (real Retry-After headers and timeouts),
# with fewer attempts and shorter waits: storms here are many small runs.
FAST = replace(INTEGRATION_FAST, attempts=3, total_seconds=5, max_wait=0.005, backoff_max=0.005)
# Confluence's default: a POST is repeated only when the server said it did not process it.
FAST_CONFLUENCE = replace(FAST, retry_unsafe_methods=False)


# --------------------------------------------------------------------------
# Pages


@cache
def objective_page_versions() -> tuple[tuple[Page, ...], tuple[Page, ...]]:
    """Two versions of a train's objective pages: 3 team pages and 2 ART pages with charts.

    The second scores one objective differently, so a publish of it updates
    some pages (and their charts) and leaves the others alone.
    """

    def pages(alpha_actual: int) -> tuple[Page, ...]:
        objectives = [
            objective("Alpha", 8, alpha_actual, features=("ART-1",)),
            objective("Alpha", 2, 2, committed=False),
            objective("Beta", 10, 10),
            objective("Alpha", 5, pi=PI_2),
        ]
        report = evaluate_objectives(objectives, train(), today=AFTER_PI_1)
        return tuple(objective_pages(report, jira_url="https://example.atlassian.net"))

    return pages(6), pages(7)


def confluence_train(fake: FakeConfluence, state_dir: Path) -> ArtConfig:
    """The objectives train, publishing to `fake` (credentials from CONFLUENCE_ENV), its page
    registry in `state_dir`: runs that share it are one machine's runs, one after another."""
    data = train().model_dump(mode="json", exclude_unset=True)
    data["state_dir"] = str(state_dir)
    data["confluence"] = {
        "backend": fake.deployment,
        "url": fake.url,
        "space": SPACE,
        "parent": PARENT,
        "auth": {"user": "env:RTE_REL_CONFLUENCE_USER", "token": "env:RTE_REL_CONFLUENCE_TOKEN"},
    }
    return validate_config(data)


def confluence_site(deployment: str, *, seed: int = 0) -> FakeConfluence:
    fake = FakeConfluence(deployment=deployment, seed=seed)
    fake.add_space(SPACE, "Aurora ART")
    fake.add_page(SPACE, PARENT)
    return fake


# --------------------------------------------------------------------------
# Calendar


def _events(*keys: str, retitle: dict[str, str] | None = None) -> list[dict[str, Any]]:
    chosen = [copy.deepcopy(e) for e in DEMO["calendar"]["events"] if e["key"] in keys]
    for event in chosen:
        event["title"] = (retitle or {}).get(event["key"], event["title"])
    return chosen


def calendar_train(version: int = 2) -> ArtConfig:
    """PI 2027.1 of the demo (Christmas moves three events, Epiphany skips an ART Sync).

    Version 2: 24 events plus one holiday occurrence to cancel (two `$batch`
    requests from an empty calendar). Version 1 differs as a PI's calendar
    does after a change: System Demo titled otherwise, a PO Sync series that
    version 2 drops, no iteration planning.
    """
    data = copy.deepcopy(DEMO)
    data["cadence"]["pis"] = [pi for pi in DEMO["cadence"]["pis"] if pi["name"] == "PI 2027.1"]
    keys = ["pi-planning", "system-demo", "inspect-adapt", "art-sync", "iteration-review"]
    if version == 1:
        data["calendar"]["events"] = _events(*keys, "po-sync", retitle={"system-demo": "Demo"})
    else:
        data["calendar"]["events"] = _events(*keys, "iteration-planning")
    data["calendar"].update(
        backend="outlook",
        mailbox=MAILBOX,
        tenant_id="env:RTE_REL_TENANT",
        client_id="env:RTE_REL_CLIENT",
        client_secret="env:RTE_REL_SECRET",
    )
    return validate_config(data)


TODAY = date(2026, 11, 20)


# --------------------------------------------------------------------------
# Roll-up write-back


ROLLUP_FIELD = "customfield_10058"
JIRA_ENV = {"RTE_REL_JIRA_USER": "rte@example.com", "RTE_REL_JIRA_TOKEN": "secret-api-token-123"}


def rollup_site(deployment: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two epics, four features, nine stories; every parent's Rolled-up Points are stale.

    Issues and field list as `deployment` hands them out.
    """
    from tests.fakes.jira_data import as_datacenter
    from tests.jira_builders import STORY_POINTS, at, field_entry, field_list, history, issue

    def item(
        key: str,
        kind: str,
        parent: str | None,
        points: float | None = None,
        rolled: float | None = None,
    ) -> dict[str, Any]:
        raw = issue(
            key,
            "In Progress",
            at(1),
            issue_type=kind,
            summary=f"{kind} {key}",
            histories=[history(at(2), "To Do", "In Progress")],
            **{STORY_POINTS: points, ROLLUP_FIELD: rolled},
        )
        raw["fields"]["parent"] = {"key": parent} if parent else None
        return raw

    issues = [
        item("AUR-1", "Epic", None, rolled=5),
        item("AUR-2", "Feature", "AUR-1", rolled=None),
        item("AUR-3", "Feature", "AUR-1", rolled=3),
        item("AUR-4", "Epic", None, rolled=13),
        item("AUR-5", "Feature", "AUR-4", rolled=13),
        item("AUR-6", "Feature", "AUR-4", rolled=1),
        *(item(f"AUR-{n}", "Story", "AUR-2", points=n - 9) for n in range(10, 13)),
        *(item(f"AUR-{n}", "Story", "AUR-3", points=2) for n in range(13, 15)),
        *(item(f"AUR-{n}", "Story", "AUR-5", points=5) for n in range(15, 17)),
        *(item(f"AUR-{n}", "Story", "AUR-6", points=3) for n in range(17, 19)),
    ]
    fields = [*field_list(), field_entry(ROLLUP_FIELD, "Rolled-up Points", "number")]
    return as_datacenter(issues, fields) if deployment == "datacenter" else (issues, fields)


def rollup_train(url: str, deployment: str, state_dir: str) -> ArtConfig:
    links = {"epic_link": "Epic Link", "parent_link": "Parent Link"}
    return validate_config(
        {
            "art": {"name": "Test ART"},
            "teams": [{"name": "Atlas"}],
            "jira": {
                "backend": "cloud" if deployment == "cloud" else "datacenter",
                "url": url,
                "projects": ["AUR"],
                "auth": {"user": "env:RTE_REL_JIRA_USER", "token": "env:RTE_REL_JIRA_TOKEN"},
                "fields": {
                    "story_points": "Story Points",
                    "rollup_points": "Rolled-up Points",
                    **(links if deployment == "datacenter" else {}),
                },
            },
            "kanban": {"states": [{"name": "Doing", "statuses": ["In Progress"]}]},
            "cadence": {"pis": [{"name": "PI 2026.4", "start": "2026-10-05"}]},
            "state_dir": state_dir,
        }
    )
