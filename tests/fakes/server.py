"""A small stateful HTTP server on 127.0.0.1 that the vendor fakes build on.

Each fake (Jira, Confluence, Graph) registers routes and keeps its own state;
this module gives them a real socket (so the real client libraries speak real
HTTP), a log of every request (so tests count requests per endpoint), a set
latency (for benchmarks) and fault injection: statuses with or without
Retry-After, slow responses, dropped connections and truncated bodies.

A bug in a fake must never pass for an injected fault: when a route handler
raises (anything but `NoAnswer`), the client gets a 500 that says so, the
exception is kept in `handler_errors`, and `stop()` (so `running()`) raises
an AssertionError listing them; `tests/conftest.py` checks every running fake
after each test too, so a module-scoped fake blames the test that hit the bug.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import socket
import ssl
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int = 200
    body: Any = None  # bytes are sent as they are; anything else as JSON
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        if self.body is None:
            return b"", "application/json"
        return json.dumps(self.body).encode(), "application/json"


Handler = Callable[..., Response]


@dataclass
class Fault:
    """What to do instead of (or to) a matching response.

    kind: "status" (answer `status`, with `retry_after` as a Retry-After header
    if given), "delay" (sleep `seconds`, then answer normally), "drop" (close
    the connection without answering), "truncate" (send only half the body).
    It fires for requests matching `method` and `path` (a regex searched in the
    path), `times` times (None: no limit) and with probability `rate`.
    """

    kind: str
    path: str = ""
    method: str | None = None
    status: int = 503
    retry_after: str | None = None
    seconds: float = 0.0
    times: int | None = 1
    rate: float = 1.0

    def matches(self, method: str, path: str) -> bool:
        return (self.method in (None, method)) and re.search(self.path, path) is not None


class NoAnswer(Exception):
    """Raised by a route handler to drop the connection unanswered: a fault, never a bug."""


@dataclass(frozen=True)
class HandlerError:
    """An exception the fake's own code raised while answering a request: a bug in the fake."""

    method: str
    path: str
    exception: BaseException
    traceback: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}:\n{self.traceback}"


@dataclass(frozen=True)
class Logged:
    method: str
    route: str  # the pattern that answered, e.g. "GET /rest/api/3/search/jql"
    path: str
    status: int


class FakeServer:
    """Routes, state lock, request log, latency and faults; subclasses add the vendor API."""

    _running: ClassVar[set[FakeServer]] = set()  # started and not yet stopped, for the check

    def __init__(
        self, *, latency: float = 0.0, seed: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        self.latency = latency
        self.tls = tls  # serve https with this context
        self.lock = threading.RLock()
        self.log: list[Logged] = []
        self._routes: list[tuple[str, re.Pattern[str], str, Handler]] = []
        self._faults: list[Fault] = []
        self._random = random.Random(seed)
        self._httpd: ThreadingHTTPServer | None = None
        self.handler_errors: list[HandlerError] = []
        self._reported = 0  # handler_errors already raised by check_handler_errors()

    # -- set-up -----------------------------------------------------------
    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Answer `method` on paths matching `pattern` ({name} captures a path segment)."""
        regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")
        self._routes.append((method, regex, f"{method} {pattern}", handler))

    def inject(self, *faults: Fault) -> None:
        with self.lock:
            self._faults.extend(faults)

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()

    # -- what happened ----------------------------------------------------
    def count(self, route: str | None = None, *, method: str | None = None) -> int:
        """Requests answered by `route` (e.g. "POST /rest/api/3/changelog/bulkfetch")."""
        with self.lock:
            return sum(
                1
                for entry in self.log
                if (route is None or entry.route == route)
                and (method is None or entry.method == method)
            )

    def counts(self) -> Counter[str]:
        with self.lock:
            return Counter(entry.route for entry in self.log)

    def reset_log(self) -> None:
        with self.lock:
            self.log.clear()

    def check_handler_errors(self) -> None:
        """Raise an AssertionError listing the fake's own exceptions not yet reported."""
        with self.lock:
            errors = self.handler_errors[self._reported :]
            self._reported = len(self.handler_errors)
        if errors:
            listed = "\n".join(str(error) for error in errors)
            raise AssertionError(
                f"{type(self).__name__} raised in its own code on {len(errors)} request(s) "
                f"(a bug in the fake, answered 500):\n{listed}"
            )

    @classmethod
    def running_fakes(cls) -> list[FakeServer]:
        """Every fake started and not stopped yet (whatever started it)."""
        return list(FakeServer._running)

    # -- life cycle -------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._httpd is not None, "start() the server first"
        host, port = self._httpd.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def start(self) -> str:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without TCP_NODELAY, Nagle's
            # algorithm and the client's delayed ACK cost ~40 ms per keep-alive request.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                try:
                    fake._dispatch(self)
                except OSError:
                    raise  # the client went away: socketserver closes the connection
                except Exception as error:  # a bug outside the handlers: kept, then dropped
                    fake._record(self.command, self.path, error)
                    raise

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        if self.tls is not None:
            self._httpd.socket = self.tls.wrap_socket(self._httpd.socket, server_side=True)
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()  # a short poll: stop() waits for it
        FakeServer._running.add(self)
        return self.url

    def shut_down(self) -> None:
        """Stop serving, without the check `stop()` makes."""
        FakeServer._running.discard(self)
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def stop(self) -> None:
        """Stop serving; then fail if a handler raised (see `check_handler_errors`)."""
        self.shut_down()
        self.check_handler_errors()

    @contextmanager
    def running(self) -> Iterator[FakeServer]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    # -- dispatch ---------------------------------------------------------
    def _pending_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self._faults:
                if not fault.matches(method, path):
                    continue
                if fault.rate < 1.0 and self._random.random() >= fault.rate:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                return fault
        return None

    def _dispatch(self, http: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(http.path)
        length = int(http.headers.get("Content-Length") or 0)
        request = Request(
            method=http.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in http.headers.items()},
            body=http.rfile.read(length) if length else b"",
        )
        if self.latency:
            time.sleep(self.latency)
        try:
            route_name, response = self._answer(request)
        except NoAnswer:
            http.close_connection = True
            with contextlib.suppress(OSError):  # the client may have gone already
                http.connection.shutdown(socket.SHUT_RDWR)
            return
        fault = self._pending_fault(request.method, request.path)
        if fault is not None and fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            response = Response(fault.status, {"errorMessages": ["injected fault"]}, headers)
        try:
            body, content_type = response.encoded()
        except Exception as error:  # e.g. a body JSON cannot hold
            response = self._record(request.method, request.path, error)
            body, content_type = response.encoded()
        dropped = fault is not None and fault.kind == "drop"
        # Logged when the state changed, not when the answer leaves: a delayed answer
        # must not show up in the log of whatever the test does after the client gave up.
        with self.lock:
            self.log.append(
                Logged(request.method, route_name, request.path, 0 if dropped else response.status)
            )
        if dropped:
            http.close_connection = True
            http.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.seconds)
        truncated = fault is not None and fault.kind == "truncate"
        http.send_response(response.status)
        http.send_header("Content-Type", content_type)
        http.send_header("Content-Length", str(len(body)))  # the full length, even if truncated
        for name, value in response.headers.items():
            if name.lower() != "content-type":
                http.send_header(name, value)
        http.end_headers()
        http.wfile.write(body[: len(body) // 2] if truncated else body)
        if truncated:
            http.close_connection = True
            http.connection.shutdown(socket.SHUT_RDWR)

    def _answer(self, request: Request) -> tuple[str, Response]:
        for method, regex, name, handler in self._routes:
            match = regex.match(request.path)
            if match and method == request.method:
                try:
                    with self.lock:
                        return name, handler(request, **match.groupdict())
                except NoAnswer:
                    raise
                except Exception as error:
                    return name, self._record(request.method, request.path, error)
        return f"{request.method} (no route)", Response(404, {"errorMessages": ["no such route"]})

    def _record(self, method: str, path: str, error: Exception) -> Response:
        """Keep a handler's exception for the check, and the 500 that tells the client."""
        text = "".join(traceback.format_exception(error))
        with self.lock:
            self.handler_errors.append(HandlerError(method, path, error, text))
        message = f"fake bug: {type(error).__name__}: {error} (see handler_errors)"
        return Response(
            500, {"errorMessages": [message], "error": {"code": "FakeBug", "message": message}}
        )


def check_handler_errors(fakes: list[FakeServer]) -> None:
    """One AssertionError for the unreported handler errors of all `fakes`, if any."""
    failures: list[str] = []
    for fake in fakes:
        try:
            fake.check_handler_errors()
        except AssertionError as failure:
            failures.append(str(failure))
    if failures:
        raise AssertionError("\n\n".join(failures))
