"""`rte rollup --write-back` and `--dry-run` against the Jira fake, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from flows.cli import app
from tests.fakes.jira import FakeJira
from tests.fakes.jira_data import DEMO
from tests.fakes.server import Fault
from tests.integration.jira_fixtures import hierarchy_links, write_art_yaml

PLANNED = json.loads((DEMO / "export.json").read_text("utf-8"))["planted"]["rollup_points_to_write"]
ROLLUP = "customfield_10058"


def art_yaml(fake: FakeJira, folder: Path) -> Path:
    links = hierarchy_links(fake)
    return write_art_yaml(fake, folder, fields={"rollup_points": "Rolled-up Points", **links})


def rte(fake: FakeJira, *args: str) -> Result:
    env = {"JIRA_USER": fake.user or "", "JIRA_TOKEN": fake.token, "COLUMNS": "200"}
    return CliRunner().invoke(app, list(args), env=env)


def write_back(fake: FakeJira, folder: Path, *extra: str) -> tuple[Result, str, dict[str, Any]]:
    """One run; its output with the lines of wrapped table titles joined, and its JSON."""
    out = folder / "rollup.json"
    config = art_yaml(fake, folder)
    args = ("rollup", "--config", str(config), "--write-back", "--json", str(out), *extra)
    result = rte(fake, *args)
    document = json.loads(out.read_text()) if out.exists() else {}
    return result, " ".join(result.output.split()), document


def test_write_back_writes_the_plan_once_and_then_nothing(site: FakeJira, tmp_path: Path) -> None:
    first, said, document = write_back(site, tmp_path)
    assert first.exit_code == 0, first.output
    unchanged = len(document["rows"]) - len(PLANNED)
    assert f"'Rolled-up Points': 34 written, 0 failed, {unchanged} unchanged" in said
    api = "/rest/api/3" if site.cloud else "/rest/api/2"
    assert f"request(s) to Jira (PUT {api}/issue/{{id}}: 34," in said
    section = document["write_back"]
    assert section["dry_run"] is False and section["watchers_notified"] == []
    assert {write["key"]: write["result"] for write in section["writes"]} == dict.fromkeys(
        PLANNED, "written"
    )
    assert site.count(method="PUT") == len(PLANNED)
    stored = {issue["key"]: issue["fields"].get(ROLLUP) for issue in site.issues.values()}
    assert all(stored[write["key"]] == write["value"] for write in section["writes"])

    site.advance(minutes=5)
    site.reset_log()
    second, said, again = write_back(site, tmp_path)
    assert second.exit_code == 0, second.output
    assert f"0 written, 0 failed, {len(document['rows'])} unchanged" in said
    assert again["write_back"]["writes"] == [] and site.count(method="PUT") == 0
    assert site.token not in first.output + second.output


def test_dry_run_on_a_live_jira_prints_the_plan_and_writes_nothing(
    cloud: FakeJira, tmp_path: Path
) -> None:
    result, said, document = write_back(cloud, tmp_path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"Write-back to 'Rolled-up Points': {len(PLANNED)} to write" in said
    assert document["write_back"]["dry_run"] is True
    assert cloud.count(method="PUT") == 0


def test_a_refused_write_is_named_the_rest_written_and_the_exit_non_zero(
    cloud: FakeJira, tmp_path: Path
) -> None:
    victim = PLANNED[3]
    cloud.hide_from_edit_screen(victim, ROLLUP)
    cloud.can_silence_notifications = False  # the account is no project admin
    result, said, document = write_back(cloud, tmp_path)
    assert result.exit_code == 1
    assert "33 written, 1 failed" in said
    assert "rte rollup --write-back: 1 write(s) failed" in said
    assert "the watchers of 33 issue(s) were notified" in said
    outcomes = {write["key"]: write["result"] for write in document["write_back"]["writes"]}
    assert outcomes[victim].startswith(f"failed: {victim}: Jira answered HTTP 400")
    assert "cannot be set" in outcomes[victim]
    assert sum(outcome == "written" for outcome in outcomes.values()) == len(PLANNED) - 1
    assert "Traceback" not in result.output


def test_a_storm_past_the_retry_policy_stops_the_run_with_what_was_not_attempted(
    cloud: FakeJira, tmp_path: Path
) -> None:
    cloud.inject(
        Fault("status", path="/issue/", method="PUT", status=429, retry_after="0", times=None)
    )
    result, said, document = write_back(cloud, tmp_path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "rte rollup --write-back stopped: Jira at" in said
    assert "PUT /rest/api/3/issue/{id}: gave up after 6 attempt(s)" in said
    writes = document["write_back"]["writes"]
    assert "not attempted: " + ", ".join(write["key"] for write in writes) in said
    assert {write["result"] for write in writes} == {"not attempted"}
