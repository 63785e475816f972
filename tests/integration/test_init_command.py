"""`rte init` against the Jira fake: the art.yaml it drafts, and what it refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from connectors.config_file import read_config
from flows.cli import app
from tests.fakes.jira import FakeJira
from tests.integration.jira_fixtures import cloud, cloud_site, datacenter, datacenter_site
from tests.jira_builders import field_entry

__all__ = ["cloud", "cloud_site", "datacenter", "datacenter_site"]  # fixtures

PROGRAM_BOARD = [
    ("Funnel", ["Funnel"], None, None),
    ("Analyzing", ["Analyzing"], None, 4),
    ("Backlog", ["Program Backlog"], None, 12),
    ("Implementing", ["Implementing", "On Hold"], 2, 8),
    ("Releasing", ["Validating on Staging", "Deploying to Production", "Releasing"], None, 3),
    ("Done", ["Done"], None, None),
]


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch, cloud: FakeJira) -> FakeJira:
    monkeypatch.setenv("JIRA_USER", cloud.user or "")
    monkeypatch.setenv("JIRA_TOKEN", cloud.token)
    return cloud


def rte_init(fake: FakeJira, out: Path, *extra: str) -> tuple[int, str, str]:
    args = ["init", "--url", fake.url, "--project", "AUR", "--out", str(out)]
    args += ["--backend", "cloud" if fake.cloud else "datacenter", "--token", "env:JIRA_TOKEN"]
    if fake.cloud:
        args += ["--user", "env:JIRA_USER"]
    result = CliRunner().invoke(app, [*args, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def comment_above(text: str, key: str) -> str:
    """The comment lines right above the line that sets `key`, joined into one."""
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if line.strip().startswith(f"{key}:"))
    above = []
    for line in reversed(lines[:at]):
        if not line.strip().startswith("#"):
            break
        above.insert(0, line.strip().removeprefix("# "))
    return " ".join(above)


def written(path: Path) -> dict[str, Any]:
    read_config(path)  # passes `rte check-config` as written
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_it_drafts_a_commented_config_that_passes_check_config(
    credentials: FakeJira, tmp_path: Path
) -> None:
    out = tmp_path / "art.yaml"
    code, stdout, stderr = rte_init(credentials, out)
    assert code == 0, stderr
    data = written(out)
    assert data["jira"]["fields"] == {
        "story_points": "Story Points",  # filled in, unlike "Story point estimate"
        "team": "Team",
        "flagged": "Flagged",
        "sprint": "Sprint",
    }
    assert data["jira"]["auth"] == {"user": "env:JIRA_USER", "token": "env:JIRA_TOKEN"}
    assert [level["level"] for level in data["jira"]["hierarchy"]] == ["story", "feature", "epic"]
    assert [team["name"] for team in data["teams"]][:2] == ["Atlas", "Borealis"]
    assert data["rules"] == {"blocking_link": "blocks"}
    text = out.read_text(encoding="utf-8")
    assert "# TODO: the ART's IANA time zone" in text
    assert "; not Story point estimate (customfield_10036, jsw-story-points, set on none" in (
        comment_above(text, "story_points")
    )
    for said in ("rte check-config", "--online", "rte health --config"):
        assert said in stdout
    assert credentials.token not in stdout + stderr + text
    assert credentials.count() == 8 and "Read in 8 requests" in stdout
    assert all(entry.method == "GET" for entry in credentials.log)  # read-only


def test_without_a_board_the_statuses_become_states_by_category(
    credentials: FakeJira, tmp_path: Path
) -> None:
    code, _, stderr = rte_init(credentials, tmp_path / "art.yaml")
    assert code == 0, stderr
    states = [state["name"] for state in written(tmp_path / "art.yaml")["kanban"]["states"]]
    assert states[:3] == ["Funnel", "Analyzing", "Program Backlog"]  # to do
    assert states[-1] == "Done"
    assert set(states[3:-1]) >= {"Implementing", "Releasing", "On Hold"}  # in progress
    assert "TODO: one column a status" in (tmp_path / "art.yaml").read_text(encoding="utf-8")


def test_a_boards_columns_and_wip_limits_become_the_kanban_states(
    credentials: FakeJira, tmp_path: Path
) -> None:
    credentials.board(7, PROGRAM_BOARD, project="AUR", name="ART Kanban")
    code, stdout, stderr = rte_init(credentials, tmp_path / "art.yaml", "--board", "7")
    assert code == 0, stderr
    kanban = written(tmp_path / "art.yaml")["kanban"]
    assert kanban["states"] == [
        {"name": "Funnel", "statuses": ["Funnel"]},
        {"name": "Analyzing", "statuses": ["Analyzing"], "wip_limit": 4},
        {"name": "Backlog", "statuses": ["Program Backlog"], "wip_limit": 12},
        {"name": "Implementing", "statuses": ["Implementing", "On Hold"], "wip_limit": 8,
         "wip_min": 2},
        {"name": "Releasing", "wip_limit": 3,
         "statuses": ["Deploying to Production", "Releasing", "Validating on Staging"]},
        {"name": "Done", "statuses": ["Done"]},
    ]  # fmt: skip
    assert "7 (ART Kanban)" in stdout and "6 columns of board 7" in stdout
    assert "replace states: with board: 7" in (tmp_path / "art.yaml").read_text(encoding="utf-8")


def test_without_an_issue_count_constraint_the_board_limits_nothing(
    credentials: FakeJira, tmp_path: Path
) -> None:
    credentials.board(7, PROGRAM_BOARD, constraint="none", project="AUR")
    code, _, stderr = rte_init(credentials, tmp_path / "art.yaml", "--board", "7")
    assert code == 0, stderr
    states = written(tmp_path / "art.yaml")["kanban"]["states"]
    assert not any("wip_limit" in state for state in states)


def test_two_fields_sharing_a_name_are_named_by_both_ids(
    credentials: FakeJira, tmp_path: Path
) -> None:
    credentials.field_list.append(field_entry("customfield_10090", "Story Points", "string"))
    code, _, stderr = rte_init(credentials, tmp_path / "art.yaml")
    assert code == 0, stderr
    data = written(tmp_path / "art.yaml")
    assert data["jira"]["fields"]["story_points"] == "customfield_10016"  # the name picks two
    text = (tmp_path / "art.yaml").read_text(encoding="utf-8")
    comment = comment_above(text, "story_points")
    assert comment.startswith("Story Points (customfield_10016, float, set on 89 of the 100")
    assert "not Story Points (customfield_10090, string field, set on none" in comment
    assert "): not of type number" in comment
    assert (
        "TODO: customfield_10016 and customfield_10090 are all called 'Story Points': "
        "check that customfield_10016 is the one" in comment
    )


def test_it_never_overwrites_a_file_without_force(credentials: FakeJira, tmp_path: Path) -> None:
    out = tmp_path / "art.yaml"
    out.write_text("# mine\n", encoding="utf-8")
    code, _, stderr = rte_init(credentials, out)
    assert code == 2
    assert stderr.splitlines() == [f"rte init: {out} exists; pass --force to overwrite it"]
    assert out.read_text(encoding="utf-8") == "# mine\n"
    assert credentials.count() == 0  # refused before a request
    code, _, stderr = rte_init(credentials, out, "--force")
    assert code == 0, stderr
    assert written(out)["jira"]["projects"] == ["AUR"]


def test_a_missing_project_lists_the_ones_there_are(credentials: FakeJira, tmp_path: Path) -> None:
    credentials.project("OPS", "Operations")
    result = CliRunner().invoke(
        app,
        ["init", "--url", credentials.url, "--backend", "cloud", "--project", "NOPE",
         "--user", "env:JIRA_USER", "--token", "env:JIRA_TOKEN", "--out", str(tmp_path / "a.yaml")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"rte init: --project NOPE: the account sees no such project at {credentials.url}; "
        "its projects: AUR (Project AUR), OPS (Operations)"
    ]
    assert not (tmp_path / "a.yaml").exists()


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--token", "s3cr3t-value"], "--token must be a reference such as 'env:JIRA_API_TOKEN'"),
        (["--user", "me@example.com"], "--user must be a reference such as"),
        (["--url", "https://jira.example.com"], "cannot tell whether https://jira.example.com"),
        (["--backend", "cloud", "--user", None], "Jira Cloud signs in with the account's e-mail"),
    ],
    ids=["token-value", "user-value", "unknown-backend", "cloud-without-user"],
)
def test_wrong_options_are_one_line_and_never_echo_a_secret(
    credentials: FakeJira, tmp_path: Path, options: list[str | None], says: str
) -> None:
    given = {
        "--url": "https://aurora.atlassian.net",
        "--project": "AUR",
        "--user": "env:JIRA_USER",
        "--token": "env:JIRA_TOKEN",
        "--out": str(tmp_path / "art.yaml"),
    }
    given.update(dict(zip(options[::2], options[1::2], strict=True)))  # type: ignore[arg-type]
    args = [part for name, value in given.items() if value is not None for part in (name, value)]
    result = CliRunner().invoke(app, ["init", *args])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("rte init: ") and says in line
    assert "s3cr3t-value" not in line and "me@example.com" not in line


def test_data_center_levels_come_from_the_type_names_and_links_from_its_fields(
    datacenter: FakeJira, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_TOKEN", datacenter.token)
    code, _, stderr = rte_init(datacenter, tmp_path / "art.yaml")
    assert code == 0, stderr
    jira = written(tmp_path / "art.yaml")["jira"]
    assert jira["auth"] == {"token": "env:JIRA_TOKEN"}
    assert jira["hierarchy"] == [
        {"level": "story", "issue_types": ["Story", "Task", "Bug"]},
        {"level": "feature", "issue_types": ["Feature", "Enabler"]},
        {"level": "epic", "issue_types": ["Epic"]},
    ]
    assert (jira["fields"]["epic_link"], jira["fields"]["parent_link"]) == (
        "Epic Link",
        "Parent Link",
    )
    text = (tmp_path / "art.yaml").read_text(encoding="utf-8")
    assert "TODO: check which level each issue type is" in text


def test_a_refused_token_is_one_line_without_the_token(
    credentials: FakeJira, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_TOKEN", "not-the-token-7d1e")
    code, stdout, stderr = rte_init(credentials, tmp_path / "art.yaml")
    assert code == 1
    [line] = stderr.splitlines()
    assert line.startswith(f"rte init: Jira at {credentials.url} answered HTTP 401")
    assert "not-the-token-7d1e" not in stdout + stderr
    assert not (tmp_path / "art.yaml").exists()
