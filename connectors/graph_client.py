"""The Microsoft Graph request adapter `rte` talks through.

Production authenticates app-only with client credentials (azure-identity's
`ClientSecretCredential`) in one of Microsoft's clouds (`GraphCloud`): the
global service or a national cloud, each with its own Entra ID host and Graph
root, and a `.default` scope on that root. The token goes to that Graph host
only. Tests sign in the same way against a local Entra fake over https, or
hand the Graph fake a fixed token (`static_token_auth`); either way the
adapter is the SDK's own `GraphRequestAdapter`, pointed at `base_url`.

Retries are the project's one policy (`connectors.http`): the adapter's HTTP
client sends through `AsyncRetryingTransport`, and the SDK's own retry
handler is left out of the middleware so attempts do not multiply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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

from connectors.errors import ConnectorError
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


def static_token_auth(token: str, hosts: list[str]) -> AuthenticationProvider:
    return BaseBearerTokenAuthenticationProvider(StaticTokenProvider(token, hosts))


def client_secret_auth(
    tenant_id: str, client_id: str, client_secret: str, cloud: GraphCloud
) -> AuthenticationProvider:
    """App-only auth for the tenant (the app needs Calendars.ReadWrite and Mail.Send)."""
    from azure.identity import ClientSecretCredential
    from kiota_authentication_azure.azure_identity_authentication_provider import (
        AzureIdentityAuthenticationProvider,
    )

    options = {} if cloud.instance_discovery else {"disable_instance_discovery": True}
    credential = ClientSecretCredential(
        tenant_id, client_id, client_secret, authority=cloud.authority, **options
    )
    return AzureIdentityAuthenticationProvider(
        credential, scopes=[cloud.scope], allowed_hosts=[cloud.graph_host]
    )


def request_adapter(
    auth: AuthenticationProvider,
    *,
    policy: RetryPolicy,
    counter: RequestCounter,
    base_url: str = GRAPH_URL,
) -> GraphRequestAdapter:
    """A fresh adapter on its own HTTP client: SDK middleware, our retry policy underneath."""
    middleware = [
        handler
        for handler in KiotaClientFactory.get_default_middleware(None)
        if not isinstance(handler, RetryHandler)
    ]
    client = httpx.AsyncClient(
        timeout=policy.httpx_timeout(), transport=AsyncRetryingTransport(policy, counter)
    )
    adapter = GraphRequestAdapter(
        auth, client=GraphClientFactory.create_with_custom_middleware(middleware, client=client)
    )
    adapter.base_url = base_url.rstrip("/")
    return adapter


async def graph_call(call: Callable[[], Awaitable[T]], what: str) -> T:
    """`await call()`, with Graph's refusal turned into a `GraphCallFailed` naming `what`."""
    try:
        return await call()
    except APIError as exc:
        raise GraphCallFailed(f"{what}: HTTP {exc.response_status_code}: {reason(exc)}") from None
    except httpx.TransportError as exc:
        raise GraphCallFailed(f"{what}: {type(exc).__name__}, no answer") from None
    except RetriesExhaustedError as exc:  # the shared policy's budget, spent under the SDK
        raise GraphCallFailed(f"{what}: {exc}") from None
    except ClientAuthenticationError as exc:  # Entra refused the app: wrong tenant, id or secret
        first_line = (exc.message or "").splitlines()[0] if exc.message else "refused"
        raise GraphCallFailed(f"{what}: sign-in of the app failed: {first_line}") from None


def reason(exc: APIError) -> str:
    """Graph's error code and message (unlike a request dump, these never hold credentials)."""
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None)
    message = getattr(error, "message", None) or exc.message or type(exc).__name__
    return f"{code}: {message}" if code else str(message)
