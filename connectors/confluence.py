"""Publishing pages to Confluence as a reconcile: write only what differs.

Every page we own carries a content property, `rte.page`, holding its stable
key, a digest of what we last wrote (title, parent and storage body), the
page version that write made, and the SHA-256 of each attachment we
uploaded. Publishing a page:

1. finds it the way Confluence identifies pages: by the page id the last
   publish remembered for its key (`connectors.page_registry`), else by its
   title, else by its title in any case (Confluence's titles are unique per
   space regardless of case, while its lookup by title is exact); a page
   found is ours only when its property carries our key;
2. reads the property: when digest and attachment hashes match what we
   would write *and* the page is still at the version we wrote, it is
   unchanged: no request but reads, no new version, no notification;
3. otherwise updates the body (version = current + 1), uploads only the
   attachments whose bytes changed, and rewrites the property last, so a
   run that crashes half-way simply redoes the rest next time.

Storage bodies are compared by digest, never by text: Confluence normalises
what it stores, so a textual comparison would rewrite every page every run.
A page a person edited or renamed since our last write has a newer version
that rte did not sign ("Published by rte" is the message of every version rte
writes) or another title: that drift is reported (`drift_of`), and with
`on_drift="restore"` (the default) the plan is written back (the person's edit
stays in the page history); with "report" the page is left as the person left
it until the plan itself changes. A title that differs only in case is
Confluence's own same title: the page is re-titled either way, never created
again. The keys a flow published before but plans no more are its `orphans`,
which `archive` retires on request.

A version conflict (someone saved between our read and our write) is re-read
and retried once; a second conflict is reported as `PageConflictError`. A page
with the title but another rte key is refused (`PageOwnershipError`); a page
with the title and no rte property is taken over (its old content stays in
the history), so a run that died between creating a page and marking it
resumes instead of stalling.

The two deployments differ only in their API (`confluence_cloud`: REST v2
through atlassian-python-api's ConfluenceV2 with work-arounds for its gaps;
`confluence_dc`: REST v1 through its `Confluence` class), behind the small
`PageApi` port of `connectors.confluence_api`, where the errors are too.
Every request goes through the shared retry policy of `connectors.http`,
with the library's own retries off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import requests
from pydantic import SecretStr

from art.config import ConfluenceConfig
from art.model import Drift, Page, PublishOutcome, check_drift_action
from connectors.confluence_api import (
    PROPERTY_KEY,
    ConfluenceError,
    Marker,
    Orphan,
    PageApi,
    PageConflictError,
    PageOwnershipError,
    RemotePage,
    VersionConflict,
)
from connectors.confluence_cloud import CloudPages
from connectors.confluence_dc import DataCenterPages
from connectors.errors import Scrubber, ServiceErrors
from connectors.http import RequestCounter, RetryPolicy
from connectors.http_requests import mount_retrying
from connectors.page_registry import PageRegistry

# --------------------------------------------------------------------------
# The reconcile


def page_digest(page: Page, parent_id: str | None) -> str:
    """What a body write depends on: title, parent and storage (not attachments)."""
    digest = hashlib.sha256()
    for part in (page.title, parent_id or "", page.storage):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class _Found:
    """Our page as located, with its marker, and what a person did to it since our write."""

    remote: RemotePage
    marker: Marker | None
    changes: tuple[str, ...] = ()
    case_only: bool = False  # only the title's case differs: Confluence's own title, re-titled


class ConfluencePublisher:
    """Publishes `Page`s into one space, under one parent page, writing only what differs.

    `on_drift` says what becomes of a page a person edited or renamed since
    rte wrote it: "restore" writes the plan over it (the edit stays in the page
    history), "report" leaves it until the plan changes; either way `drift_of`
    says what changed. `registry` remembers each key's page id between runs. A page
    with a `parent_key` goes under the page rte published with that key instead (a
    team's health page under its ART's).
    """

    def __init__(
        self,
        api: PageApi,
        *,
        space: str,
        parent: str | None = None,
        on_drift: str = "restore",
        registry: PageRegistry | None = None,
    ) -> None:
        check_drift_action(on_drift)
        self.api = api
        self.space_key = space
        self.parent = parent
        self.on_drift = on_drift
        self.registry = registry
        self._space: str | None = None
        self._parent_id: str | None = None
        self._titles: dict[str, list[RemotePage]] | None = None  # the space's pages by title
        self._drift: dict[str, Drift] = {}
        self._ids: dict[str, str] = {}  # the page id of each key published (or found) this run

    def drift_of(self, key: str) -> Drift | None:
        """What a person changed on the page of `key`, as the last publish of it found."""
        return self._drift.get(key)

    def publish_page(self, page: Page, *, dry_run: bool = False) -> PublishOutcome:
        """Reconcile one page; with `dry_run`, read and say what would happen, write nothing."""
        self._drift.pop(page.key, None)
        space, parent_id = self.space_handle(), self._parent_of(page, dry_run)
        digest = page_digest(page, parent_id)
        hashes = {name: hashlib.sha256(data).hexdigest() for name, data in page.attachments.items()}
        found = self._locate(space, page)
        if found is not None:  # a dry run's children find it here too
            self._ids[page.key] = found.remote.id
        if found is None:
            if not dry_run:
                created = self.api.create_page(space, page.title, page.storage, parent_id)
                self._upload(created.id, page, sorted(hashes), {})
                self._mark(created.id, None, _value(page.key, digest, created.version, hashes))
                self._remember(page, created.id)
            return PublishOutcome.CREATED
        remote, marker = found.remote, found.marker
        recorded = marker.value if marker else {}
        body_current = (
            recorded.get("digest") == digest and recorded.get("version") == remote.version
        )
        plan_changed = recorded.get("digest") != digest
        restore = self.on_drift == "restore" or plan_changed or found.case_only
        if found.changes:
            shown = f"'{page.title}'"
            self._drift[page.key] = Drift(page.key, shown, "Confluence", found.changes, restore)
        write_body = not body_current and (restore or not found.changes)
        existing = self.api.attachments(remote.id) if hashes else {}
        stale = _stale_attachments(hashes, recorded.get("attachments"), existing)
        if not write_body and not stale:
            if not dry_run:
                self._remember(page, remote.id)
            return PublishOutcome.UNCHANGED
        if not dry_run:
            version = remote.version if body_current else int(recorded.get("version") or 0)
            if write_body:
                version = self._update(remote, page, parent_id).version
            self._upload(remote.id, page, stale, existing)
            self._mark(remote.id, marker, _value(page.key, digest, version, hashes))
            self._remember(page, remote.id)
        return PublishOutcome.UPDATED

    def orphans(self, prefix: str, planned: Iterable[str]) -> list[Orphan]:
        """The pages rte published under keys starting with `prefix` that `planned` lacks and
        that are still there (a page gone meanwhile is forgotten)."""
        if self.registry is None:
            return []
        wanted = set(planned)
        found: list[Orphan] = []
        for key, (page_id, title) in self.registry.under(prefix).items():
            if key in wanted:
                continue
            remote = self.api.page(page_id)
            marker = self.api.marker(page_id) if remote is not None else None
            if remote is None or remote.status != "current" or _owner(marker) != key:
                self.registry.forget(key)
                continue
            found.append(Orphan(key, page_id, remote.title or title))
        return found

    def archive(self, orphan: Orphan) -> Orphan:
        """Archive an orphan (and forget it); a deployment that cannot says why in `note`."""
        try:
            self.api.archive(RemotePage(orphan.page_id, orphan.title, 0))
        except ConfluenceError as exc:
            return replace(orphan, note=str(exc))
        if self.registry is not None:
            self.registry.forget(orphan.key)
        return replace(orphan, archived=True)

    # -- finding our page ---------------------------------------------------------
    def _locate(self, space: str, page: Page) -> _Found | None:
        """Our page: by the id remembered from the last publish, else by its title, else by
        its title in any case (Confluence's titles are unique regardless of case)."""
        remembered = self.registry.page_id(page.key) if self.registry else None
        if remembered is not None:
            remote = self.api.page(remembered)
            marker = self.api.marker(remote.id) if remote is not None else None
            if remote is not None and remote.status == "current" and _owner(marker) == page.key:
                return self._found(remote, marker, page)
        remote = self.api.find_page(space, page.title)
        if remote is not None:
            marker = self.api.marker(remote.id)
            self._check_owner(marker, remote, page)
            return self._found(remote, marker, page)
        for candidate in self._titled(space).get(page.title.casefold(), []):
            marker = self.api.marker(candidate.id)
            if _owner(marker) != page.key:
                raise PageOwnershipError(
                    f"the page '{candidate.title}' in space {self.space_key} (id {candidate.id}) "
                    f"has the title '{page.title}' but for its case, and Confluence's titles "
                    f"are unique regardless of case; it is not rte page '{page.key}': rename it"
                )
            return self._found(candidate, marker, page)
        return None

    def _found(self, remote: RemotePage, marker: Marker | None, page: Page) -> _Found:
        """What a person changed since rte's last write: a version rte did not write, a title
        other than the plan's."""
        recorded = marker.value if marker else {}
        changes = []
        if marker is not None and recorded.get("version") != remote.version and not remote.by_rte:
            changes.append(
                f"edited: version {remote.version} is not rte's (rte wrote version "
                f"{recorded.get('version')})"
            )
        if remote.title != page.title:
            changes.append(f"title: {page.title!r} -> {remote.title!r}")
        case_only = remote.title != page.title and remote.title.casefold() == page.title.casefold()
        return _Found(remote, marker, tuple(changes), case_only)

    def _titled(self, space: str) -> dict[str, list[RemotePage]]:
        """The space's current pages by case-folded title, listed once a publisher."""
        if self._titles is None:
            self._titles = {}
            for remote in self.api.pages(space):
                self._titles.setdefault(remote.title.casefold(), []).append(remote)
        return self._titles

    def _check_owner(self, marker: Marker | None, remote: RemotePage, page: Page) -> None:
        owner = _owner(marker)
        if owner is not None and owner != page.key:
            raise PageOwnershipError(
                f"the page '{page.title}' in space {self.space_key} (id {remote.id}) belongs to "
                f"rte page '{owner}', not '{page.key}'; rename one of them"
            )

    def _parent_of(self, page: Page, dry_run: bool) -> str | None:
        """The id of the page `page` goes under: the configured parent, or with `parent_key`
        the page rte published under that key (earlier in this run, else in an earlier one).

        In a dry run the parent may be a page only planned so far: its child is planned
        under the configured parent, as it will be created anyway."""
        if page.parent_key is None:
            return self.parent_page_id()
        found = self._ids.get(page.parent_key)
        if found is None and self.registry is not None:
            found = self.registry.page_id(page.parent_key)
        if found is None:
            if dry_run:
                return self.parent_page_id()
            raise ConfluenceError(
                f"the page '{page.title}' goes under rte page '{page.parent_key}', which is not "
                "published yet; publish that page first"
            )
        return found

    def _remember(self, page: Page, page_id: str) -> None:
        self._ids[page.key] = page_id
        if self.registry is not None:
            self.registry.remember(page.key, page_id, page.title)

    def _update(self, remote: RemotePage, page: Page, parent_id: str | None) -> RemotePage:
        try:
            return self.api.update_page(remote, page.title, page.storage, parent_id)
        except VersionConflict:
            fresh = self.api.page(remote.id)
            if fresh is None:
                raise ConfluenceError(
                    f"the page '{page.title}' (id {remote.id}) disappeared while rte wrote it; "
                    "run again to create it"
                ) from None
        try:
            return self.api.update_page(fresh, page.title, page.storage, parent_id)
        except VersionConflict:
            raise PageConflictError(
                f"the page '{page.title}' (id {remote.id}) was saved by someone else twice while "
                "rte wrote it (HTTP 409 twice); nothing was overwritten, run again later"
            ) from None

    def _upload(
        self, page_id: str, page: Page, names: list[str], existing: Mapping[str, str]
    ) -> None:
        for name in names:
            data = bytes(page.attachments[name])
            comment = f"rte sha256:{hashlib.sha256(data).hexdigest()}"
            self.api.upload(page_id, name, data, existing.get(name), comment)

    def _mark(self, page_id: str, marker: Marker | None, value: Mapping[str, Any]) -> None:
        try:
            self.api.write_marker(page_id, marker, value)
            return
        except VersionConflict:
            fresh = self.api.marker(page_id)
        try:
            self.api.write_marker(page_id, fresh, value)
        except VersionConflict:
            raise PageConflictError(
                f"the {PROPERTY_KEY} property of page {page_id} changed twice while rte wrote it "
                "(HTTP 409 twice); run again later"
            ) from None

    def space_handle(self) -> str:
        """The space's handle (read once); ConfluenceError when the space is not there."""
        if self._space is None:
            self._space = self.api.space(self.space_key)
        return self._space

    def parent_page_id(self) -> str | None:
        """The parent page's id: `parent` as given when numeric, else looked up by title
        (read once); ConfluenceError when there is no such page."""
        if self.parent is None or self._parent_id is not None:
            return self._parent_id
        found = (
            self.api.page(self.parent)
            if self.parent.isdigit()
            else self.api.find_page(self.space_handle(), self.parent)
        )
        if found is None:
            raise ConfluenceError(
                f"confluence.parent: no page '{self.parent}' in space {self.space_key} "
                "(give the title of an existing page, or its numeric id)"
            )
        self._parent_id = found.id
        return found.id


def _stale_attachments(
    hashes: Mapping[str, str], uploaded: Any, existing: Mapping[str, str]
) -> list[str]:
    """Attachments to upload: bytes changed since we uploaded them, or gone from the page."""
    uploaded = uploaded if isinstance(uploaded, Mapping) else {}
    return sorted(
        name for name, sha in hashes.items() if uploaded.get(name) != sha or name not in existing
    )


def _value(key: str, digest: str, version: int, hashes: Mapping[str, str]) -> dict[str, Any]:
    return {"key": key, "digest": digest, "version": version, "attachments": dict(hashes)}


def _owner(marker: Marker | None) -> Any:
    return marker.value.get("key") if marker else None


# --------------------------------------------------------------------------
# Wiring


@dataclass(frozen=True)
class ConfluenceCredentials:
    """Resolved credentials. Cloud: the account e-mail and an API token (basic auth).
    Data Center: a personal access token (bearer), or a user name and password."""

    token: SecretStr
    user: SecretStr | None = None


def connect(
    config: ConfluenceConfig,
    credentials: ConfluenceCredentials,
    *,
    policy: RetryPolicy | None = None,
    counter: RequestCounter | None = None,
    session: requests.Session | None = None,
    registry: PageRegistry | None = None,
) -> ConfluencePublisher:
    """A publisher for the site `config` names; no request is sent yet.

    Creating a page is not idempotent, so POSTs are repeated only when
    Confluence said it did not process them (429, 503); anything else is
    left to the next run's reconcile.
    """
    if config.backend not in ("cloud", "datacenter") or not config.url or not config.space:
        raise ValueError("confluence.backend must be 'cloud' or 'datacenter', with url and space")
    policy = policy or RetryPolicy(retry_unsafe_methods=False)
    session = mount_retrying(
        session or requests.Session(), policy, counter if counter is not None else RequestCounter()
    )
    options: dict[str, Any] = {
        "session": session,
        "timeout": int(policy.read_timeout),
        "backoff_and_retry": False,
        "retry_with_header": False,  # one retry layer: ours
    }
    token = credentials.token.get_secret_value()
    user = credentials.user.get_secret_value() if credentials.user is not None else None
    if user is not None:
        options.update(username=user, password=token)
    elif config.backend == "cloud":
        raise ValueError("confluence.auth.user is required for Confluence Cloud (the e-mail)")
    else:
        options["token"] = token
    errors = ServiceErrors(
        where=f"Confluence at {config.url}",
        credentials=(
            "confluence.auth.user and confluence.auth.token (Cloud: account e-mail and API "
            "token; Data Center: a personal access token)"
        ),
        permissions=(
            f"the account needs permission to view space {config.space}, add and edit pages, "
            "and add attachments there"
        ),
        not_found=(
            "check confluence.url (Cloud: https://SITE.atlassian.net; Data Center: the base URL "
            "with its context path) and that the account can see the page"
        ),
        scrub=Scrubber.login(token, user),
    )
    pages = CloudPages if config.backend == "cloud" else DataCenterPages
    api = pages(config.url, options, errors)
    return ConfluencePublisher(
        api, space=config.space, parent=config.parent, on_drift=config.on_drift, registry=registry
    )
