"""Data sets for the Jira fake: the demo ART, its Data Center twin, and a synthetic site.

- `demo_issues()` / `demo_field_list()`: the demo's Cloud-shaped export
  (flows/demo_art/jira), the realistic sample every Jira test reads.
- `as_datacenter()`: the same issues as Data Center sends them: hierarchy in
  Epic Link / Parent Link instead of `parent`, sprints as legacy strings,
  changelog items without `fieldId`.
- `synthetic_issues()`: any number of issues, seeded, with a realistic spread
  of history lengths (most short, a long tail past the 40 histories Cloud's
  search embeds), for the paging tests and the 20,000-issue benchmark.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from tests.fakes.jira import jira_time
from tests.jira_builders import (
    EPIC_LINK,
    FLAGGED,
    PARENT_LINK,
    SPRINT,
    STORY_POINTS,
    TEAM,
    field_entry,
    field_list,
    flag_item,
)

DEMO = Path(__file__).resolve().parents[2] / "flows" / "demo_art" / "jira"
STORY_TYPES = frozenset({"Story", "Bug", "Task", "Spike"})


@cache
def _demo() -> tuple[str, str]:
    pages = sorted(DEMO.glob("search-page-*.json"))
    issues = [issue for page in pages for issue in json.loads(page.read_text("utf-8"))["issues"]]
    return json.dumps(issues), (DEMO / "fields.json").read_text("utf-8")


def demo_issues() -> list[dict[str, Any]]:
    """The demo's issues as Cloud's search returns them (a fresh copy each call)."""
    return json.loads(_demo()[0])


def demo_field_list() -> list[dict[str, Any]]:
    return json.loads(_demo()[1])


# --------------------------------------------------------------------------
# Data Center


def as_datacenter(
    issues: list[dict[str, Any]], fields: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The issues and field list as a Data Center site with Advanced Roadmaps sends them."""
    known = {entry["id"] for entry in fields}
    dc_fields = copy.deepcopy(fields) + [
        field_entry(field_id, name, "any")
        for field_id, name in ((EPIC_LINK, "Epic Link"), (PARENT_LINK, "Parent Link"))
        if field_id not in known
    ]
    sprint_ids = [entry["id"] for entry in fields if entry.get("name") == "Sprint"]
    return [_dc_issue(issue, sprint_ids) for issue in issues], dc_fields


def _dc_issue(issue: dict[str, Any], sprint_ids: list[str]) -> dict[str, Any]:
    issue = copy.deepcopy(issue)
    fields = issue["fields"]
    parent = fields.pop("parent", None)
    if isinstance(parent, dict) and parent.get("key"):
        if fields["issuetype"]["name"] in STORY_TYPES:
            fields[EPIC_LINK] = parent["key"]
        else:
            fields[PARENT_LINK] = {
                "hasEpicLinkFieldDependency": False,
                "showField": True,
                "data": {"id": int(parent.get("id") or 0), "key": parent["key"]},
            }
    for sprint_id in sprint_ids:
        if isinstance(fields.get(sprint_id), list):
            fields[sprint_id] = [_legacy_sprint(sprint) for sprint in fields[sprint_id]]
    for history in (issue.get("changelog") or {}).get("histories") or []:
        for item in history.get("items") or []:
            item.pop("fieldId", None)
    return issue


def _legacy_sprint(sprint: dict[str, Any]) -> str:
    def value(name: str) -> str:
        found = sprint.get(name)
        return "<null>" if found is None else str(found)

    return (
        f"com.atlassian.greenhopper.service.sprint.Sprint@{abs(hash(value('id'))) % 0xFFFFFF:x}"
        f"[id={value('id')},rapidViewId={value('boardId')},state={value('state').upper()},"
        f"name={value('name')},startDate={value('startDate')},endDate={value('endDate')},"
        f"completeDate={value('completeDate')},sequence={value('id')},goal=]"
    )


# --------------------------------------------------------------------------
# Synthetic


_STORY_FLOW = ("To Do", "In Progress", "In Review", "Done")
_FEATURE_FLOW = ("Funnel", "Analyzing", "Implementing", "Done")
_CATEGORIES = {"To Do": "new", "Funnel": "new", "Analyzing": "new", "Done": "done"}
_NOISE_FIELDS = (
    ("assignee", "assignee"),
    ("Rank", "customfield_10019"),
    ("Sprint", SPRINT),
    ("Story Points", STORY_POINTS),
    ("description", "description"),
    ("labels", "labels"),
)


def synthetic_field_list() -> list[dict[str, Any]]:
    return field_list()


def synthetic_issues(
    count: int, *, seed: int = 7, now: datetime, project: str = "SYN", first_id: int = 10001
) -> list[dict[str, Any]]:
    """`count` issues (2% epics, 10% features, the rest stories), histories newest first."""
    rng = random.Random(seed)
    history_ids = iter(range(1_000_000, 10**9))
    epics = max(1, count // 50)
    features = max(1, count // 10)
    issues = []
    for index in range(count):
        kind = "Epic" if index < epics else "Feature" if index < epics + features else "Story"
        parent = None
        if kind == "Feature":
            parent = rng.randrange(epics)
        elif kind == "Story":
            parent = epics + rng.randrange(features)
        issues.append(
            _synthetic_issue(rng, history_ids, index, kind, parent, now, project, first_id)
        )
    return issues


def _synthetic_issue(
    rng: random.Random,
    history_ids: Any,
    index: int,
    kind: str,
    parent: int | None,
    now: datetime,
    project: str,
    first_id: int,
) -> dict[str, Any]:
    flow = _STORY_FLOW if kind == "Story" else _FEATURE_FLOW
    created = now - timedelta(days=rng.uniform(20, 400))
    moments = sorted(created + (now - created) * rng.random() for _ in range(_history_count(rng)))
    steps = min(len(moments), rng.randrange(len(flow)))
    status_at = set(rng.sample(range(len(moments)), steps)) if steps else set()
    flag_at = rng.choice(range(len(moments))) if moments and rng.random() < 0.1 else None
    histories, state, flagged = [], 0, False
    for position, moment in enumerate(moments):
        if position in status_at:
            items = [_status_item(flow[state], flow[state + 1])]
            state += 1
        elif position == flag_at:
            flagged = rng.random() < 0.5
            items = [flag_item(flagged)]
        else:
            name, field_id = rng.choice(_NOISE_FIELDS)
            items = [
                {
                    "field": name,
                    "fieldtype": "custom",
                    "fieldId": field_id,
                    "from": None,
                    "fromString": None,
                    "to": None,
                    "toString": str(position),
                }
            ]
        histories.append(
            {"id": str(next(history_ids)), "created": jira_time(moment), "items": items}
        )
    status = flow[state]
    key = f"{project}-{index + 1}"
    fields = {
        "summary": f"{kind} {index + 1}",
        "issuetype": {"id": str(10000 + len(kind)), "name": kind, "subtask": False},
        "status": _status(status),
        "project": {"key": project},
        "created": jira_time(created),
        "updated": jira_time(moments[-1] if moments else created),
        "resolutiondate": jira_time(moments[-1]) if status == "Done" and moments else None,
        "parent": {"id": str(first_id + parent), "key": f"{project}-{parent + 1}"}
        if parent is not None
        else None,
        "issuelinks": [],
        "labels": [],
        STORY_POINTS: rng.choice((1, 2, 3, 5, 8, None)),
        TEAM: {"value": f"Team {index % 7 + 1}"} if kind == "Story" else None,
        FLAGGED: [{"value": "Impediment"}] if flagged else None,
    }
    return {
        "id": str(first_id + index),
        "key": key,
        "fields": fields,
        "changelog": {"histories": list(reversed(histories))},
    }


def _history_count(rng: random.Random) -> int:
    """Median about 12, about one issue in seven past 40, a few in the hundreds."""
    return min(400, int(rng.lognormvariate(2.5, 1.1)))


def _status_item(before: str, after: str) -> dict[str, Any]:
    return {
        "field": "status",
        "fieldtype": "jira",
        "fieldId": "status",
        "from": _status(before)["id"],
        "fromString": before,
        "to": _status(after)["id"],
        "toString": after,
    }


def _status(name: str) -> dict[str, Any]:
    category = _CATEGORIES.get(name, "indeterminate")
    status_id = str(10000 + (_STORY_FLOW + _FEATURE_FLOW).index(name))
    return {
        "self": f"https://fake.invalid/rest/api/3/status/{status_id}",
        "name": name,
        "id": status_id,
        "statusCategory": {"id": 4, "key": category, "name": category},
    }
