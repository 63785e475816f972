"""Confluence Data Center for the publisher: REST v1 (`/rest/api/content`) through the
`Confluence` class of atlassian-python-api, in its server form (`ConfluenceServer`:
`atlassian.Confluence(cloud=False)` is a proxy around it whose inherited `get`/`put`
would bypass the server class's own request handling).

Spaces, page lookup by title, page creation and content properties go through
the library. The update is sent directly, because the library's `update_page`
first re-reads the page to learn its version: a save made by someone between
our read and our write would then be overwritten silently, where sending the
version we read makes Confluence answer 409 and lets the publisher re-read and
retry once. Uploads go through REST v1 like on Cloud (`RestPages.upload`).
Data Center's REST API has no page archive (its archive is the space's,
`PUT /rest/api/space/{key}/archive`), so `archive` refuses and says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atlassian.confluence import ConfluenceServer

from connectors.confluence_api import (
    PROPERTY_KEY,
    ConfluenceError,
    Marker,
    RemotePage,
    RestPages,
    next_version,
    remote_page,
)
from connectors.errors import ServiceErrors

_PAGE_SIZE = 200


class DataCenterPages(RestPages):
    """The `PageApi` of Confluence Data Center (and Server)."""

    def __init__(self, url: str, options: Mapping[str, Any], errors: ServiceErrors) -> None:
        super().__init__(ConfluenceServer(url.rstrip("/"), cloud=False, **options), url, errors)

    def space(self, key: str) -> str:
        if self._optional_json("GET /rest/api/space/{key}", f"rest/api/space/{key}") is None:
            raise self._no_space(key)
        return key

    def find_page(self, space: str, title: str) -> RemotePage | None:
        with self.answers("GET /rest/api/content"):
            found = self.client.get_page_by_title(space, title, expand="version", limit=_PAGE_SIZE)
        results = found.get("results") if isinstance(found, Mapping) else None
        return next(
            (remote_page(page) for page in results or [] if page.get("title") == title), None
        )

    def pages(self, space: str) -> Iterator[RemotePage]:
        start = 0
        while True:
            params = {"spaceKey": space, "type": "page", "status": "current"}
            params |= {"expand": "version", "start": str(start), "limit": str(_PAGE_SIZE)}
            found = self._optional_json("GET /rest/api/content", "rest/api/content", params)
            results = found.get("results") if isinstance(found, Mapping) else None
            yield from (remote_page(page) for page in results or [])
            if not results or len(results) < int(found.get("limit") or _PAGE_SIZE):
                return  # a short page is the last (Data Center may cap the limit asked for)
            start += len(results)

    def archive(self, page: RemotePage) -> None:
        raise ConfluenceError(
            f"Confluence Data Center's REST API cannot archive a page; archive '{page.title}' "
            f"(id {page.id}) by hand, or leave it"
        )

    def page(self, page_id: str) -> RemotePage | None:
        found = self._optional_json(
            "GET /rest/api/content/{id}",
            f"rest/api/content/{page_id}",
            {"expand": "version"},
        )
        return None if found is None else remote_page(found)

    def create_page(self, space: str, title: str, body: str, parent_id: str | None) -> RemotePage:
        with self.answers("POST /rest/api/content"):
            created = self.client.create_page(
                space, title, body, parent_id=parent_id, representation="storage"
            )
        return remote_page(created)

    def update_page(
        self, page: RemotePage, title: str, body: str, parent_id: str | None
    ) -> RemotePage:
        data: dict[str, Any] = {
            "id": page.id,
            "type": "page",
            "title": title,
            "status": "current",
            "body": {"storage": {"value": body, "representation": "storage"}},
            "version": next_version(page.version),
        }
        if parent_id is not None:
            data["ancestors"] = [{"id": parent_id}]
        return self._put_page("PUT /rest/api/content/{id}", f"rest/api/content/{page.id}", data)

    def marker(self, page_id: str) -> Marker | None:
        found = self._optional_json(
            "GET /rest/api/content/{id}/property/{key}",
            f"rest/api/content/{page_id}/property/{PROPERTY_KEY}",
        )
        value = found.get("value") if isinstance(found, Mapping) else None
        if not isinstance(value, Mapping):
            return None
        return Marker(None, int((found.get("version") or {}).get("number", 1)), value)

    def write_marker(self, page_id: str, existing: Marker | None, value: Mapping[str, Any]) -> None:
        if existing is None:
            with self.answers("POST /rest/api/content/{id}/property"):
                self.client.set_page_property(page_id, {"key": PROPERTY_KEY, "value": dict(value)})
            return
        data = {
            "key": PROPERTY_KEY,
            "value": dict(value),
            "version": {"number": existing.version + 1, "minorEdit": True},
        }
        with self.answers("PUT /rest/api/content/{id}/property/{key}", conflict=True):
            self.client.update_page_property(page_id, data)

    def attachments(self, page_id: str) -> dict[str, str]:
        with self.answers("GET /rest/api/content/{id}/child/attachment"):
            found = self.client.get_attachments_from_content(page_id, limit=_PAGE_SIZE)
        results = found.get("results") if isinstance(found, Mapping) else None
        return {str(item["title"]): str(item["id"]) for item in results or [] if item.get("title")}
