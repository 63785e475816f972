"""Full and incremental sync of the train's issues into the state store.

A full sync reads every issue of the scope with its whole history. A nightly
run instead asks for the issues updated since the last successful sync began
(minus a small overlap, for clock skew and Jira's minute-precise JQL dates),
then scans the scope's issue ids alone (5000 a request on Cloud) to learn
which issues left it, and reads the few it holds but the store does not.
Nothing is written until everything was fetched, and then in one transaction,
so a run that fails leaves the store as the last good run left it. The field
ids the config's names resolved to are kept too: ids never change on a site,
so only a full sync, or a changed mapping, reads the field list again.

The "since" is relative (`updated >= -90m`), because an absolute JQL date is
read in the time zone of the Jira account's profile, which we do not know.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from art.config import JiraConfig, RisksConfig
from art.config_errors import ConfigError, Problem
from connectors.jira import JiraError, JiraSite, changelog_field_ids
from connectors.jira_fields import FieldIds, resolve_fields
from connectors.jira_json import ParseResult, parse_issues
from connectors.jql import JqlFragmentError, jql_condition, jql_list, jql_string, train_condition
from connectors.state_store import IssueRecord, StateStore, SyncMark

OVERLAP = timedelta(minutes=10)
IDS_PER_QUERY = 100  # `id in (...)` lists for issues the scan found but the store lacks
_FINGERPRINT_VERSION = 1


@dataclass(frozen=True)
class SyncOutcome:
    """What a sync did and what the store holds afterwards, parsed."""

    mode: Literal["full", "incremental"]
    parsed: ParseResult
    fetched: int  # issues read with their fields and histories
    removed: int  # issues dropped because they left the scope
    synced_at: datetime
    ids: FieldIds  # what the config's field names resolved to (for writing back)


def scope_jql(jira: JiraConfig, risks: RisksConfig | None = None) -> str:
    """The JQL that selects the train's issues: its projects, narrowed by `jira.jql`.

    Risks within that scope come with it. `risks.jql` names risks elsewhere
    (another project, a portfolio's risk register): its risks are OR-ed into
    the same search, so they cost no request of their own and sync
    incrementally like every other issue.

    Raises ConfigError (`jira.jql`, `risks.jql`) when a condition cannot be
    joined safely.
    """
    parts = []
    if jira.projects:
        parts.append(f"project in {jql_list(jira.projects)}")
    condition = train_condition(jira)
    if condition:
        parts.append(f"({condition})")
    train = " AND ".join(parts)
    elsewhere = risks_elsewhere_jql(risks) if risks is not None else ""
    if not elsewhere or not train:
        return train  # no train condition at all already selects every risk
    # in parentheses as a whole: the nightly search appends "AND updated >= ..."
    return f"(({train}) OR ({elsewhere}))"


def risks_elsewhere_jql(risks: RisksConfig) -> str:
    """The risks `risks.jql` names ('' when unset): only issues of the risk type or label, so
    nothing else of another project reaches the rules."""
    if not risks.jql:
        return ""
    try:
        condition = jql_condition(risks.jql)
    except JqlFragmentError as exc:
        raise ConfigError(
            [Problem("risks.jql", f"{exc} (outside quoted text); write one JQL condition")]
        ) from None
    marks = []
    if risks.issue_type:
        marks.append(f"issuetype = {jql_string(risks.issue_type)}")
    if risks.label:
        marks.append(f"labels = {jql_string(risks.label)}")
    return f"({condition}) AND ({' OR '.join(marks)})"


def sync_issues(
    site: JiraSite,
    store: StateStore,
    jira: JiraConfig,
    *,
    full: bool = False,
    now: datetime | None = None,
    overlap: timedelta = OVERLAP,
    risks: RisksConfig | None = None,
) -> SyncOutcome:
    """Bring the store up to date with the site and return its issues as WorkItems
    (with the risks `risks.jql` names elsewhere, when given)."""
    started = now or datetime.now(UTC)
    jql = scope_jql(jira, risks)
    scope = _digest({"site": site.site.rstrip("/"), "jql": jql})
    mark = None if full else store.mark(scope)
    with _kept_on_failure(store, scope):
        mapping = _digest(jira.fields.model_dump(mode="json"))
        ids = _remembered_ids(mark, mapping) or resolve_fields(jira.fields, site.field_list())
        fingerprint = _digest(
            {
                "version": _FINGERPRINT_VERSION,
                "backend": jira.backend,
                "fields": ids.requested(),
                "changelog": changelog_field_ids(ids),
            }
        )
        new_mark = SyncMark(fingerprint, started, mapping, asdict(ids))
        if mark is None or mark.fingerprint != fingerprint:
            records = site.fetch_issues(_ordered(jql), ids)
            store.replace(scope, new_mark, records)
            mode: Literal["full", "incremental"] = "full"
            fetched, removed = len(records), 0
        else:
            minutes = max(1, math.ceil((started - mark.synced_at + overlap).total_seconds() / 60))
            changed = site.fetch_issues(_ordered(f"{jql} AND updated >= -{minutes}m"), ids)
            present = site.issue_ids(_ordered(jql))
            known = store.ids(scope)
            missing = present - known - {record.id for record in changed}
            refetched = [r for r in changed + _fetch_by_id(site, missing, ids) if r.id in present]
            gone = known - present
            store.merge(scope, new_mark, refetched, gone)
            mode, fetched, removed = "incremental", len(refetched), len(gone)
    records = store.records(scope)
    parsed = parse_issues(
        [record.issue for record in records],
        ids,
        jira,
        {record.id: record.histories for record in records},
    )
    return SyncOutcome(mode, parsed, fetched, removed, started, ids)


@contextmanager
def _kept_on_failure(store: StateStore, scope: str) -> Iterator[None]:
    """A JiraError says what the store still holds: nothing is written before all is read."""
    try:
        yield
    except JiraError as exc:
        mark = store.mark(scope)
        kept = (
            f"the state store keeps the sync of {mark.synced_at.astimezone(UTC):%Y-%m-%d %H:%M} "
            "UTC; the next run starts from there"
            if mark is not None
            else "nothing was stored yet; the next run reads everything"
        )
        exc.args = (f"{exc}; {kept}", *exc.args[1:])
        raise


def _remembered_ids(mark: SyncMark | None, mapping: str) -> FieldIds | None:
    """The field ids the last sync resolved, if the config still maps the same names.

    Field ids never change on a site, so a nightly run need not read the field
    list again; a full sync, or another mapping in the config, does read it.
    """
    if mark is None or mark.mapping != mapping:
        return None
    try:
        return FieldIds(**mark.field_ids)
    except TypeError:  # stored by a version of FieldIds with other attributes
        return None


def _fetch_by_id(site: JiraSite, wanted: set[str], ids: FieldIds) -> list[IssueRecord]:
    """Issues in scope the store never saw (e.g. moved in without an update)."""
    ordered = sorted((v for v in wanted if v.isdigit()), key=lambda value: (len(value), value))
    records: list[IssueRecord] = []
    for start in range(0, len(ordered), IDS_PER_QUERY):
        chunk = ", ".join(ordered[start : start + IDS_PER_QUERY])
        records += site.fetch_issues(_ordered(f"id in ({chunk})"), ids)
    return records


def _ordered(jql: str) -> str:
    """A stable order, so startAt pages neither skip nor repeat issues."""
    return f"{jql} ORDER BY key ASC"


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:32]
