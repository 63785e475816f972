"""Jira Cloud and Jira Data Center, read with the fewest requests each API allows.

Both go through the `jira` library, with its own retries switched off and
every request sent through the shared policy of `connectors.http` (one retry
layer, every attempt counted). What differs is how each deployment hands out
complete histories:

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
v2), which `connectors.jira_write` uses to write values back.

The library's `serverInfo` round trip only tells it which of the two code paths
to take; the config already says, so it is not asked. Errors come out as
`JiraError`s that say what to check, never a credential.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import requests
from jira import JIRA, JIRAError
from pydantic import SecretStr

from art.config import JiraConfig
from connectors.errors import ConnectorError
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
    client = _Client(
        jira.url,
        cloud=jira.backend == "cloud",
        credentials=credentials,
        policy=policy or RetryPolicy(),
        counter=counter if counter is not None else RequestCounter(),
    )
    site_class = CloudJira if jira.backend == "cloud" else DataCenterJira
    return site_class(client, jira.url, credentials)


def changelog_field_ids(ids: FieldIds) -> list[str]:
    """The only histories the parser reads: status changes and the Flagged marker."""
    return ["status"] + ([ids.flagged] if ids.flagged else [])


# --------------------------------------------------------------------------
# The library's client, sending through our policy


class _Client(JIRA):
    """`jira.JIRA` with its retries off, our adapter mounted and its name translation off."""

    def __init__(
        self,
        url: str,
        *,
        cloud: bool,
        credentials: JiraCredentials,
        policy: RetryPolicy,
        counter: RequestCounter,
    ) -> None:
        token = credentials.token.get_secret_value()
        auth: dict[str, Any]
        if credentials.user is not None:
            auth = {"basic_auth": (credentials.user.get_secret_value(), token)}
        else:
            auth = {"token_auth": token}
        super().__init__(
            server=url,
            options={"rest_api_version": "3"} if cloud else {},
            get_server_info=False,
            max_retries=0,
            timeout=policy.timeout,
            logging=False,
            **auth,
        )
        self.deploymentType = "Cloud" if cloud else "Server"
        mount_retrying(self._session, policy, counter)

    @property
    def _fields_cache(self) -> dict[str, str]:  # type: ignore[override]
        """Empty, so the library sends our field ids as they are.

        Otherwise it fetches the field list once more and rewrites ids by
        clause name: `id` becomes `issuekey`, which costs the id-only scan
        its 5000-a-page cap.
        """
        return {}

    def get_json(
        self, path: str, params: Mapping[str, Any] | None = None, agile: bool = False
    ) -> Any:
        base = self.AGILE_BASE_URL if agile else self.JIRA_BASE_URL
        return self._get_json(path, params=dict(params or {}), base=base)

    def post_json(self, path: str, body: Mapping[str, Any]) -> Any:
        return self._get_json(path, params=dict(body), use_post=True)

    def put_json(self, path: str, body: Mapping[str, Any], params: Mapping[str, str]) -> None:
        """PUT without reading an answer (an edit answers 204); errors raise JIRAError."""
        self._session.put(self._get_url(path), params=dict(params), data=json.dumps(body))


class _JiraSiteBase:
    """What both deployments share: fields, statuses, boards, and error translation."""

    api = ""

    def __init__(self, client: _Client, site: str, credentials: JiraCredentials) -> None:
        self._client = client
        self.site = site
        self._secrets = [
            value.get_secret_value()
            for value in (credentials.token, credentials.user)
            if value is not None and value.get_secret_value()
        ]

    def field_list(self) -> list[dict[str, Any]]:
        with self._answers(f"GET {self.api}/field"):
            fields = self._client.fields()
        return _objects(fields)

    def statuses(self) -> list[dict[str, Any]]:
        with self._answers(f"GET {self.api}/status"):
            statuses = self._client.get_json("status")
        return _objects(statuses)

    def board_configuration(self, board_id: int) -> dict[str, Any]:
        missing = (
            f"does board {board_id} (kanban.board or teams[].board) exist, and may the account "
            "see it?"
        )
        with self._answers(f"GET /rest/agile/1.0/board/{board_id}/configuration", missing):
            configuration = self._client.get_json(f"board/{board_id}/configuration", agile=True)
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
                self._client.put_json(
                    f"issue/{quote(key, safe='')}",
                    {"fields": dict(fields)},
                    {} if notify else {"notifyUsers": "false"},
                )
            except JIRAError as exc:
                if exc.status_code not in ISSUE_REFUSALS:
                    raise
                reason = exc.text or "no reason given"
                raise IssueEditRefused(
                    self._clean(f"{key}: Jira answered HTTP {exc.status_code} to {call}: {reason}"),
                    exc.status_code,
                ) from None

    @contextmanager
    def _answers(self, call: str, missing: str | None = None) -> Iterator[None]:
        """Turn the libraries' exceptions into JiraErrors that say what to check.

        `missing` is the hint for a 404; by default, that the backend is wrong.
        """
        try:
            yield
        except RetriesExhaustedError as exc:
            raise JiraUnavailableError(self._clean(f"Jira at {self.site}: {exc}")) from None
        except JIRAError as exc:
            raise self._refused(call, exc, missing) from None
        except requests.RequestException as exc:
            raise JiraUnavailableError(
                self._clean(f"Jira at {self.site}: {call} failed ({type(exc).__name__})")
            ) from None
        except ValueError:
            raise JiraError(f"Jira at {self.site}: the answer to {call} is not JSON") from None

    def _refused(self, call: str, exc: JIRAError, missing: str | None) -> JiraError:
        status = exc.status_code
        said = f": {exc.text}" if exc.text else ""
        where = f"Jira at {self.site} answered HTTP {status} to {call}"
        if status == 401:
            return JiraAuthError(
                self._clean(
                    f"{where}: the credentials were refused; check jira.auth.user and "
                    "jira.auth.token (Cloud: account e-mail and API token; Data Center: "
                    "a personal access token)"
                )
            )
        if status == 403:
            return JiraAuthError(
                self._clean(
                    f"{where}{said}; the account needs 'Browse projects' on the train's "
                    "projects, and read access to the board named in kanban.board"
                )
            )
        if status in (404, 410):
            hint = missing or (
                "is jira.backend right for this site (Cloud speaks REST v3, Data Center REST v2)?"
            )
            return JiraError(self._clean(f"{where}{said}; {hint}"))
        return JiraError(self._clean(f"{where}{said}"))

    def _clean(self, text: str) -> str:
        """Defence in depth: no credential value survives into a message."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


# --------------------------------------------------------------------------
# Cloud


class CloudJira(_JiraSiteBase):
    """Jira Cloud: token-paged `/search/jql`, changelogs by bulkfetch."""

    api = "/rest/api/3"

    def fetch_issues(self, jql: str, ids: FieldIds) -> list[IssueRecord]:
        issues = list(self._search(jql, ids.requested(), CLOUD_PAGE))
        histories = self._bulk_changelogs([issue["id"] for issue in issues], ids)
        return [_record(issue, histories.get(issue["id"], [])) for issue in issues]

    def issue_ids(self, jql: str) -> set[str]:
        return {issue["id"] for issue in self._search(jql, ["id"], ID_PAGE)}

    def _search(self, jql: str, fields: list[str], page_size: int) -> Iterator[dict[str, Any]]:
        token: str | None = None
        seen: set[str] = set()
        while True:
            with self._answers(f"GET {self.api}/search/jql"):
                page = self._client.enhanced_search_issues(
                    jql,
                    nextPageToken=token,
                    maxResults=page_size,
                    fields=list(fields),
                    json_result=True,
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
                    page = self._client.post_json("changelog/bulkfetch", body)
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

    def _search(
        self, jql: str, fields: list[str], expand: str | None = None
    ) -> Iterator[dict[str, Any]]:
        start = 0
        while True:
            with self._answers(f"GET {self.api}/search"):
                page = self._client.search_issues(
                    jql,
                    startAt=start,
                    maxResults=DATACENTER_PAGE,
                    fields=list(fields),
                    expand=expand,
                    json_result=True,
                )
            issues = list(_issues_of(page, self.site))
            yield from issues
            start += len(issues)
            total = page.get("total") if isinstance(page, dict) else None
            if not issues or not isinstance(total, int) or start >= total:
                return

    def _whole_changelog(self, key: str) -> list[dict[str, Any]]:
        with self._answers(f"GET {self.api}/issue/{{id}}"):
            issue = self._client.get_json(
                f"issue/{key}", {"fields": "status", "expand": "changelog"}
            )
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
