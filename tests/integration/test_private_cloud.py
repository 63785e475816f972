"""Any Graph cloud: the private-cloud settings of art.yaml reach a Graph fake and an Entra fake,
both over https, through `bootstrap` and the calendar pipeline; the token goes to that Graph
host only.

`calendar.graph_url`, `calendar.authority` and `calendar.instance_discovery` name a cloud the
`cloud` table does not know. Nothing is patched: bootstrap builds the Entra app's
client-credentials sign-in from the config, azure-identity signs in at the Entra fake, and
msgraph-sdk sends the issued token to the Graph fake, which trusts a private CA
(`SSL_CERT_FILE`, as httpx reads it). A link that leads to another host (an
`@odata.nextLink` elsewhere) is followed without the Authorization header.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from art.config import ArtConfig
from connectors.graph_client import GraphCallFailed
from connectors.outlook import OutlookCalendar
from flows.steps.bootstrap import bootstrap
from flows.steps.calendar import CalendarRun
from flows.steps.calendar_publish import publish_calendar
from tests.calendar_builders import demo_config
from tests.cloud_builders import CLIENT, ISSUED, TENANT, entra_for, private_cloud
from tests.fakes.entra import FakeEntra
from tests.fakes.graph import GraphFake
from tests.fakes.server import Request, Response
from tests.fakes.tls import local_certificate
from tests.integration.outlook_fixtures import MAILBOX

SECRET = "Pv8~private-cloud-secret"
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


class HeardGraph(GraphFake):
    """The Graph fake, noting the Authorization header of every request it gets; `elsewhere`
    makes its listing pages link to another host."""

    def __init__(self, **options: Any) -> None:
        super().__init__(mailboxes=(MAILBOX,), **options)
        self.heard: list[tuple[str, str, str | None]] = []
        self.elsewhere: str | None = None

    def _answer(self, request: Request) -> tuple[str, Response]:
        self.heard.append((request.method, request.path, request.headers.get("authorization")))
        return super()._answer(request)

    def _page(self, request: Request, items: list[dict[str, Any]]) -> dict[str, Any]:
        if self.elsewhere is None:
            return super()._page(request, items)
        return {"value": items[:10], "@odata.nextLink": f"{self.elsewhere}{request.path}?$skip=10"}


@dataclass
class Cloud:
    graph: HeardGraph
    entra: FakeEntra
    config: ArtConfig


@pytest.fixture
def cloud(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cloud]:
    monkeypatch.setenv("RTE_PC_TENANT", TENANT)
    monkeypatch.setenv("RTE_PC_CLIENT", CLIENT)
    monkeypatch.setenv("RTE_PC_SECRET", SECRET)
    trusted = local_certificate(tmp_path / "graph-tls")
    monkeypatch.setenv("SSL_CERT_FILE", str(trusted.ca_file))  # the private cloud's CA
    graph = HeardGraph(tls=trusted.context)
    with graph.running(), entra_for(graph, tmp_path, secret=SECRET) as entra:
        config = demo_config(
            backend="outlook",
            mailbox=MAILBOX,
            tenant_id="env:RTE_PC_TENANT",
            client_id="env:RTE_PC_CLIENT",
            client_secret="env:RTE_PC_SECRET",
            **private_cloud(entra, graph),
        )
        yield Cloud(graph, entra, config)


def calendar_run(cloud: Cloud, tmp_path: Path, **calendar: Any) -> CalendarRun:
    """One `art_calendar` pipeline run, its adapters made by bootstrap from the config."""
    config = cloud.config.model_copy(
        update={"calendar": cloud.config.calendar.model_copy(update=calendar)}
    )
    adapters = bootstrap(config, tmp_path / "out")
    return publish_calendar(adapters, dry_run=False, since=LONG_AGO)


def test_the_private_cloud_settings_reach_entra_and_graph_over_https(
    cloud: Cloud, tmp_path: Path
) -> None:
    assert cloud.graph.url.startswith("https://") and cloud.entra.url.startswith("https://")
    first = calendar_run(cloud, tmp_path)
    assert first.outcome is not None and first.outcome.created == 75
    [sign_in] = cloud.entra.sign_ins
    assert (sign_in["client_id"], sign_in["client_secret"]) == (CLIENT, SECRET)
    assert sign_in["scope"].split() == [f"{cloud.graph.url}/.default"]
    assert cloud.graph.heard and {auth for _, _, auth in cloud.graph.heard} == {f"Bearer {ISSUED}"}
    batches = [path for method, path, _ in cloud.graph.heard if path.endswith("/$batch")]
    assert len(batches) == first.outcome.batch_requests == 7  # 4 writes, lookup, cancel, mark
    cloud.graph.reset_log()
    cloud.graph.heard.clear()
    again = calendar_run(cloud, tmp_path)
    assert again.outcome is not None and again.outcome.batch_requests == 0
    assert again.requests == 1 and len(cloud.graph.heard) == 1  # the listing alone


def test_a_link_to_another_host_is_followed_without_the_token(cloud: Cloud, tmp_path: Path) -> None:
    calendar_run(cloud, tmp_path)
    elsewhere = HeardGraph()  # plain http on "localhost": another host than 127.0.0.1
    with elsewhere.running():
        cloud.graph.elsewhere = elsewhere.url.replace("127.0.0.1", "localhost")
        calendar = bootstrap(cloud.config, tmp_path / "out").calendar
        assert isinstance(calendar, OutlookCalendar)
        with pytest.raises(GraphCallFailed, match="HTTP 401"):
            calendar.list_events("aurora-art/")
    [(method, path, authorization)] = elsewhere.heard
    assert method == "GET" and path.endswith("/calendar/events")
    assert authorization is None  # the token stayed with the Graph host it is for
    assert ISSUED not in str(elsewhere.heard)


def test_rte_calendar_prints_a_persons_edit_and_its_dry_run_lists_it(
    cloud: Cloud, tmp_path: Path
) -> None:
    import yaml
    from typer.testing import CliRunner

    from flows.cli import app
    from flows.cli.common import DEMO_CONFIG
    from tests.calendar_builders import DEMO

    data = {**DEMO, "calendar": {**DEMO["calendar"], **_outlook_keys(cloud)}}
    data["jira"] = {**DEMO["jira"], "export_dir": str(DEMO_CONFIG.parent / "jira")}
    data["state_dir"] = str(tmp_path / "state")
    path = tmp_path / "art.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    args = ["calendar", "--config", str(path), "--out", str(tmp_path / "out")]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    key = "aurora-art/pi-2027-1/system-demo/iteration-2"
    [demo] = [e for e in cloud.graph.events(MAILBOX) if key in e.properties.values()]
    cloud.graph.edit_event(demo.id, subject="Demo, moved by Kim")
    dry = " ".join(CliRunner().invoke(app, [*args, "--dry-run"]).output.split())
    assert f"Dry run: drift: {key} changed in Outlook (reported, left as it is)" in dry
    again = " ".join(CliRunner().invoke(app, args).output.split())
    assert "0 created, 0 updated, 0 cancelled, 28 unchanged" in again  # since now: PI 2027.1
    assert "in 0 $batch request(s), 1 request(s) in all" in again
    assert (
        f"Changed in Outlook: {key} changed in Outlook (reported, left as it is): subject:" in again
    )


def _outlook_keys(cloud: Cloud) -> dict[str, Any]:
    calendar = cloud.config.calendar
    return {
        "backend": "outlook",
        "mailbox": MAILBOX,
        "tenant_id": calendar.tenant_id,
        "client_id": calendar.client_id,
        "client_secret": calendar.client_secret,
        "graph_url": calendar.graph_url,
        "authority": calendar.authority,
        "instance_discovery": calendar.instance_discovery,
    }
