"""Which issues are risks, their ROAM state, and the register the ROAM board counts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from art.config import RisksConfig
from rules.milestones import train_milestones
from rules.risk_register import evaluate_risks
from rules.risks import Roam, is_risk, risks_of, roam_of
from tests.board_builders import risk
from tests.builders import item
from tests.config_builders import TEAMS, art_config

SETTINGS = RisksConfig()  # type Risk, statuses named after the ROAM states


@pytest.mark.parametrize(
    ("status", "field", "expected"),
    [
        ("Owned", None, Roam.OWNED),
        ("Resolved", None, Roam.RESOLVED),
        ("Identified", None, Roam.UNROAMED),  # any status the mapping does not name
        ("Identified", "Mitigated", Roam.MITIGATED),  # the ROAM field when it says one
        ("Owned", " accepted ", Roam.ACCEPTED),  # as the field is written, any case
        ("Owned", "Transferred", Roam.OWNED),  # no ROAM word: the status decides
    ],
)
def test_roam_comes_from_the_field_else_from_the_status(
    status: str, field: str | None, expected: Roam
) -> None:
    assert roam_of(risk("AUR-1", status, roam=field), SETTINGS) is expected


def test_the_status_mapping_is_the_configs() -> None:
    settings = RisksConfig(roam_statuses={"In Mitigation": "mitigated"})
    assert roam_of(risk("AUR-1", "In Mitigation"), settings) is Roam.MITIGATED
    assert roam_of(risk("AUR-1", "Owned"), settings) is Roam.UNROAMED


def test_a_risk_is_an_issue_of_the_type_or_with_the_label() -> None:
    typed = risk("AUR-1")
    labelled = risk("AUR-2", issue_type="Task", labels=("risk",))
    other = risk("AUR-3", issue_type="Task", labels=("backend",))
    assert [is_risk(i, SETTINGS) for i in (typed, labelled, other)] == [True, False, False]
    by_label = RisksConfig(issue_type=None, label="risk")
    assert [is_risk(i, by_label) for i in (typed, labelled, other)] == [False, True, False]


def test_a_risk_carries_its_team_by_name_its_owner_and_its_days_in_the_arts_zone() -> None:
    config = art_config(teams=[{"name": "Atlas", "jira_value": "Team Atlas"}, TEAMS[1]])
    late = item(
        "AUR-7",
        "Owned",
        level=None,  # type: ignore[arg-type]
        issue_type="Risk",
        created=datetime(2026, 10, 5, 22, 30, tzinfo=UTC),  # 00:30 on the 6th in Berlin
        updated=datetime(2026, 11, 2, 23, 30, tzinfo=UTC),
        team="Team Atlas",
        assignee="Ines Weber",
    )
    [one] = risks_of([late, item("AUR-8", "Implementing")], config)
    assert (one.key, one.team, one.owner, one.roam) == ("AUR-7", "Atlas", "Ines Weber", Roam.OWNED)
    assert (one.created, one.updated, one.due, one.closed) == (
        date(2026, 10, 6),
        date(2026, 11, 3),
        None,
        None,
    )


def test_the_register_counts_open_risks_and_those_resolved_since_pi_planning() -> None:
    config = art_config()
    risks = [
        risk("AUR-1", "Owned", team="Atlas", owner="Ines Weber"),
        risk("AUR-2", "Owned", team="Borealis"),
        risk("AUR-3", "Identified", team="Atlas"),
        risk("AUR-4", "Accepted"),
        risk("AUR-5", "Resolved", team="Borealis", resolved=date(2026, 10, 20)),
        risk(
            "AUR-6", "Resolved", team="Atlas", created=date(2026, 8, 1), resolved=date(2026, 9, 1)
        ),
        risk("AUR-7", "Mitigated", team="Nova"),  # a team art.yaml does not list
        item("AUR-8", "Implementing", team="Atlas"),  # not a risk
    ]
    report = evaluate_risks(
        risks, config, today=date(2026, 10, 8), milestones=train_milestones(config)
    )
    assert [r.key for r in report.risks] == ["AUR-1", "AUR-2", "AUR-3", "AUR-4", "AUR-5", "AUR-7"]
    assert report.planning is not None and report.planning.start == date(2026, 10, 5)
    zero = dict.fromkeys(("unroamed", "resolved", "owned", "accepted", "mitigated"), 0)
    assert report.counts.art == zero | {
        "unroamed": 1,
        "resolved": 1,
        "owned": 2,
        "accepted": 1,
        "mitigated": 1,
    }
    assert report.counts.teams == {
        "Atlas": zero | {"owned": 1, "unroamed": 1},
        "Borealis": zero | {"owned": 1, "resolved": 1},
        "Nova": zero | {"mitigated": 1},
        "no team": zero | {"accepted": 1},
    }
