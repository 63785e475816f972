"""A Release Train Engineer's first day, as the real `rte` runs it against the fakes:

    rte init -> rte check-config -> rte check-config --online -> rte health

on Jira Cloud and on Jira Data Center, with pages going to Confluence (Cloud with the
one, Data Center with the other) and the calendar in an Outlook mailbox signed in to
through the Entra fake. Each command is a process of its own, with no Prefect API
configured (so `rte health` runs in process); none prints a traceback or a secret, and
neither does any file they write.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.cloud_builders import entra_for, private_cloud
from tests.fakes.confluence import TOKEN as WIKI_TOKEN
from tests.fakes.confluence import USER as WIKI_USER
from tests.fakes.confluence import FakeConfluence
from tests.fakes.graph import GraphFake
from tests.fakes.jira import FakeJira
from tests.integration.jira_fixtures import (
    cloud,
    cloud_site,
    datacenter,
    datacenter_site,
)
from tests.integration.outlook_fixtures import MAILBOX
from tests.service_builders import service_environment, service_sections

__all__ = ["cloud", "cloud_site", "datacenter", "datacenter_site"]  # fixtures
pytestmark = pytest.mark.e2e

RTE = str(Path(sys.executable).parent / "rte")
GRAPH_SECRET = "Fd8~first-day-client-secret"
PROGRAM_BOARD = [
    ("Funnel", ["Funnel"], None, None),
    ("Analyzing", ["Analyzing"], None, 4),
    ("Program Backlog", ["Program Backlog"], None, 12),
    ("Implementing", ["Implementing", "On Hold"], None, 8),
    ("Validating", ["Validating on Staging"], None, 4),
    ("Releasing", ["Deploying to Production", "Releasing"], None, 3),
    ("Done", ["Done"], None, None),
]


@pytest.fixture(params=["cloud", "datacenter"])
def jira(request: pytest.FixtureRequest) -> FakeJira:
    fake: FakeJira = request.getfixturevalue(request.param)
    fake.board(3, PROGRAM_BOARD, project="AUR", name="ART Program Kanban")
    return fake


@pytest.fixture
def wiki(jira: FakeJira) -> Iterator[FakeConfluence]:
    fake = FakeConfluence(
        deployment=jira.deployment, user=WIKI_USER if jira.cloud else None, token=WIKI_TOKEN
    )
    fake.add_space("ART", "Aurora ART")
    fake.add_page("ART", "ART Health")
    with fake.running():
        yield fake


@pytest.fixture
def outlook(tmp_path: Path) -> Iterator[dict[str, object]]:
    """The mailbox and the app's sign-in, as art.yaml's calendar section names them."""
    graph = GraphFake(mailboxes=(MAILBOX,))
    with graph.running(), entra_for(graph, tmp_path, secret=GRAPH_SECRET) as entra:
        yield private_cloud(entra, graph)


def rte(*args: str, cwd: Path, secrets: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real `rte`, as a person runs it: no Prefect API, the secrets in the environment."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PREFECT_", "JIRA_", "WIKI_", "GRAPH_"))
    }
    env.update(secrets, PREFECT_HOME=str(cwd / ".prefect"), COLUMNS="200", NO_COLOR="1")
    env.update(DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    return subprocess.run(
        [RTE, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_init_check_online_and_health_on_a_fresh_site(
    jira: FakeJira, wiki: FakeConfluence, outlook: dict[str, object], tmp_path: Path
) -> None:
    secrets = service_environment(jira, GRAPH_SECRET=GRAPH_SECRET)
    runs = []
    login = ["--user", "env:JIRA_USER"] if jira.cloud else []
    init = rte(
        "init", "--url", jira.url, "--project", "AUR", "--board", "3",
        "--backend", jira.deployment, "--token", "env:JIRA_TOKEN", *login,
        cwd=tmp_path, secrets=secrets,
    )  # fmt: skip
    runs.append(init)
    assert init.returncode == 0, init.stderr
    assert "rte check-config art.yaml --online" in init.stdout
    config = tmp_path / "art.yaml"
    assert "# TODO" in config.read_text(encoding="utf-8")

    offline = rte("check-config", "art.yaml", cwd=tmp_path, secrets=secrets)
    runs.append(offline)
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout.startswith("OK art.yaml: ART 'Project AUR', 7 teams")

    with config.open("a", encoding="utf-8") as file:  # the RTE sets up pages and calendar
        sections = service_sections(wiki, outlook, client_secret="env:GRAPH_SECRET")
        file.write("\n" + yaml.safe_dump(sections, sort_keys=False))
    online = rte("check-config", "art.yaml", "--online", cwd=tmp_path, secrets=secrets)
    runs.append(online)
    assert online.returncode == 0, online.stdout + online.stderr
    for checked in ("jira.fields", "kanban statuses", "confluence.parent", "calendar.mailbox"):
        assert checked in online.stdout
    assert "PROBLEM" not in online.stdout

    health = rte("health", "--config", "art.yaml", "--out", "out", cwd=tmp_path, secrets=secrets)
    runs.append(health)
    assert health.returncode == 0, health.stdout + health.stderr
    assert "Not recorded in Prefect" in health.stdout  # in process
    assert wiki.page_by_title("ART", "Project AUR - ART Health") is not None
    assert (tmp_path / "out" / "health.json").is_file()

    shown = "".join(run.stdout + run.stderr for run in runs)
    assert "Traceback" not in shown
    written = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in tmp_path.rglob("*")
        if path.is_file() and path.suffix in (".yaml", ".json", ".html", ".xml", ".csv", ".ics")
    ]
    for secret in (jira.token, WIKI_TOKEN, GRAPH_SECRET):
        assert secret not in shown
        assert not any(secret in text for text in written)
