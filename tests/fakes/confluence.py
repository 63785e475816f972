"""A stateful Confluence on 127.0.0.1: Cloud REST v2 (+ v1 attachments) or Data Center REST v1.

It keeps spaces, pages with their versions, content properties and
attachments, and answers the way the vendor's contract says (responses are
checked against `tests/contracts/confluence-v2-subset.json` in
`tests/integration/test_confluence_contract.py`), including the refusals the
real service makes and client libraries trip over:

- v2 `PUT /pages/{id}` needs `id`, `status`, `title`, `body` and `version`,
  and `version.number` must be the current one plus one (else 409);
- v2 `GET /pages` knows only `body-format` storage and atlas_doc_format;
- v2 property writes address a property by its numeric id, not its key;
- attachments are uploaded through v1 and need `X-Atlassian-Token: no-check`;
  a multipart PUT on `/rest/api/content/{id}` is answered 415, and
  `PUT .../child/attachment` exists on Cloud only (405 on Data Center);
- titles are unique among a space's current pages regardless of case, while
  the lookup by title (v2 `GET /pages?title=`, v1 `GET /content?title=`) is
  exact: a create or a rename to a title that differs from another page's
  only in case is answered 400 "A page with this title already exists", and
  `?title=page` does not find "Page". Atlassian documents the uniqueness per
  space ("Wiki page names must be unique within a space", CONFCLOUD-2524,
  https://jira.atlassian.com/browse/CONFCLOUD-2524) but no page of its REST
  reference says how case counts; the fake follows what Atlassian's developer
  community reports of Confluence itself ("No two pages with the same title
  but different casing are allowed in the same space ... the Confluence REST
  API seems to be case-sensitive about page titles", "Inconsistencies with page
  title case sensitivity",
  https://community.developer.atlassian.com/t/inconsistencies-with-page-title-case-sensitivity/38664);
- Cloud archives pages through REST v1 `POST /wiki/rest/api/content/archive`
  with `{"pages": [{"id": ...}]}`, answered with a long-running task ("Archive
  pages", Confluence Cloud REST API v1,
  https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-content/#api-wiki-rest-api-content-archive-post;
  "Each content ID needs to resolve to page objects that are not already in an
  archived state"); v2's page update takes only `current` or `draft`, and Data
  Center's REST API archives spaces, not pages, so neither has the route.

Tests read the state directly (`page_by_title`, `property_value`,
`attachment`), simulate a person editing or renaming (`edit_page`,
`rename_page`, `race`) and count writes in the request log (`write_count`).
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from tests.fakes.atlassian import AtlassianSite
from tests.fakes.server import Request, Response

USER = "rte@example.com"
TOKEN = "fake-confluence-token"
ACCOUNT = "557058:rte-service-account"
_EPOCH = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
_V2_BODY_FORMATS = ("storage", "atlas_doc_format")
_PAGE_STATUSES = ("current", "archived", "deleted", "trashed")


@dataclass
class FakeSpace:
    id: str
    key: str
    name: str
    homepage_id: str = ""


@dataclass
class FakeVersion:
    number: int
    title: str
    body: str
    message: str
    created: str
    author: str = ACCOUNT


@dataclass
class FakePage:
    id: str
    space_key: str
    parent_id: str | None
    versions: list[FakeVersion]
    created: str
    status: str = "current"

    @property
    def current(self) -> FakeVersion:
        return self.versions[-1]

    @property
    def title(self) -> str:
        return self.current.title

    @property
    def body(self) -> str:
        return self.current.body

    @property
    def version(self) -> int:
        return self.current.number


@dataclass
class FakeProperty:
    id: str
    key: str
    value: Any
    version: int = 1


@dataclass
class FakeAttachment:
    id: str
    page_id: str
    title: str
    media_type: str
    data: bytes
    comment: str
    created: str
    version: int = 1
    uploads: int = 1


@dataclass
class _State:
    spaces: dict[str, FakeSpace] = field(default_factory=dict)
    pages: dict[str, FakePage] = field(default_factory=dict)
    properties: dict[str, dict[str, FakeProperty]] = field(default_factory=dict)
    attachments: dict[str, dict[str, FakeAttachment]] = field(default_factory=dict)


class FakeConfluence(AtlassianSite):
    """Confluence Cloud (`deployment="cloud"`, under /wiki) or Data Center (`"datacenter"`)."""

    def __init__(
        self,
        *,
        deployment: str = "cloud",
        user: str | None = USER,
        token: str = TOKEN,
        page_size: int = 25,
        latency: float = 0.0,
        seed: int = 0,
    ) -> None:
        super().__init__(deployment, user=user, token=token, latency=latency, seed=seed)
        self.page_size = page_size
        self.state = _State()
        self._ids = itertools.count(65_537)
        self._clock = itertools.count()
        self._races: dict[str, int] = {}
        self.prefix = "/wiki" if deployment == "cloud" else ""
        if deployment == "cloud":
            self._cloud_routes()
        else:
            self._datacenter_routes()
        self._attachment_routes()

    # -- set-up and inspection for tests ---------------------------------------------
    @property
    def base_url(self) -> str:
        """What `confluence.url` should say: the site root (Cloud's /wiki is implied)."""
        return self.url

    def add_space(self, key: str, name: str | None = None) -> FakeSpace:
        with self.lock:
            space = FakeSpace(self._id(), key, name or f"{key} space")
            self.state.spaces[key] = space
            home = self._new_page(space, f"{space.name} Home", "<p>Welcome</p>", None)
            space.homepage_id = home.id
            return space

    def add_page(
        self,
        space_key: str,
        title: str,
        body: str = "<p>Written by a person.</p>",
        parent_id: str | None = None,
    ) -> FakePage:
        with self.lock:
            space = self.state.spaces[space_key]
            return self._new_page(space, title, body, parent_id or space.homepage_id)

    def edit_page(self, page_id: str, body: str = "<p>Edited by a person.</p>") -> FakePage:
        """A person saves the page: a new version with another author."""
        with self.lock:
            page = self.state.pages[page_id]
            page.versions.append(
                FakeVersion(page.version + 1, page.title, body, "", self._now(), "someone-else")
            )
            return page

    def rename_page(self, page_id: str, title: str) -> FakePage:
        """A person renames the page: a new version with the new title and another author
        (refused, as by Confluence, when another page has that title in any case)."""
        with self.lock:
            page = self.state.pages[page_id]
            if self._title_taken(page.space_key, title, other_than=page.id):
                raise ValueError(f"A page with this title already exists: {title}")
            page.versions.append(
                FakeVersion(page.version + 1, title, page.body, "", self._now(), "someone-else")
            )
            return page

    def race(self, page_id: str, times: int = 1) -> None:
        """Before each of the next `times` page updates, a person saves the page first."""
        with self.lock:
            self._races[page_id] = self._races.get(page_id, 0) + times

    def page_by_title(self, space_key: str, title: str) -> FakePage | None:
        with self.lock:
            return self._current_titled(space_key, title)

    def property_value(self, page_id: str, key: str) -> Any:
        with self.lock:
            found = self.state.properties.get(page_id, {}).get(key)
            return None if found is None else found.value

    def attachment(self, page_id: str, title: str) -> FakeAttachment | None:
        with self.lock:
            return self.state.attachments.get(page_id, {}).get(title)

    def write_count(self) -> int:
        """Requests that asked to change something (every method but GET)."""
        with self.lock:
            return sum(1 for entry in self.log if entry.method != "GET")

    # -- helpers ---------------------------------------------------------------------
    def _id(self) -> str:
        return str(next(self._ids))

    def _now(self) -> str:
        moment = _EPOCH + timedelta(seconds=next(self._clock))
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def _new_page(
        self, space: FakeSpace, title: str, body: str, parent_id: str | None, message: str = ""
    ) -> FakePage:
        now = self._now()
        page = FakePage(
            self._id(), space.key, parent_id, [FakeVersion(1, title, body, message, now)], now
        )
        self.state.pages[page.id] = page
        return page

    def _current_titled(self, space_key: str, title: str) -> FakePage | None:
        return next(
            (
                page
                for page in self.state.pages.values()
                if page.space_key == space_key and page.status == "current" and page.title == title
            ),
            None,
        )

    def _authorised(self, request: Request) -> bool:
        """The token as a bearer (Data Center), or with the account's user (any user if unset)."""
        header = request.headers.get("authorization", "")
        if self.is_bearer_token(header):
            return self.deployment == "datacenter"
        credentials = self.basic_credentials(header)
        if credentials is None:
            return False
        user, secret = credentials
        return secret == self.token and (self.user is None or user == self.user)

    def _guarded(self, handler: Callable[..., Response]) -> Callable[..., Response]:
        def answer(request: Request, **params: str) -> Response:
            if not self._authorised(request):
                return self._error(401, "Unauthorized; scope does not match")
            return handler(request, **params)

        return answer

    def _route(self, method: str, pattern: str, handler: Callable[..., Response]) -> None:
        self.route(method, self.prefix + pattern, self._guarded(handler))

    def _error(self, status: int, message: str) -> Response:
        if self.deployment == "cloud":
            code = {
                400: "INVALID_REQUEST_PARAMETER",
                401: "UNAUTHORIZED",
                403: "FORBIDDEN",
                404: "NOT_FOUND",
                405: "METHOD_NOT_ALLOWED",
                409: "CONFLICT",
                415: "UNSUPPORTED_MEDIA_TYPE",
            }.get(status, "ERROR")
            return Response(
                status,
                {"errors": [{"status": status, "code": code, "title": message, "detail": None}]},
            )
        return Response(status, {"statusCode": status, "message": message})

    def _page(self, page_id: str) -> FakePage | None:
        page = self.state.pages.get(page_id)
        return page if page is not None and page.status == "current" else None

    def _apply_race(self, page: FakePage) -> None:
        if self._races.get(page.id, 0) > 0:
            self._races[page.id] -= 1
            page.versions.append(
                FakeVersion(
                    page.version + 1,
                    page.title,
                    "<p>Saved meanwhile.</p>",
                    "",
                    self._now(),
                    "someone-else",
                )
            )

    def _title_taken(self, space_key: str, title: str, other_than: str | None = None) -> bool:
        """Whether another current page of the space has `title`, in any case."""
        return any(
            page.space_key == space_key
            and page.status == "current"
            and page.title.casefold() == title.casefold()
            and page.id != other_than
            for page in self.state.pages.values()
        )

    # ================================================================================
    # Cloud REST v2

    def _cloud_routes(self) -> None:
        self._route("GET", "/api/v2/spaces", self._v2_spaces)
        self._route("GET", "/api/v2/pages", self._v2_pages)
        self._route("POST", "/api/v2/pages", self._v2_create_page)
        self._route("GET", "/api/v2/pages/{id}", self._v2_get_page)
        self._route("PUT", "/api/v2/pages/{id}", self._v2_update_page)
        self._route("GET", "/api/v2/pages/{id}/properties", self._v2_properties)
        self._route("POST", "/api/v2/pages/{id}/properties", self._v2_create_property)
        self._route("GET", "/api/v2/pages/{id}/properties/{prop}", self._v2_get_property)
        self._route("PUT", "/api/v2/pages/{id}/properties/{prop}", self._v2_update_property)
        self._route("GET", "/api/v2/pages/{id}/attachments", self._v2_attachments)
        self._route("PUT", "/rest/api/content/{id}", self._v1_multipart_put)
        self._route("POST", "/rest/api/content/archive", self._v1_archive)

    def _listing(self, request: Request, path: str, items: list[dict[str, Any]]) -> Response:
        """A v2 MultiEntityResult, cursor-paged (the cursor is an opaque offset)."""
        try:
            limit = int(request.arg("limit") or self.page_size)
            start = int(base64.urlsafe_b64decode(request.arg("cursor") or "MA==").decode())
        except ValueError:
            return self._error(400, "limit or cursor is not valid")
        if not 1 <= limit <= 250:
            return self._error(400, "limit must be between 1 and 250")
        chunk = items[start : start + limit]
        links: dict[str, str] = {"base": f"{self.url}{self.prefix}"}
        if start + limit < len(items):
            query = [(k, v) for k, values in request.query.items() if k != "cursor" for v in values]
            query.append(("cursor", base64.urlsafe_b64encode(str(start + limit).encode()).decode()))
            links["next"] = f"{self.prefix}{path}?{urlencode(query)}"
        return Response(200, {"results": chunk, "_links": links})

    def _v2_space(self, space: FakeSpace) -> dict[str, Any]:
        return {
            "id": space.id,
            "key": space.key,
            "name": space.name,
            "type": "global",
            "status": "current",
            "authorId": ACCOUNT,
            "createdAt": self._now(),
            "homepageId": space.homepage_id,
            "_links": {"webui": f"/spaces/{space.key}"},
        }

    def _v2_page(self, page: FakePage, body_format: str | None = None) -> dict[str, Any]:
        space = self.state.spaces[page.space_key]
        current = page.current
        answer: dict[str, Any] = {
            "id": page.id,
            "status": page.status,
            "title": current.title,
            "spaceId": space.id,
            "authorId": ACCOUNT,
            "ownerId": ACCOUNT,
            "createdAt": page.created,
            "version": {
                "createdAt": current.created,
                "message": current.message,
                "number": current.number,
                "minorEdit": False,
                "authorId": current.author,
            },
            "body": {},
            "_links": {
                "webui": f"/spaces/{space.key}/pages/{page.id}",
                "editui": f"/pages/resumedraft.action?draftId={page.id}",
                "tinyui": f"/x/{page.id}",
            },
        }
        if page.parent_id is not None:
            answer.update(parentId=page.parent_id, parentType="page")
        if body_format == "storage":
            answer["body"] = {"storage": {"representation": "storage", "value": current.body}}
        return answer

    def _v2_spaces(self, request: Request) -> Response:
        keys = {key for value in request.query.get("keys", []) for key in value.split(",")}
        spaces = [
            self._v2_space(space)
            for key, space in sorted(self.state.spaces.items())
            if not keys or key in keys
        ]
        return self._listing(request, "/api/v2/spaces", spaces)

    def _v2_pages(self, request: Request) -> Response:
        body_format = request.arg("body-format")
        if body_format is not None and body_format not in _V2_BODY_FORMATS:
            return self._error(400, f"body-format must be one of {', '.join(_V2_BODY_FORMATS)}")
        statuses = {s for value in request.query.get("status", []) for s in value.split(",")}
        if statuses - set(_PAGE_STATUSES):
            return self._error(400, f"status must be among {', '.join(_PAGE_STATUSES)}")
        space_ids = {s for value in request.query.get("space-id", []) for s in value.split(",")}
        title = request.arg("title")
        pages = [
            self._v2_page(page, body_format)
            for page in self.state.pages.values()
            if (not space_ids or self.state.spaces[page.space_key].id in space_ids)
            and (title is None or page.title == title)
            and page.status in (statuses or {"current"})
        ]
        return self._listing(request, "/api/v2/pages", pages)

    def _v2_get_page(self, request: Request, id: str) -> Response:
        body_format = request.arg("body-format")
        page = self._page(id)
        if page is None:
            return self._error(404, "Page not found")
        return Response(200, self._v2_page(page, body_format))

    def _v2_create_page(self, request: Request) -> Response:
        data = request.json()
        if not isinstance(data, dict) or not data.get("spaceId"):
            return self._error(400, "spaceId is required")
        space = next((s for s in self.state.spaces.values() if s.id == str(data["spaceId"])), None)
        if space is None:
            return self._error(404, "There are no spaces associated with the given spaceId")
        status = data.get("status", "current")
        title = data.get("title")
        body = _storage_of(data.get("body"))
        if status != "current" or not isinstance(title, str) or not title:
            return self._error(400, "title is required for a current page")
        if body is None:
            return self._error(400, "body must be storage representation")
        if self._title_taken(space.key, title):
            return self._error(400, "A page with this title already exists")
        parent_id = data.get("parentId") or space.homepage_id
        parent = self._page(str(parent_id))
        if parent is None or parent.space_key != space.key:
            return self._error(404, "The parent page does not exist")
        page = self._new_page(space, title, body, parent.id)
        return Response(200, self._v2_page(page, "storage"))

    def _v2_update_page(self, request: Request, id: str) -> Response:
        page = self._page(id)
        if page is None:
            return self._error(404, "Page not found")
        data = request.json()
        data = data if isinstance(data, dict) else {}
        missing = [
            name for name in ("id", "status", "title", "body", "version") if name not in data
        ]
        if missing:
            return self._error(400, f"missing required fields: {', '.join(missing)}")
        if str(data["id"]) != id or data["status"] != "current":
            return self._error(400, "id must match the path and status must be 'current'")
        body = _storage_of(data["body"])
        if body is None:
            return self._error(400, "body must be storage representation")
        return self._update(page, data, body, data.get("parentId"), lambda p: self._v2_page(p))

    def _update(
        self,
        page: FakePage,
        data: dict[str, Any],
        body: str,
        parent_id: Any,
        shape: Callable[[FakePage], dict[str, Any]],
    ) -> Response:
        """The version check both APIs make, then the new version."""
        self._apply_race(page)
        number = (data.get("version") or {}).get("number")
        if number != page.version + 1:
            return self._error(
                409, f"Version must be incremented on update. Current version is: {page.version}"
            )
        title = data.get("title")
        if not isinstance(title, str) or not title:
            return self._error(400, "title is required")
        if self._title_taken(page.space_key, title, other_than=page.id):
            return self._error(400, "A page with this title already exists")
        if parent_id is not None:
            parent = self._page(str(parent_id))
            if parent is None or parent.space_key != page.space_key:
                return self._error(404, "The parent page does not exist")
            page.parent_id = parent.id
        message = (data.get("version") or {}).get("message") or ""
        page.versions.append(FakeVersion(number, title, body, message, self._now()))
        return Response(200, shape(page))

    def _v2_property(self, found: FakeProperty) -> dict[str, Any]:
        return {
            "id": found.id,
            "key": found.key,
            "value": found.value,
            "version": {
                "createdAt": self._now(),
                "message": "",
                "number": found.version,
                "minorEdit": False,
                "authorId": ACCOUNT,
            },
        }

    def _v2_properties(self, request: Request, id: str) -> Response:
        if self._page(id) is None:
            return self._error(404, "Page not found")
        key = request.arg("key")
        found = [
            self._v2_property(prop)
            for prop in self.state.properties.get(id, {}).values()
            if key is None or prop.key == key
        ]
        return self._listing(request, f"/api/v2/pages/{id}/properties", found)

    def _v2_create_property(self, request: Request, id: str) -> Response:
        return self._create_property(id, request.json(), self._v2_property)

    def _create_property(
        self, page_id: str, data: Any, shape: Callable[[FakeProperty], dict[str, Any]]
    ) -> Response:
        if self._page(page_id) is None:
            return self._error(404, "No content found with id: " + page_id)
        data = data if isinstance(data, dict) else {}
        if not isinstance(data.get("key"), str) or "value" not in data:
            return self._error(400, "key and value are required")
        properties = self.state.properties.setdefault(page_id, {})
        if data["key"] in properties:
            return self._error(400, "the content already has a value with the given key")
        created = FakeProperty(self._id(), data["key"], data["value"])
        properties[created.key] = created
        return Response(200, shape(created))

    def _v2_property_by_id(self, page_id: str, prop: str) -> FakeProperty | Response:
        if not prop.isdigit():  # what a client sending the key instead of the id gets
            return self._error(400, "property-id must be a number")
        found = next(
            (p for p in self.state.properties.get(page_id, {}).values() if p.id == prop), None
        )
        return found if found is not None else self._error(404, "Property not found")

    def _v2_get_property(self, request: Request, id: str, prop: str) -> Response:
        found = self._v2_property_by_id(id, prop)
        return found if isinstance(found, Response) else Response(200, self._v2_property(found))

    def _v2_update_property(self, request: Request, id: str, prop: str) -> Response:
        found = self._v2_property_by_id(id, prop)
        if isinstance(found, Response):
            return found
        return self._write_property(found, request.json())

    def _write_property(self, found: FakeProperty, data: Any) -> Response:
        data = data if isinstance(data, dict) else {}
        number = (data.get("version") or {}).get("number")
        if data.get("key") != found.key or "value" not in data:
            return self._error(400, "key (unchanged) and value are required")
        if number != found.version + 1:
            return self._error(409, f"Version must be {found.version + 1}")
        found.value, found.version = data["value"], number
        shape = self._v2_property if self.deployment == "cloud" else self._v1_property
        return Response(200, shape(found))

    def _v2_attachment(self, found: FakeAttachment) -> dict[str, Any]:
        return {
            "id": found.id,
            "status": "current",
            "title": found.title,
            "createdAt": found.created,
            "pageId": found.page_id,
            "mediaType": found.media_type,
            "comment": found.comment,
            "fileId": f"file-{found.id}",
            "fileSize": len(found.data),
            "webuiLink": f"/pages/viewpageattachments.action?pageId={found.page_id}",
            "downloadLink": f"/download/attachments/{found.page_id}/{found.title}",
            "version": {
                "createdAt": found.created,
                "message": "",
                "number": found.version,
                "minorEdit": True,
                "authorId": ACCOUNT,
            },
            "_links": {
                "webui": f"/pages/viewpageattachments.action?pageId={found.page_id}",
                "download": f"/download/attachments/{found.page_id}/{found.title}",
            },
        }

    def _v2_attachments(self, request: Request, id: str) -> Response:
        if self._page(id) is None:
            return self._error(404, "Page not found")
        found = [self._v2_attachment(a) for a in self.state.attachments.get(id, {}).values()]
        return self._listing(request, f"/api/v2/pages/{id}/attachments", found)

    # ================================================================================
    # Data Center REST v1

    def _datacenter_routes(self) -> None:
        self._route("GET", "/rest/api/space/{key}", self._v1_space)
        self._route("GET", "/rest/api/content", self._v1_search)
        self._route("POST", "/rest/api/content", self._v1_create_page)
        self._route("POST", "/rest/api/content/", self._v1_create_page)
        self._route("GET", "/rest/api/content/{id}", self._v1_get_page)
        self._route("PUT", "/rest/api/content/{id}", self._v1_update_page)
        self._route("GET", "/rest/api/content/{id}/property", self._v1_properties)
        self._route("POST", "/rest/api/content/{id}/property", self._v1_create_property)
        self._route("GET", "/rest/api/content/{id}/property/{key}", self._v1_get_property)
        self._route("PUT", "/rest/api/content/{id}/property/{key}", self._v1_update_property)

    def _v1_content(self, page: FakePage, expand: str) -> dict[str, Any]:
        parts = set(expand.split(",")) if expand else set()
        answer: dict[str, Any] = {
            "id": page.id,
            "type": "page",
            "status": page.status,
            "title": page.title,
            "_links": {
                "webui": f"/pages/viewpage.action?pageId={page.id}",
                "self": f"{self.url}/rest/api/content/{page.id}",
            },
            "_expandable": {"version": "", "ancestors": "", "body": "", "space": ""},
        }
        if "version" in parts:
            current = page.current
            answer["version"] = {
                "number": current.number,
                "message": current.message,
                "when": current.created,
                "minorEdit": False,
                "by": {"type": "known", "username": current.author},
            }
        if "ancestors" in parts:
            answer["ancestors"] = [
                {"id": ancestor.id, "type": "page", "title": ancestor.title}
                for ancestor in self._ancestors(page)
            ]
        if "body.storage" in parts:
            answer["body"] = {"storage": {"value": page.body, "representation": "storage"}}
        if "space" in parts:
            space = self.state.spaces[page.space_key]
            answer["space"] = {"id": int(space.id), "key": space.key, "name": space.name}
        return answer

    def _ancestors(self, page: FakePage) -> list[FakePage]:
        chain: list[FakePage] = []
        parent = self.state.pages.get(page.parent_id or "")
        while parent is not None:
            chain.insert(0, parent)
            parent = self.state.pages.get(parent.parent_id or "")
        return chain

    def _v1_space(self, request: Request, key: str) -> Response:
        space = self.state.spaces.get(key)
        if space is None:
            return self._error(404, f"No space found with key : {key}")
        return Response(
            200,
            {
                "id": int(space.id),
                "key": space.key,
                "name": space.name,
                "type": "global",
                "_links": {"webui": f"/display/{space.key}"},
            },
        )

    def _v1_search(self, request: Request) -> Response:
        space_key, title = request.arg("spaceKey"), request.arg("title")
        kind = request.arg("type", "page")
        start, limit = int(request.arg("start") or 0), int(request.arg("limit") or self.page_size)
        found = [
            page
            for page in self.state.pages.values()
            if kind == "page"
            and page.status == "current"
            and (space_key is None or page.space_key == space_key)
            and (title is None or page.title == title)
        ]
        chunk = found[start : start + limit]
        return Response(
            200,
            {
                "results": [self._v1_content(page, request.arg("expand") or "") for page in chunk],
                "start": start,
                "limit": limit,
                "size": len(chunk),
                "_links": {"base": self.url, "context": ""},
            },
        )

    def _v1_get_page(self, request: Request, id: str) -> Response:
        page = self._page(id)
        if page is None:
            return self._error(404, "No content found with id: " + id)
        return Response(200, self._v1_content(page, request.arg("expand") or ""))

    def _v1_create_page(self, request: Request) -> Response:
        data = request.json()
        data = data if isinstance(data, dict) else {}
        space = self.state.spaces.get((data.get("space") or {}).get("key", ""))
        title, body = data.get("title"), _storage_of(data.get("body"))
        if data.get("type") != "page" or space is None or not title or body is None:
            return self._error(400, "type 'page', space.key, title and a storage body are required")
        if self._title_taken(space.key, title):
            return self._error(
                400,
                f"A page with this title already exists: A page already exists with the "
                f"title {title} in the space with key {space.key}",
            )
        ancestors = data.get("ancestors") or []
        parent_id = str(ancestors[-1]["id"]) if ancestors else space.homepage_id
        if self._page(parent_id) is None:
            return self._error(404, "The parent page does not exist")
        page = self._new_page(space, title, body, parent_id)
        for key, prop in ((data.get("metadata") or {}).get("properties") or {}).items():
            self.state.properties.setdefault(page.id, {})[key] = FakeProperty(
                self._id(), key, prop.get("value")
            )
        return Response(200, self._v1_content(page, "version,ancestors,body.storage,space"))

    def _v1_update_page(self, request: Request, id: str) -> Response:
        if request.headers.get("content-type", "").startswith("multipart/"):
            return self._error(415, "Unsupported Media Type")
        page = self._page(id)
        if page is None:
            return self._error(404, "No content found with id: " + id)
        data = request.json()
        data = data if isinstance(data, dict) else {}
        body = _storage_of(data.get("body"))
        if data.get("type") != "page" or body is None or "version" not in data:
            return self._error(400, "type, title, version and a storage body are required")
        ancestors = data.get("ancestors") or []
        parent = ancestors[-1].get("id") if ancestors else None
        return self._update(
            page, data, body, parent, lambda p: self._v1_content(p, "version,ancestors")
        )

    def _v1_property(self, found: FakeProperty) -> dict[str, Any]:
        return {
            "id": found.id,
            "key": found.key,
            "value": found.value,
            "version": {"number": found.version, "minorEdit": False},
        }

    def _v1_properties(self, request: Request, id: str) -> Response:
        if self._page(id) is None:
            return self._error(404, "No content found with id: " + id)
        found = [self._v1_property(p) for p in self.state.properties.get(id, {}).values()]
        return Response(
            200,
            {"results": found, "start": 0, "limit": len(found), "size": len(found), "_links": {}},
        )

    def _v1_get_property(self, request: Request, id: str, key: str) -> Response:
        found = self.state.properties.get(id, {}).get(key)
        if self._page(id) is None or found is None:
            return self._error(404, f"Cannot find property {key} on content {id}")
        return Response(200, self._v1_property(found))

    def _v1_create_property(self, request: Request, id: str) -> Response:
        return self._create_property(id, request.json(), self._v1_property)

    def _v1_update_property(self, request: Request, id: str, key: str) -> Response:
        found = self.state.properties.get(id, {}).get(key)
        if self._page(id) is None or found is None:
            return self._error(404, f"Cannot find property {key} on content {id}")
        return self._write_property(found, request.json())

    def _v1_archive(self, request: Request) -> Response:
        """Cloud's v1 "Archive pages": every id must be a current page; a long task answers."""
        data = request.json()
        listed = data.get("pages") if isinstance(data, dict) else None
        if not isinstance(listed, list) or not listed:
            return self._error(400, "pages: a list of {id} is required")
        pages = [self.state.pages.get(str((item or {}).get("id"))) for item in listed]
        if any(page is None or page.status != "current" for page in pages):
            return self._error(400, "Each content ID must be a page that is not archived")
        for page in pages:
            assert page is not None
            page.status = "archived"
        task = self._id()
        return Response(
            202, {"id": task, "links": {"status": f"{self.prefix}/rest/api/longtask/{task}"}}
        )

    def _v1_multipart_put(self, request: Request, id: str) -> Response:
        if request.headers.get("content-type", "").startswith("multipart/"):
            return self._error(415, "Unsupported Media Type")
        return self._error(405, "Use REST v2 to update pages")

    # ================================================================================
    # Attachments: REST v1 on both deployments

    def _attachment_routes(self) -> None:
        base = "/rest/api/content/{id}/child/attachment"
        self._route("GET", base, self._v1_attachments)
        self._route("POST", base, self._v1_upload)
        self._route("PUT", base, self._v1_put_upload)
        self._route("POST", base + "/{att}/data", self._v1_upload_version)

    def _v1_attachment(self, found: FakeAttachment) -> dict[str, Any]:
        return {
            "id": found.id,
            "type": "attachment",
            "status": "current",
            "title": found.title,
            "version": {"number": found.version, "minorEdit": True},
            "metadata": {"comment": found.comment, "mediaType": found.media_type},
            "extensions": {
                "mediaType": found.media_type,
                "fileSize": len(found.data),
                "comment": found.comment,
            },
            "_links": {"download": f"/download/attachments/{found.page_id}/{found.title}"},
        }

    def _v1_attachments(self, request: Request, id: str) -> Response:
        if self._page(id) is None:
            return self._error(404, "No content found with id: " + id)
        found = [self._v1_attachment(a) for a in self.state.attachments.get(id, {}).values()]
        filename = request.arg("filename")
        found = [a for a in found if filename is None or a["title"] == filename]
        return Response(
            200, {"results": found, "start": 0, "limit": 200, "size": len(found), "_links": {}}
        )

    def _uploaded_file(self, request: Request) -> tuple[str, str, bytes, str] | Response:
        """The multipart upload's file (name, media type, bytes) and comment, or a refusal."""
        if request.headers.get("x-atlassian-token") != "no-check":
            return self._error(403, "XSRF check failed")
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            return self._error(415, "Unsupported Media Type")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + request.body
        )
        upload, comment = None, ""
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name == "file" and part.get_filename():
                upload = (
                    part.get_filename(),
                    part.get_content_type(),
                    part.get_payload(decode=True) or b"",
                )
            elif name == "comment":
                comment = (part.get_payload(decode=True) or b"").decode()
        if upload is None:
            return self._error(400, "no file in the upload")
        return (*upload, comment)

    def _store(
        self, page_id: str, upload: tuple[str, str, bytes, str], existing: FakeAttachment | None
    ) -> FakeAttachment:
        title, media_type, data, comment = upload
        if existing is not None:
            existing.data, existing.media_type, existing.comment = data, media_type, comment
            existing.version += 1
            existing.uploads += 1
            return existing
        created = FakeAttachment(
            f"att{self._id()}", page_id, title, media_type, data, comment, self._now()
        )
        self.state.attachments.setdefault(page_id, {})[title] = created
        return created

    def _v1_upload(self, request: Request, id: str) -> Response:
        if self._page(id) is None:
            return self._error(404, "No content found with id: " + id)
        upload = self._uploaded_file(request)
        if isinstance(upload, Response):
            return upload
        if upload[0] in self.state.attachments.get(id, {}):
            return self._error(
                400, "Cannot add a new attachment with same file name as an existing attachment"
            )
        stored = self._store(id, upload, None)
        return Response(200, {"results": [self._v1_attachment(stored)], "size": 1})

    def _v1_put_upload(self, request: Request, id: str) -> Response:
        if self.deployment == "datacenter":
            return self._error(405, "Method Not Allowed")
        if self._page(id) is None:
            return self._error(404, "No content found with id: " + id)
        upload = self._uploaded_file(request)
        if isinstance(upload, Response):
            return upload
        stored = self._store(id, upload, self.state.attachments.get(id, {}).get(upload[0]))
        return Response(200, {"results": [self._v1_attachment(stored)], "size": 1})

    def _v1_upload_version(self, request: Request, id: str, att: str) -> Response:
        existing = next(
            (a for a in self.state.attachments.get(id, {}).values() if a.id == att), None
        )
        if self._page(id) is None or existing is None:
            return self._error(404, "No attachment found with id: " + att)
        upload = self._uploaded_file(request)
        if isinstance(upload, Response):
            return upload
        if upload[0] != existing.title:
            return self._error(400, "the file name must match the attachment's")
        return Response(200, self._v1_attachment(self._store(id, upload, existing)))


def _storage_of(body: Any) -> str | None:
    """The storage value of a write, in either shape the APIs take (flat or nested)."""
    if not isinstance(body, Mapping):
        return None
    if body.get("representation") == "storage" and isinstance(body.get("value"), str):
        return body["value"]
    nested = body.get("storage")
    if isinstance(nested, Mapping) and isinstance(nested.get("value"), str):
        representation = nested.get("representation", "storage")
        return nested["value"] if representation == "storage" else None
    return None
