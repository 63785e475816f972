"""Confluence Cloud for the publisher: REST v2 through atlassian-python-api's ConfluenceV2.

The library's v2 client is used for what it gets right (the session and auth,
spaces by key, page by id, page creation, content properties by id). Its
known gaps (atlassian-python-api 5.0.x) are worked around here, each with the
direct call the v2 API documents:

- `get_pages` without a body asks for `body-format=none`, a value the API does
  not define: pages are looked up by title without that parameter;
- `update_page` omits the required `status`: the update is sent in full
  (`id`, `status`, `title`, `body` with its representation, `version` =
  current + 1, and `parentId`);
- `get/update_page_property` address a property by key where the API wants
  its id: the property is found with `?key=` and then written by id;
- v2 has no attachment upload: REST v1 with `X-Atlassian-Token: no-check`
  (`RestPages.upload` in `connectors/confluence_api.py`);
- v2 cannot archive a page (its update takes the status `current` or `draft`
  only): REST v1 `POST /wiki/rest/api/content/archive` ("Archive pages",
  https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-content/
  #api-wiki-rest-api-content-archive-post), which starts the archiving as a
  long-running task.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from atlassian import ConfluenceV2

from connectors.confluence_api import (
    PROPERTY_KEY,
    Marker,
    RemotePage,
    RestPages,
    next_version,
    remote_page,
)
from connectors.errors import ServiceErrors

_PAGE_SIZE = 250


def wiki_url(url: str) -> str:
    """Cloud serves Confluence under `/wiki`; accept the site URL with or without it."""
    url = url.rstrip("/")
    return url if url.endswith("/wiki") else f"{url}/wiki"


class CloudPages(RestPages):
    """The `PageApi` of Confluence Cloud."""

    def __init__(self, url: str, options: Mapping[str, Any], errors: ServiceErrors) -> None:
        with warnings.catch_warnings():  # the class warns about v1 methods we do not call
            warnings.simplefilter("ignore", DeprecationWarning)
            client = ConfluenceV2(wiki_url(url), **options)
        super().__init__(client, url, errors)

    def space(self, key: str) -> str:
        with self.answers("GET /api/v2/spaces"):
            spaces = self.client.get_spaces(keys=[key], limit=1)
        if not spaces:
            raise self._no_space(key)
        return str(spaces[0]["id"])

    def find_page(self, space: str, title: str) -> RemotePage | None:
        params = {"space-id": space, "title": title, "status": "current", "limit": _PAGE_SIZE}
        for page in self._paged("api/v2/pages", params, "GET /api/v2/pages"):
            if page.get("title") == title:
                return remote_page(page)
        return None

    def pages(self, space: str) -> Iterator[RemotePage]:
        params = {"space-id": space, "status": "current", "limit": _PAGE_SIZE}
        for page in self._paged("api/v2/pages", params, "GET /api/v2/pages"):
            yield remote_page(page)

    def page(self, page_id: str) -> RemotePage | None:
        found = self._optional_json("GET /api/v2/pages/{id}", f"api/v2/pages/{page_id}")
        return None if found is None else remote_page(found)

    def archive(self, page: RemotePage) -> None:
        with self.answers("POST /rest/api/content/archive"):
            self.client.post("rest/api/content/archive", data={"pages": [{"id": int(page.id)}]})

    def create_page(self, space: str, title: str, body: str, parent_id: str | None) -> RemotePage:
        with self.answers("POST /api/v2/pages"):
            created = self.client.create_page(
                space_id=space,
                title=title,
                body=body,
                parent_id=parent_id,
                representation="storage",
            )
        return remote_page(created)

    def update_page(
        self, page: RemotePage, title: str, body: str, parent_id: str | None
    ) -> RemotePage:
        data: dict[str, Any] = {
            "id": page.id,
            "status": "current",
            "title": title,
            "body": {"representation": "storage", "value": body},
            "version": next_version(page.version),
        }
        if parent_id is not None:
            data["parentId"] = parent_id
        return self._put_page("PUT /api/v2/pages/{id}", f"api/v2/pages/{page.id}", data)

    def marker(self, page_id: str) -> Marker | None:
        params = {"key": PROPERTY_KEY}
        path = f"api/v2/pages/{page_id}/properties"
        for found in self._paged(path, params, "GET /api/v2/pages/{id}/properties"):
            if found.get("key") == PROPERTY_KEY and isinstance(found.get("value"), Mapping):
                version = (found.get("version") or {}).get("number", 1)
                return Marker(str(found["id"]), int(version), found["value"])
        return None

    def write_marker(self, page_id: str, existing: Marker | None, value: Mapping[str, Any]) -> None:
        if existing is None or existing.id is None:
            with self.answers("POST /api/v2/pages/{id}/properties"):
                self.client.create_v2_content_property(
                    "page", page_id, {"key": PROPERTY_KEY, "value": dict(value)}
                )
            return
        data = {
            "key": PROPERTY_KEY,
            "value": dict(value),
            "version": next_version(existing.version),
        }
        with self.answers("PUT /api/v2/pages/{id}/properties/{id}", conflict=True):
            self.client.update_v2_content_property("page", page_id, existing.id, data)

    def attachments(self, page_id: str) -> dict[str, str]:
        path = f"api/v2/pages/{page_id}/attachments"
        found = self._paged(path, {"limit": _PAGE_SIZE}, "GET /api/v2/pages/{id}/attachments")
        return {str(item["title"]): str(item["id"]) for item in found if item.get("title")}

    def _paged(self, path: str, params: Mapping[str, Any], call: str) -> Iterator[dict[str, Any]]:
        """Every result of a v2 listing, following its cursor links."""
        query = dict(params)
        while True:
            with self.answers(call):
                body = self.client.get(path, params=query)
            results = body.get("results") if isinstance(body, Mapping) else None
            yield from (item for item in results or [] if isinstance(item, dict))
            links = body.get("_links") if isinstance(body, Mapping) else None
            following = links.get("next") if isinstance(links, Mapping) else None
            cursor = parse_qs(urlsplit(following).query).get("cursor") if following else None
            if not cursor:
                return
            query["cursor"] = cursor[0]
