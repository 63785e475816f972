"""Known secrets never leave their place: not in output, logs, artifacts, pages, mail or errors.

The train reads Jira Cloud, publishes to Confluence Cloud and syncs Outlook,
all fakes on 127.0.0.1, with every credential an `env:` reference to a known
value. Every command and every flow runs with verbose logging, three times:
with the services answering, with the credentials refused (401), and with the
services failing (500 on every request). Then each known value is looked for
in every place text goes: stdout and stderr, every log record (the
libraries' debug logs included), Prefect's run logs, artifacts and run
states, the pages, events and mails the fakes hold, every file the runs
wrote, and the message, repr and traceback of every exception.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app
from tests.calendar_builders import DEMO
from tests.cloud_builders import ISSUED, entra_for, private_cloud
from tests.fakes.confluence import FakeConfluence
from tests.fakes.entra import FakeEntra
from tests.fakes.graph import GraphFake
from tests.fakes.jira import FakeJira
from tests.fakes.jira_data import demo_field_list, demo_issues
from tests.fakes.server import FakeServer, Fault
from tests.integration.jira_fixtures import NOW
from tests.reliability.outage import stop_all
from tests.reliability.scenarios import MAILBOX, PARENT, SPACE

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

SECRETS = {
    "RTE_S_JIRA_USER": "jira-bot-4711@corp.example",
    "RTE_S_JIRA_TOKEN": "jira-tok-Q9x7Vb2LmZ-Kc",
    "RTE_S_CONFLUENCE_USER": "wiki-bot-8832@corp.example",
    "RTE_S_CONFLUENCE_TOKEN": "conf-tok-Hh3Jk9Wq1-Ud",
    "RTE_S_TENANT": "tenant-3c1e5d0a-77f1",
    "RTE_S_CLIENT": "client-9b7f2e44-0a5c",
    "RTE_S_SECRET": "graph-secret-Zp8~Lx.4Rt-Mn",
}
# The tenant and the app's client id are identifiers, not secrets: they are in the sign-in
# URLs (and so in any HTTP client's debug log), as Microsoft documents. The app's secret is
# one, and is looked for everywhere.
IDENTIFIERS = ("RTE_S_TENANT", "RTE_S_CLIENT")
VALUES = tuple(value for name, value in SECRETS.items() if name not in IDENTIFIERS)
TODAY = "2026-11-20"
CALENDAR_EVENTS = ("pi-planning", "art-sync")  # a series and single events; few, for speed
CHECKS: list[str] = []  # one entry per (place, secret) looked at, for the counts


@dataclass
class Site:
    jira: FakeJira
    confluence: FakeConfluence
    graph: GraphFake
    entra: FakeEntra
    config: Path
    out: Path
    texts: dict[str, str] = field(default_factory=dict)  # place -> what it held

    @property
    def fakes(self) -> list[FakeServer]:
        return [self.jira, self.confluence, self.graph, self.entra]

    def keep(self, place: str, text: object) -> None:
        self.texts[place] = self.texts.get(place, "") + "\n" + str(text)


def art_yaml(
    site_dir: Path,
    jira: FakeJira,
    confluence: FakeConfluence,
    cloud: dict[str, object],
    *,
    scheme: str = "env",
    name: str = "art.yaml",
) -> Path:
    """The train on the fakes; Jira's credentials as `env:` or `prefect-secret:` references."""
    refs = {
        "env": ("env:RTE_S_JIRA_USER", "env:RTE_S_JIRA_TOKEN"),
        "prefect-secret": ("prefect-secret:rte-s-jira-user", "prefect-secret:rte-s-jira-token"),
    }
    user, token = refs[scheme]
    data = {
        "art": {"name": "Secret ART", "timezone": "Europe/Berlin"},
        "teams": DEMO["teams"],
        "jira": {
            "backend": "cloud",
            "url": jira.url,
            "projects": ["AUR"],
            "auth": {"user": user, "token": token},
            "fields": {
                "story_points": "Story Points",
                "team": "Team",
                "flagged": "Flagged",
                "sprint": "Sprint",
                "rollup_points": "Rolled-up Points",
            },
        },
        "kanban": {"level": "feature", "states": DEMO["kanban"]["states"]},
        "cadence": DEMO["cadence"],
        "calendar": {
            **DEMO["calendar"],
            "events": [e for e in DEMO["calendar"]["events"] if e["key"] in CALENDAR_EVENTS],
            "backend": "outlook",
            "mailbox": MAILBOX,
            "tenant_id": "env:RTE_S_TENANT",
            "client_id": "env:RTE_S_CLIENT",
            "client_secret": "env:RTE_S_SECRET",
            **cloud,  # the Graph and Entra ID fakes, signed in to for real
        },
        "confluence": {
            "backend": "cloud",
            "url": confluence.url,
            "space": SPACE,
            "parent": PARENT,
            "auth": {"user": "env:RTE_S_CONFLUENCE_USER", "token": "env:RTE_S_CONFLUENCE_TOKEN"},
        },
        "objectives": {"source": "yaml", "file": str(Path(DEMO_DIR) / "objectives.yaml")},
        "notifications": {
            "rte": "rte@example.com",
            "min_severity": "info",
            "health_page_url": "https://wiki.example.com/health",
        },
        "state_dir": str(site_dir / "state"),
    }
    path = site_dir / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


DEMO_DIR = Path(__file__).resolve().parents[2] / "flows" / "demo_art"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    jira = FakeJira(
        "cloud",
        fields=demo_field_list(),
        now=NOW,
        user=SECRETS["RTE_S_JIRA_USER"],
        token=SECRETS["RTE_S_JIRA_TOKEN"],
    )
    jira.reset(demo_issues()[:150], demo_field_list(), NOW)
    team_board = [  # the demo's team columns, as each team's Jira board (read with the token)
        (state["name"], state["statuses"], state.get("wip_min"), state.get("wip_limit"))
        for state in DEMO["kanban"]["team_states"]
    ]
    for team in DEMO["teams"]:
        jira.board(team["board"], team_board)
    confluence = FakeConfluence(
        deployment="cloud",
        user=SECRETS["RTE_S_CONFLUENCE_USER"],
        token=SECRETS["RTE_S_CONFLUENCE_TOKEN"],
    )
    confluence.add_space(SPACE, "Secret ART")
    confluence.add_page(SPACE, PARENT)
    graph = GraphFake(mailboxes=(MAILBOX,))
    for fake in (jira, confluence, graph):
        fake.start()
    folder = tmp_path_factory.mktemp("secret-site")
    with entra_for(
        graph,
        folder,
        secret=SECRETS["RTE_S_SECRET"],
        tenant=SECRETS["RTE_S_TENANT"],
        client=SECRETS["RTE_S_CLIENT"],
    ) as entra:
        cloud = private_cloud(entra, graph)
        art_yaml(folder, jira, confluence, cloud, scheme="prefect-secret", name="art-blocks.yaml")
        config = art_yaml(folder, jira, confluence, cloud)
        yield Site(jira, confluence, graph, entra, config, folder / "out")
    stop_all([jira, confluence, graph])


@pytest.fixture
def wired(site: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """Secrets in the environment, where the config's references look for them."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return site


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record at DEBUG, Prefect's run loggers (which do not propagate) included."""
    loggers = [logging.getLogger(), logging.getLogger("prefect")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    logging.getLogger("prefect").addHandler(caplog.handler)
    caplog.handler.setLevel(logging.DEBUG)
    yield caplog
    logging.getLogger("prefect").removeHandler(caplog.handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


# --------------------------------------------------------------------------
# The three weathers


def fine(site: Site) -> None:
    for fake in site.fakes:
        fake.clear_faults()
    site.jira.token = SECRETS["RTE_S_JIRA_TOKEN"]
    site.confluence.token = SECRETS["RTE_S_CONFLUENCE_TOKEN"]
    site.graph.token = ISSUED
    site.entra.client_secret = SECRETS["RTE_S_SECRET"]


def refused(site: Site) -> None:
    fine(site)
    site.jira.token = site.confluence.token = site.graph.token = "someone-elses-token"
    site.entra.client_secret = "someone-elses-secret"  # Entra refuses the app's sign-in


def failing(site: Site) -> None:
    fine(site)
    for fake in site.fakes:
        fake.inject(Fault("status", status=500, times=None))


WEATHERS: dict[str, Callable[[Site], None]] = {"fine": fine, "refused": refused, "failing": failing}


# (arguments, whether it talks to a service): every command but `serve` (which runs until
# stopped and serves the same flows) and `demo` (the embedded train, no credentials).
def commands(site: Site, weather: str) -> list[tuple[list[str], bool]]:
    config, out = str(site.config), str(site.out)
    every = [
        (["check-config", config], False),
        (["sync", "--config", config], True),
        (["sync", "--config", config, "--full"], True),
        (["rollup", "--config", config, "--today", TODAY, "--json", f"{out}/rollup.json"], True),
        (["rollup", "--config", config, "--today", TODAY, "--dry-run"], True),
        (["budget", "--config", config, "--today", TODAY, "--json", f"{out}/budget.json"], True),
        (["readiness", "--config", config, "--today", TODAY, "--json", f"{out}/ready.json"], True),
        (["forecast", "--config", config, "--today", TODAY, "--json", f"{out}/fore.json"], True),
        (["flow-export", "--config", config, "--out", f"{out}/flow.csv"], True),
        (["calendar", "--config", config, "--dry-run"], True),
        (["calendar", "--config", config, "--verbose", "--out", out], True),
        (["objectives", "--config", config, "--out", out, "--today", TODAY, "--verbose"], True),
    ]
    blocks = str(site.config.parent / "art-blocks.yaml")  # Jira's secrets in Prefect blocks
    if weather == "fine":
        every.append((["blocks", "register", "--config", blocks], False))
    every.append((["sync", "--config", blocks], True))
    if weather == "fine":  # in bad weather these fail (or not) exactly like the runs above
        every += [
            (["objectives", "--config", config, "--dry-run", "--out", out, "--today", TODAY], True),
            (["calendar", "--config", config, "--ics", f"{out}/train.ics"], False),
        ]
    return every


SERVICES = ("Jira at http://127.0.0.1:", "Confluence", "Microsoft Graph, mailbox")


@pytest.mark.parametrize("weather", list(WEATHERS))
def test_no_secret_leaves_its_place(weather: str, wired: Site, every_log, tmp_path: Path) -> None:
    site = wired
    site.texts.clear()
    WEATHERS[weather](site)
    runner = CliRunner()
    for args, talks in commands(site, weather):
        result = runner.invoke(app, args)
        place = f"rte {' '.join(args[:1] + args[3:4])} ({weather})"
        site.keep(f"{place}: stdout", result.stdout)
        site.keep(f"{place}: stderr", result.stderr)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            keep_exception(site, place, result.exception)
            pytest.fail(f"{place}: {type(result.exception).__name__} escaped the CLI")
        if weather == "fine" or not talks:
            assert result.exit_code == 0, (place, result.output)
        else:  # stopped, saying which service and what happened
            assert result.exit_code == 1, (place, result.output)
            assert any(service in result.stderr for service in SERVICES), (place, result.stderr)
    from flows.nightly_health import nightly_health

    try:
        nightly_health(config_path=str(site.config), out_dir=str(site.out))
    except Exception as exc:  # the flow fails in bad weather: its exception is a place too
        assert weather != "fine", exc
        keep_exception(site, f"nightly-health ({weather})", exc)
    if weather == "fine":  # the secrets were used: their absence below means something
        assert site.confluence.page_by_title(SPACE, "Secret ART - ART Health") is not None
        assert site.graph.events() and site.graph.sent_mail
        sent = {request.headers.get("authorization", "") for request, _ in site.jira.exchanges}
        assert any(header.startswith("Basic ") for header in sent)
    for record in every_log.records:
        site.keep(f"log {record.name} ({weather})", format_record(record))
    keep_prefect(site, weather)
    keep_outputs(site, weather)
    assert_no_secret(site)


def keep_exception(site: Site, place: str, exc: BaseException) -> None:
    site.keep(f"{place}: exception", f"{exc}\n{exc!r}\n" + "".join(traceback.format_exception(exc)))


def format_record(record: logging.LogRecord) -> str:
    text = f"{record.name} {record.getMessage()} {record.args!r}"
    if record.exc_info:
        text += "".join(traceback.format_exception(*record.exc_info))
    return text


def keep_prefect(site: Site, weather: str) -> None:
    """What the Prefect API keeps: run logs, artifacts, and the states runs ended in."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        for log in client.read_logs():
            site.keep(f"Prefect log ({weather})", log.message)
        for artifact in client.read_artifacts():
            site.keep(f"Prefect artifact ({weather})", f"{artifact.description} {artifact.data}")
        for run in client.read_flow_runs():
            state = run.state
            site.keep(
                f"Prefect flow run state ({weather})",
                f"{run.parameters} {state.message if state else ''}",
            )


def keep_outputs(site: Site, weather: str) -> None:
    """Pages, events, mails the fakes hold, and every file the runs wrote."""
    with site.confluence.lock:
        for page in site.confluence.state.pages.values():
            site.keep(f"Confluence page ({weather})", f"{page.title} {page.body}")
        for properties in site.confluence.state.properties.values():
            site.keep(f"Confluence property ({weather})", [p.value for p in properties.values()])
    for event in site.graph.events():
        site.keep(f"Outlook event ({weather})", f"{event.data} {event.properties}")
    for mail in site.graph.sent_mail:
        site.keep(f"mail ({weather})", mail)
    for path in site.config.parent.rglob("*"):
        if path.is_file():
            site.keep(f"file {path.name} ({weather})", path.read_bytes().decode("utf-8", "replace"))


def assert_no_secret(site: Site) -> None:
    for place, text in site.texts.items():
        for secret in VALUES:
            assert secret not in text, f"{place} shows a secret"
            CHECKS.append(place)
