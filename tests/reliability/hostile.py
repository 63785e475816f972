"""A train whose every text field carries the same hostile string, from config and Jira alike.

`hostile_train(h)` plants `h` wherever text can travel to a page, a mail or
an invite: the ART, team, Kanban state, status, PI and value stream names in
`art.yaml`; event titles, descriptions and locations; issue summaries, team
values, an unknown status and labels in Jira's JSON; and the objectives'
text. The same train with a harmless string is the reference the renderings
are compared with: a hostile string may change the text, never the shape.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from hypothesis import strategies as st

from art.config import ArtConfig
from art.config_check import validate_config
from art.model import Objective
from connectors.jira_json import parse_issues
from rules.health import HealthReport, evaluate_health
from tests.jira_builders import STORY_POINTS, TEAM, at, field_ids, history, issue

TODAY = date(2026, 10, 20)
GENERATED = datetime(2026, 10, 20, 2, 0, tzinfo=UTC)

# What has broken renderers and parsers elsewhere: markup of every target format,
# template syntax, entity tricks, line breaks of every kind, controls, BiDi.
NASTY = (
    '<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<script>x</script>]]>'
    "</ac:plain-text-body></ac:structured-macro>",
    "]]>",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '<ri:attachment ri:filename="x"/><ac:link><ri:page ri:content-title="Admin"/></ac:link>',
    "&nbsp; &amp; &#x41; &#0; &lt;b&gt;",
    "{{ 7 * 7 }} {% raw %} ${jndi:ldap://x}",
    "line one\r\nBEGIN:VEVENT\r\nUID:evil\r\nATTENDEE:mailto:ceo@example.com",
    "x\nDESCRIPTION:injected\n ATTENDEE:mailto:a@b",
    "\r\nBcc: everyone@example.com\r\nSubject: spoofed",
    "tab\there, vertical\x0bfeed\x0cnull\x00bell\x07",
    "\u2028line\u2029separator\x85next line",
    "\u202eright-to-left\u202c \ufeffbom \ufffe\uffff",
    "; , \\ : \" ' ` | ~",
    "javascript:alert(1)",
    '" OR project = SECRET OR summary ~ "',
    ") OR (project = SECRET",
    "[bold]rich markup[/bold] \x1b[2J",
)

hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(min_size=1, max_size=60),
    st.tuples(st.sampled_from(NASTY), st.text(max_size=20)).map("".join),
)


@dataclass(frozen=True)
class Train:
    config: ArtConfig
    report: HealthReport
    objectives: tuple[Objective, ...]


def hostile_train(h: str) -> Train:
    config = validate_config(_config(h))
    parsed = parse_issues(_issues(h), _field_ids(), config.jira)
    report = evaluate_health(
        parsed.items,
        parsed.rejected,
        config,
        config.kanban.columns(),
        today=TODAY,
        generated_at=GENERATED,
    )
    team, pi = f"Atlas {h}", f"PI {h}"
    objectives = (
        Objective(team=team, pi=pi, text=h, committed=True, planned_value=8, actual_value=None),
        Objective(
            team=team,
            pi=pi,
            text=f"Second {h}",
            committed=False,
            planned_value=2,
            actual_value=None,
            features=("AUR-1", h),
        ),
    )
    return Train(config, report, objectives)


@cache
def _field_ids():  # type: ignore[no-untyped-def]
    return field_ids(story_points="Story Points", team="Team")


def _config(h: str) -> dict[str, Any]:
    """Jira trims the names it hands out (statuses, option values), so the config names
    that must match them are trimmed the same way; every other name keeps `h` as it is."""
    atlas = f"Atlas {h}"
    return {
        "art": {"name": f"Aurora {h}", "timezone": "Europe/Berlin"},
        "teams": [
            {
                "name": atlas,
                "jira_value": atlas.strip(),
                "mail_group": "atlas@example.com",
                "product_owner": "po@example.com",
                "scrum_master": "sm@example.com",
            },
            {"name": "Borealis", "mail_group": "borealis@example.com"},
        ],
        "jira": {
            "backend": "export",
            "export_dir": "jira",
            "fields": {"story_points": "Story Points", "team": "Team"},
        },
        "kanban": {
            "states": [
                {"name": f"Funnel {h}", "statuses": [f"Funnel {h}".strip()]},
                {"name": "Implementing", "statuses": ["Implementing"], "wip_limit": 1},
                {"name": "Done", "statuses": ["Done"]},
            ]
        },
        "cadence": {"pis": [{"name": f"PI {h}", "start": "2026-10-05"}]},
        "budgets": {"value_streams": [{"name": f"VS {h}", "pi_budget": 1000}]},
        "calendar": {
            "holidays": {"country": "DE", "subdivision": "BY"},
            "events": [
                {
                    "key": "sync",
                    "title": f"Sync {h}",
                    "kind": "weekly",
                    "weekday": "wednesday",
                    "description": h,
                    "location": h,
                    "attendees": ["all-teams", "rte"],
                },
                {
                    "key": "demo",
                    "title": h,
                    "kind": "system-demo",
                    "location": f"Hall {h}",
                    "description": f"Demo\n{h}",
                },
                {
                    "key": "review",
                    "title": f"Review {h}",
                    "kind": "iteration-review",
                    "teams": [atlas],
                },
            ],
        },
        "notifications": {"rte": "rte@example.com", "min_severity": "info"},
    }


def _issues(h: str) -> list[dict[str, Any]]:
    team = {TEAM: {"value": f"Atlas {h}"}}
    started = [history(at(6), "Funnel " + h, "Implementing")]
    raw = [
        issue(
            "AUR-1",
            "Implementing",
            at(1),
            issue_type="Feature",
            summary=h,
            histories=started,
            **{STORY_POINTS: 8},
        ),
        issue(
            "AUR-2",
            "Implementing",
            at(1),
            issue_type="Feature",
            summary=f"Second {h}",
            histories=started,
        ),
        issue("AUR-3", f"Unknown {h}", at(2), issue_type="Story", summary=h, histories=[], **team),
        issue(
            "AUR-4",
            "Implementing",
            at(2),
            issue_type="Story",
            summary=h,
            histories=[history(at(3), "To Do", "Implementing")],
            **team,
        ),
    ]
    for raw_issue in raw:
        raw_issue["fields"]["labels"] = [h]
    return copy.deepcopy(raw)
