"""The one retry policy for every outbound HTTP call, and the count of what a run sent.

Vendor APIs throttle (429, sometimes 503, with `Retry-After` in seconds or as an
HTTP date), fail over, drop connections and cut bodies short. Every connector
sends through this module so that one policy decides what is retried and how
long to wait, bounded by attempts and by total time, and so that no library
retries on its own as well: four library retries under six of ours would be
twenty-four requests to a server that asked us to slow down.

It plugs into the two HTTP stacks the connectors use, each in its own module:

- requests (the `jira` library, atlassian-python-api): `connectors.http_requests`;
- httpx (msgraph-sdk): `connectors.http_httpx`.

Every attempt is counted by endpoint (`GET /rest/api/3/issue/{id}`), so a run
can say what it cost and a benchmark can compare it with the lower bound.
"""

from __future__ import annotations

import logging
import math
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote, urlsplit

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
)
from tenacity.stop import stop_base

if TYPE_CHECKING:
    import httpx

from connectors.errors import ConnectorError

log = logging.getLogger(__name__)

R = TypeVar("R")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# The server said it did not process the request: safe to repeat any method.
NOT_PROCESSED = frozenset({429, 503})


# --------------------------------------------------------------------------
# What a run sent


class RequestCounter:
    """Requests sent by endpoint, every attempt included, and how many were retries.

    One counter serves one run of a connector, so it also keeps the run's
    retry time (failed attempts and the waits after them), which
    `RetryPolicy.run_seconds` caps.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()
        self._retry_seconds = 0.0

    def sent(self, endpoint: str) -> None:
        with self._lock:
            self.requests[endpoint] += 1

    def retried(self, endpoint: str) -> None:
        with self._lock:
            self.retries[endpoint] += 1

    def spent(self, seconds: float) -> None:
        """Time lost to faults: a failed attempt, or a wait before the next one."""
        with self._lock:
            self._retry_seconds += max(0.0, seconds)

    @property
    def retry_seconds(self) -> float:
        with self._lock:
            return self._retry_seconds

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.requests.values())

    def rows(self) -> list[tuple[str, int, int]]:
        """(endpoint, requests, of which retries), the busiest endpoint first."""
        with self._lock:
            return [
                (endpoint, count, self.retries[endpoint])
                for endpoint, count in sorted(self.requests.items(), key=lambda kv: (-kv[1], kv[0]))
            ]


# ids, issue keys, GUIDs, mailboxes and long opaque ids (Graph's event ids)
_VARIABLE_SEGMENT = re.compile(
    r"^(\d+|[A-Z][A-Z0-9_]*-\d+|[0-9a-fA-F]{8}-[0-9a-fA-F-]{27,}|[^/]*@[^/]*|[\w+=-]{40,})$"
)


def endpoint_of(method: str, url: str) -> str:
    """`GET /rest/api/3/issue/{id}/changelog`: the route, with what varies folded to {id}."""
    segments = urlsplit(url).path.split("/")
    folded = [
        "{id}" if _VARIABLE_SEGMENT.match(unquote(part)) and segments[i - 1] != "api" else part
        for i, part in enumerate(segments)
    ]  # the API version (/rest/api/3) is a number too, and stays
    return f"{method.upper()} {'/'.join(folded) or '/'}"


# --------------------------------------------------------------------------
# Retry-After


def retry_after_seconds(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds the server asked us to wait, from `Retry-After` as seconds or as an HTTP date.

    None when there is no usable header (then the policy backs off on its own);
    a date in the past means "now" (0).
    """
    value = _header(headers, "Retry-After")
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; "-0000" parses as naive
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    folded = name.casefold()
    return next((v for k, v in headers.items() if k.casefold() == folded), None)


# --------------------------------------------------------------------------
# The policy


class RetriesExhaustedError(ConnectorError):
    """A request still failed when the policy's attempts or time ran out.

    The message names the endpoint, the attempts, the time spent and the last
    answer or error class; never a header, a body or a credential.
    """

    def __init__(
        self,
        endpoint: str,
        attempts: int,
        seconds: float,
        status: int | None,
        error: str | None,
        retry_after: float | None = None,
        run_budget: float | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.attempts = attempts
        self.seconds = seconds
        self.status = status
        last = f"HTTP {status}" if status is not None else (error or "no answer")
        asked = f" (Retry-After: {retry_after:.0f} s)" if retry_after is not None else ""
        spent = (
            f"; the run's retry budget of {run_budget:g} s is spent"
            if run_budget is not None
            else ""
        )
        super().__init__(
            f"{endpoint}: gave up after {attempts} attempt(s) in {seconds:.1f} s{spent}; "
            f"last answer: {last}{asked}"
        )


class _Retry(Exception):
    """One attempt that may be repeated: a throttling or failing answer, or a transport error."""

    def __init__(self, status: int | None, retry_after: float | None, error: str | None) -> None:
        super().__init__(status, error)
        self.status = status
        self.retry_after = retry_after
        self.error = error


@dataclass(frozen=True)
class Wire:
    """How to read one HTTP stack's answers: its transient errors, status, headers, release."""

    transient: tuple[type[BaseException], ...]
    status: Callable[[Any], int]
    headers: Callable[[Any], Mapping[str, str]]
    release: Callable[[Any], None]


class Clock:
    """Real time, as the retry loop reads it and waits on it: the only clock production uses.

    A seam for tests, as `RetryPolicy.jitter` is: a fake clock that advances
    only when told to wait lets a test assert on the waits the policy chose
    and on the time limits it applied, instead of on how fast a loaded machine
    happened to run.
    """

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def sleep_async(self, seconds: float) -> None:
        import asyncio  # only the async (Graph) clients wait this way: the others need not load it

        await asyncio.sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """When to repeat a request and how long to wait, bounded by attempts and total time.

    429 and 503 are repeated for any method (the server did not process the
    request) after `Retry-After` if given, else after exponential backoff with
    full jitter; 502, 504 and transport errors (refused or dropped connections,
    timeouts, cut-off bodies) are repeated for idempotent methods, and for any
    method while `retry_unsafe_methods` holds (the Jira connector's POSTs are
    reads). `total_seconds` stops before a wait would pass it, so a Retry-After
    longer than what is left ends the call at once, with a clear error, instead
    of asking again too early. `run_seconds` caps a whole run the same way: once
    the calls sharing one `RequestCounter` have lost that long to failed
    attempts and waits, none of them is retried again, so a run against a
    service that keeps failing ends instead of spending `total_seconds` on
    every call. `max_wait` caps a single wait; tests set it tiny to use real
    Retry-After headers without sleeping, or hand in a fake `clock`.
    """

    attempts: int = 6
    total_seconds: float = 300.0
    run_seconds: float = 600.0
    max_wait: float = 300.0
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retry_statuses: frozenset[int] = frozenset({429, 502, 503, 504})
    retry_unsafe_methods: bool = True
    jitter: Callable[[], float] = field(default=random.random, compare=False, repr=False)
    clock: Clock = field(default_factory=Clock, compare=False, repr=False)

    @property
    def timeout(self) -> tuple[float, float]:
        """(connect, read) seconds, the form requests takes."""
        return (self.connect_timeout, self.read_timeout)

    def httpx_timeout(self) -> httpx.Timeout:
        import httpx  # only the Graph connector speaks httpx: the others need not load it

        return httpx.Timeout(self.read_timeout, connect=self.connect_timeout)

    def wait_seconds(self, attempt: int, retry_after: float | None) -> float:
        """The wait after failed attempt number `attempt` (1-based)."""
        if retry_after is not None:
            wanted = retry_after
        else:
            ceiling = min(self.backoff_max, self.backoff_initial * 2 ** (attempt - 1))
            wanted = self.jitter() * ceiling
        return max(0.0, min(wanted, self.max_wait))

    # -- the loop, for both stacks ------------------------------------------------
    def run(
        self,
        method: str,
        endpoint: str,
        send: Callable[[], R],
        wire: Wire,
        counter: RequestCounter,
    ) -> R:
        """Send until an answer is final or the budget is spent."""
        budget, limit = _RunBudget(self, counter), _TimeLimit(self.total_seconds, self.clock)
        retrying = Retrying(
            sleep=self.clock.sleep, **self._tenacity(endpoint, counter, budget, limit)
        )

        def attempt() -> R:
            with self._attempt(method, endpoint, wire, counter):
                return self._checked(method, send(), wire)

        try:
            return retrying(attempt)
        except _Retry as final:
            raise self._exhausted(endpoint, retrying.statistics, final, budget, limit) from None

    async def run_async(
        self,
        method: str,
        endpoint: str,
        send: Callable[[], Awaitable[R]],
        wire: Wire,
        counter: RequestCounter,
    ) -> R:
        """`run` for asyncio clients (msgraph-sdk's httpx.AsyncClient)."""
        budget, limit = _RunBudget(self, counter), _TimeLimit(self.total_seconds, self.clock)
        retrying = AsyncRetrying(
            sleep=self.clock.sleep_async, **self._tenacity(endpoint, counter, budget, limit)
        )

        async def attempt() -> R:
            with self._attempt(method, endpoint, wire, counter):
                return self._checked(method, await send(), wire)

        try:
            return await retrying(attempt)
        except _Retry as final:
            raise self._exhausted(endpoint, retrying.statistics, final, budget, limit) from None

    @contextmanager
    def _attempt(
        self, method: str, endpoint: str, wire: Wire, counter: RequestCounter
    ) -> Iterator[None]:
        """Count one attempt; a transport error becomes a retry where repeating is safe.

        A failed attempt's time counts against the run's retry budget."""
        counter.sent(endpoint)
        started = self.clock.now()
        try:
            yield
        except wire.transient as exc:
            counter.spent(self.clock.now() - started)
            if not self._may_repeat(method):
                raise
            raise _Retry(None, None, type(exc).__name__) from exc
        except _Retry:
            counter.spent(self.clock.now() - started)
            raise

    def _tenacity(
        self, endpoint: str, counter: RequestCounter, budget: _RunBudget, limit: _TimeLimit
    ) -> dict[str, Any]:
        def wait(state: RetryCallState) -> float:
            outcome = state.outcome.exception() if state.outcome else None
            retry_after = outcome.retry_after if isinstance(outcome, _Retry) else None
            return self.wait_seconds(state.attempt_number, retry_after)

        def before_sleep(state: RetryCallState) -> None:
            counter.retried(endpoint)
            counter.spent(state.upcoming_sleep)
            outcome = state.outcome.exception() if state.outcome else None
            what = (
                f"HTTP {outcome.status}"
                if isinstance(outcome, _Retry) and outcome.status is not None
                else getattr(outcome, "error", None) or "error"
            )
            log.warning(
                "%s: %s; retry %d of %d in %.2f s",
                endpoint,
                what,
                state.attempt_number,
                self.attempts - 1,
                state.upcoming_sleep,
            )

        return {
            "stop": stop_after_attempt(self.attempts) | limit | budget,
            "wait": wait,
            "retry": retry_if_exception_type(_Retry),
            "before_sleep": before_sleep,
            "reraise": True,
        }

    def run_budget_spent(self, counter: RequestCounter, wait: float) -> bool:
        """Whether waiting `wait` more seconds would take the run past `run_seconds`."""
        return counter.retry_seconds + wait > self.run_seconds

    def _may_repeat(self, method: str) -> bool:
        return self.retry_unsafe_methods or method.upper() in IDEMPOTENT_METHODS

    def _checked(self, method: str, answer: R, wire: Wire) -> R:
        """The answer, unless it asks to be retried (then released, and a retry raised)."""
        status = wire.status(answer)
        if status not in self.retry_statuses:
            return answer
        if status not in NOT_PROCESSED and not self._may_repeat(method):
            return answer
        retry_after = retry_after_seconds(wire.headers(answer))
        wire.release(answer)
        raise _Retry(status, retry_after, None)

    def _exhausted(
        self,
        endpoint: str,
        statistics: Mapping[str, Any],
        final: _Retry,
        budget: _RunBudget,
        limit: _TimeLimit,
    ) -> RetriesExhaustedError:
        return RetriesExhaustedError(
            endpoint,
            statistics.get("attempt_number", self.attempts),
            limit.elapsed(),
            final.status,
            final.error,
            final.retry_after,
            self.run_seconds if budget.spent else None,
        )


class _RunBudget(stop_base):
    """Stops a call once waiting again would take its run past `run_seconds`, and
    remembers that it did, so the error can say why it gave up before its attempts."""

    def __init__(self, policy: RetryPolicy, counter: RequestCounter) -> None:
        self.policy = policy
        self.counter = counter
        self.spent = False

    def __call__(self, retry_state: RetryCallState) -> bool:
        if self.policy.run_budget_spent(self.counter, retry_state.upcoming_sleep):
            self.spent = True
        return self.spent


class _TimeLimit(stop_base):
    """Stops a call before a wait that would take it past `seconds` from its start, read
    on the policy's clock (tenacity's own `stop_before_delay` reads the real one)."""

    def __init__(self, seconds: float, clock: Clock) -> None:
        self.seconds = seconds
        self.clock = clock
        self.started = clock.now()

    def elapsed(self) -> float:
        return self.clock.now() - self.started

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.elapsed() + retry_state.upcoming_sleep >= self.seconds
