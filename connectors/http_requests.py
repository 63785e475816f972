"""The retry policy on requests, the stack of the `jira` library and atlassian-python-api.

Mount `RetryingAdapter` on the library's session (`mount_retrying`) or hand it
`retrying_session()`; urllib3's own retries stay off, so attempts do not
multiply under ours.
"""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter

from connectors.http import RequestCounter, RetryPolicy, Wire, endpoint_of

_REQUESTS = Wire(
    transient=(
        requests.exceptions.ConnectionError,
        requests.exceptions.Timeout,
        requests.exceptions.ChunkedEncodingError,
    ),
    status=lambda response: response.status_code,
    headers=lambda response: response.headers,
    release=lambda response: response.close(),
)


class RetryingAdapter(HTTPAdapter):
    """A requests transport adapter that sends through the policy and counts every attempt.

    It reads the body inside the retry loop (unless the caller streams), so a
    body cut off mid-way is retried like a dropped connection, and it applies
    the policy's timeouts to any request sent without one.
    """

    def __init__(self, policy: RetryPolicy, counter: RequestCounter) -> None:
        super().__init__(max_retries=0)  # urllib3 must not retry underneath us
        self.policy = policy
        self.counter = counter

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        method = request.method or "GET"

        def once() -> requests.Response:
            response = HTTPAdapter.send(
                self,
                request,
                stream=stream,
                timeout=timeout or self.policy.timeout,
                verify=verify,
                cert=cert,
                proxies=proxies,
            )
            if not stream:
                try:
                    _ = response.content
                except BaseException:
                    response.close()
                    raise
            return response

        return self.policy.run(
            method, endpoint_of(method, request.url or ""), once, _REQUESTS, self.counter
        )


def mount_retrying(
    session: requests.Session, policy: RetryPolicy, counter: RequestCounter
) -> requests.Session:
    """Make every request of `session` go through the policy and the counter."""
    adapter = RetryingAdapter(policy, counter)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def retrying_session(policy: RetryPolicy, counter: RequestCounter) -> requests.Session:
    """A plain requests Session with the policy mounted (for atlassian-python-api's `session=`)."""
    return mount_retrying(requests.Session(), policy, counter)
