"""Graph `$batch`: up to 20 requests in one HTTP call, each item retried on its own throttle.

msgraph-core's batch classes cannot be used as they are (see
`tests/contracts/README.md`): `BatchRequestItem` keeps absolute URLs,
which Graph rejects inside a batch, `BatchResponseItem.body` comes back None
for JSON bodies, and `dependsOn` is written as `depends_on`. So the batch is
plain JSON with relative URLs, sent as bytes through the SDK's request
adapter (its auth and middleware still apply) and parsed here. Items carry no
dependencies: every write of one round is independent of the others.

An item can fail alone, e.g. 429 with its own Retry-After: those items go
again in the next round, after the longest wait any of them asked for (the
shared policy of `connectors.http` reads Retry-After and bounds the wait and
the rounds). The whole batch request is retried by that policy underneath
the adapter, which is safe because every item is idempotent (creates carry a
transactionId, patches set values, removals accept "already gone").
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from msgraph import GraphRequestAdapter

from connectors.errors import ServiceErrors
from connectors.graph_client import ERRORS, graph_call
from connectors.http import RequestCounter, RetryPolicy, retry_after_seconds

MAX_BATCH = 20
THROTTLED = frozenset({429, 503, 504})
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class BatchCall:
    """One request of a batch; `url` is relative to the API version ("/users/...")."""

    id: str
    method: str
    url: str
    body: Mapping[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        if not self.url.startswith("/"):
            raise ValueError(f"batch URLs must be relative, not {self.url!r}")
        item: dict[str, Any] = {"id": self.id, "method": self.method, "url": self.url}
        if self.body is not None:
            item["headers"] = {"Content-Type": "application/json"}
            item["body"] = self.body
        return item


@dataclass(frozen=True, slots=True)
class BatchResult:
    id: str
    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def error(self) -> str:
        """Graph's error code and message for a failed item."""
        error = self.body.get("error", {}) if isinstance(self.body, dict) else {}
        return f"HTTP {self.status} {error.get('code', '')}: {error.get('message', '')}".strip()


@dataclass
class BatchSender:
    """Sends calls in batches through one adapter (the request counter counts the `$batch`
    requests it makes).

    Item rounds are bounded like any request of the policy: by its attempts,
    by `total_seconds` from the first round (a Retry-After longer than what
    is left ends the rounds at once) and, through `counter`, by the run's
    retry budget. `written` counts the items that changed something; `errors`
    words (and scrubs) a failure of the batch request itself.
    """

    adapter: GraphRequestAdapter
    policy: RetryPolicy
    errors: ServiceErrors
    sleep: Sleep = asyncio.sleep
    counter: RequestCounter = field(default_factory=RequestCounter)
    written: int = 0

    async def run(self, calls: Sequence[BatchCall]) -> dict[str, BatchResult]:
        """Every call's final result by id; throttled items are retried in later rounds."""
        by_id = {call.id: call for call in calls}
        if len(by_id) != len(calls):
            raise ValueError("batch call ids must be unique")
        results: dict[str, BatchResult] = {}
        pending = list(calls)
        started = time.monotonic()
        for attempt in range(1, self.policy.attempts + 1):
            throttled: list[BatchResult] = []
            waits = [0.0]
            for start in range(0, len(pending), MAX_BATCH):
                for result in await self._send(pending[start : start + MAX_BATCH]):
                    if result.status in THROTTLED:
                        throttled.append(result)
                        asked = retry_after_seconds(result.headers)
                        waits.append(self.policy.wait_seconds(attempt, asked))
                    else:
                        self._keep(result, by_id[result.id], results)
            wait = max(waits)
            if not throttled or self._out_of_time(attempt, wait, started):
                for result in throttled:  # Graph's own answer says why they failed
                    self._keep(result, by_id[result.id], results)
                break
            self.counter.spent(wait)
            await self.sleep(wait)
            pending = [by_id[result.id] for result in throttled]
        return results

    def _out_of_time(self, attempt: int, wait: float, started: float) -> bool:
        return (
            attempt >= self.policy.attempts
            or time.monotonic() - started + wait > self.policy.total_seconds
            or self.policy.run_budget_spent(self.counter, wait)
        )

    def _keep(self, result: BatchResult, call: BatchCall, results: dict[str, BatchResult]) -> None:
        results[result.id] = result
        if result.ok and call.method != "GET":
            self.written += 1

    async def _send(self, calls: Sequence[BatchCall]) -> list[BatchResult]:
        payload = json.dumps({"requests": [call.as_json() for call in calls]}).encode()

        async def post() -> bytes | None:
            info = RequestInformation()
            info.http_method = Method.POST
            info.url = f"{self.adapter.base_url}/$batch"
            info.headers.try_add("Accept", "application/json")
            info.set_stream_content(payload, "application/json")
            return await self.adapter.send_primitive_async(info, "bytes", ERRORS)

        raw = await graph_call(post, "Graph $batch", self.errors)
        answers = {answer["id"]: answer for answer in json.loads(raw or b"{}").get("responses", [])}
        missing = [call.id for call in calls if call.id not in answers]
        if missing:
            raise ValueError(f"Graph $batch answered without items {missing}")
        return [
            BatchResult(
                id=call.id,
                status=int(answers[call.id].get("status", 0)),
                body=answers[call.id].get("body"),
                headers=answers[call.id].get("headers") or {},
            )
            for call in calls
        ]
