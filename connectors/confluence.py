"""Publishing pages to Confluence as a reconcile: write only what differs.

Every page we own carries a content property, `rte.page`, holding its stable
key, a digest of what we last wrote (title, parent and storage body), the
page version that write made, and the SHA-256 of each attachment we
uploaded. Publishing a page:

1. finds it by title in the space (titles are predictable by design);
2. reads the property: when digest and attachment hashes match what we
   would write *and* the page is still at the version we wrote, it is
   unchanged: no request but reads, no new version, no notification;
3. otherwise updates the body (version = current + 1), uploads only the
   attachments whose bytes changed, and rewrites the property last, so a
   run that crashes half-way simply redoes the rest next time.

Storage bodies are compared by digest, never by text: Confluence normalises
what it stores, so a textual comparison would rewrite every page every run.
A page edited by hand since our last write has a newer version, so the next
run restores it (the person's edit stays in the page history).

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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from pydantic import SecretStr

from art.config import ConfluenceConfig
from art.model import Page, PublishOutcome
from connectors.confluence_api import (
    PROPERTY_KEY,
    ConfluenceError,
    Marker,
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

# --------------------------------------------------------------------------
# The reconcile


def page_digest(page: Page, parent_id: str | None) -> str:
    """What a body write depends on: title, parent and storage (not attachments)."""
    digest = hashlib.sha256()
    for part in (page.title, parent_id or "", page.storage):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class ConfluencePublisher:
    """Publishes `Page`s into one space, under one parent page, writing only what differs."""

    def __init__(self, api: PageApi, *, space: str, parent: str | None = None) -> None:
        self.api = api
        self.space_key = space
        self.parent = parent
        self._space: str | None = None
        self._parent_id: str | None = None

    def publish_page(self, page: Page, *, dry_run: bool = False) -> PublishOutcome:
        """Reconcile one page; with `dry_run`, read and say what would happen, write nothing."""
        space, parent_id = self.space_handle(), self.parent_page_id()
        digest = page_digest(page, parent_id)
        hashes = {name: hashlib.sha256(data).hexdigest() for name, data in page.attachments.items()}
        remote = self.api.find_page(space, page.title)
        if remote is None:
            if not dry_run:
                created = self.api.create_page(space, page.title, page.storage, parent_id)
                self._upload(created.id, page, sorted(hashes), {})
                self._mark(created.id, None, _value(page.key, digest, created.version, hashes))
            return PublishOutcome.CREATED
        marker = self.api.marker(remote.id)
        owner = marker.value.get("key") if marker else None
        if owner is not None and owner != page.key:
            raise PageOwnershipError(
                f"the page '{page.title}' in space {self.space_key} (id {remote.id}) belongs to "
                f"rte page '{owner}', not '{page.key}'; rename one of them"
            )
        recorded = marker.value if marker else {}
        body_current = (
            recorded.get("digest") == digest and recorded.get("version") == remote.version
        )
        existing = self.api.attachments(remote.id) if hashes else {}
        stale = _stale_attachments(hashes, recorded.get("attachments"), existing)
        if body_current and not stale:
            return PublishOutcome.UNCHANGED
        if not dry_run:
            version = remote.version
            if not body_current:
                version = self._update(remote, page, parent_id).version
            self._upload(remote.id, page, stale, existing)
            self._mark(remote.id, marker, _value(page.key, digest, version, hashes))
        return PublishOutcome.UPDATED

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
    return ConfluencePublisher(api, space=config.space, parent=config.parent)
