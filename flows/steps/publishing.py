"""Publishing pages: to the demo's folder or to Confluence (Cloud or Data Center).

Both flows that publish pages (`nightly_health`, `pi_objectives`) publish
through `publish_pages` to the target `flows.steps.bootstrap` picked: it
reconciles page by page, keeps going past a page Confluence refuses (but not
past Confluence being unavailable), and says what it did (or, in a dry run,
would do) and what that cost in requests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from art.model import Page, PublishOutcome
from connectors.errors import ConnectorError, RetriesSpent
from connectors.http import RequestCounter
from flows.steps.failures import RunFailed

_VERBS = {
    PublishOutcome.CREATED: "create",
    PublishOutcome.UPDATED: "update",
    PublishOutcome.UNCHANGED: "unchanged",
}
_PLAN_WORDS = {
    outcome: verb if outcome is PublishOutcome.UNCHANGED else f"to {verb}"
    for outcome, verb in _VERBS.items()
}
NOT_ATTEMPTED = "not attempted: Confluence was unavailable"


class PagePublisher(Protocol):
    def publish_page(self, page: Page, *, dry_run: bool = False) -> PublishOutcome: ...


class PublishFailed(RunFailed):
    """Some pages could not be published; the others were. The message lists each refusal."""


@dataclass(frozen=True)
class PagePlan:
    """One page's fate: its outcome, or why Confluence refused it."""

    key: str
    title: str
    outcome: PublishOutcome | None
    error: str | None = None


@dataclass(frozen=True)
class PublishRun:
    """What publishing a set of pages did, and the requests it sent (0 for the folder)."""

    target: str
    dry_run: bool
    pages: tuple[PagePlan, ...]
    requests: int
    writes: int

    @property
    def failed(self) -> tuple[PagePlan, ...]:
        return tuple(plan for plan in self.pages if plan.error is not None)

    def count(self, outcome: PublishOutcome | str) -> int:
        return sum(1 for plan in self.pages if plan.outcome == outcome)

    def summary(self) -> str:
        """'Confluence Cloud ...: 2 created, 1 updated, 13 unchanged; 35 request(s), 5 write(s)'.

        A dry run says 'Dry run: ...: 2 to create, 1 to update, 13 unchanged'.
        """
        words = _PLAN_WORDS if self.dry_run else {o: o.value for o in PublishOutcome}
        counts = ", ".join(f"{self.count(outcome)} {words[outcome]}" for outcome in PublishOutcome)
        failed = f", {len(self.failed)} failed" if self.failed else ""
        cost = f"; {self.requests} request(s), {self.writes} write(s)" if self.requests else ""
        return f"{'Dry run: ' if self.dry_run else ''}{self.target}: {counts}{failed}{cost}"

    def plan_lines(self, *, every: bool = False) -> list[str]:
        """'create    PI 2026.4 - Team Atlas - PI Objectives', one a page; the unchanged
        ones only if `every`."""
        lines = []
        for plan in self.pages:
            if plan.outcome is None:
                lines.append(f"{'failed':<10} {plan.title}: {plan.error}")
            elif every or plan.outcome is not PublishOutcome.UNCHANGED:
                word = _VERBS[plan.outcome] if self.dry_run else plan.outcome.value
                lines.append(f"{word:<10} {plan.title}")
        return lines

    def raise_for_failures(self) -> None:
        """PublishFailed naming each reason once (a missing space fails every page alike)."""
        if not self.failed:
            return
        titles_by_error: dict[str, list[str]] = {}
        for plan in self.failed:
            titles_by_error.setdefault(plan.error or "", []).append(f"'{plan.title}'")
        done = [plan for plan in self.pages if plan.outcome is not None]
        progress = f"{len(done)} published (last: '{done[-1].title}')" if done else "none published"
        raise PublishFailed(
            f"{self.target}: {len(self.failed)} of {len(self.pages)} page(s) not published: "
            + "; ".join(
                f"{', '.join(titles)}: {error}" if len(titles) < len(self.pages) else error
                for error, titles in titles_by_error.items()
            )
            + f"; {progress}; the next run publishes the rest"
        )


@dataclass(frozen=True)
class PageTarget:
    """Where pages go: the publisher, its name (for logs and the CLI) and its request count."""

    publisher: PagePublisher
    name: str
    counter: RequestCounter = field(default_factory=RequestCounter)


def publish_pages(pages: Iterable[Page], target: PageTarget, *, dry_run: bool) -> PublishRun:
    """Reconcile every page with its published copy; a refused page does not stop the rest.

    Confluence being unavailable (a call spent the whole retry budget) does:
    the pages after it are not attempted, and the next run reconciles them.
    """
    before = target.counter.rows()
    plans = []
    unavailable = False
    for page in pages:
        if unavailable:  # every page would spend the whole retry budget again
            plans.append(PagePlan(page.key, page.title, None, NOT_ATTEMPTED))
            continue
        try:
            outcome = target.publisher.publish_page(page, dry_run=dry_run)
        except ConnectorError as exc:
            plans.append(PagePlan(page.key, page.title, None, str(exc)))
            unavailable = isinstance(exc, RetriesSpent)
        else:
            plans.append(PagePlan(page.key, page.title, outcome))
    sent = _sent_since(before, target.counter.rows())
    writes = sum(count for endpoint, count in sent.items() if not endpoint.startswith("GET "))
    return PublishRun(target.name, dry_run, tuple(plans), sum(sent.values()), writes)


def _sent_since(before: list[tuple[str, int, int]], after: list[tuple[str, int, int]]) -> dict:
    """Requests by endpoint between two readings of a counter (a target may publish twice)."""
    earlier = {endpoint: count for endpoint, count, _ in before}
    return {endpoint: count - earlier.get(endpoint, 0) for endpoint, count, _ in after}
