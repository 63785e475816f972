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
`PageApi` port here. Every request goes through the shared retry policy of
`connectors.http`, with the library's own retries off.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from atlassian.errors import ApiError
from pydantic import SecretStr

from art.config import ConfluenceConfig
from art.model import Page, PublishOutcome
from connectors.errors import ConnectorError
from connectors.http import RequestCounter, RetriesExhaustedError, RetryPolicy
from connectors.http_requests import mount_retrying

PROPERTY_KEY = "rte.page"
_NO_CHECK = {"X-Atlassian-Token": "no-check", "Accept": "application/json"}
_MAX_REASON = 300


# --------------------------------------------------------------------------
# Errors


class ConfluenceError(ConnectorError):
    """Confluence refused or could not do something; the message says what to check."""


class ConfluenceAuthError(ConfluenceError):
    """The credentials were refused, or the account lacks a permission it needs."""


class ConfluenceUnavailableError(ConfluenceError):
    """Confluence kept throttling or failing until the retry policy's budget was spent."""


class ConfluenceRetriesSpentError(ConfluenceUnavailableError):
    """A call spent the whole retry budget: Confluence is down or throttling hard, so the
    next call would most likely spend it again."""


class PageConflictError(ConfluenceError):
    """Someone kept editing the page while we wrote it: re-read and retried once, in vain."""


class PageOwnershipError(ConfluenceError):
    """A page with the title exists but belongs to another rte page key."""


class VersionConflict(Exception):
    """HTTP 409 on a versioned write: the adapters raise it, the publisher retries once."""


# --------------------------------------------------------------------------
# The port the two deployments implement


@dataclass(frozen=True, slots=True)
class RemotePage:
    id: str
    title: str
    version: int


def remote_page(answer: Any) -> RemotePage:
    """A page as either API describes it (both carry `id`, `title`, `version.number`)."""
    if not isinstance(answer, Mapping) or answer.get("id") is None:
        raise ConfluenceError("Confluence answered with something that is not a page")
    version = answer.get("version")
    number = version.get("number") if isinstance(version, Mapping) else None
    return RemotePage(str(answer["id"]), str(answer.get("title") or ""), int(number or 1))


@dataclass(frozen=True, slots=True)
class Marker:
    """Our content property on a page: its id (Cloud) and version, and its value."""

    id: str | None
    version: int
    value: Mapping[str, Any]


class PageApi(Protocol):
    """What the reconcile needs from a Confluence deployment."""

    def space(self, key: str) -> str:
        """The space's handle for the calls below (Cloud: its id; Data Center: its key)."""

    def find_page(self, space: str, title: str) -> RemotePage | None: ...

    def page(self, page_id: str) -> RemotePage | None: ...

    def create_page(
        self, space: str, title: str, body: str, parent_id: str | None
    ) -> RemotePage: ...

    def update_page(
        self, page: RemotePage, title: str, body: str, parent_id: str | None
    ) -> RemotePage:
        """Write version `page.version + 1`; VersionConflict when that is not next."""

    def marker(self, page_id: str) -> Marker | None: ...

    def write_marker(
        self, page_id: str, existing: Marker | None, value: Mapping[str, Any]
    ) -> None: ...

    def attachments(self, page_id: str) -> dict[str, str]:
        """Attachment id by file name."""

    def upload(
        self, page_id: str, name: str, data: bytes, existing_id: str | None, comment: str
    ) -> None: ...


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
        space, parent_id = self._space_handle(), self._parent_page_id()
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

    def _space_handle(self) -> str:
        if self._space is None:
            self._space = self.api.space(self.space_key)
        return self._space

    def _parent_page_id(self) -> str | None:
        """The parent page's id: `parent` as given when numeric, else looked up by title."""
        if self.parent is None or self._parent_id is not None:
            return self._parent_id
        found = (
            self.api.page(self.parent)
            if self.parent.isdigit()
            else self.api.find_page(self._space_handle(), self.parent)
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
    if credentials.user is not None:
        options.update(username=credentials.user.get_secret_value(), password=token)
    elif config.backend == "cloud":
        raise ValueError("confluence.auth.user is required for Confluence Cloud (the e-mail)")
    else:
        options["token"] = token
    secrets = [token] + ([credentials.user.get_secret_value()] if credentials.user else [])
    api: PageApi
    if config.backend == "cloud":
        from connectors.confluence_cloud import CloudPages

        api = CloudPages(config.url, options, Translator(config.url, config.space, secrets))
    else:
        from connectors.confluence_dc import DataCenterPages

        api = DataCenterPages(config.url, options, Translator(config.url, config.space, secrets))
    return ConfluencePublisher(api, space=config.space, parent=config.parent)


# --------------------------------------------------------------------------
# Shared by the adapters


class Translator:
    """Turns the libraries' exceptions into ConfluenceErrors that say what to check.

    Messages carry the status and Confluence's own reason (v2 puts it in
    `errors[].title`, which the library does not read), never a credential.
    """

    def __init__(self, site: str, space: str, secrets: list[str]) -> None:
        self.site = site
        self.space = space
        self._secrets = [secret for secret in secrets if secret]

    @contextmanager
    def answers(self, call: str, *, conflict: bool = False) -> Iterator[None]:
        try:
            yield
        except RetriesExhaustedError as exc:
            raise ConfluenceRetriesSpentError(
                self.clean(f"Confluence at {self.site}: {exc}")
            ) from None
        except (requests.HTTPError, ApiError) as exc:
            response = _response_of(exc)
            status = response.status_code if response is not None else None
            if conflict and status == 409:
                raise VersionConflict(call) from None
            raise self.refused(call, status, _reason(response)) from None
        except requests.RequestException as exc:
            raise ConfluenceUnavailableError(
                self.clean(f"Confluence at {self.site}: {call} failed ({type(exc).__name__})")
            ) from None
        except ValueError:
            raise ConfluenceError(
                f"Confluence at {self.site}: the answer to {call} is not JSON"
            ) from None

    def refused(self, call: str, status: int | None, reason: str) -> ConfluenceError:
        said = f": {reason}" if reason else ""
        where = f"Confluence at {self.site} answered HTTP {status} to {call}{said}"
        if status == 401:
            return ConfluenceAuthError(
                self.clean(
                    f"{where}; check confluence.auth.user and confluence.auth.token "
                    "(Cloud: account e-mail and API token; Data Center: a personal access token)"
                )
            )
        if status == 403:
            return ConfluenceAuthError(
                self.clean(
                    f"{where}; the account needs permission to view space {self.space}, add and "
                    "edit pages, and add attachments there"
                )
            )
        if status == 404:
            return ConfluenceError(
                self.clean(
                    f"{where}; check confluence.url (Cloud: https://SITE.atlassian.net; "
                    "Data Center: the base URL with its context path) and that the account can "
                    "see the page"
                )
            )
        return ConfluenceError(self.clean(where))

    def clean(self, text: str) -> str:
        """Defence in depth: no credential value survives into a message."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _response_of(exc: BaseException) -> requests.Response | None:
    response = getattr(exc, "response", None)
    if response is None and isinstance(exc, ApiError):
        response = getattr(exc.reason, "response", None)
    return response if isinstance(response, requests.Response) else None


def _reason(response: requests.Response | None) -> str:
    """Confluence's explanation: v2 `errors[].title`, v1 `message`, else a bounded body."""
    if response is None:
        return ""
    try:
        body = response.json()
    except ValueError:
        return " ".join(response.text.split())[:_MAX_REASON]
    parts: list[str] = []
    if isinstance(body, Mapping):
        for error in body.get("errors") or []:
            if isinstance(error, Mapping):
                parts.append(str(error.get("title") or error.get("detail") or error.get("code")))
        if isinstance(body.get("message"), str):
            parts.append(body["message"])
        parts.extend(str(message) for message in body.get("errorMessages") or [])
    return "; ".join(parts)[:_MAX_REASON] if parts else json.dumps(body)[:_MAX_REASON]


class RestPages:
    """What the Cloud and Data Center adapters share: the library client and its answers.

    Each adapter hands over its configured client; reads that may find
    nothing, the versioned page write and the upload work alike on both.
    """

    def __init__(self, client: Any, translator: Translator) -> None:
        self.client = client
        self.translator = translator
        self.answers = translator.answers

    def upload(
        self, page_id: str, name: str, data: bytes, existing_id: str | None, comment: str
    ) -> None:
        """Upload through REST v1, the only upload API on both deployments.

        A new file is POSTed to `.../child/attachment`; a new version of an
        existing one to `.../child/attachment/{id}/data`. Not the library's
        `attach_content`: re-attaching with its default API version sends a
        multipart PUT that Confluence answers 415, and `PUT .../child/attachment`
        is Cloud-only (405 on Data Center). Both need `X-Atlassian-Token: no-check`.
        """
        path = f"rest/api/content/{page_id}/child/attachment"
        if existing_id is not None:
            path += f"/{existing_id}/data"
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        with self.answers(f"POST {path}"):
            self.client.post(
                path,
                data={"comment": comment, "minorEdit": "true"},
                files={"file": (name, data, media_type)},
                headers=_NO_CHECK,
            )

    def _optional_json(self, call: str, path: str, params: Mapping[str, str] | None = None) -> Any:
        """The JSON answer at `path`, or None on 404 (no such space, page or property)."""
        with self.answers(call):
            response = self.client.get(path, params=dict(params or {}), advanced_mode=True)
            if response.status_code == 404:
                return None
            self.client.raise_for_status(response)
            return response.json()

    def _put_page(self, call: str, path: str, data: Mapping[str, Any]) -> RemotePage:
        """Send a full page update; VersionConflict when its version is not the next one."""
        with self.answers(call, conflict=True):
            updated = self.client.put(path, data=data)
        return remote_page(updated)

    def _no_space(self, key: str) -> ConfluenceError:
        return ConfluenceError(
            f"confluence.space: there is no space with key '{key}' at "
            f"{self.translator.site}, or the account may not see it"
        )


def next_version(version: int) -> dict[str, Any]:
    """The `version` of a write that follows `version`, signed as ours in the page history."""
    return {"number": version + 1, "message": "Published by rte"}
