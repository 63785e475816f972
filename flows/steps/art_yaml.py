"""The drafted art.yaml as a person reads it: every section commented, TODOs where guessed.

One template (`TEMPLATE`, filled by `str.format` with rendered blocks), so
the file's shape is read in one place. Values from Jira (names of statuses,
fields, teams) are written as YAML scalars that stay what they are (quoted
when they would read as something else: a number, `yes`, a flow-syntax
character), and comments hold no line break or control character, so a
status called "Done # really" or "a\\nb" cannot change the file's structure.
The credentials are written as the references given, never as values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from flows.steps.config_draft import ConfigDraft, Said, State
from flows.steps.field_choice import FieldChoice

_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9 _./@()+-]*$")
_NOT_PLAIN = re.compile(
    r"^(?:y|n|yes|no|true|false|on|off|null|~|[-+]?[0-9].*|\.[0-9].*|\.inf|\.nan)$", re.I
)
_COMMENT_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
WIDTH = 92  # comment lines are wrapped here

TEMPLATE = """\
# art.yaml for {project}, drafted by `rte init` on {drafted_on} from
# {url} ({kind}). Each section says where its values came from; a TODO
# marks a guess to settle. Then check it against the site and run the health check once:
#   rte check-config {file} --online
#   rte health --config {file} --out out
# `rte config-schema` prints the JSON Schema of this file (editor completion).

# The ART: its name (the project's; rename it freely) and the time zone its dates are in.
art:
  name: {art_name}
  timezone: UTC  # TODO: the ART's IANA time zone, such as Europe/Berlin

{teams}
# Where the train's work lives. The credentials are references to where the secrets are
# kept (env:NAME or prefect-secret:NAME), never the secrets themselves.
jira:
  backend: {backend}
  url: {url_value}
  auth:
{auth}
  projects: [{project_value}]
{fields}
{hierarchy}
{blocked}
{kanban}
# The PI cadence: iterations of iteration_weeks, the last one of each PI the IP iteration.
# TODO: the current PI's name and first day (and the next PIs'), each with the Jira label
# (label:) or fixVersion (fix_version:) that marks the features planned for it.
cadence:
  iterations_per_pi: 5
  iteration_weeks: 2
  ip_iteration: true
  pis:
    - {{name: PI 1, start: {pi_start}}}

rules:
{blocking}

state_dir: .rte  # where runs keep their state, relative to this file

# Not set up by rte init: pages go to a folder (confluence.backend: files) and the
# calendar to an .ics file (calendar.backend: ics). To publish to Confluence and Outlook:
# confluence:
#   backend: cloud                   # or datacenter
#   url: https://your-site.atlassian.net
#   space: ART
#   parent: ART Health               # the page (title or id) the pages go under
#   auth: {{user: 'env:CONFLUENCE_USER', token: 'env:CONFLUENCE_TOKEN'}}
# calendar:
#   backend: outlook
#   mailbox: art-calendar@example.com
#   tenant_id: env:GRAPH_TENANT_ID
#   client_id: env:GRAPH_CLIENT_ID
#   client_secret: env:GRAPH_CLIENT_SECRET
# notifications: {{rte: you@example.com}}
"""


def render_art_yaml(draft: ConfigDraft, file_name: str = "art.yaml") -> str:
    """The commented art.yaml of `draft`, to be saved as `file_name` (named in its comments)."""
    kind = "Jira Cloud" if draft.deployment == "cloud" else "Jira Data Center"
    return TEMPLATE.format(
        file=comment_text(file_name),
        project=comment_text(f"{draft.project_key} ({draft.project_name})"),
        drafted_on=draft.drafted_on.isoformat(),
        url=comment_text(draft.url),
        kind=kind,
        art_name=scalar(draft.project_name),
        teams=_teams(draft),
        backend=draft.deployment,
        url_value=scalar(draft.url),
        auth=_auth(draft),
        project_value=scalar(draft.project_key),
        fields=_fields(draft.fields),
        hierarchy=_hierarchy(draft),
        blocked=_blocked(draft),
        kanban=_kanban(draft),
        pi_start=draft.pi_start.isoformat(),
        blocking=_said(draft.blocking_said, "  ", f"blocking_link: {scalar(draft.blocking_link)}"),
    )


def scalar(value: str | int) -> str:
    """`value` as a YAML scalar that reads back as this very string (or number), also inside
    a flow collection: plain when that is safe, else double-quoted (JSON's escapes)."""
    if isinstance(value, int):
        return str(value)
    if _PLAIN.match(value) and not _NOT_PLAIN.match(value) and value == value.strip():
        return value  # no ':' nor '#' in _PLAIN, so neither ': ' nor ' #'
    quoted = json.dumps(value, ensure_ascii=False)
    return (
        quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")
    )


def comment_text(text: str) -> str:
    """Text safe inside a comment: one line, no control characters."""
    return _COMMENT_UNSAFE.sub(" ", text).strip()


def comment_lines(text: str, indent: str, width: int = WIDTH) -> list[str]:
    """`text` as `# ...` lines wrapped at `width`."""
    words = comment_text(text).split(" ")
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(indent) + 2 + len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return [f"{indent}# {part}" for part in lines]


# --------------------------------------------------------------------------


def _said(said: Said, indent: str, *body: str) -> str:
    """A section's comment (its note, then its TODO) above its lines."""
    lines = comment_lines(said.note, indent)
    if said.todo:
        lines += comment_lines(f"TODO: {said.todo}", indent)
    return "\n".join([*lines, *(f"{indent}{line}" for line in body)])


def _teams(draft: ConfigDraft) -> str:
    said = Said(
        "The teams: " + draft.teams_said.note + ". A team's name is its value in Jira's team "
        "field (or give jira_value).",
        draft.teams_said.todo,
    )
    body = ["teams:"]
    for number, name in enumerate(draft.teams):
        body.append(f"  - name: {scalar(name)}")
        if number == 0:
            body.append(
                "    # capacity_per_iteration: 40  # story points it plans for an iteration"
            )
    return _said(said, "", *body) + "\n"


def _auth(draft: ConfigDraft) -> str:
    lines = []
    if draft.user_ref is not None:
        lines.append(f"    user: {scalar(draft.user_ref)}")
    lines.append(f"    token: {scalar(draft.token_ref)}")
    return "\n".join(lines)


def _fields(choices: Iterable[FieldChoice]) -> str:
    lines = comment_lines(
        "Custom fields, by name, or by id where a name picks more than one field. "
        "Found by their type first and their name second.",
        "  ",
    )
    choices = list(choices)
    lines.append("  fields:" if any(choice.value for choice in choices) else "  fields: {}")
    for choice in choices:
        lines += comment_lines(choice.why, "    ")
        if choice.todo:
            lines += comment_lines(f"TODO: {choice.todo}", "    ")
        if choice.value is None:
            lines.append(f"    # {choice.key}: (none found)")
        else:
            lines.append(f"    {choice.key}: {scalar(choice.value)}")
    return "\n".join(lines)


def _hierarchy(draft: ConfigDraft) -> str:
    said = Said(
        "The backlog's levels, lowest first: " + draft.hierarchy_said.note,
        draft.hierarchy_said.todo,
    )
    body = ["hierarchy:"] + [
        f"  - {{level: {scalar(level.level)}, issue_types: {_flow(level.issue_types)}}}"
        for level in draft.hierarchy
    ]
    return _said(said, "  ", *body)


def _blocked(draft: ConfigDraft) -> str:
    said = Said("Statuses that mean blocked: " + draft.blocked_said.note, draft.blocked_said.todo)
    return _said(said, "  ", f"blocked_statuses: {_flow(draft.blocked_statuses)}") + "\n"


def _kanban(draft: ConfigDraft) -> str:
    note = "The Program Kanban: " + draft.kanban_said.note + "."
    if draft.board_id is not None:
        note += (
            f" To read the columns from Jira on every run instead, replace states: with "
            f"board: {draft.board_id}."
        )
    body = [
        "kanban:",
        f"  level: {scalar(draft.kanban_level)}  # the hierarchy level of its cards",
        f"  team_level: {scalar(draft.team_level)}  # the level of the teams' boards",
        "  states:",
        *(f"    - {_state(state)}" for state in draft.states),
    ]
    return _said(Said(note, draft.kanban_said.todo), "", *body) + "\n"


def _state(state: State) -> str:
    parts = [f"name: {scalar(state.name)}", f"statuses: {_flow(state.statuses)}"]
    if state.wip_limit is not None:
        parts.append(f"wip_limit: {state.wip_limit}")
    if state.wip_min is not None:
        parts.append(f"wip_min: {state.wip_min}")
    return "{" + ", ".join(parts) + "}"


def _flow(values: Iterable[str]) -> str:
    return "[" + ", ".join(scalar(value) for value in values) + "]"
