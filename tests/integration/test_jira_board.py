"""Board columns and WIP limits from `/rest/agile/1.0/board/{id}/configuration`."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from art.model import BoardColumn
from connectors.config_file import read_config
from connectors.http import RequestCounter
from connectors.jira import JiraError, connect
from connectors.jira_board import board_columns, fetch_boards
from flows.steps.bootstrap import bootstrap
from tests.fakes.jira import FakeJira
from tests.integration.jira_fixtures import FAST, NOW, credentials, jira_config, write_art_yaml

STATUSES = [
    {"id": "1", "name": "Funnel"},
    {"id": "2", "name": "Analyzing"},
    {"id": "3", "name": "Implementing"},
    {"id": "4", "name": "Validating"},
]


def configuration(constraint: str, *columns: dict[str, object]) -> dict[str, object]:
    return {"columnConfig": {"constraintType": constraint, "columns": list(columns)}}


def test_counted_constraints_give_limits_and_minimums() -> None:
    config = configuration(
        "issueCountExclSubs",
        {"name": "Funnel", "statuses": [{"id": "1"}]},
        {"name": "Analyzing", "statuses": [{"id": 2}], "max": 4},
        {"name": "Implementing", "statuses": [{"id": "3"}, {"id": "4"}], "min": 2, "max": 8},
    )
    assert board_columns(config, STATUSES) == (
        BoardColumn("Funnel", frozenset({"Funnel"})),
        BoardColumn("Analyzing", frozenset({"Analyzing"}), wip_limit=4),
        BoardColumn("Implementing", frozenset({"Implementing", "Validating"}), 8, 2),
    )


def test_without_a_counted_constraint_the_numbers_mean_nothing() -> None:
    config = configuration("none", {"name": "Analyzing", "statuses": [{"id": "2"}], "max": 4})
    assert board_columns(config, STATUSES) == (BoardColumn("Analyzing", frozenset({"Analyzing"})),)


def test_odd_configurations_are_read_as_far_as_they_make_sense(
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = configuration(
        "issueCount",
        {"name": "Analyzing", "statuses": [{"id": "2"}, {"id": "99"}], "max": 0, "min": -1},
        {"name": "", "statuses": [{"id": "3"}]},
        "not a column",
        {"statuses": [{"id": "4"}]},
    )
    with caplog.at_level(logging.WARNING):
        assert board_columns(config, STATUSES, board_id=5) == (
            BoardColumn("Analyzing", frozenset({"Analyzing"})),
        )
    assert "status id 99 is unknown" in caplog.text
    assert board_columns({}, []) == ()


@pytest.mark.parametrize("site", ["cloud", "datacenter"])
def test_a_board_on_the_site_becomes_columns_in_two_requests(
    site: str, request: pytest.FixtureRequest
) -> None:
    fake: FakeJira = request.getfixturevalue(site)
    fake.board(
        42,
        [
            ("Analyzing", ["Analyzing"], None, 4),
            ("Implementing", ["Implementing", "Validating on Staging"], 1, 8),
            ("Done", ["Done"], None, None),
        ],
    )
    counter = RequestCounter()
    jira = connect(jira_config(fake), credentials(fake), policy=FAST, counter=counter)
    assert fetch_boards(jira, [42])[42] == (
        BoardColumn("Analyzing", frozenset({"Analyzing"}), wip_limit=4),
        BoardColumn("Implementing", frozenset({"Implementing", "Validating on Staging"}), 8, 1),
        BoardColumn("Done", frozenset({"Done"})),
    )
    assert counter.total == 2


def test_a_board_the_account_cannot_see_is_named_in_the_error(cloud: FakeJira) -> None:
    jira = connect(jira_config(cloud), credentials(cloud), policy=FAST)
    with pytest.raises(
        JiraError, match=r"HTTP 404 .* does board 77 \(kanban\.board or teams\[\]\.board\) exist"
    ):
        fetch_boards(jira, [77])


def test_the_nightly_snapshot_takes_its_columns_from_the_named_board(
    cloud: FakeJira, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_USER", cloud.user or "")
    monkeypatch.setenv("JIRA_TOKEN", cloud.token)
    cloud.board(9, [("Implementing", ["Implementing"], None, 3)])
    config = read_config(write_art_yaml(cloud, tmp_path, board=9))
    snapshot = bootstrap(config, tmp_path).jira.snapshot(NOW.date())
    assert snapshot.columns == (BoardColumn("Implementing", frozenset({"Implementing"}), 3),)
    assert len(snapshot.items) == len(cloud.issues)
    assert snapshot.as_of == NOW.date()


def test_the_teams_boards_are_read_with_the_site_statuses_once(
    cloud: FakeJira, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_USER", cloud.user or "")
    monkeypatch.setenv("JIRA_TOKEN", cloud.token)
    cloud.board(9, [("Implementing", ["Implementing"], None, 3)])
    cloud.board(
        21, [("Doing", ["In Progress", "Implementing"], None, 2), ("Done", ["Done"], None, None)]
    )
    config = read_config(write_art_yaml(cloud, tmp_path, board=9, team_board=21))
    cloud.reset_log()
    snapshot = bootstrap(config, tmp_path).jira.snapshot(NOW.date())
    assert snapshot.columns == (BoardColumn("Implementing", frozenset({"Implementing"}), 3),)
    assert snapshot.team_columns == {
        "Atlas": (
            BoardColumn("Doing", frozenset({"In Progress", "Implementing"}), 2),
            BoardColumn("Done", frozenset({"Done"})),
        )
    }
    board_reads = [
        entry.route
        for entry in cloud.log
        if "board" in entry.route or entry.route.endswith("/status")
    ]
    assert sorted(board_reads) == [
        "GET /rest/agile/1.0/board/{boardId}/configuration",
        "GET /rest/agile/1.0/board/{boardId}/configuration",
        "GET /rest/api/3/status",
    ]
