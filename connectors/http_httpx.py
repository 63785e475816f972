"""The retry policy on httpx, the stack of msgraph-sdk.

Wrap the client's transport in `RetryingTransport` or `AsyncRetryingTransport`
and switch off the SDK's own retry handler, so one policy decides.
"""

from __future__ import annotations

import os
import ssl
from functools import cache

import httpx

from connectors.http import RequestCounter, RetryPolicy, Wire, endpoint_of


def _tls_context() -> ssl.SSLContext:
    """The default TLS context, built once per trust setting: reading the CA bundle costs
    ~20 ms a client, and the Graph connector opens a client per call. A private cloud's Graph
    is trusted through `SSL_CERT_FILE` or `SSL_CERT_DIR`, read each time, as httpx does."""
    return _tls_context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@cache
def _tls_context_for(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context()  # reads the same two variables


_HTTPX = Wire(
    transient=(httpx.TransportError,),
    status=lambda response: response.status_code,
    headers=lambda response: response.headers,
    release=lambda response: response.close(),
)
_HTTPX_ASYNC = Wire(
    transient=(httpx.TransportError,),
    status=lambda response: response.status_code,
    headers=lambda response: response.headers,
    release=lambda response: None,  # read in full already; aclose needs an await
)


class RetryingTransport(httpx.BaseTransport):
    """An httpx transport that sends through the policy; the body is read inside the loop."""

    def __init__(
        self, policy: RetryPolicy, counter: RequestCounter, inner: httpx.BaseTransport | None = None
    ) -> None:
        self.policy = policy
        self.counter = counter
        self.inner = inner or httpx.HTTPTransport(verify=_tls_context())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # a streamed body could not be sent twice

        def once() -> httpx.Response:
            response = self.inner.handle_request(request)
            try:
                response.read()
            except BaseException:
                response.close()
                raise
            return response

        endpoint = endpoint_of(request.method, str(request.url))
        return self.policy.run(request.method, endpoint, once, _HTTPX, self.counter)

    def close(self) -> None:
        self.inner.close()


class AsyncRetryingTransport(httpx.AsyncBaseTransport):
    """`RetryingTransport` for httpx.AsyncClient (msgraph-sdk)."""

    def __init__(
        self,
        policy: RetryPolicy,
        counter: RequestCounter,
        inner: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.policy = policy
        self.counter = counter
        self.inner = inner or httpx.AsyncHTTPTransport(verify=_tls_context())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()

        async def once() -> httpx.Response:
            response = await self.inner.handle_async_request(request)
            try:
                await response.aread()
            except BaseException:
                await response.aclose()
                raise
            return response

        endpoint = endpoint_of(request.method, str(request.url))
        return await self.policy.run_async(
            request.method, endpoint, once, _HTTPX_ASYNC, self.counter
        )

    async def aclose(self) -> None:
        await self.inner.aclose()
