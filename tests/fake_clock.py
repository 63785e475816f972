"""A clock for the retry policy in which time passes only when the code under test waits.

Handed to `RetryPolicy(clock=...)`, it makes a retry test assert on what the
policy decided (the waits it chose, in order, and where its time limits cut
in) instead of on how fast a loaded machine happened to run: attempts take
no time, waits take exactly what was asked and are not slept.
"""

from __future__ import annotations

from connectors.http import Clock


class FakeClock(Clock):
    def __init__(self) -> None:
        self.time = 0.0
        self.waits: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.time += seconds

    async def sleep_async(self, seconds: float) -> None:
        self.sleep(seconds)
