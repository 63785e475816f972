"""Writing one field's values back to Jira, issue by issue, without spamming watchers.

Jira has no bulk edit of different values per issue, so each issue costs one
`PUT /issue/{key}` carrying only the target field: nothing else on the issue
is touched, and the same PUT sent twice leaves the same issue, which is why
the shared retry policy may repeat it after a 429, a 503 or a dropped
connection. Callers pass only the values that differ (a reconcile), so an
unchanged issue costs nothing.

Watchers are not mailed about a number a robot keeps up to date:
`notifyUsers=false` is sent while Jira accepts it. Jira lets only project or
Jira admins say that and refuses the whole edit otherwise (403); then the
edit is sent again without it, and once that works the rest of the batch
goes without it too, so a train without admin rights loses one request, not
its write-back. `WriteResult.notified` says whose watchers got mail.

One issue's refusal (the field is not on that issue type's edit screen, no
Edit permission in its project, the issue is gone) is recorded and the batch
goes on. What every further issue would meet as well (refused credentials,
throttling past the retry policy, Jira unreachable) stops the batch, and the
issues not yet tried are listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from connectors.jira import IssueEditRefused, JiraError

_HINTS = {
    400: "is the field on this issue type's edit screen, and a Number field?",
    403: "the account needs 'Edit issues' in this issue's project",
    404: "the issue was deleted or moved, or the account may not see it",
    409: "someone else edited it at the same moment; the next run writes it",
}


class IssueEditor(Protocol):
    """What writing back needs of a Jira site (`connectors.jira.connect` gives one)."""

    def edit_issue(self, key: str, fields: Mapping[str, Any], *, notify: bool) -> None: ...


@dataclass(frozen=True)
class WriteResult:
    """What a write-back did, issue by issue."""

    written: tuple[str, ...]
    failed: Mapping[str, str]  # issue key -> Jira's reason and what to check
    not_attempted: tuple[str, ...] = ()  # after the batch stopped
    stopped: str | None = None  # why the batch stopped early
    notified: tuple[str, ...] = ()  # written, but Jira mailed their watchers

    @property
    def ok(self) -> bool:
        return not self.failed and self.stopped is None

    def outcome(self, key: str) -> str:
        """`written`, `failed: <reason>` or `not attempted`, for a table or a JSON document."""
        if key in self.failed:
            return f"failed: {self.failed[key]}"
        if key in self.not_attempted:
            return "not attempted"
        return "written"


def write_field_values(
    site: IssueEditor, field_id: str, values: Mapping[str, float]
) -> WriteResult:
    """Set `field_id` to `values[key]` on each issue, in order; one request per issue."""
    written: list[str] = []
    notified: list[str] = []
    failed: dict[str, str] = {}
    notify = False
    keys = list(values)
    for index, key in enumerate(keys):
        fields = {field_id: values[key]}
        try:
            notify = _edit(site, key, fields, notify)
        except IssueEditRefused as exc:
            hint = _HINTS.get(exc.status)
            failed[key] = f"{str(exc).rstrip('.')}; {hint}" if hint else str(exc)
            continue
        except JiraError as exc:
            return WriteResult(
                tuple(written), failed, tuple(keys[index:]), str(exc), tuple(notified)
            )
        written.append(key)
        if notify:
            notified.append(key)
    return WriteResult(tuple(written), failed, notified=tuple(notified))


def _edit(site: IssueEditor, key: str, fields: Mapping[str, Any], notify: bool) -> bool:
    """Edit one issue; returns whether watchers must be notified from now on.

    A 403 to a silent edit is sent again with notifications: if that works, the
    403 was Jira refusing `notifyUsers=false`, and the rest of the batch
    notifies; if it fails too, the account may not edit this issue at all, and
    the next issue tries silence again.
    """
    try:
        site.edit_issue(key, fields, notify=notify)
    except IssueEditRefused as exc:
        if notify or exc.status != 403:
            raise
        site.edit_issue(key, fields, notify=True)
        return True
    return notify
