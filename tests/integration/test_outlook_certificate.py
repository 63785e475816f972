"""The Entra app signs in with a certificate instead of a secret (`calendar.client_certificate`).

azure-identity's `CertificateCredential` posts a client assertion signed with the
app's RSA key; the Entra fake checks it as Entra documents it (thumbprint, audience,
issuer, signature) and issues the token the Graph fake accepts. The PEM is given as
a value or as a file's path, through `bootstrap`, and never reaches a message or a log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.graph_client import GraphCallFailed
from connectors.outlook import OutlookCalendar
from flows.steps.bootstrap import bootstrap
from tests.calendar_builders import demo_config
from tests.cloud_builders import CLIENT, TENANT, entra_for, private_cloud
from tests.fakes.entra import JWT_BEARER, FakeEntra
from tests.fakes.graph import GraphFake
from tests.fakes.tls import app_certificate
from tests.integration.outlook_fixtures import MAILBOX


@pytest.fixture
def clouds(tmp_path: Path) -> Iterator[tuple[FakeEntra, GraphFake]]:
    graph = GraphFake(mailboxes=(MAILBOX,))
    with graph.running(), entra_for(graph, tmp_path, secret="not-used") as entra:
        yield entra, graph


def calendar(entra: FakeEntra, graph: GraphFake, tmp_path: Path, reference: str) -> OutlookCalendar:
    config = demo_config(
        backend="outlook",
        mailbox=MAILBOX,
        tenant_id="env:RTE_CERT_TENANT",
        client_id="env:RTE_CERT_CLIENT",
        client_certificate=reference,
        **private_cloud(entra, graph),
    )
    target = bootstrap(config, tmp_path / "out").calendar
    assert isinstance(target, OutlookCalendar)
    return target


@pytest.fixture(autouse=True)
def app_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTE_CERT_TENANT", TENANT)
    monkeypatch.setenv("RTE_CERT_CLIENT", CLIENT)


@pytest.mark.parametrize("given", ["value", "path"])
def test_the_app_signs_in_with_its_certificate_and_no_secret_is_sent(
    clouds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    entra, graph = clouds
    pem, entra.certificate = app_certificate()
    if given == "path":
        (tmp_path / "app.pem").write_bytes(pem)
        monkeypatch.setenv("RTE_CERT", str(tmp_path / "app.pem"))
    else:
        monkeypatch.setenv("RTE_CERT", pem.decode())
    assert calendar(entra, graph, tmp_path, "env:RTE_CERT").list_events("aurora-art/") == ()
    [sign_in] = entra.sign_ins
    assert sign_in["client_assertion_type"] == JWT_BEARER and "client_secret" not in sign_in
    assert sign_in["client_id"] == CLIENT and graph.count() == 1  # Graph took the token


def test_a_certificate_entra_does_not_know_is_refused_without_the_key_in_any_text(
    clouds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    entra, graph = clouds
    _, entra.certificate = app_certificate()
    other, _ = app_certificate()  # a key of its own, not the registered one
    monkeypatch.setenv("RTE_CERT", other.decode())
    with caplog.at_level(logging.DEBUG), pytest.raises(GraphCallFailed) as caught:
        calendar(entra, graph, tmp_path, "env:RTE_CERT").list_events("aurora-art/")
    message = str(caught.value)
    assert "AADSTS700027" in message and "calendar.client_certificate" in message
    key_lines = [line for line in other.decode().splitlines() if not line.startswith("-")]
    for text in (message, caplog.text):
        assert not [line for line in key_lines if line in text]
    assert graph.count() == 0
