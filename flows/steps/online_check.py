"""`rte check-config --online`: does art.yaml fit the services it names? Read-only.

One function a service, each signing in as a run would (through `bootstrap`'s
adapters) and returning one `CheckRow` a check: ok with what it found, or the
problem and how to fix it. A service that cannot be reached, or refuses the
credentials, is one failed row with the connector's message, and the other
services are still checked. What is checked:

- the credentials: each `env:` variable is set, each `prefect-secret:` block exists;
- Jira: the field names resolve (`jira.fields`, and `objectives.fields` for
  objectives from Jira), the projects exist, every status `kanban` names is
  on the site, the boards (`kanban.board`, `teams[].board`) exist, each PI's
  label and fixVersion marks at least one issue (a count, not a search), and
  the objectives' issue type exists;
- Confluence: the space, and the parent page;
- Outlook: the mailbox's calendar can be read, signed in as the app.

No message holds a secret: the connectors' messages are scrubbed, and a
secret's row names its reference, never its value.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from art.config import ArtConfig, KanbanState
from art.config_errors import ConfigError
from connectors.errors import ConnectorError
from connectors.jira_fields import resolve_fields
from connectors.jira_values import folded
from connectors.jql import jql_string
from flows.steps.bootstrap import Adapters
from flows.steps.calendar import art_prefix
from flows.steps.secret_refs import secret_references
from flows.steps.secrets import SecretError, Secrets

if TYPE_CHECKING:  # the Jira client loads with the adapter that talks to Jira
    from connectors.jira import JiraSite

JIRA, CONFLUENCE, OUTLOOK, SECRETS = "Jira", "Confluence", "Outlook", "Secrets"
FIELD_FIX = "write the name or id of one field the site has (rte init lists what it finds)"


@dataclass(frozen=True)
class CheckRow:
    """One check: which service, what was checked, and what was found or what is wrong."""

    service: str
    what: str
    found: str = ""  # when it passed
    problem: str | None = None  # None: it passed
    fix: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None


def passed(service: str, what: str, found: str) -> CheckRow:
    return CheckRow(service, what, found=found)


def failed(service: str, what: str, problem: str, fix: str = "") -> CheckRow:
    return CheckRow(service, what, problem=problem, fix=fix)


def check_online(adapters: Adapters) -> list[CheckRow]:
    """Every check of every configured service, in the order a person fixes them."""
    return [
        *check_secrets(adapters.config, adapters.secrets),
        *check_jira(adapters),
        *check_confluence(adapters),
        *check_outlook(adapters),
    ]


# --------------------------------------------------------------------------
# Credentials


def check_secrets(config: ArtConfig, secrets: Secrets) -> list[CheckRow]:
    """Each credential reference can be resolved: its variable is set, its block exists."""
    rows = []
    for ref in secret_references(config):
        what = f"{ref.field} ({ref.reference})"
        try:
            secrets.resolve(ref.reference, ref.field)
        except SecretError as exc:
            fix = (
                f"set {ref.name} in the environment the runs see"
                if ref.scheme == "env"
                else f"create the Secret block {ref.name} (rte blocks register, or the Prefect UI)"
            )
            rows.append(failed(SECRETS, what, str(exc), fix))
        except Exception as exc:  # the block reader's own failure (Prefect's API): say which
            rows.append(
                failed(
                    SECRETS,
                    what,
                    f"Prefect's Secret blocks could not be read ({type(exc).__name__})",
                    "check PREFECT_API_URL, or that the Prefect server is up",
                )
            )
        else:
            where = "is set" if ref.scheme == "env" else "exists"
            rows.append(passed(SECRETS, what, f"{ref.name} {where}"))
    return rows


# --------------------------------------------------------------------------
# Jira


def check_jira(adapters: Adapters) -> list[CheckRow]:
    """Sign in to the Jira site, then check the fields, projects, statuses, boards, PIs and
    the objectives' issue type against it."""
    config = adapters.config
    if config.jira.backend == "export":
        return [passed(JIRA, "jira.backend", "export: a folder, nothing to sign in to")]
    try:
        site = adapters.live_jira().client
        fields = site.field_list()
    except (SecretError, ConnectorError) as exc:
        return [failed(JIRA, "sign-in", str(exc), "check jira.url, jira.auth and the account")]
    rows = [passed(JIRA, "sign-in", f"{config.jira.url}: {len(fields)} fields readable")]
    rows += _fields(config, fields)
    for check in (_projects, _statuses, _boards, _pis):
        rows += _guarded(JIRA, check.__name__.strip("_"), partial(check, site, config))
    return rows


def _fields(config: ArtConfig, field_list: list[dict[str, Any]]) -> list[CheckRow]:
    rows = []
    try:
        ids = resolve_fields(config.jira.fields, field_list)
    except ConfigError as exc:
        rows += [failed(JIRA, p.path, p.message, FIELD_FIX) for p in exc.problems]
    else:
        mapped = ", ".join(f"{name} = {field_id}" for name, field_id in ids.mapped().items())
        rows.append(passed(JIRA, "jira.fields", mapped or "none mapped"))
    if config.objectives.source == "jira":
        from connectors.objectives_jira import objective_field_ids

        try:
            objective_field_ids(config, field_list)
        except ConfigError as exc:
            rows += [failed(JIRA, p.path, p.message, FIELD_FIX) for p in exc.problems]
        else:
            rows.append(passed(JIRA, "objectives.fields", "all resolve"))
    return rows


def _projects(site: JiraSite, config: ArtConfig) -> list[CheckRow]:
    """Each project exists; with objectives from Jira, their issue type is one of theirs."""
    rows = []
    types: set[str] = set()
    for index, key in enumerate(config.jira.projects):
        what = f"jira.projects[{index}]"
        try:
            project = site.project(key)
        except ConnectorError as exc:
            rows.append(failed(JIRA, what, str(exc), "give the key of a project the account sees"))
            continue
        rows.append(passed(JIRA, what, f"{key} ({project.get('name')}) exists"))
        issue_types = project.get("issueTypes") or []
        types |= {str(t.get("name")) for t in issue_types if isinstance(t, dict)}
    if config.objectives.source == "jira" and types:
        rows.append(_objective_type(config, types))
    return rows


def _objective_type(config: ArtConfig, types: set[str]) -> CheckRow:
    wanted = config.objectives.issue_type
    if folded(wanted) in {folded(name) for name in types}:
        return passed(JIRA, "objectives.issue_type", f"'{wanted}' is an issue type there")
    return failed(
        JIRA,
        "objectives.issue_type",
        f"no issue type '{wanted}' in {', '.join(config.jira.projects)} "
        f"(there: {', '.join(sorted(types))})",
        "add it to the projects' issue types, or name one they have",
    )


def _statuses(site: JiraSite, config: ArtConfig) -> list[CheckRow]:
    named = [
        *_named_statuses("kanban.states", config.kanban.states),
        *_named_statuses("kanban.team_states", config.kanban.team_states),
    ]
    if not named:
        return []
    names = {str(status.get("name")) for status in site.statuses()}
    on_site = {folded(name): name for name in names}
    rows = []
    for path, name in named:
        if name in names:
            continue
        if folded(name) in on_site:  # the rules compare names as Jira writes them
            fix = f"write it as Jira does: '{on_site[folded(name)]}'"
        else:
            near = difflib.get_close_matches(folded(name), list(on_site), n=2, cutoff=0.6)
            hint = " or ".join(f"'{on_site[match]}'" for match in near)
            fix = f"did you mean {hint}?" if hint else "use the name of a status the site has"
        rows.append(failed(JIRA, path, f"no status '{name}' on the site", fix))
    if not rows:
        rows.append(passed(JIRA, "kanban statuses", f"all {len(named)} are on the site"))
    return rows


def _named_statuses(path: str, states: Sequence[KanbanState]) -> list[tuple[str, str]]:
    return [
        (f"{path}[{index}].statuses", name)
        for index, state in enumerate(states)
        for name in state.statuses
    ]


def _boards(site: JiraSite, config: ArtConfig) -> list[CheckRow]:
    wanted = [("kanban.board", config.kanban.board)] + [
        (f"teams[{index}].board", team.board) for index, team in enumerate(config.teams)
    ]
    rows = []
    for path, board_id in wanted:
        if board_id is None:
            continue
        try:
            configuration = site.board_configuration(board_id)
        except ConnectorError as exc:
            rows.append(failed(JIRA, path, str(exc), "give the id of a board the account sees"))
            continue
        columns = (configuration.get("columnConfig") or {}).get("columns") or []
        name = configuration.get("name") or f"board {board_id}"
        rows.append(passed(JIRA, path, f"board {board_id} ({name}): {len(columns)} columns"))
    return rows


def _pis(site: JiraSite, config: ArtConfig) -> list[CheckRow]:
    from connectors.jira_sync import scope_jql

    scope = scope_jql(config.jira)
    rows = []
    for index, pi in enumerate(config.cadence.pis):
        marks = (("label", "labels", pi.label), ("fix_version", "fixVersion", pi.fix_version))
        for key, field, value in marks:
            word = "label" if key == "label" else "fixVersion"
            if value is None:
                continue
            what = f"cadence.pis[{index}].{key}"
            condition = f"{field} = {jql_string(value)}"
            jql = f"{scope} AND {condition}" if scope else condition
            try:
                count = site.count(jql)
            except ConnectorError as exc:
                rows.append(failed(JIRA, what, str(exc), f"write the {key} Jira has for {pi.name}"))
                continue
            if count:
                rows.append(passed(JIRA, what, f"'{value}' marks {count} issue(s) of the train"))
            else:
                rows.append(
                    failed(
                        JIRA,
                        what,
                        f"no issue of the train has the {word} '{value}'",
                        f"mark {pi.name}'s features with it, or correct the {key}",
                    )
                )
    return rows


# --------------------------------------------------------------------------
# Confluence and Outlook


def check_confluence(adapters: Adapters) -> list[CheckRow]:
    """The space exists, and the parent page is in it."""
    confluence = adapters.config.confluence
    if confluence.backend == "files":
        return [passed(CONFLUENCE, "confluence.backend", "files: a folder, nothing to sign in to")]
    try:
        publisher = adapters.confluence()
        space = publisher.space_handle()
    except (SecretError, ConnectorError) as exc:
        return [
            failed(
                CONFLUENCE,
                "confluence.space",
                str(exc),
                "check confluence.url, confluence.auth and that the account sees the space",
            )
        ]
    rows = [passed(CONFLUENCE, "confluence.space", f"{confluence.space} exists (id {space})")]
    if confluence.parent is None:
        return [*rows, passed(CONFLUENCE, "confluence.parent", "none: pages go to the top")]
    try:
        parent = publisher.parent_page_id()
    except ConnectorError as exc:
        fix = f"give the title or id of a page in space {confluence.space}"
        return [*rows, failed(CONFLUENCE, "confluence.parent", str(exc), fix)]
    return [*rows, passed(CONFLUENCE, "confluence.parent", f"'{confluence.parent}' (id {parent})")]


def check_outlook(adapters: Adapters) -> list[CheckRow]:
    """The mailbox's calendar can be read, signed in as the Entra app the config names."""
    calendar = adapters.config.calendar
    if calendar.backend == "ics":
        return [passed(OUTLOOK, "calendar.backend", "ics: a file, nothing to sign in to")]
    try:
        events = adapters.outlook().list_events(art_prefix(adapters.config))
    except (SecretError, ConnectorError) as exc:
        return [
            failed(
                OUTLOOK,
                "calendar.mailbox",
                str(exc),
                "check calendar.tenant_id, client_id and client_secret (a secret expires), "
                "the app's Calendars.ReadWrite permission, and calendar.mailbox",
            )
        ]
    return [
        passed(
            OUTLOOK,
            "calendar.mailbox",
            f"{calendar.mailbox}: its calendar reads ({len(events)} event(s) of this ART)",
        )
    ]


def _guarded(service: str, what: str, check: Callable[[], Iterable[CheckRow]]) -> list[CheckRow]:
    """The rows of `check`, or one failed row when the service failed it half-way."""
    try:
        return list(check())
    except ConnectorError as exc:
        return [failed(service, what, str(exc), "run again; if it stays, check the service")]
