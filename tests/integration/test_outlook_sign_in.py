"""The Entra sign-in for real: azure-identity's client-credentials flow against a local
Entra fake over https, its token then accepted by the Graph fake.

The production path of `GraphApp.client_secret` under the calendar and the mailer, with a
private cloud standing in for Microsoft's: the tenant's OpenID configuration, the secret
posted to its token endpoint, the `.default` scope on the Graph root, the bearer token
sent to Graph. And when the sign-in service quotes the posted form back, the secret in
it reaches no message and no log line.
"""

from __future__ import annotations

import logging
import traceback
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from art.config import CalendarConfig
from connectors.graph_client import GRAPH_CLOUDS, GraphApp, GraphCallFailed, GraphCloud
from connectors.outlook import OutlookCalendar
from connectors.outlook_mail import OutlookMailer
from tests.cloud_builders import CLIENT, TENANT, entra_for
from tests.fakes.entra import FakeEntra
from tests.fakes.graph import GraphFake
from tests.integration.outlook_fixtures import MAILBOX

SECRET = "Xy7~app-secret-9Q"


@pytest.fixture
def clouds(tmp_path: Path) -> Iterator[tuple[FakeEntra, GraphFake]]:
    graph = GraphFake(mailboxes=(MAILBOX,))
    with graph.running(), entra_for(graph, tmp_path, secret=SECRET) as entra:
        yield entra, graph


def private_cloud(entra: FakeEntra, graph: GraphFake) -> GraphCloud:
    return GraphCloud(
        authority=entra.url.removeprefix("https://"),
        graph_url=f"{graph.url}/v1.0",
        instance_discovery=False,  # Entra's discovery knows only Microsoft's clouds
    )


def app(entra: FakeEntra, graph: GraphFake, secret: str) -> GraphApp:
    return GraphApp.client_secret(
        tenant_id=TENANT, client_id=CLIENT, client_secret=secret, cloud=private_cloud(entra, graph)
    )


def calendar(entra: FakeEntra, graph: GraphFake, secret: str = SECRET) -> OutlookCalendar:
    return OutlookCalendar(app=app(entra, graph, secret), mailbox=MAILBOX, tz="Europe/Berlin")


def mailer(entra: FakeEntra, graph: GraphFake, secret: str = SECRET) -> OutlookMailer:
    return OutlookMailer(app=app(entra, graph, secret), mailbox=MAILBOX)


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


def test_the_mail_signs_in_as_the_same_app(clouds) -> None:
    entra, graph = clouds
    mailer(entra, graph).send_mail(["rte@example.com"], "ART health", "<p>ok</p>")
    [sign_in] = entra.sign_ins
    assert (sign_in["client_id"], sign_in["client_secret"]) == (CLIENT, SECRET)
    assert [mail["subject"] for mail in graph.sent_mail] == ["ART health"]


# '+', '/' and '=' travel percent-encoded in the posted form, '~' as it is
QUOTED_SECRET = "Zq8+app/secret=quoted~back"


def list_events(entra: FakeEntra, graph: GraphFake) -> None:
    calendar(entra, graph, secret=QUOTED_SECRET).list_events("aurora-art/")


def send_mail(entra: FakeEntra, graph: GraphFake) -> None:
    mailer(entra, graph, secret=QUOTED_SECRET).send_mail(["rte@example.com"], "S", "<p>x</p>")


@pytest.mark.parametrize(("use", "call"), [(list_events, "list events"), (send_mail, "sendMail")])
def test_a_sign_in_answer_quoting_the_posted_form_leaks_no_secret(
    clouds, caplog: pytest.LogCaptureFixture, use: Callable[..., None], call: str
) -> None:
    entra, graph = clouds
    entra.echo_requests = True
    with caplog.at_level(logging.DEBUG), pytest.raises(GraphCallFailed) as caught:
        use(entra, graph)
    [posted] = entra.sign_ins  # the secret went out, and came back quoted in the answer
    assert posted["client_secret"] == QUOTED_SECRET
    message = str(caught.value)
    assert message.startswith(
        f"Microsoft Graph, mailbox {MAILBOX}: sign-in of the app failed before {call}: "
    )
    assert "AADSTS900144" in message and "client_secret=***&" in message
    assert "check calendar.tenant_id, calendar.client_id and calendar.client_secret" in message
    logged = [record.getMessage() for record in caplog.records]
    assert any("AADSTS900144" in line for line in logged)  # azure-identity logged it, masked
    texts = [
        message,
        repr(caught.value),
        "".join(traceback.format_exception(caught.value)),
        caplog.text,  # with the tracebacks azure-identity logs at DEBUG
        *logged,
    ]
    for form in {QUOTED_SECRET, quote_plus(QUOTED_SECRET), quote(QUOTED_SECRET, safe="")}:
        assert not [text for text in texts if form in text], form
    assert graph.count() == 0


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
