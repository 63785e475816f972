"""How the Jira fake is set up: projects, their issue types and statuses, boards, link types.

The read-only calls `rte init` and `rte check-config --online` make, answered
in the shapes of Atlassian's documentation (checked against the platform and
agile subsets in `tests/contracts`):

- projects: Cloud pages them (`GET /project/search`: `values`, `isLast`,
  at most 50 a page); Data Center lists them all (`GET /project`), as does
  Cloud's deprecated `GET /project`. `GET /project/{key}` holds the project's
  issue types, with `hierarchyLevel` on Cloud only (Data Center's issue types
  know just `subtask`); an unknown key is 404.
- `GET /project/{key}/statuses`: the statuses of each issue type.
- `GET /rest/agile/1.0/board?projectKeyOrId=`: the boards located in a project,
  paged like the projects (`startAt`, `maxResults`, `isLast`).
- `GET /issueLinkType`: `{"issueLinkTypes": [...]}`, Jira's four defaults.

A project nobody set up with `project()` is made from the issues whose keys
it prefixes: its issue types are theirs, each type's statuses the ones its
issues are in. Mixed into `FakeJira`, whose issues, statuses and boards it reads.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.server import Request, Response

PAGE_CAP = 50  # Jira's page of projects or boards
LINK_TYPES = (
    ("10000", "Blocks", "is blocked by", "blocks"),
    ("10001", "Cloners", "is cloned by", "clones"),
    ("10002", "Duplicate", "is duplicated by", "duplicates"),
    ("10003", "Relates", "relates to", "relates to"),
)


class JiraSetup:
    """Projects and link types of a `FakeJira`; its routes for reading how the site is set up."""

    cloud: bool
    url: str
    issues: dict[str, dict[str, Any]]
    statuses: dict[str, dict[str, Any]]
    boards: dict[int, dict[str, Any]]

    def _setup_state(self) -> None:
        self.projects: dict[str, dict[str, Any]] = {}
        self.link_type_list = [
            {"id": id_, "name": name, "inward": inward, "outward": outward}
            for id_, name, inward, outward in LINK_TYPES
        ]

    def _setup_routes(self, on: Any, api: str) -> None:
        if self.cloud:
            on("GET", f"{api}/project/search", self._project_page)
        on("GET", f"{api}/project", self._project_list)
        on("GET", f"{api}/project/{{projectIdOrKey}}", self._project)
        on("GET", f"{api}/project/{{projectIdOrKey}}/statuses", self._project_statuses)
        on("GET", f"{api}/issueLinkType", self._link_types)
        on("GET", "/rest/agile/1.0/board", self._board_page)

    # -- set-up (tests) ---------------------------------------------------------
    def project(
        self,
        key: str,
        name: str | None = None,
        *,
        issue_types: list[dict[str, Any]] | None = None,
        statuses: dict[str, list[str]] | None = None,
    ) -> None:
        """Set up project `key`: its name, its issue types (`{"name", "subtask",
        "hierarchyLevel"}`) and each type's statuses by name (made up when new); what is
        not given comes from the project's issues."""
        explicit = self.projects.setdefault(key, {})
        if name is not None:
            explicit["name"] = name
        if issue_types is not None:
            explicit["issue_types"] = [
                {"id": str(10100 + number), "subtask": False, **entry}
                for number, entry in enumerate(issue_types)
            ]
        if statuses is not None:
            explicit["statuses"] = {
                type_name: [self.status(status)["id"] for status in names]
                for type_name, names in statuses.items()
            }

    # -- answers ------------------------------------------------------------------
    def _project_page(self, request: Request) -> Response:
        projects = [self._project_json(project, full=False) for project in self._all_projects()]
        return Response(200, self._page(request, projects, f"{self.url}/rest/api/3/project/search"))

    def _project_list(self, request: Request) -> Response:
        return Response(
            200, [self._project_json(project, full=False) for project in self._all_projects()]
        )

    def _project(self, request: Request, projectIdOrKey: str) -> Response:
        project = self._find_project(projectIdOrKey)
        if project is None:
            return _no_project(projectIdOrKey)
        return Response(200, self._project_json(project, full=True))

    def _project_statuses(self, request: Request, projectIdOrKey: str) -> Response:
        project = self._find_project(projectIdOrKey)
        if project is None:
            return _no_project(projectIdOrKey)
        by_id = {status["id"]: status for status in self.statuses.values()}
        return Response(
            200,
            [
                {
                    "self": f"{self.url}{self._api}/issuetype/{issue_type['id']}",
                    "id": issue_type["id"],
                    "name": issue_type["name"],
                    "subtask": issue_type.get("subtask", False),
                    "statuses": [
                        _status_json(by_id[status_id])
                        for status_id in project["statuses"].get(issue_type["name"], [])
                        if status_id in by_id
                    ],
                }
                for issue_type in project["issue_types"]
            ],
        )

    def _link_types(self, request: Request) -> Response:
        return Response(
            200,
            {
                "issueLinkTypes": [
                    {**link, "self": f"{self.url}{self._api}/issueLinkType/{link['id']}"}
                    for link in self.link_type_list
                ]
            },
        )

    def _board_page(self, request: Request) -> Response:
        wanted = request.arg("projectKeyOrId")
        project = self._find_project(wanted) if wanted else None
        if wanted and project is None:
            return Response(
                400, {"errorMessages": [f"No project could be found with key '{wanted}'."]}
            )
        boards = []
        for _, board in sorted(self.boards.items()):
            located = self._find_project(_location(board))
            if project is None or (located is not None and located["key"] == project["key"]):
                boards.append(_board_json(board, located))
        return Response(200, self._page(request, boards, None))

    # -- helpers ----------------------------------------------------------------
    @property
    def _api(self) -> str:
        return "/rest/api/3" if self.cloud else "/rest/api/2"

    def _page(self, request: Request, values: list[Any], link: str | None) -> dict[str, Any]:
        start = int(request.arg("startAt", "0") or 0)
        size = min(int(request.arg("maxResults", str(PAGE_CAP)) or PAGE_CAP), PAGE_CAP)
        page = values[start : start + size]
        body: dict[str, Any] = {
            "maxResults": size,
            "startAt": start,
            "total": len(values),
            "isLast": start + size >= len(values),
            "values": page,
        }
        if link is not None:
            body["self"] = f"{link}?startAt={start}&maxResults={size}"
            if not body["isLast"]:
                body["nextPage"] = f"{link}?startAt={start + size}&maxResults={size}"
        return body

    def _all_projects(self) -> list[dict[str, Any]]:
        """Every project, set up or implied by issue keys; ids by key order (AUR: 10000)."""
        keys = sorted(set(self.projects) | {key.rsplit("-", 1)[0] for key in self._keys()})
        return [self._project_of(key, str(10000 + index)) for index, key in enumerate(keys)]

    def _find_project(self, id_or_key: str | None) -> dict[str, Any] | None:
        return next((p for p in self._all_projects() if id_or_key in (p["key"], p["id"])), None)

    def _keys(self) -> list[str]:
        return [issue["key"] for issue in self.issues.values()]

    def _project_of(self, key: str, project_id: str) -> dict[str, Any]:
        """The project as set up, the rest implied by its issues: their issue types, and the
        statuses each type's issues are in."""
        types: dict[str, dict[str, Any]] = {}
        statuses: dict[str, set[str]] = {}
        for issue in self.issues.values():
            if not issue["key"].startswith(f"{key}-"):
                continue
            issue_type = issue["fields"].get("issuetype") or {}
            if not issue_type.get("name"):
                continue
            types.setdefault(issue_type["name"], issue_type)
            status = (issue["fields"].get("status") or {}).get("id")
            if status is not None:
                statuses.setdefault(issue_type["name"], set()).add(str(status))
        explicit = self.projects.get(key, {})
        return {
            "id": project_id,
            "key": key,
            "name": explicit.get("name", f"Project {key}"),
            "issue_types": explicit.get("issue_types")
            or sorted(types.values(), key=lambda entry: int(entry.get("id") or 0)),
            "statuses": explicit.get("statuses")
            or {name: sorted(ids, key=int) for name, ids in statuses.items()},
        }

    def _project_json(self, project: dict[str, Any], *, full: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "self": f"{self.url}{self._api}/project/{project['id']}",
            "id": project["id"],
            "key": project["key"],
            "name": project["name"],
            "projectTypeKey": "software",
            "simplified": False,
        }
        if full:
            body["issueTypes"] = [self._issue_type_json(entry) for entry in project["issue_types"]]
        return body

    def _issue_type_json(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Cloud's issue type with its hierarchy level; Data Center's knows only `subtask`."""
        body = {
            "self": f"{self.url}{self._api}/issuetype/{entry['id']}",
            "id": str(entry["id"]),
            "name": entry["name"],
            "description": "",
            "subtask": bool(entry.get("subtask", False)),
        }
        if self.cloud:
            level = entry.get("hierarchyLevel", -1 if body["subtask"] else 0)
            body["hierarchyLevel"] = level
        return body


def _status_json(status: dict[str, Any]) -> dict[str, Any]:
    return {key: status[key] for key in ("self", "id", "name", "statusCategory") if key in status}


def _location(board: dict[str, Any]) -> str:
    return str((board.get("location") or {}).get("projectKeyOrId") or "")


def _board_json(board: dict[str, Any], project: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": board["id"],
        "self": f"https://fake.invalid/rest/agile/1.0/board/{board['id']}",
        "name": board["name"],
        "type": board["type"],
    }
    if project is not None:
        body["location"] = {
            "projectId": int(project["id"]),
            "projectKey": project["key"],
            "projectName": project["name"],
            "displayName": f"{project['name']} ({project['key']})",
            "projectTypeKey": "software",
            "name": f"{project['name']} ({project['key']})",
        }
    return body


def _no_project(key: str) -> Response:
    return Response(
        404,
        {
            "errorMessages": [
                f"No project could be found with key '{key}'.",
            ],
            "errors": {},
        },
    )
