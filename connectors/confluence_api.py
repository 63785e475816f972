"""The port the Confluence publisher writes through, and what its two adapters share.

`connectors.confluence` reconciles pages against `PageApi`; `confluence_cloud`
(REST v2) and `confluence_dc` (REST v1) implement it on `RestPages`, which
holds the library client, the upload both deployments do alike, and the
translation of the libraries' exceptions into `ConfluenceError`s worded by
`connectors.errors.ServiceErrors` (status, Confluence's own reason, what to
check, never a credential).
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from atlassian.errors import ApiError

from connectors.errors import ConnectorError, RetriesSpent, ServiceErrors
from connectors.http import RetriesExhaustedError

PROPERTY_KEY = "rte.page"
PUBLISHED_BY = "Published by rte"  # the version message of every page version rte writes
_NO_CHECK = {"X-Atlassian-Token": "no-check", "Accept": "application/json"}


# --------------------------------------------------------------------------
# Errors


class ConfluenceError(ConnectorError):
    """Confluence refused or could not do something; the message says what to check."""


class ConfluenceAuthError(ConfluenceError):
    """The credentials were refused, or the account lacks a permission it needs."""


class ConfluenceUnavailableError(ConfluenceError):
    """Confluence kept throttling or failing until the retry policy's budget was spent."""


class ConfluenceRetriesSpentError(ConfluenceUnavailableError, RetriesSpent):
    """A call spent the whole retry budget: Confluence is down or throttling hard, so the
    next call would most likely spend it again."""


class PageConflictError(ConfluenceError):
    """Someone kept editing the page while we wrote it: re-read and retried once, in vain."""


class PageOwnershipError(ConfluenceError):
    """A page with the title exists but belongs to another rte page key."""


class VersionConflict(Exception):
    """HTTP 409 on a versioned write: the adapters raise it, the publisher retries once."""


# --------------------------------------------------------------------------
# The port


@dataclass(frozen=True, slots=True)
class RemotePage:
    id: str
    title: str
    version: int
    message: str = ""  # the current version's message: PUBLISHED_BY when rte wrote it
    status: str = "current"

    @property
    def by_rte(self) -> bool:
        return self.message == PUBLISHED_BY


def remote_page(answer: Any) -> RemotePage:
    """A page as either API describes it (both carry `id`, `title`, `version.number`)."""
    if not isinstance(answer, Mapping) or answer.get("id") is None:
        raise ConfluenceError("Confluence answered with something that is not a page")
    version = answer.get("version")
    version = version if isinstance(version, Mapping) else {}
    return RemotePage(
        str(answer["id"]),
        str(answer.get("title") or ""),
        int(version.get("number") or 1),
        str(version.get("message") or ""),
        str(answer.get("status") or "current"),
    )


@dataclass(frozen=True, slots=True)
class Orphan:
    """A page rte published for a key the plan no longer has (a team or PI renamed)."""

    key: str
    page_id: str
    title: str
    archived: bool = False
    note: str = ""


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

    def find_page(self, space: str, title: str) -> RemotePage | None:
        """The current page titled exactly `title` (Confluence's lookup is case-sensitive)."""

    def pages(self, space: str) -> Iterator[RemotePage]:
        """Every current page of the space (for titles that differ only in case)."""

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

    def archive(self, page: RemotePage) -> None:
        """Archive the page; a ConfluenceError when the deployment cannot."""


def next_version(version: int) -> dict[str, Any]:
    """The `version` of a write that follows `version`, signed as ours in the page history."""
    return {"number": version + 1, "message": PUBLISHED_BY}


# --------------------------------------------------------------------------
# What the two adapters share


class RestPages:
    """The library client of one deployment, its answers translated, and the upload.

    Each adapter hands over its configured client; reads that may find
    nothing, the versioned page write and the upload work alike on both.
    """

    def __init__(self, client: Any, site: str, errors: ServiceErrors) -> None:
        self.client = client
        self.site = site
        self.errors = errors

    @contextmanager
    def answers(self, call: str, *, conflict: bool = False) -> Iterator[None]:
        """Turn the libraries' exceptions into ConfluenceErrors that say what to check.

        With `conflict`, an HTTP 409 is a `VersionConflict` for the publisher
        to re-read and retry, not an error.
        """
        try:
            yield
        except RetriesExhaustedError as exc:
            raise ConfluenceRetriesSpentError(self.errors.unreachable(call, exc)) from None
        except (requests.HTTPError, ApiError) as exc:
            response = _response_of(exc)
            status = response.status_code if response is not None else None
            if conflict and status == 409:
                raise VersionConflict(call) from None
            message = self.errors.refused(call, status, _reason(response))
            raise (ConfluenceAuthError if status in (401, 403) else ConfluenceError)(
                message
            ) from None
        except requests.RequestException as exc:
            raise ConfluenceUnavailableError(self.errors.unreachable(call, exc)) from None
        except ValueError:
            raise ConfluenceError(self.errors.not_json(call)) from None

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
            f"confluence.space: there is no space with key '{key}' at {self.site}, "
            "or the account may not see it"
        )


def _response_of(exc: BaseException) -> requests.Response | None:
    response = getattr(exc, "response", None)
    if response is None and isinstance(exc, ApiError):
        response = getattr(exc.reason, "response", None)
    return response if isinstance(response, requests.Response) else None


def _reason(response: requests.Response | None) -> str:
    """Confluence's explanation: v2 `errors[].title` (which the library does not read), v1
    `message`, Jira-style `errorMessages`; else the body as it is."""
    if response is None:
        return ""
    try:
        body = response.json()
    except ValueError:
        return response.text
    parts: list[str] = []
    if isinstance(body, Mapping):
        for error in body.get("errors") or []:
            if isinstance(error, Mapping):
                parts.append(str(error.get("title") or error.get("detail") or error.get("code")))
        if isinstance(body.get("message"), str):
            parts.append(body["message"])
        parts.extend(str(message) for message in body.get("errorMessages") or [])
    return "; ".join(parts) if parts else json.dumps(body)
