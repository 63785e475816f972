"""The Microsoft Graph request adapter `rte` talks through.

Production authenticates app-only with client credentials (azure-identity's
`ClientSecretCredential`, or `CertificateCredential`, which signs a client
assertion with the app's certificate instead of sending a secret) in one of
Microsoft's clouds (`GraphCloud`): the
global service or a national cloud, each with its own Entra ID host and Graph
root, and a `.default` scope on that root. The token goes to that Graph host
only. Tests sign in the same way against a local Entra fake over https, or
hand the Graph fake a fixed token (`GraphApp.static_token`); either way the
adapter is the SDK's own `GraphRequestAdapter`, pointed at `base_url`, on an
httpx client that `graph_session` creates and closes itself.

Retries are the project's one policy (`connectors.http`): the adapter's HTTP
client sends through `AsyncRetryingTransport`, and the SDK's own retry
handler is left out of the middleware so attempts do not multiply.

`GraphApp` is what a mailbox's calendar and mail share: the sign-in, the
service root and a `Scrubber` that knows the tenant's secrets. Every message
on the Graph path is worded by `graph_errors` and scrubbed with it, and the
scrubber also guards the process's log records (`scrub_logs`), because
azure-identity logs a refused sign-in's text, which a service that quotes the
posted form back fills with the client secret.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from azure.core.exceptions import ClientAuthenticationError
from kiota_abstractions.api_error import APIError
from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    AuthenticationProvider,
    BaseBearerTokenAuthenticationProvider,
)
from kiota_http.kiota_client_factory import KiotaClientFactory
from kiota_http.middleware import RetryHandler
from msgraph import GraphRequestAdapter
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph_core import GraphClientFactory

from connectors.errors import ConnectorError, Scrubber, ServiceErrors, scrub_logs
from connectors.http import RequestCounter, RetriesExhaustedError, RetryPolicy
from connectors.http_httpx import AsyncRetryingTransport


@dataclass(frozen=True)
class GraphCloud:
    """Where an Entra app signs in, and the Graph service root its token is for."""

    authority: str  # the Entra ID host (azure-identity's `authority`)
    graph_url: str  # the Graph service root, with the API version
    instance_discovery: bool = True  # off only for a private cloud that Entra does not know

    @property
    def graph_host(self) -> str:
        return urlsplit(self.graph_url).hostname or ""

    @property
    def scope(self) -> str:
        """The app's `.default` scope: on the Graph root of this cloud, as national clouds need."""
        parts = urlsplit(self.graph_url)
        return f"{parts.scheme}://{parts.netloc}/.default"


# The clouds' endpoints as Microsoft's national-cloud deployment tables list them.
GRAPH_CLOUDS = {
    "global": GraphCloud("login.microsoftonline.com", "https://graph.microsoft.com/v1.0"),
    "us-government": GraphCloud("login.microsoftonline.us", "https://graph.microsoft.us/v1.0"),
    "us-government-dod": GraphCloud(
        "login.microsoftonline.us", "https://dod-graph.microsoft.us/v1.0"
    ),
    "china": GraphCloud("login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/v1.0"),
}
GRAPH_URL = GRAPH_CLOUDS["global"].graph_url
# Graph's error body is an ODataError whatever the status: the SDK then raises it with
# Graph's code and message (for raw sends, which have no generated error mapping).
ERRORS: dict[str, Any] = {"XXX": ODataError}

T = TypeVar("T")


class GraphCallFailed(ConnectorError):
    """Graph refused a call; the message holds Graph's error code and text, never a secret."""


class StaticTokenProvider(AccessTokenProvider):
    """Hands out one fixed bearer token, only to the allowed hosts (tests against the fake)."""

    def __init__(self, token: str, hosts: list[str]) -> None:
        self._token = token
        self._hosts = AllowedHostsValidator(hosts)

    async def get_authorization_token(
        self, uri: str, additional_authentication_context: dict[str, Any] | None = None
    ) -> str:
        return self._token if self._hosts.is_url_host_valid(uri) else ""

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return self._hosts


@dataclass(frozen=True)
class GraphApp:
    """How rte reaches one tenant's Graph: the app's sign-in, the service root, and the
    secret values that no message or log line may hold."""

    auth: AuthenticationProvider = field(repr=False)
    base_url: str = GRAPH_URL
    scrub: Scrubber = field(default_factory=Scrubber)

    @classmethod
    def client_secret(
        cls, *, tenant_id: str, client_id: str, client_secret: str, cloud: GraphCloud
    ) -> GraphApp:
        """App-only sign-in with client credentials (the app needs Calendars.ReadWrite and
        Mail.Send) in `cloud`; the tenant id and client id are masked with the secret, as the
        config keeps all three as secrets."""
        from azure.identity import ClientSecretCredential

        scrub = Scrubber([tenant_id, client_id, client_secret])
        scrub_logs(scrub)
        credential = ClientSecretCredential(
            tenant_id, client_id, client_secret, authority=cloud.authority, **_options(cloud)
        )
        return cls(_provider(credential, cloud), cloud.graph_url, scrub)

    @classmethod
    def certificate(
        cls, *, tenant_id: str, client_id: str, certificate: str, cloud: GraphCloud
    ) -> GraphApp:
        """App-only sign-in with the app's certificate: `certificate` is a PEM holding the RSA
        private key and the certificate, or the path of such a file. Nothing secret is sent:
        azure-identity signs a client assertion with the key. The PEM is masked like a secret.
        """
        from azure.identity import CertificateCredential

        pem = certificate.strip()
        scrub = Scrubber([tenant_id, client_id, pem, *_pem_lines(pem)])
        scrub_logs(scrub)
        source = (
            {"certificate_data": pem.encode()}
            if pem.startswith("-----BEGIN")
            else {"certificate_path": pem}
        )
        credential = CertificateCredential(
            tenant_id, client_id, authority=cloud.authority, **source, **_options(cloud)
        )
        return cls(_provider(credential, cloud), cloud.graph_url, scrub)

    @classmethod
    def static_token(cls, token: str, base_url: str) -> GraphApp:
        """A fixed bearer token for the host of `base_url` (tests against the Graph fake)."""
        host = urlsplit(base_url).hostname or ""
        auth = BaseBearerTokenAuthenticationProvider(StaticTokenProvider(token, [host]))
        return cls(auth, base_url.rstrip("/"), Scrubber([token]))


def _options(cloud: GraphCloud) -> dict[str, Any]:
    return {} if cloud.instance_discovery else {"disable_instance_discovery": True}


def _provider(credential: Any, cloud: GraphCloud) -> AuthenticationProvider:
    """The credential's tokens, for the cloud's `.default` scope, sent to its Graph host only."""
    from kiota_authentication_azure.azure_identity_authentication_provider import (
        AzureIdentityAuthenticationProvider,
    )

    return AzureIdentityAuthenticationProvider(
        credential, scopes=[cloud.scope], allowed_hosts=[cloud.graph_host]
    )


def _pem_lines(pem: str) -> list[str]:
    """The base64 lines of a PEM's blocks, each masked too (a log may quote one)."""
    return [line for line in pem.splitlines() if len(line) >= 32 and not line.startswith("-")]


def graph_errors(app: GraphApp, mailbox: str) -> ServiceErrors:
    """How the Graph path words a failure about `mailbox`, scrubbed of the app's secrets."""
    return ServiceErrors(
        where=f"Microsoft Graph, mailbox {mailbox}",
        credentials=(
            "calendar.tenant_id, calendar.client_id and calendar.client_secret (a client secret "
            "expires) or calendar.client_certificate, and calendar.cloud"
        ),
        permissions=(
            "the app needs the application permissions Calendars.ReadWrite and Mail.Send with "
            f"admin consent, and no application access policy that keeps it from {mailbox}"
        ),
        not_found=(
            "check calendar.mailbox (a user, shared or resource mailbox of the tenant) and "
            "calendar.calendar_id"
        ),
        scrub=app.scrub,
    )


@asynccontextmanager
async def graph_session(
    app: GraphApp, *, policy: RetryPolicy, counter: RequestCounter
) -> AsyncIterator[GraphRequestAdapter]:
    """A fresh adapter on an HTTP client of its own (SDK middleware, our retry policy
    underneath), and that client closed afterwards."""
    middleware = [
        handler
        for handler in KiotaClientFactory.get_default_middleware(None)
        if not isinstance(handler, RetryHandler)
    ]
    client = httpx.AsyncClient(
        timeout=policy.httpx_timeout(), transport=AsyncRetryingTransport(policy, counter)
    )
    try:
        adapter = GraphRequestAdapter(
            app.auth,
            client=GraphClientFactory.create_with_custom_middleware(middleware, client=client),
        )
        adapter.base_url = app.base_url.rstrip("/")
        yield adapter
    finally:
        await client.aclose()


async def graph_call(call: Callable[[], Awaitable[T]], what: str, errors: ServiceErrors) -> T:
    """`await call()`, with any failure turned into a `GraphCallFailed` naming `what`."""
    try:
        return await call()
    except APIError as exc:
        raise GraphCallFailed(errors.refused(what, exc.response_status_code, reason(exc))) from None
    except (httpx.TransportError, RetriesExhaustedError) as exc:
        raise GraphCallFailed(errors.unreachable(what, exc)) from None
    except ClientAuthenticationError as exc:  # Entra refused the app: wrong tenant, id or secret
        first_line = (exc.message or "").strip().splitlines()[:1]
        raise GraphCallFailed(errors.sign_in_failed(what, "".join(first_line))) from None


def reason(exc: APIError) -> str:
    """Graph's error code and message."""
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None)
    message = getattr(error, "message", None) or exc.message or type(exc).__name__
    return f"{code}: {message}" if code else str(message)
