"""The fake server's own promises: routing, request log, and each kind of fault."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.fakes.server import FakeServer, Fault, Request, Response


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    server = FakeServer()
    server.route("GET", "/things/{name}", lambda request, name: Response(200, {"name": name}))
    server.route("POST", "/echo", lambda request: Response(201, request.json()))
    with server.running():
        yield server


def test_routes_answer_with_path_parameters_and_are_logged(fake: FakeServer) -> None:
    assert requests.get(f"{fake.url}/things/abc", timeout=5).json() == {"name": "abc"}
    assert requests.post(f"{fake.url}/echo", json={"a": 1}, timeout=5).json() == {"a": 1}
    assert requests.get(f"{fake.url}/nowhere", timeout=5).status_code == 404
    assert fake.count("GET /things/{name}") == 1
    assert fake.count("POST /echo") == 1
    assert fake.count() == 3


def test_a_status_fault_fires_the_given_number_of_times(fake: FakeServer) -> None:
    fake.inject(Fault("status", path="/things", status=429, retry_after="2", times=2))
    answers = [requests.get(f"{fake.url}/things/x", timeout=5) for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "2"


def test_a_dropped_connection_is_a_connection_error(fake: FakeServer) -> None:
    fake.inject(Fault("drop", path="/things"))
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{fake.url}/things/x", timeout=5)
    assert requests.get(f"{fake.url}/things/x", timeout=5).status_code == 200


def test_a_truncated_body_cannot_be_read_whole(fake: FakeServer) -> None:
    fake.inject(Fault("truncate", path="/things"))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(f"{fake.url}/things/a-long-enough-name", timeout=5).json()


def test_faults_match_only_their_method_and_path(fake: FakeServer) -> None:
    fake.inject(Fault("status", path="/echo", method="POST", status=503, times=None))
    assert requests.get(f"{fake.url}/things/x", timeout=5).status_code == 200
    assert requests.post(f"{fake.url}/echo", json={}, timeout=5).status_code == 503


def test_a_rate_fault_is_seeded_and_so_repeatable() -> None:
    def statuses() -> list[int]:
        server = FakeServer(seed=7)
        server.route("GET", "/x", lambda request: Response(200, {}))
        server.inject(Fault("status", path="/x", status=500, times=None, rate=0.5))
        with server.running():
            return [requests.get(f"{server.url}/x", timeout=5).status_code for _ in range(20)]

    first = statuses()
    assert first == statuses()
    assert 0 < first.count(500) < 20


def test_requests_are_unaffected_by_the_handler_signature(fake: FakeServer) -> None:
    seen: list[Request] = []
    fake.route("GET", "/seen", lambda request: seen.append(request) or Response(204))
    requests.get(f"{fake.url}/seen?a=1&a=2&b=", timeout=5)
    assert seen[0].query == {"a": ["1", "2"], "b": [""]}
