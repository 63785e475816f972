"""The fake server's own promises: routing, request log, each kind of fault, and that a
bug in a fake is told apart from a fault and fails the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.fakes.server import (
    FakeServer,
    Fault,
    NoAnswer,
    Request,
    Response,
    check_handler_errors,
)


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


def broken(request: Request) -> Response:
    return Response(200, {"ratio": 1 / len(request.query)})  # no query: ZeroDivisionError


def silent(request: Request) -> Response:
    raise NoAnswer


def test_a_handler_that_raises_answers_500_and_fails_the_stop() -> None:
    server = FakeServer()
    server.route("GET", "/broken", broken)
    server.start()
    answer = requests.get(f"{server.url}/broken", timeout=5)
    assert answer.status_code == 500
    assert "fake bug: ZeroDivisionError" in answer.json()["errorMessages"][0]
    assert [error.path for error in server.handler_errors] == ["/broken"]
    assert isinstance(server.handler_errors[0].exception, ZeroDivisionError)
    assert "in broken" in server.handler_errors[0].traceback
    with pytest.raises(
        AssertionError,
        match=r"(?s)FakeServer raised in its own code on 1 .*"
        r"GET /broken:.*ZeroDivisionError",
    ):
        server.stop()


def test_running_fails_on_exit_when_a_handler_raised() -> None:
    server = FakeServer()
    server.route("GET", "/broken", broken)
    with pytest.raises(AssertionError, match="GET /broken"), server.running():
        assert requests.get(f"{server.url}/broken", timeout=5).status_code == 500


def test_a_body_that_cannot_be_sent_is_a_fake_bug_too() -> None:
    server = FakeServer()
    server.route("GET", "/set", lambda request: Response(200, {"ids": {1, 2}}))
    with pytest.raises(AssertionError, match="TypeError"), server.running():
        assert requests.get(f"{server.url}/set", timeout=5).status_code == 500


def test_every_running_fake_is_checked_and_each_bug_reported_once() -> None:
    server = FakeServer()
    server.route("GET", "/broken", broken)
    server.start()
    try:
        assert server in FakeServer.running_fakes()
        requests.get(f"{server.url}/broken", timeout=5)
        with pytest.raises(AssertionError, match="GET /broken"):
            check_handler_errors(FakeServer.running_fakes())  # what tests/conftest.py does
    finally:
        server.stop()  # already reported: stops quietly
    assert server not in FakeServer.running_fakes()
    assert len(server.handler_errors) == 1


def test_injected_faults_and_unanswered_requests_are_no_bugs(fake: FakeServer) -> None:
    fake.route("GET", "/silent", silent)
    fake.inject(
        Fault("status", path="/things/a", status=500),
        Fault("delay", path="/things/b", seconds=0.01),
        Fault("drop", path="/things/c"),
        Fault("truncate", path="/things/d-long-enough"),
    )
    assert requests.get(f"{fake.url}/things/a", timeout=5).status_code == 500
    assert requests.get(f"{fake.url}/things/b", timeout=5).status_code == 200
    for path in ("/things/c", "/silent"):
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{fake.url}{path}", timeout=5)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(f"{fake.url}/things/d-long-enough", timeout=5).json()
    assert fake.handler_errors == []
