"""Jira Cloud and Jira Data Center, read with the fewest requests each API allows.

Both are read through one `requests` session that rte creates and owns, with
the shared policy of `connectors.http` mounted (one retry layer, every attempt
counted). The `jira` library's client cannot be handed a session, and its own
would be neither retried by that policy nor counted; rte needs only a handful
of endpoints, so it calls them itself and lets the library read Jira's error
answers (`parse_error_msg`, which knows Jira's error shapes and the reason a
login was denied). What differs is how each deployment hands out complete
histories:

- **Cloud** (REST v3): issues from `/search/jql`, token-paged, 100 a page with
  only the fields the config maps; ids alone 5000 a page. `expand=changelog`
  there stops at a few dozen histories, so changelogs come from
  `POST /changelog/bulkfetch`: 1000 issues a call, filtered to the status and
  Flagged fields.
- **Data Center** (REST v2): `/search` with `startAt`/`total` and
  `expand=changelog`; an issue whose embedded changelog says it holds fewer
  histories than its `total` is read again alone, `/issue/{key}?expand=changelog`
  (Data Center has no paged changelog endpoint).

Both also edit one issue's fields (`edit_issue`: `PUT /issue/{key}`, REST v3 or
v2), which `connectors.jira_write` uses to write values back, and read how a
site is set up (projects, their issue types and statuses, boards, link types,
a count of the issues a JQL matches), read-only, for `rte init` and
`rte check-config --online`.

The config says which deployment a site is, so `serverInfo` is never asked.
Errors come out as `JiraError`s worded by `connectors.errors.ServiceErrors`:
what to check, never a credential.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import requests
from jira.resilientsession import parse_error_msg
from pydantic import SecretStr

from art.config import JiraConfig
from connectors.errors import ConnectorError, Scrubber, ServiceErrors
from connectors.http import RequestCounter, RetriesExhaustedError, RetryPolicy
from connectors.http_requests import mount_retrying
from connectors.jira_fields import FieldIds
from connectors.state_store import IssueRecord

CLOUD_PAGE = 100  # issues a /search/jql page holds when fields are requested
ID_PAGE = 5000  # ... when only ids are
DATACENTER_PAGE = 1000  # Data Center's default cap (jira.search.views.default.max)
BULK_ISSUES = 1000  # issueIdsOrKeys a bulkfetch call takes
BULK_HISTORIES = 10000  # histories a bulkfetch page may hold
# Answers to an edit that concern that one issue: a field off its screen or not a
# number (400), no Edit permission there (403), gone (404), a clash (409, 422).
ISSUE_REFUSALS = frozenset({400, 403, 404, 409, 422})


class JiraError(ConnectorError):
    """Jira could not be read; the message names the site, the call and what to check."""


class JiraAuthError(JiraError):
    """Jira refused the credentials, or the account may not see what was asked."""


class JiraUnavailableError(JiraError):
    """Jira kept throttling or failing until the retry policy's budget was spent."""


class IssueEditRefused(JiraError):
    """Jira would not edit one issue; other issues may well take the same edit."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class JiraCredentials:
    """Resolved credentials: Cloud takes the account e-mail and an API token (basic auth);
    Data Center a personal access token (bearer), or a user and password."""

    token: SecretStr
    user: SecretStr | None = None


class JiraSite(Protocol):
    """What a sync (and a write-back) needs from a Jira site, whatever its deployment."""

    site: str

    def field_list(self) -> list[dict[str, Any]]: ...

    def fetch_issues(self, jql: str, ids: FieldIds) -> list[IssueRecord]: ...

    def issue_ids(self, jql: str) -> set[str]: ...

    def board_configuration(self, board_id: int) -> dict[str, Any]: ...

    def statuses(self) -> list[dict[str, Any]]: ...

    def edit_issue(self, key: str, fields: Mapping[str, Any], *, notify: bool) -> None: ...

    # how the site is set up: read-only (`rte init`, `rte check-config --online`)
    def projects(self) -> list[dict[str, Any]]: ...

    def project(self, key: str) -> dict[str, Any]: ...

    def project_statuses(self, key: str) -> list[dict[str, Any]]: ...

    def boards(self, project_key: str) -> list[dict[str, Any]]: ...

    def link_types(self) -> list[dict[str, Any]]: ...

    def count(self, jql: str) -> int: ...

    def sample_issues(
        self, jql: str, fields: Sequence[str], limit: int
    ) -> list[dict[str, Any]]: ...


def connect(
    jira: JiraConfig,
    credentials: JiraCredentials,
    *,
    policy: RetryPolicy | None = None,
    counter: RequestCounter | None = None,
) -> JiraSite:
    """A client for the site `jira` names; no request is sent yet."""
    if jira.backend not in ("cloud", "datacenter") or jira.url is None:
        raise ValueError("jira.backend must be 'cloud' or 'datacenter', with jira.url")
    cloud = jira.backend == "cloud"
    rest = _Rest(
        jira.url,
        api=CloudJira.api if cloud else DataCenterJira.api,
        credentials=credentials,
        policy=policy or RetryPolicy(),
        counter=counter if counter is not None else RequestCounter(),
    )
    site_class = CloudJira if cloud else DataCenterJira
    return site_class(rest, jira.url, _errors(jira.url, credentials))


def changelog_field_ids(ids: FieldIds) -> list[str]:
    """The only histories the parser reads: status changes and the Flagged marker."""
    return ["status"] + ([ids.flagged] if ids.flagged else [])


def _errors(site: str, credentials: JiraCredentials) -> ServiceErrors:
    token = credentials.token.get_secret_value()
    user = credentials.user.get_secret_value() if credentials.user is not None else None
    return ServiceErrors(
        where=f"Jira at {site}",
        credentials=(
            "jira.auth.user and jira.auth.token (Cloud: account e-mail and API token; "
            "Data Center: a personal access token)"
        ),
        permissions=(
            "the account needs 'Browse projects' on the train's projects, and read access to "
            "the board named in kanban.board"
        ),
        not_found=(
            "is jira.backend right for this site (Cloud speaks REST v3, Data Center REST v2)?"
        ),
        scrub=Scrubber.login(token, user),
    )


# --------------------------------------------------------------------------
# rte's session to the site, sending through our policy


class _Refused(Exception):
    """Jira answered with an error status; `reason` is its own explanation."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(status)
        self.status = status
        self.reason = reason


class _Rest:
    """JSON over one session that rte owns: the policy mounted, the credentials set once."""

    def __init__(
        self,
        url: str,
        *,
        api: str,
        credentials: JiraCredentials,
        policy: RetryPolicy,
        counter: RequestCounter,
    ) -> None:
        self._api = f"{url.rstrip('/')}{api}/"
        self._agile = f"{url.rstrip('/')}/rest/agile/1.0/"
        self._session = mount_retrying(requests.Session(), policy, counter)
        self._session.headers["Accept"] = "application/json"
        token = credentials.token.get_secret_value()
        if credentials.user is not None:
            self._session.auth = (credentials.user.get_secret_value(), token)
        else:
            self._session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, params: Mapping[str, Any] | None = None, agile: bool = False) -> Any:
        base = self._agile if agile else self._api
        return self._send("GET", f"{base}{path}", params=dict(params or {})).json()

    def post(self, path: str, body: Mapping[str, Any]) -> Any:
        return self._send("POST", f"{self._api}{path}", json=dict(body)).json()

    def put(self, path: str, body: Mapping[str, Any], params: Mapping[str, str]) -> None:
        """PUT without reading an answer (an edit answers 204)."""
        self._send("PUT", f"{self._api}{path}", params=dict(params), json=dict(body))

    def _send(self, method: str, url: str, **arguments: Any) -> requests.Response:
        response = self._session.request(method, url, **arguments)
        if not response.ok:
            raise _Refused(response.status_code, parse_error_msg(response))
        return response


class _JiraSiteBase:
    """What both deployments share: fields, statuses, boards, and error translation."""

    api = ""
    _search_path = ""  # the search a page of issues comes from

    def __init__(self, rest: _Rest, site: str, errors: ServiceErrors) -> None:
        self._rest = rest
        self.site = site
        self._errors = errors

    def field_list(self) -> list[dict[str, Any]]:
        with self._answers(f"GET {self.api}/field"):
            fields = self._rest.get("field")
        return _objects(fields)

    def statuses(self) -> list[dict[str, Any]]:
        with self._answers(f"GET {self.api}/status"):
            statuses = self._rest.get("status")
        return _objects(statuses)

    def board_configuration(self, board_id: int) -> dict[str, Any]:
        missing = (
            f"does board {board_id} (kanban.board or teams[].board) exist, and may the account "
            "see it?"
        )
        with self._answers(f"GET /rest/agile/1.0/board/{board_id}/configuration", missing):
            configuration = self._rest.get(f"board/{board_id}/configuration", agile=True)
        if not isinstance(configuration, dict):
            raise JiraError(f"Jira at {self.site}: board {board_id} configuration is not an object")
        return configuration

    def edit_issue(self, key: str, fields: Mapping[str, Any], *, notify: bool) -> None:
        """Set `fields` (ids to values) on one issue, and nothing else.

        `notify=False` sends `notifyUsers=false`, which Jira grants only to
        project or Jira admins (anyone else gets 403 for the whole edit). An
        answer that concerns this issue alone (`ISSUE_REFUSALS`) is an
        `IssueEditRefused` naming the issue and Jira's reason; refused
        credentials, throttling past the policy and network failures end as the
        other `JiraError`s, since every further issue would meet them too.
        """
        call = f"PUT {self.api}/issue/{{key}}"
        with self._answers(call):
            try:
                self._rest.put(
                    f"issue/{quote(key, safe='')}",
                    {"fields": dict(fields)},
                    {} if notify else {"notifyUsers": "false"},
                )
            except _Refused as refused:
                if refused.status not in ISSUE_REFUSALS:
                    raise
                reason = refused.reason or "no reason given"
                raise IssueEditRefused(  # one line among the issues': the site is said once
                    self._errors.scrub(
                        f"{key}: Jira answered HTTP {refused.status} to {call}: {reason}"
                    ),
                    refused.status,
                ) from None

    # -- how the site is set up (read-only) ------------------------------------

    def project(self, key: str) -> dict[str, Any]:
        """One project with its issue types (`issueTypes`; on Cloud each with its
        `hierarchyLevel`)."""
        missing = f"is there a project '{key}', and may the account browse it?"
        with self._answers(f"GET {self.api}/project/{{key}}", missing):
            found = self._rest.get(f"project/{quote(key, safe='')}")
        if not isinstance(found, dict):
            raise JiraError(f"Jira at {self.site}: project {key} is not an object")
        return found

    def project_statuses(self, key: str) -> list[dict[str, Any]]:
        """The statuses of each issue type of a project, as its workflows have them."""
        missing = f"is there a project '{key}', and may the account browse it?"
        with self._answers(f"GET {self.api}/project/{{key}}/statuses", missing):
            found = self._rest.get(f"project/{quote(key, safe='')}/statuses")
        return _objects(found)

    def boards(self, project_key: str) -> list[dict[str, Any]]:
        """The agile boards located in a project (id, name, type), every page of them."""
        return list(
            self._paged(
                "board", {"projectKeyOrId": project_key}, "GET /rest/agile/1.0/board", agile=True
            )
        )

    def link_types(self) -> list[dict[str, Any]]:
        """The issue link types, each with its inward and outward wording."""
        with self._answers(f"GET {self.api}/issueLinkType"):
            found = self._rest.get("issueLinkType")
        return _objects(found.get("issueLinkTypes") if isinstance(found, dict) else None)

    def sample_issues(self, jql: str, fields: Sequence[str], limit: int) -> list[dict[str, Any]]:
        """At most `limit` issues of one search page, with only `fields`: a cheap look at
        which values a field holds (order them in the JQL, newest first for instance)."""
        with self._answers(f"GET {self.api}/{self._search_path}"):
            page = self._rest.get(
                self._search_path, {"jql": jql, "maxResults": limit, "fields": list(fields)}
            )
        return list(_issues_of(page, self.site))[:limit]

    def _paged(
        self, path: str, params: Mapping[str, Any], call: str, *, agile: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Every entry of a listing paged by `startAt` with `values` and `isLast`."""
        start = 0
        while True:
            with self._answers(call):
                page = self._rest.get(path, {**params, "startAt": start}, agile=agile)
            values = _objects(page.get("values") if isinstance(page, dict) else None)
            yield from values
            start += len(values)
            if not values or not isinstance(page, dict) or page.get("isLast", True) is not False:
                return

    @contextmanager
    def _answers(self, call: str, missing: str | None = None) -> Iterator[None]:
        """Turn failures into JiraErrors that say what to check.

        `missing` is the hint for a 404; by default, that the backend is wrong.
        """
        try:
            yield
        except _Refused as refused:
            message = self._errors.refused(call, refused.status, refused.reason, not_found=missing)
            auth = refused.status in (401, 403)
            raise (JiraAuthError if auth else JiraError)(message) from None
        except (RetriesExhaustedError, requests.RequestException) as exc:
            raise JiraUnavailableError(self._errors.unreachable(call, exc)) from None
        except ValueError:
            raise JiraError(self._errors.not_json(call)) from None


# --------------------------------------------------------------------------
# Cloud


class CloudJira(_JiraSiteBase):
    """Jira Cloud: token-paged `/search/jql`, changelogs by bulkfetch."""

    api = "/rest/api/3"
    _search_path = "search/jql"

    def fetch_issues(self, jql: str, ids: FieldIds) -> list[IssueRecord]:
        issues = list(self._search(jql, ids.requested(), CLOUD_PAGE))
        histories = self._bulk_changelogs([issue["id"] for issue in issues], ids)
        return [_record(issue, histories.get(issue["id"], [])) for issue in issues]

    def issue_ids(self, jql: str) -> set[str]:
        return {issue["id"] for issue in self._search(jql, ["id"], ID_PAGE)}

    def projects(self) -> list[dict[str, Any]]:
        """Every project the account may browse (`/project/search`, paged)."""
        return list(self._paged("project/search", {}, f"GET {self.api}/project/search"))

    def count(self, jql: str) -> int:
        """How many issues `jql` matches, as Cloud estimates it (recent changes may lag)."""
        with self._answers(f"POST {self.api}/search/approximate-count"):
            answer = self._rest.post("search/approximate-count", {"jql": jql})
        count = answer.get("count") if isinstance(answer, dict) else None
        if not isinstance(count, int):
            raise JiraError(f"Jira at {self.site}: the issue count is not a number")
        return count

    def _search(self, jql: str, fields: list[str], page_size: int) -> Iterator[dict[str, Any]]:
        token: str | None = None
        seen: set[str] = set()
        while True:
            with self._answers(f"GET {self.api}/search/jql"):
                page = self._rest.get(
                    "search/jql",
                    {
                        "jql": jql,
                        "nextPageToken": token,  # None: left out, the first page
                        "maxResults": page_size,
                        "fields": list(fields),
                    },
                )
            yield from _issues_of(page, self.site)
            token = page.get("nextPageToken") if isinstance(page, dict) else None
            if not token or page.get("isLast") is True:
                return
            if token in seen:
                raise JiraError(f"Jira at {self.site}: /search/jql handed out a page token twice")
            seen.add(token)

    def _bulk_changelogs(
        self, issue_ids: Sequence[str], ids: FieldIds
    ) -> dict[str, list[dict[str, Any]]]:
        histories: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for start in range(0, len(issue_ids), BULK_ISSUES):
            body: dict[str, Any] = {
                "issueIdsOrKeys": list(issue_ids[start : start + BULK_ISSUES]),
                "fieldIds": changelog_field_ids(ids),
                "maxResults": BULK_HISTORIES,
            }
            while True:
                with self._answers(f"POST {self.api}/changelog/bulkfetch"):
                    page = self._rest.post("changelog/bulkfetch", body)
                logs = page.get("issueChangeLogs") if isinstance(page, dict) else None
                for entry in _objects(logs):
                    if entry.get("issueId") is not None:
                        found = _objects(entry.get("changeHistories"))
                        histories[str(entry["issueId"])].extend(found)
                token = page.get("nextPageToken") if isinstance(page, dict) else None
                if not token:
                    break
                if token == body.get("nextPageToken"):
                    raise JiraError(f"Jira at {self.site}: bulkfetch handed out a page token twice")
                body["nextPageToken"] = token
        return histories


# --------------------------------------------------------------------------
# Data Center


class DataCenterJira(_JiraSiteBase):
    """Jira Data Center: `/search` by startAt with changelogs embedded, truncated ones reread."""

    api = "/rest/api/2"
    _search_path = "search"

    def fetch_issues(self, jql: str, ids: FieldIds) -> list[IssueRecord]:
        records = []
        for issue in self._search(jql, ids.requested(), expand="changelog"):
            changelog = issue.pop("changelog", None)
            changelog = changelog if isinstance(changelog, dict) else {}
            histories = _objects(changelog.get("histories"))
            total = changelog.get("total")
            if isinstance(total, int) and total > len(histories):
                histories = self._whole_changelog(issue.get("key") or issue["id"])
            records.append(_record(issue, histories))
        return records

    def issue_ids(self, jql: str) -> set[str]:
        return {issue["id"] for issue in self._search(jql, ["id"])}

    def projects(self) -> list[dict[str, Any]]:
        """Every project the account may browse (`/project`, one list)."""
        with self._answers(f"GET {self.api}/project"):
            found = self._rest.get("project")
        return _objects(found)

    def count(self, jql: str) -> int:
        """How many issues `jql` matches: the `total` of a search for none of them."""
        with self._answers(f"GET {self.api}/search"):
            page = self._rest.get("search", {"jql": jql, "maxResults": 0, "fields": "id"})
        total = page.get("total") if isinstance(page, dict) else None
        if not isinstance(total, int):
            raise JiraError(f"Jira at {self.site}: a search answer without a total")
        return total

    def _search(
        self, jql: str, fields: list[str], expand: str | None = None
    ) -> Iterator[dict[str, Any]]:
        start = 0
        while True:
            with self._answers(f"GET {self.api}/search"):
                page = self._rest.get(
                    "search",
                    {
                        "jql": jql,
                        "startAt": start,
                        "maxResults": DATACENTER_PAGE,
                        "fields": list(fields),
                        "expand": expand,
                    },
                )
            issues = list(_issues_of(page, self.site))
            yield from issues
            start += len(issues)
            total = page.get("total") if isinstance(page, dict) else None
            if not issues or not isinstance(total, int) or start >= total:
                return

    def _whole_changelog(self, key: str) -> list[dict[str, Any]]:
        with self._answers(f"GET {self.api}/issue/{{id}}"):
            issue = self._rest.get(f"issue/{key}", {"fields": "status", "expand": "changelog"})
        changelog = issue.get("changelog") if isinstance(issue, dict) else None
        histories = changelog.get("histories") if isinstance(changelog, dict) else None
        return _objects(histories)


# --------------------------------------------------------------------------


def _issues_of(page: Any, site: str) -> Iterator[dict[str, Any]]:
    if not isinstance(page, dict) or not isinstance(page.get("issues", []), list):
        raise JiraError(f"Jira at {site}: a search answer without an issue list")
    for issue in page.get("issues", []):
        if isinstance(issue, dict) and issue.get("id") is not None:
            issue["id"] = str(issue["id"])
            yield issue


def _record(issue: dict[str, Any], histories: list[dict[str, Any]]) -> IssueRecord:
    issue.pop("changelog", None)
    return IssueRecord(
        id=issue["id"], key=str(issue.get("key") or ""), issue=issue, histories=histories
    )


def _objects(value: Any) -> list[dict[str, Any]]:
    """The JSON objects of an answer's list; a null or a stray entry is no reason to fail."""
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []
