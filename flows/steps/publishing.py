"""Publishing pages: to the demo's folder or to Confluence (Cloud or Data Center).

Both flows that publish pages (`nightly_health`, `pi_objectives`) publish
through `publish_pages` to the target `flows.steps.bootstrap` picked: it
reconciles page by page, keeps going past a page Confluence refuses (but not
past Confluence being unavailable), and says what it did (or, in a dry run,
would do) and what that cost in requests (every attempt counted, retries
included). On Confluence it also says which pages a person changed (restored
or reported, `confluence.on_drift`) and which pages of the flow the plan no
longer has (orphans), which `prune` archives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from art.model import Drift, Page, PublishOutcome
from connectors.errors import ConnectorError, RetriesSpent
from connectors.http import RequestCounter
from flows.steps.failures import RunFailed

if TYPE_CHECKING:  # the Confluence client (atlassian, requests) loads only where pages go there
    from connectors.confluence_api import Orphan

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


@runtime_checkable
class Reconciling(Protocol):
    """A publisher that also sees people's edits and its own pages the plan dropped."""

    def drift_of(self, key: str) -> Drift | None: ...

    def orphans(self, prefix: str, planned: Iterable[str]) -> list[Orphan]: ...

    def archive(self, orphan: Orphan) -> Orphan: ...


class PublishFailed(RunFailed):
    """Some pages could not be published; the others were. The message lists each refusal."""


@dataclass(frozen=True)
class PagePlan:
    """One page's fate: its outcome, or why Confluence refused it."""

    key: str
    title: str
    outcome: PublishOutcome | None
    error: str | None = None
    drift: Drift | None = None  # what a person changed, restored or only reported


@dataclass(frozen=True)
class PublishRun:
    """What publishing a set of pages did, and the requests it sent (0 for the folder)."""

    target: str
    dry_run: bool
    pages: tuple[PagePlan, ...]
    requests: int
    writes: int
    orphans: tuple[Orphan, ...] = ()  # the flow's pages the plan no longer has
    orphans_unknown: str | None = None  # why the orphans could not be looked for

    @property
    def drifted(self) -> tuple[PagePlan, ...]:
        return tuple(plan for plan in self.pages if plan.drift is not None)

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
        drifted = f", {len(self.drifted)} changed by a person" if self.drifted else ""
        archived = sum(orphan.archived for orphan in self.orphans)
        orphans = f", {len(self.orphans)} orphan(s)" if self.orphans else ""
        orphans += f" ({archived} archived)" if archived else ""
        cost = f"; {self.requests} request(s), {self.writes} write(s)" if self.requests else ""
        return (
            f"{'Dry run: ' if self.dry_run else ''}{self.target}: {counts}{failed}{drifted}"
            f"{orphans}{cost}"
        )

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
            if plan.drift is not None:
                lines.append(f"{'drift':<10} {plan.drift.line()}")
        for orphan in self.orphans:
            lines.append(f"{'orphan':<10} {orphan_line(orphan)}")
        if self.orphans_unknown:
            lines.append(f"{'orphans':<10} not looked for: {self.orphans_unknown}")
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


def publish_pages(
    pages: Iterable[Page],
    target: PageTarget,
    *,
    dry_run: bool,
    scope: str | None = None,
    prune: bool = False,
) -> PublishRun:
    """Reconcile every page with its published copy; a refused page does not stop the rest.

    Confluence being unavailable (a call spent the whole retry budget) does:
    the pages after it are not attempted, and the next run reconciles them.
    With `scope` (the key prefix of the flow's pages), the pages published
    before under that prefix that `pages` lacks are orphans; `prune` archives
    them (never in a dry run, never after a page failed).
    """
    before = target.counter.rows()
    publisher = target.publisher
    reconciling = publisher if isinstance(publisher, Reconciling) else None
    plans = []
    unavailable = False
    for page in pages:
        if unavailable:  # every page would spend the whole retry budget again
            plans.append(PagePlan(page.key, page.title, None, NOT_ATTEMPTED))
            continue
        try:
            outcome = publisher.publish_page(page, dry_run=dry_run)
        except ConnectorError as exc:
            plans.append(PagePlan(page.key, page.title, None, str(exc)))
            unavailable = isinstance(exc, RetriesSpent)
        else:
            drift = reconciling.drift_of(page.key) if reconciling else None
            plans.append(PagePlan(page.key, page.title, outcome, drift=drift))
    orphans: list[Orphan] = []
    unknown = None
    if reconciling is not None and scope is not None and not unavailable:
        try:
            orphans = reconciling.orphans(scope, [plan.key for plan in plans])
            if prune and not dry_run and not any(plan.error for plan in plans):
                orphans = [reconciling.archive(orphan) for orphan in orphans]
        except ConnectorError as exc:
            unknown = str(exc)
    sent = _sent_since(before, target.counter.rows())
    writes = sum(count for endpoint, count in sent.items() if not endpoint.startswith("GET "))
    return PublishRun(
        target.name, dry_run, tuple(plans), sum(sent.values()), writes, tuple(orphans), unknown
    )


def orphan_line(orphan: Orphan) -> str:
    """'PI 2026.4 - Team Atlas - PI Objectives' (id 65540, key ...): archived / not planned."""
    if orphan.archived:
        fate = "archived"
    elif orphan.note:
        fate = f"not archived: {orphan.note}"
    else:
        fate = "no longer planned (--prune archives it)"
    return f"'{orphan.title}' (id {orphan.page_id}, rte key {orphan.key}): {fate}"


def _sent_since(before: list[tuple[str, int, int]], after: list[tuple[str, int, int]]) -> dict:
    """Requests by endpoint between two readings of a counter (a target may publish twice)."""
    earlier = {endpoint: count for endpoint, count, _ in before}
    return {endpoint: count - earlier.get(endpoint, 0) for endpoint, count, _ in after}
