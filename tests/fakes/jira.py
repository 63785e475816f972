"""A stateful Jira on 127.0.0.1: Cloud (REST v3 + Agile 1.0) or Data Center (REST v2 + Agile).

It holds issues (seeded from any REST-shaped issue list, e.g. the demo's
search pages), their whole changelogs, the field and status lists and board
configurations, and answers the calls `connectors.jira` makes with the caps
and shapes of the real APIs, so a client bug fails a test:

- Cloud `/search/jql` pages by an opaque `nextPageToken`, never says `total`,
  and holds at most 100 issues a page when fields are asked for, 5000 for ids
  alone; `fields` defaults to `id`. `expand=changelog` keeps only the newest 40
  histories. The removed `/rest/api/{2,3}/search` answers 410.
- `POST /changelog/bulkfetch` refuses a body the published schema refuses
  (more than 1000 issues, more than 10 field ids, unknown keys), filters
  items by `fieldIds`, sorts histories by time and issue id and pages by token.
- Data Center `/search` pages by `startAt` (at most 1000), reports `total` and
  embeds changelogs, truncated to `changelog_limit` when that is set;
  `maxResults=0` answers the total alone. Cloud counts through
  `POST /search/approximate-count`.
- How the site is set up (projects, their issue types and statuses, boards,
  link types) is `tests.fakes.jira_setup`, mixed in.
- Every request must carry the configured credentials (Cloud: basic; Data
  Center: bearer token or basic), else 401.
- `PUT /issue/{key}` edits `fields` as Jira does: 204 and a changelog entry
  with a new `updated` time (so an incremental sync sees the edit); 400 with
  `errors` by field id for a field that is unknown, not editable or off the
  issue's edit screen (`hide_from_edit_screen`), or a number field given
  anything else; 404 for an unknown issue. `notifyUsers=false` takes
  Administer Projects: without it (`can_silence_notifications = False`) the
  whole edit is refused with 403, as Jira does; `notified` lists the issues
  whose watchers were mailed.

Faults (429 with Retry-After, 503, delays, dropped connections, cut bodies)
and latency come from `FakeServer`. Tests change the site through `transition`,
`flag`, `edit`, `add_issues` and `delete`, and move the clock with `advance`.
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from openapi_schema_validator import OAS30Validator

from tests.contracts import contract
from tests.fakes.atlassian import AtlassianSite
from tests.fakes.jira_setup import JiraSetup
from tests.fakes.jql import JqlError, parse_jql
from tests.fakes.server import Request, Response

CLOUD_FIELDS_CAP = 100
CLOUD_IDS_CAP = 5000
CLOUD_EMBEDDED_HISTORIES = 40
CHANGELOG_PAGE_CAP = 100
DATACENTER_CAP = 1000
BULK_MAX_RESULTS = 10000
_ID_ONLY = frozenset({"id", "key"})
_CATEGORY = {
    "new": {"id": 2, "key": "new", "colorName": "blue-gray", "name": "To Do"},
    "indeterminate": {
        "id": 4,
        "key": "indeterminate",
        "colorName": "yellow",
        "name": "In Progress",
    },
    "done": {"id": 3, "key": "done", "colorName": "green", "name": "Done"},
}


class _BadRequest(Exception):
    """Answered as Jira answers a request it will not serve: 400 with errorMessages."""


def platform_spec() -> dict[str, Any]:
    return contract("jira-platform-subset.json")


@cache
def _request_validator(schema_name: str) -> OAS30Validator:
    return OAS30Validator(platform_spec()["components"]["schemas"][schema_name])


@cache
def _edit_validator() -> OAS30Validator:
    """The edit body's schema, with the schemas it refers to for resolving its `$ref`s."""
    schemas = platform_spec()["components"]["schemas"]
    return OAS30Validator({**schemas["IssueUpdateDetails"], "components": {"schemas": schemas}})


def jira_time(moment: datetime) -> str:
    """Jira's timestamp format: 2026-11-20T17:00:00.000+0000."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


class FakeJira(JiraSetup, AtlassianSite):
    """One Jira site; `deployment` is "cloud" or "datacenter"."""

    def __init__(
        self,
        deployment: str = "cloud",
        *,
        issues: Iterable[dict[str, Any]] = (),
        fields: Iterable[dict[str, Any]] = (),
        user: str | None = "rte@example.com",
        token: str = "secret-api-token-123",
        now: datetime | None = None,
        changelog_limit: int | None = None,
        latency: float = 0.0,
        seed: int = 0,
    ) -> None:
        super().__init__(deployment, user=user, token=token, latency=latency, seed=seed)
        self.now = now or datetime.now(UTC).replace(microsecond=0)
        self.changelog_limit = (
            changelog_limit
            if changelog_limit is not None or not self.cloud
            else CLOUD_EMBEDDED_HISTORIES
        )
        self.issues: dict[str, dict[str, Any]] = {}
        self.field_list = [copy.deepcopy(entry) for entry in fields]
        self.statuses: dict[str, dict[str, Any]] = {}  # by name
        self.boards: dict[int, dict[str, Any]] = {}
        self.exchanges: list[tuple[Request, Response]] = []
        self.can_silence_notifications = True  # the account has Administer Projects
        self.notified: list[str] = []  # issues whose watchers an edit mailed
        self._off_screen: set[tuple[str, str]] = set()  # (issue id, field id)
        self._snapshots: dict[str, tuple[str, list[str]]] = {}
        self._serial = itertools.count(1)
        self._next_history_id = 900000
        self._setup_state()
        self.add_issues(issues)
        self._routes_for_deployment()

    # -- the API ------------------------------------------------------------------
    def _routes_for_deployment(self) -> None:
        api = "/rest/api/3" if self.cloud else "/rest/api/2"
        self._on("GET", f"{api}/serverInfo", self._server_info)
        self._on("GET", f"{api}/field", lambda request: Response(200, self.field_list))
        self._on(
            "GET", f"{api}/status", lambda request: Response(200, list(self.statuses.values()))
        )
        self._on("GET", f"{api}/issue/{{issueIdOrKey}}", self._issue)
        self._on("PUT", f"{api}/issue/{{issueIdOrKey}}", self._edit)
        self._on("GET", "/rest/agile/1.0/board/{boardId}/configuration", self._board)
        self._setup_routes(self._on, api)
        if self.cloud:
            for method in ("GET", "POST"):
                self._on(method, f"{api}/search/jql", self._search_jql)
                for gone in ("/rest/api/2/search", "/rest/api/3/search"):
                    self._on(method, gone, self._removed)
            self._on("POST", f"{api}/changelog/bulkfetch", self._bulkfetch)
            self._on("POST", f"{api}/search/approximate-count", self._approximate_count)
            self._on("GET", f"{api}/issue/{{issueIdOrKey}}/changelog", self._changelog_page)
        else:
            for method in ("GET", "POST"):
                self._on(method, f"{api}/search", self._search_startat)

    def _on(self, method: str, pattern: str, handler: Any) -> None:
        def guarded(request: Request, **params: str) -> Response:
            if not self._authorized(request.headers.get("authorization", "")):
                response = Response(
                    401,
                    {
                        "errorMessages": [
                            "You are not authenticated. "
                            "Authentication required to perform this operation."
                        ]
                    },
                )
            else:
                try:
                    response = handler(request, **params)
                except (_BadRequest, JqlError) as exc:
                    response = Response(400, {"errorMessages": [str(exc)], "errors": {}})
            self.exchanges.append((request, response))
            return response

        self.route(method, pattern, guarded)

    def _authorized(self, header: str) -> bool:
        """The account's user and token; on Data Center also the token alone as a bearer."""
        if self.is_bearer_token(header):
            return not self.cloud
        return self.user is not None and self.basic_credentials(header) == (self.user, self.token)

    def _server_info(self, request: Request) -> Response:
        return Response(
            200,
            {
                "baseUrl": self.url,
                "version": "1001.0.0" if self.cloud else "9.12.0",
                "versionNumbers": [1001, 0, 0] if self.cloud else [9, 12, 0],
                "deploymentType": "Cloud" if self.cloud else "Server",
                "serverTime": jira_time(self.now),
                "serverTitle": "Fake Jira",
            },
        )

    def _removed(self, request: Request) -> Response:
        return Response(
            410,
            {
                "errorMessages": [
                    "The requested API has been removed. "
                    "Please migrate to the /rest/api/3/search/jql API."
                ]
            },
        )

    # -- Cloud search -----------------------------------------------------------------
    def _search_jql(self, request: Request) -> Response:
        args = self._arguments(request, "SearchAndReconcileRequestBean")
        fields = _field_names(args.get("fields"), default=["id"])
        expand = _expansions(args.get("expand"))
        cap = CLOUD_IDS_CAP if set(fields) <= _ID_ONLY and not expand else CLOUD_FIELDS_CAP
        size = min(_positive(args.get("maxResults", 50), "maxResults"), cap)
        jql = str(args.get("jql") or "")
        token = args.get("nextPageToken")
        if token:
            snapshot_id, offset = self._read_token(str(token), jql)
        else:
            snapshot_id, offset = self._snapshot(jql), 0
        ids = self._snapshots[snapshot_id][1]
        page = ids[offset : offset + size]
        body: dict[str, Any] = {
            "issues": [
                self._render(self.issues[i], fields, expand) for i in page if i in self.issues
            ],
            "isLast": offset + size >= len(ids),
        }
        if not body["isLast"]:
            body["nextPageToken"] = _token({"s": snapshot_id, "o": offset + size})
        return Response(200, body)

    def _snapshot(self, jql: str) -> str:
        snapshot_id = str(next(self._serial))
        self._snapshots[snapshot_id] = (jql, [issue["id"] for issue in self._matching(jql)])
        while len(self._snapshots) > 64:
            self._snapshots.pop(next(iter(self._snapshots)))
        return snapshot_id

    def _read_token(self, token: str, jql: str) -> tuple[str, int]:
        try:
            state = json.loads(base64.urlsafe_b64decode(token.encode()))
            snapshot_id, offset = str(state["s"]), int(state["o"])
        except (ValueError, KeyError, TypeError):
            raise _BadRequest("The nextPageToken is invalid.") from None
        if snapshot_id not in self._snapshots or self._snapshots[snapshot_id][0] != jql:
            raise _BadRequest("The nextPageToken does not belong to this query.")
        return snapshot_id, offset

    # -- Data Center search -------------------------------------------------------------
    def _search_startat(self, request: Request) -> Response:
        args = self._arguments(request, None)
        fields = _field_names(args.get("fields"), default=["*navigable"])
        expand = _expansions(args.get("expand"))
        start = _positive(args.get("startAt", 0), "startAt", minimum=0)
        # maxResults=0 answers the total alone
        size = min(_positive(args.get("maxResults", 50), "maxResults", minimum=0), DATACENTER_CAP)
        matching = self._matching(str(args.get("jql") or ""))
        return Response(
            200,
            {
                "expand": "schema,names",
                "startAt": start,
                "maxResults": size,
                "total": len(matching),
                "issues": [
                    self._render(issue, fields, expand) for issue in matching[start : start + size]
                ],
            },
        )

    def _approximate_count(self, request: Request) -> Response:
        args = self._arguments(request, "JQLCountRequestBean")
        return Response(200, {"count": len(self._matching(str(args.get("jql") or "")))})

    # -- changelogs ---------------------------------------------------------------------------
    def _bulkfetch(self, request: Request) -> Response:
        body = self._arguments(request, "BulkChangelogRequestBean")
        wanted = [self._find(str(value)) for value in body["issueIdsOrKeys"]]
        field_ids = set(body.get("fieldIds") or [])
        size = body.get("maxResults", 1000)
        entries = []
        for issue in (found for found in wanted if found is not None):
            for history in self._histories(issue):
                items = [
                    i for i in history["items"] if not field_ids or i.get("fieldId") in field_ids
                ]
                if items:
                    entries.append(
                        (history["created"], int(issue["id"]), {**history, "items": items})
                    )
        entries.sort(key=lambda entry: (datetime.fromisoformat(entry[0]), entry[1]))
        request_key = json.dumps(
            {k: v for k, v in body.items() if k != "nextPageToken"}, sort_keys=True
        )
        offset = 0
        if body.get("nextPageToken"):
            try:
                state = json.loads(base64.urlsafe_b64decode(body["nextPageToken"].encode()))
                assert state["r"] == request_key
                offset = int(state["o"])
            except (ValueError, KeyError, AssertionError):
                raise _BadRequest("The nextPageToken is invalid.") from None
        grouped: dict[str, list[dict[str, Any]]] = {}
        for _, issue_id, history in entries[offset : offset + size]:
            grouped.setdefault(str(issue_id), []).append(history)
        answer: dict[str, Any] = {
            "issueChangeLogs": [
                {"issueId": issue_id, "changeHistories": histories}
                for issue_id, histories in grouped.items()
            ]
        }
        if offset + size < len(entries):
            answer["nextPageToken"] = _token({"r": request_key, "o": offset + size})
        return Response(200, answer)

    def _changelog_page(self, request: Request, issueIdOrKey: str) -> Response:
        issue = self._find(issueIdOrKey)
        if issue is None:
            return _NOT_FOUND
        start = _positive(request.arg("startAt", "0"), "startAt", minimum=0)
        size = min(_positive(request.arg("maxResults", "100"), "maxResults"), CHANGELOG_PAGE_CAP)
        histories = self._histories(issue)
        last = start + size >= len(histories)
        body = {
            "self": f"{self.url}{request.path}?startAt={start}&maxResults={size}",
            "maxResults": size,
            "startAt": start,
            "total": len(histories),
            "isLast": last,
            "values": histories[start : start + size],
        }
        if not last:
            body["nextPage"] = f"{self.url}{request.path}?startAt={start + size}&maxResults={size}"
        return Response(200, body)

    def _issue(self, request: Request, issueIdOrKey: str) -> Response:
        issue = self._find(issueIdOrKey)
        if issue is None:
            return _NOT_FOUND
        fields = _field_names(request.query.get("fields"), default=["*all"])
        expand = _expansions(request.arg("expand"))
        rendered = self._render(issue, fields, expand, whole_changelog=True)
        return Response(200, rendered)

    def _edit(self, request: Request, issueIdOrKey: str) -> Response:
        issue = self._find(issueIdOrKey)
        if issue is None:
            return _NOT_FOUND
        body = self._arguments(request, None)
        errors = sorted(_edit_validator().iter_errors(body), key=str)
        if errors:
            raise _BadRequest("; ".join(error.message for error in errors))
        if set(body) - {"fields"}:
            return Response(501, {"errorMessages": ["The fake edits only 'fields'."]})
        silenced = (request.arg("notifyUsers") or "true").lower() == "false"
        if silenced and not self.can_silence_notifications:
            return Response(403, {"errorMessages": [_NO_SILENCE], "errors": {}})
        fields = body.get("fields") or {}
        refused = {
            field_id: problem
            for field_id, value in fields.items()
            if (problem := self._edit_problem(issue, field_id, value)) is not None
        }
        if refused:
            return Response(400, {"errorMessages": [], "errors": refused})
        items = [
            self._edit_item(field_id, issue["fields"].get(field_id), value)
            for field_id, value in fields.items()
            if issue["fields"].get(field_id) != value
        ]
        if items:
            self._change(issue, None, items)
            issue["fields"].update(fields)
        if not silenced:
            self.notified.append(issue["key"])
        return Response(204)

    def _edit_problem(self, issue: dict[str, Any], field_id: str, value: Any) -> str | None:
        """Jira's reason for refusing to set `field_id` to `value` on `issue`, if any."""
        entry = self._field_entry(field_id)
        off_screen = (issue["id"], field_id) in self._off_screen
        if entry is None or field_id in _NOT_EDITABLE or off_screen:
            return (
                f"Field '{field_id}' cannot be set. "
                "It is not on the appropriate screen, or unknown."
            )
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if (entry.get("schema") or {}).get("type") == "number" and value is not None and not number:
            return "Operation value must be a number"
        return None

    def _field_entry(self, field_id: str) -> dict[str, Any] | None:
        return next((entry for entry in self.field_list if entry.get("id") == field_id), None)

    def _edit_item(self, field_id: str, before: Any, after: Any) -> dict[str, Any]:
        """The changelog item of an edit; Data Center's items carry no fieldId."""
        item = {
            "field": (self._field_entry(field_id) or {}).get("name", field_id),
            "fieldtype": "custom" if field_id.startswith("customfield_") else "jira",
            "from": None,
            "fromString": None if before is None else _shown(before),
            "to": None,
            "toString": None if after is None else _shown(after),
        }
        return {**item, "fieldId": field_id} if self.cloud else item

    def _board(self, request: Request, boardId: str) -> Response:
        board = self.boards.get(int(boardId)) if boardId.isdigit() else None
        if board is None:
            return Response(
                404,
                {
                    "errorMessages": [
                        f"Board {boardId} does not exist or you do not have permission to see it."
                    ]
                },
            )
        return Response(200, board)

    # -- answering helpers ----------------------------------------------------------------------
    def _arguments(self, request: Request, schema: str | None) -> dict[str, Any]:
        if request.method == "GET":
            args: dict[str, Any] = {name: values[-1] for name, values in request.query.items()}
            if "fields" in request.query:
                args["fields"] = request.query["fields"]
            return args
        try:
            body = request.json()
        except ValueError:
            raise _BadRequest("The request body is not JSON.") from None
        if not isinstance(body, dict):
            raise _BadRequest("The request body must be a JSON object.")
        if schema is not None:
            errors = sorted(_request_validator(schema).iter_errors(body), key=str)
            if errors:
                raise _BadRequest("; ".join(error.message for error in errors))
        return body

    def _matching(self, jql: str) -> list[dict[str, Any]]:
        query = parse_jql(jql, self.now)
        return query.sorted([issue for issue in self.issues.values() if query.matches(issue)])

    def _render(
        self,
        issue: dict[str, Any],
        fields: list[str],
        expand: set[str],
        *,
        whole_changelog: bool = False,
    ) -> dict[str, Any]:
        if set(fields) <= _ID_ONLY and self.cloud and not expand:
            return {"id": issue["id"], **({"key": issue["key"]} if "key" in fields else {})}
        api = "3" if self.cloud else "2"
        rendered: dict[str, Any] = {
            "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
            "id": issue["id"],
            "self": f"{self.url}/rest/api/{api}/issue/{issue['id']}",
            "key": issue["key"],
            "fields": _selected(issue["fields"], fields),
        }
        if "changelog" in expand:
            limit = None if whole_changelog else self.changelog_limit
            rendered["changelog"] = self._embedded_changelog(issue, limit)
        return rendered

    def _embedded_changelog(self, issue: dict[str, Any], limit: int | None) -> dict[str, Any]:
        histories = self._histories(issue)
        if self.cloud:  # newest first, the newest `limit` of them
            shown = list(reversed(histories))[: limit or None]
        else:
            shown = histories[: limit or None]
        return {"startAt": 0, "maxResults": len(shown), "total": len(histories), "histories": shown}

    def _histories(self, issue: dict[str, Any]) -> list[dict[str, Any]]:
        """Oldest first, as the changelog endpoints hand them out."""
        return sorted(
            issue["histories"],
            key=lambda h: (
                datetime.fromisoformat(h["created"]),
                int(h["id"]) if str(h["id"]).isdigit() else 0,
            ),
        )

    def _find(self, id_or_key: str) -> dict[str, Any] | None:
        if id_or_key in self.issues:
            return self.issues[id_or_key]
        return next((i for i in self.issues.values() if i["key"] == id_or_key), None)

    # -- changing the site (tests) ------------------------------------------------
    def reset(
        self, issues: Iterable[dict[str, Any]], fields: Iterable[dict[str, Any]], now: datetime
    ) -> None:
        """Back to a freshly seeded site (one socket can serve many tests)."""
        with self.lock:
            self.issues.clear()
            self.field_list = [copy.deepcopy(entry) for entry in fields]
            self.boards.clear()
            self.projects.clear()
            self.exchanges.clear()
            self._snapshots.clear()
            self.can_silence_notifications = True
            self.notified.clear()
            self._off_screen.clear()
            self.now = now
            self.add_issues(issues)
        self.clear_faults()
        self.reset_log()

    def add_issues(self, raw_issues: Iterable[dict[str, Any]], *, owned: bool = False) -> None:
        """Add REST-shaped issues; `owned`: the caller hands them over (no copy, for big sets)."""
        with self.lock:
            for raw in raw_issues:
                issue = raw if owned else copy.deepcopy(raw)
                histories = (issue.pop("changelog", None) or {}).get("histories") or []
                stored = {
                    "id": str(issue["id"]),
                    "key": issue["key"],
                    "fields": issue.get("fields") or {},
                    "histories": histories,
                }
                self.issues[stored["id"]] = stored
                status = stored["fields"].get("status")
                if isinstance(status, dict) and status.get("name"):
                    self.statuses.setdefault(status["name"], status)
                for history in histories:
                    if str(history.get("id", "")).isdigit():
                        self._next_history_id = max(self._next_history_id, int(history["id"]) + 1)

    def status(self, name: str, category: str = "indeterminate") -> dict[str, Any]:
        """The status called `name`, made up (with a fresh id) if the site has none."""
        if name not in self.statuses:
            status_id = str(20000 + len(self.statuses))
            self.statuses[name] = {
                "self": f"https://fake.invalid/rest/api/3/status/{status_id}",
                "name": name,
                "id": status_id,
                "statusCategory": _CATEGORY[category],
            }
        return self.statuses[name]

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def transition(self, key: str, to: str, at: datetime | None = None) -> None:
        with self.lock:
            issue = self._existing(key)
            before, after = issue["fields"]["status"], self.status(to)
            self._change(
                issue,
                at,
                [
                    {
                        "field": "status",
                        "fieldtype": "jira",
                        "fieldId": "status",
                        "from": before["id"],
                        "fromString": before["name"],
                        "to": after["id"],
                        "toString": after["name"],
                    }
                ],
            )
            issue["fields"]["status"] = after

    def flag(self, key: str, field_id: str, flagged: bool, at: datetime | None = None) -> None:
        with self.lock:
            issue = self._existing(key)
            impediment = [{"id": "10019", "value": "Impediment"}]
            self._change(
                issue,
                at,
                [
                    {
                        "field": "Flagged",
                        "fieldtype": "custom",
                        "fieldId": field_id,
                        "from": None,
                        "fromString": None if flagged else "Impediment",
                        "to": None,
                        "toString": "Impediment" if flagged else None,
                    }
                ],
            )
            issue["fields"][field_id] = impediment if flagged else None

    def edit(self, key: str, at: datetime | None = None, **fields: Any) -> None:
        """Change fields without a status or flag history (a summary, story points...)."""
        with self.lock:
            issue = self._existing(key)
            issue["fields"].update(fields)
            issue["fields"]["updated"] = jira_time(at or self.now)

    def hide_from_edit_screen(self, key: str, field_id: str) -> None:
        """Take a field off the edit screen of this issue (its type's screen, in real Jira)."""
        with self.lock:
            self._off_screen.add((self._existing(key)["id"], field_id))

    def delete(self, key: str) -> None:
        with self.lock:
            self.issues.pop(self._existing(key)["id"])

    def _existing(self, key: str) -> dict[str, Any]:
        issue = self._find(key)
        if issue is None:
            raise KeyError(key)
        return issue

    def _change(
        self, issue: dict[str, Any], at: datetime | None, items: list[dict[str, Any]]
    ) -> None:
        moment = jira_time(at or self.now)
        self._next_history_id += 1
        issue["histories"].append(
            {
                "id": str(self._next_history_id),
                "author": {
                    "accountId": "5b10ac8d82e05b22cc7d4ef5",
                    "displayName": "Fake User",
                    "accountType": "atlassian",
                },
                "created": moment,
                "items": items,
            }
        )
        issue["fields"]["updated"] = moment

    def board(
        self,
        board_id: int,
        columns: list[tuple[str, list[str], int | None, int | None]],
        constraint: str = "issueCount",
        *,
        project: str = "10000",
        name: str | None = None,
    ) -> None:
        """A Kanban board in `project` (key or id): (column name, status names, min, max)
        per column."""
        self.boards[board_id] = {
            "id": board_id,
            "name": name or f"Board {board_id}",
            "type": "kanban",
            "self": f"https://fake.invalid/rest/agile/1.0/board/{board_id}/configuration",
            "location": {"type": "project", "projectKeyOrId": project},
            "filter": {"id": "10100", "self": "https://fake.invalid/rest/api/3/filter/10100"},
            "columnConfig": {
                "constraintType": constraint,
                "columns": [
                    {
                        "name": name,
                        "statuses": [
                            {
                                "id": self.status(status)["id"],
                                "self": f"https://fake.invalid/rest/api/3/status/{self.status(status)['id']}",
                            }
                            for status in statuses
                        ],
                        **({"min": low} if low is not None else {}),
                        **({"max": high} if high is not None else {}),
                    }
                    for name, statuses, low, high in columns
                ],
            },
            "ranking": {"rankCustomFieldId": 10019},
        }


def _token(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode()


_NOT_FOUND = Response(
    404, {"errorMessages": ["Issue does not exist or you do not have permission to see it."]}
)
_NO_SILENCE = (
    "To discard the user notification either admin or project admin permissions are required."
)
# Set by Jira itself (status through transitions), never through an edit.
_NOT_EDITABLE = frozenset({"status", "created", "updated", "resolutiondate"})


def _shown(value: Any) -> str:
    """A value as a changelog's fromString/toString shows it (103.0 as 103)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _field_names(value: Any, *, default: list[str]) -> list[str]:
    values = value if isinstance(value, list) else ([value] if isinstance(value, str) else [])
    names = [name.strip() for item in values for name in str(item).split(",") if name.strip()]
    return names or default


def _expansions(value: Any) -> set[str]:
    return {part.strip() for part in str(value or "").split(",") if part.strip()}


def _positive(value: Any, name: str, *, minimum: int = 1) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise _BadRequest(f"The '{name}' parameter must be a number.") from None
    if number < minimum:
        raise _BadRequest(f"The '{name}' parameter must be at least {minimum}.")
    return number


def _selected(fields: dict[str, Any], names: list[str]) -> dict[str, Any]:
    everything = any(name in ("*all", "*navigable") for name in names)
    excluded = {name[1:] for name in names if name.startswith("-")}
    wanted = {name for name in names if not name.startswith(("-", "*"))}
    return {
        name: value
        for name, value in fields.items()
        if (everything or name in wanted) and name not in excluded
    }
