"""The Entra sign-in for real: azure-identity's client-credentials flow against a local
Entra fake over https, its token then accepted by the Graph fake.

The production path of `OutlookCalendar.for_app`, with a private cloud standing in
for Microsoft's: the tenant's OpenID configuration, the secret posted to its token
endpoint, the `.default` scope on the Graph root, the bearer token sent to Graph.
"""

from __future__ import annotations

import logging
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from art.config import CalendarConfig
from connectors.graph_client import GRAPH_CLOUDS, GraphCallFailed, GraphCloud
from connectors.outlook import OutlookCalendar
from tests.fakes.entra import FakeEntra
from tests.fakes.graph import GraphFake
from tests.fakes.tls import local_certificate
from tests.integration.outlook_fixtures import MAILBOX

TENANT = "5f0c8e2a-1b3d-4c6e-9a7b-2d4f6e8a0c1e"
CLIENT = "c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8"
SECRET = "Xy7~app-secret-9Q"
ISSUED = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.issued-by-the-fake."


@pytest.fixture
def clouds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeEntra, GraphFake]]:
    certificate = local_certificate(tmp_path / "tls")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate.ca_file))  # azure-core trusts it
    graph = GraphFake(mailboxes=(MAILBOX,), token=ISSUED)
    with graph.running():
        entra = FakeEntra(
            tenant_id=TENANT,
            client_id=CLIENT,
            client_secret=SECRET,
            scope=f"{graph.url}/.default",
            token=ISSUED,
            tls=certificate.context,
        )
        with entra.running():
            yield entra, graph


def private_cloud(entra: FakeEntra, graph: GraphFake) -> GraphCloud:
    return GraphCloud(
        authority=entra.url.removeprefix("https://"),
        graph_url=f"{graph.url}/v1.0",
        instance_discovery=False,  # Entra's discovery knows only Microsoft's clouds
    )


def calendar(entra: FakeEntra, graph: GraphFake, secret: str = SECRET) -> OutlookCalendar:
    return OutlookCalendar.for_app(
        tenant_id=TENANT,
        client_id=CLIENT,
        client_secret=secret,
        mailbox=MAILBOX,
        tz="Europe/Berlin",
        cloud=private_cloud(entra, graph),
    )


def test_the_app_signs_in_with_its_secret_and_graph_gets_the_issued_token(clouds) -> None:
    entra, graph = clouds
    assert calendar(entra, graph).list_events("aurora-art/") == ()
    [sign_in] = entra.sign_ins
    assert sign_in["grant_type"] == "client_credentials"
    assert (sign_in["client_id"], sign_in["client_secret"]) == (CLIENT, SECRET)
    assert f"{graph.url}/.default" in sign_in["scope"].split()
    # the Graph fake answers only `Bearer ISSUED`: the listing above got through with it
    assert graph.count() >= 1


def test_a_refused_secret_says_so_without_the_secret(
    clouds, caplog: pytest.LogCaptureFixture
) -> None:
    entra, graph = clouds
    with caplog.at_level(logging.DEBUG), pytest.raises(GraphCallFailed) as caught:
        calendar(entra, graph, secret="an-old-secret-value").list_events("aurora-art/")
    message = str(caught.value)
    assert "sign-in of the app failed" in message and "AADSTS7000215" in message
    assert "an-old-secret-value" not in message and SECRET not in message
    assert graph.count() == 0  # nothing reached Graph without a token
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert entra.sign_ins and "an-old-secret-value" not in logged  # azure-identity's DEBUG logs too


def test_each_named_cloud_signs_in_at_its_own_host_for_its_own_graph() -> None:
    assert set(GRAPH_CLOUDS) == set(
        typing.get_args(CalendarConfig.model_fields["cloud"].annotation)
    )
    assert GRAPH_CLOUDS["global"].scope == "https://graph.microsoft.com/.default"
    us = GRAPH_CLOUDS["us-government"]
    assert (us.authority, us.scope) == (
        "login.microsoftonline.us",
        "https://graph.microsoft.us/.default",
    )
    china = GRAPH_CLOUDS["china"]
    assert china.graph_host == "microsoftgraph.chinacloudapi.cn"
    assert china.authority == "login.chinacloudapi.cn"
