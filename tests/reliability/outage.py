"""Crash a run right after its k-th write, on any of the vendor fakes.

`Outage` counts the writes a fake applies (by default every request but a GET,
`$batch` items one by one, the envelope itself not counted) and, once write
`k` is applied, takes the service away:

- `lost`: the answer to write k never arrives (the connection drops after the
  write was applied, and inside a `$batch` the items after it are never
  applied), and every later request gets no answer either;
- `outage`: write k is answered, then every later request (and every later
  item of the same `$batch`) is answered 503.

Either way the client cannot finish: the run stops, as a killed process
would, at a point where the fake holds exactly the first k writes. Tests then
lift the outage and run again. The fake's route handlers are wrapped from
outside, so each fake keeps its own rules unchanged; a lost answer is the
fake's own `NoAnswer`, which it drops unanswered and never counts as a bug.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from tests.fakes.server import FakeServer, NoAnswer, Request, Response, check_handler_errors

Mode = Literal["lost", "outage"]
MODES: tuple[Mode, ...] = ("lost", "outage")


def changes_something(method: str, route: str) -> bool:
    """Every method but GET changes something, except the `$batch` envelope (its items count)."""
    return method != "GET" and "$batch" not in route


@dataclass
class Outage:
    """The k-th applied write takes the service away (k=None: count writes, never fail).

    `is_write` says which requests are writes (Jira's POST searches are reads).
    """

    k: int | None = None
    mode: Mode = "lost"
    is_write: Callable[[str, str], bool] = changes_something
    writes: list[str] = field(default_factory=list)  # "POST /wiki/api/v2/pages", in order
    down: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def lift(self) -> None:
        """The service is back, and no further write takes it away."""
        with self._lock:
            self.down = False
            self.k = None

    def guard(
        self, method: str, route: str, handler: Callable[..., Response]
    ) -> Callable[..., Response]:
        counted = self.is_write(method, route)

        def answer(request: Request, **params: str) -> Response:
            with self._lock:
                down = self.down
            if down:
                if self.mode == "lost":
                    raise NoAnswer
                return unavailable()
            response = handler(request, **params)
            if counted and 200 <= response.status < 300:
                with self._lock:
                    self.writes.append(route)
                    crashed = self.k is not None and len(self.writes) == self.k
                    if crashed:
                        self.down = True
                if crashed and self.mode == "lost":
                    raise NoAnswer
            return response

        return answer


def unavailable() -> Response:
    """503 in a body every fake's clients can read (Graph's `error`, Atlassian's `errors`)."""
    return Response(
        503,
        {
            "error": {"code": "ServiceUnavailable", "message": "Service Unavailable"},
            "errors": [{"status": 503, "code": "SERVICE_UNAVAILABLE", "title": "Unavailable"}],
            "errorMessages": ["Service Unavailable"],
        },
    )


def install(fake: FakeServer, outage: Outage) -> Outage:
    """Put `fake` under `outage` (before or after it started)."""
    fake._routes = [
        (method, regex, name, outage.guard(method, name, handler))
        for method, regex, name, handler in fake._routes
    ]
    return outage


def stop_all(fakes: list[FakeServer]) -> None:
    """Stop many fakes at once (each waits up to one poll interval for its thread), then
    fail if any of them raised in its own code (the threads cannot raise for us)."""
    threads = [threading.Thread(target=fake.shut_down) for fake in fakes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check_handler_errors(fakes)


def crash_points(clean_writes: int, modes: tuple[Mode, ...] = MODES) -> list[tuple[int, Mode]]:
    """Every (k, mode) of a run that applies `clean_writes` writes."""
    return [(k, mode) for mode in modes for k in range(1, clean_writes + 1)]
