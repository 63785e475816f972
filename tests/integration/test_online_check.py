"""`rte check-config --online` against the Jira, Confluence, Graph and Entra fakes: every kind
of problem is a row of its own, a service that cannot be reached is one row, and no check
writes anything or shows a secret."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from connectors.config_file import read_config
from flows.cli import app
from flows.steps.bootstrap import bootstrap
from flows.steps.online_check import CheckRow, check_online
from flows.steps.secrets import Secrets
from tests.cloud_builders import entra_for, private_cloud
from tests.fakes.confluence import TOKEN as WIKI_TOKEN
from tests.fakes.confluence import FakeConfluence
from tests.fakes.entra import FakeEntra
from tests.fakes.graph import GraphFake
from tests.fakes.jira import FakeJira
from tests.integration.jira_fixtures import FAST, cloud, cloud_site, write_art_yaml
from tests.integration.outlook_fixtures import MAILBOX
from tests.service_builders import service_environment, service_sections

__all__ = ["cloud", "cloud_site"]  # fixtures

GRAPH_SECRET = "Gr4ph~client-secret"
BLOCK = "graph-client-secret"


@pytest.fixture
def services(
    cloud: FakeJira, tmp_path: Path
) -> Iterator[tuple[FakeJira, FakeConfluence, FakeEntra, GraphFake]]:
    wiki = FakeConfluence(deployment="cloud")
    wiki.add_space("ART", "Aurora ART")
    wiki.add_page("ART", "ART Health")
    graph = GraphFake(mailboxes=(MAILBOX,))
    with wiki.running(), graph.running(), entra_for(graph, tmp_path, secret=GRAPH_SECRET) as entra:
        yield cloud, wiki, entra, graph


def art_yaml(
    folder: Path,
    services: tuple[FakeJira, FakeConfluence, FakeEntra, GraphFake],
    change: Callable[[dict[str, Any]], None] = lambda data: None,
) -> Path:
    """The Aurora ART on every fake: Jira, Confluence under 'ART Health', an Outlook mailbox
    whose client secret is a Prefect Secret block; `change` edits it first."""
    jira, wiki, entra, graph = services
    path = write_art_yaml(jira, folder, team_board=None)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["cadence"]["pis"] = [{"name": "PI 2027.1", "start": "2026-12-14", "label": "pi-2027.1"}]
    data.update(
        service_sections(wiki, private_cloud(entra, graph), client_secret=f"prefect-secret:{BLOCK}")
    )
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def run_checks(path: Path, jira: FakeJira, blocks: dict[str, str | None]) -> list[CheckRow]:
    secrets = Secrets(read_block=blocks.get, environ=service_environment(jira))
    return check_online(bootstrap(read_config(path), path.parent, secrets=secrets, policy=FAST))


def failures(rows: list[CheckRow]) -> dict[str, str]:
    return {row.what: row.problem or "" for row in rows if not row.ok}


def test_a_config_that_fits_passes_every_check_and_writes_nothing(services, tmp_path) -> None:
    jira, wiki, entra, graph = services
    rows = run_checks(art_yaml(tmp_path, services), jira, {BLOCK: GRAPH_SECRET})
    assert failures(rows) == {}
    checked = {(row.service, row.what) for row in rows}
    assert checked >= {
        ("Secrets", f"calendar.client_secret (prefect-secret:{BLOCK})"),
        ("Jira", "jira.fields"),
        ("Jira", "jira.projects[0]"),
        ("Jira", "kanban statuses"),
        ("Jira", "cadence.pis[0].label"),
        ("Confluence", "confluence.space"),
        ("Confluence", "confluence.parent"),
        ("Outlook", "calendar.mailbox"),
    }
    writes = {entry.route for entry in jira.log if entry.method != "GET"}
    assert writes == {"POST /rest/api/3/search/approximate-count"}  # a count: a read
    assert wiki.write_count() == 0 and not graph.events() and not graph.sent_mail
    assert [form["client_secret"] for form in entra.sign_ins] == [GRAPH_SECRET]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for part in parents:
            data = data[part]
        data[last] = value

    return change


@pytest.mark.parametrize(
    ("change", "blocks", "expected"),
    [
        pytest.param(
            _set("jira.fields.story_points", "Story Pointz"),
            {BLOCK: GRAPH_SECRET},
            {"jira.fields.story_points": "no Jira field has the id or name 'Story Pointz'"},
            id="field-name",
        ),
        pytest.param(
            _set("kanban.states", [{"name": "Analyzing", "statuses": ["Analysing"]}]),
            {BLOCK: GRAPH_SECRET},
            {"kanban.states[0].statuses": "no status 'Analysing' on the site"},
            id="status",
        ),
        pytest.param(
            _set("kanban.states", [{"name": "Done", "statuses": ["done"]}]),
            {BLOCK: GRAPH_SECRET},
            {"kanban.states[0].statuses": "no status 'done' on the site"},
            id="status-case",
        ),
        pytest.param(
            _set("kanban", {"level": "feature", "board": 99}),
            {BLOCK: GRAPH_SECRET},
            {"kanban.board": "HTTP 404 to GET /rest/agile/1.0/board/99/configuration"},
            id="board",
        ),
        pytest.param(
            _set("cadence.pis", [{"name": "PI 2027.1", "start": "2026-12-14", "label": "pi-x"}]),
            {BLOCK: GRAPH_SECRET},
            {"cadence.pis[0].label": "no issue of the train has the label 'pi-x'"},
            id="pi-label",
        ),
        pytest.param(
            _set("confluence.space", "NOPE"),
            {BLOCK: GRAPH_SECRET},
            {"confluence.space": "confluence.space: there is no space with key 'NOPE'"},
            id="space",
        ),
        pytest.param(
            _set("confluence.parent", "No Such Page"),
            {BLOCK: GRAPH_SECRET},
            {"confluence.parent": "confluence.parent: no page 'No Such Page' in space ART"},
            id="parent-page",
        ),
        pytest.param(
            _set("objectives", {"source": "jira", "issue_type": "PI Objective"}),
            {BLOCK: GRAPH_SECRET},
            {
                "objectives.issue_type": "no issue type 'PI Objective' in AUR (there: Bug,",
                "objectives.fields.pi": "no Jira field has the id or name 'PI'",
                "objectives.fields.committed": "no Jira field has the id or name 'Commitment'",
                "objectives.fields.planned_value": "'Planned Business Value'",
                "objectives.fields.actual_value": "'Actual Business Value'",
            },
            id="objectives",
        ),
        pytest.param(
            lambda data: None,
            {BLOCK: "an-expired-secret"},
            {"calendar.mailbox": "AADSTS7000215: Invalid client secret provided"},
            id="wrong-secret",
        ),
        pytest.param(
            lambda data: None,
            {},
            {
                f"calendar.client_secret (prefect-secret:{BLOCK})": (
                    f"there is no Prefect Secret block named '{BLOCK}'"
                ),
                "calendar.mailbox": f"there is no Prefect Secret block named '{BLOCK}'",
            },
            id="missing-block",
        ),
    ],
)
def test_each_kind_of_problem_is_its_own_row(
    services, tmp_path: Path, change, blocks: dict[str, str | None], expected: dict[str, str]
) -> None:
    jira = services[0]
    rows = run_checks(art_yaml(tmp_path, services, change), jira, blocks)
    found = failures(rows)
    assert set(found) == set(expected), found
    for what, says in expected.items():
        assert says in found[what]
    assert all(row.fix for row in rows if not row.ok)
    shown = " ".join(f"{row.found} {row.problem} {row.fix}" for row in rows)
    for secret in (GRAPH_SECRET, "an-expired-secret", jira.token, WIKI_TOKEN):
        assert secret not in shown


def test_a_service_out_of_reach_is_one_row_and_the_others_are_still_checked(
    services, tmp_path: Path
) -> None:
    jira = services[0]
    path = art_yaml(tmp_path, services, _set("jira.url", "http://127.0.0.1:9"))  # discard port
    rows = run_checks(path, jira, {BLOCK: GRAPH_SECRET})
    assert list(failures(rows)) == ["sign-in"]
    assert "Jira at http://127.0.0.1:9" in failures(rows)["sign-in"]
    assert {row.service for row in rows if row.ok} >= {"Secrets", "Confluence", "Outlook"}


def test_the_command_prints_a_row_a_check_and_exits_2_on_any_problem(
    services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jira = services[0]
    for name, value in service_environment(jira).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("flows.runs.secret_blocks.read_secret_block", {BLOCK: GRAPH_SECRET}.get)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    good = runner.invoke(app, ["check-config", str(art_yaml(tmp_path, services)), "--online"])
    assert good.exit_code == 0, good.output
    assert re.search(r"^All \d+ online checks passed$", good.stdout, re.MULTILINE)

    def broken(data: dict[str, Any]) -> None:
        _set("jira.fields.story_points", "Story Pointz")(data)
        _set("confluence.space", "NOPE")(data)
        _set("cadence.pis", [{"name": "PI 1", "start": "2026-12-14", "label": "pi-x"}])(data)

    bad = runner.invoke(
        app, ["check-config", str(art_yaml(tmp_path, services, broken)), "--online"]
    )
    assert bad.exit_code == 2
    [line] = bad.stderr.splitlines()
    assert re.fullmatch(
        r"rte check-config: 3 of \d+ online checks found a problem \(see the table\): "
        r"fix them and run again",
        line,
    )
    for row in ("jira.fields.story_points", "confluence.space", "cadence.pis[0].label"):
        assert row in bad.stdout
    assert "Traceback" not in bad.output and GRAPH_SECRET not in bad.output
    assert jira.token not in bad.output + good.output
