"""The one retry policy, over real sockets: requests (jira, Confluence) and httpx (Graph)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from connectors.http import (
    RequestCounter,
    RetriesExhaustedError,
    RetryPolicy,
    endpoint_of,
    retry_after_seconds,
)
from connectors.http_httpx import AsyncRetryingTransport, RetryingTransport
from connectors.http_requests import retrying_session
from tests.fake_clock import FakeClock
from tests.fakes.server import FakeServer, Fault, Response
from tests.integration.jira_fixtures import FAST as JIRA_FAST

FAST = replace(JIRA_FAST, connect_timeout=1, read_timeout=0.5)  # slow answers time out fast


@pytest.fixture(scope="module")
def running() -> Iterator[FakeServer]:
    fake = FakeServer()
    fake.route(
        "GET",
        "/items/{item}",
        lambda request, item: Response(200, {"item": item, "pad": "x" * 200}),
    )
    fake.route("POST", "/items", lambda request: Response(201, request.json()))
    fake.route("GET", "/missing", lambda request: Response(404, {"errorMessages": ["no"]}))
    fake.route("PUT", "/echo", lambda request: fake.seen.append(request) or Response(200, {}))
    with fake.running():
        yield fake


@pytest.fixture
def server(running: FakeServer) -> Iterator[FakeServer]:
    """One socket for the module (stopping one costs half a second); a clean slate per test."""
    running.seen = []  # type: ignore[attr-defined]
    yield running
    running.clear_faults()
    running.reset_log()


def session(policy: RetryPolicy = FAST) -> tuple[requests.Session, RequestCounter]:
    counter = RequestCounter()
    return retrying_session(policy, counter), counter


def test_429_with_retry_after_seconds_is_waited_out_and_counted(server: FakeServer) -> None:
    server.inject(Fault("status", path="/items", status=429, retry_after="1", times=2))
    http, counter = session()
    answer = http.get(f"{server.url}/items/7")
    assert answer.json()["item"] == "7"
    assert server.count("GET /items/{item}") == 3  # one layer: two retries, not more
    assert counter.rows() == [("GET /items/{id}", 3, 2)]


def test_an_http_date_retry_after_is_honoured_not_a_crash(server: FakeServer) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    server.inject(Fault("status", path="/items", status=503, retry_after=later, times=1))
    http, _ = session()
    assert http.get(f"{server.url}/items/1").status_code == 200


def test_a_storm_longer_than_the_attempts_ends_in_a_clear_error(server: FakeServer) -> None:
    server.inject(Fault("status", path="/items", status=429, retry_after="0", times=None))
    http, counter = session()
    with pytest.raises(RetriesExhaustedError) as raised:
        http.get(f"{server.url}/items/1")
    assert str(raised.value).startswith("GET /items/{id}: gave up after 4 attempt(s)")
    assert "HTTP 429" in str(raised.value)
    assert server.count() == FAST.attempts == counter.total


def test_the_time_budget_stops_before_a_wait_that_would_pass_it(server: FakeServer) -> None:
    server.inject(Fault("status", path="/items", status=429, retry_after="30", times=None))
    clock = FakeClock()
    http, _ = session(RetryPolicy(attempts=10, total_seconds=1, max_wait=30, clock=clock))
    with pytest.raises(RetriesExhaustedError, match=r"HTTP 429 \(Retry-After: 30 s\)$"):
        http.get(f"{server.url}/items/1")
    assert clock.waits == []  # not a second of the 30 asked for was waited
    assert server.count() == 1


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "drop", "times": 2},
        {"kind": "truncate", "times": 2},
        {"kind": "delay", "seconds": 0.8},  # longer than the read timeout
        {"kind": "status", "status": 502, "times": 2},
    ],
    ids=["dropped", "truncated", "slow", "bad-gateway"],
)
def test_transport_failures_are_retried_until_a_whole_answer_arrives(
    server: FakeServer, fault: dict[str, Any]
) -> None:
    server.inject(Fault(path="/items", **fault))
    http, counter = session()
    assert http.get(f"{server.url}/items/42").json()["pad"] == "x" * 200
    assert counter.retries["GET /items/{id}"] >= 1


def test_final_answers_are_returned_as_they_are(server: FakeServer) -> None:
    http, counter = session()
    assert http.get(f"{server.url}/missing").status_code == 404
    assert counter.total == 1


def test_unsafe_methods_repeat_only_what_the_server_did_not_process(server: FakeServer) -> None:
    careful = RetryPolicy(attempts=3, max_wait=0.01, retry_unsafe_methods=False)
    server.inject(Fault("status", path="/items", method="POST", status=429, retry_after="0"))
    http, _ = session(careful)
    assert http.post(f"{server.url}/items", json={"a": 1}).status_code == 201
    server.inject(Fault("drop", path="/items", method="POST"))
    with pytest.raises(requests.ConnectionError):
        http.post(f"{server.url}/items", json={"a": 2})
    assert server.count("POST /items") == 3


def test_httpx_transport_retries_and_counts(server: FakeServer) -> None:
    server.inject(Fault("status", path="/items", status=503, times=2))
    counter = RequestCounter()
    with httpx.Client(transport=RetryingTransport(FAST, counter)) as client:
        assert client.get(f"{server.url}/items/9").json()["item"] == "9"
    assert counter.rows() == [("GET /items/{id}", 3, 2)]


def test_async_httpx_transport_retries_429_and_gives_up_clearly(server: FakeServer) -> None:
    counter = RequestCounter()

    async def fetch(path: str) -> httpx.Response:
        transport = AsyncRetryingTransport(FAST, counter)
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.post(f"{server.url}{path}", json={"b": 2})

    server.inject(Fault("status", path="/items", status=429, retry_after="1", times=1))
    assert asyncio.run(fetch("/items")).json() == {"b": 2}
    server.inject(Fault("drop", path="/items", times=None))
    dropped = r"last answer: (ReadError|RemoteProtocolError)"
    with pytest.raises(RetriesExhaustedError, match=dropped):
        asyncio.run(fetch("/items"))


def test_no_request_goes_out_without_a_timeout(server: FakeServer) -> None:
    server.inject(Fault("delay", path="/items", seconds=3, times=None))
    http, _ = session(RetryPolicy(attempts=1, read_timeout=0.2))
    # The fake answers after 3 s: a ReadTimeout instead of that answer is the policy's timeout.
    with pytest.raises(RetriesExhaustedError, match=r"after 1 attempt.*ReadTimeout"):
        http.get(f"{server.url}/items/1")


def test_a_retried_request_is_sent_again_whole(server: FakeServer) -> None:
    server.inject(Fault("drop", path="/echo", times=1))
    http, _ = session()
    http.put(f"{server.url}/echo", data=b"payload")
    # the fake answered the first, then dropped the connection: the answer was lost
    assert [request.body for request in server.seen] == [b"payload", b"payload"]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------
# Laws


@given(st.integers(min_value=0, max_value=10**6))
def test_retry_after_in_seconds_is_read_as_seconds(seconds: int) -> None:
    assert retry_after_seconds({"retry-after": str(seconds)}) == seconds


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_retry_after_as_a_date_is_the_time_until_it(offset: int) -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=offset), usegmt=True)
    assert retry_after_seconds({"Retry-After": header}, now) == max(0, offset)


@given(st.text(max_size=40))
def test_a_retry_after_that_is_neither_is_ignored_never_a_crash(value: str) -> None:
    waited = retry_after_seconds({"Retry-After": value})
    assert waited is None or waited >= 0


@given(
    st.integers(min_value=1, max_value=50),
    st.none() | st.floats(min_value=0, max_value=10**6),
    st.floats(min_value=0, max_value=1),
)
def test_a_wait_is_never_negative_nor_longer_than_max_wait(
    attempt: int, retry_after: float | None, jitter: float
) -> None:
    policy = RetryPolicy(max_wait=20, backoff_max=5, jitter=lambda: jitter)
    wait = policy.wait_seconds(attempt, retry_after)
    assert 0 <= wait <= 20
    if retry_after is None:
        assert wait <= 5
    else:
        assert wait == min(retry_after, 20)


@pytest.mark.parametrize(
    ("url", "endpoint"),
    [
        ("https://x.atlassian.net/rest/api/3/search/jql?jql=a", "GET /rest/api/3/search/jql"),
        ("https://x/rest/api/2/issue/AUR-17?expand=changelog", "GET /rest/api/2/issue/{id}"),
        (
            "https://x/rest/agile/1.0/board/12/configuration",
            "GET /rest/agile/1.0/board/{id}/configuration",
        ),
        ("https://g/v1.0/users/rte@example.com/events", "GET /v1.0/users/{id}/events"),
        ("https://x/wiki/api/v2/pages/98304", "GET /wiki/api/v2/pages/{id}"),
    ],
)
def test_endpoints_fold_what_varies(url: str, endpoint: str) -> None:
    assert endpoint_of("get", url) == endpoint
