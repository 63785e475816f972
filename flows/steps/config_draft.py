"""The art.yaml `rte init` drafts from a site survey: each value, where it came from, and
a TODO where it is a guess.

Pure: `draft_config` takes the survey (`flows.steps.site_survey`) and what
the command line said, and decides

- the backlog's levels: on Cloud from each issue type's hierarchy level (0
  story, 1 feature, 2 epic, higher ones above), on Data Center, whose issue
  types do not say, from their names (sub-tasks are left out everywhere);
- the fields (`flows.steps.field_choice`), the teams (the team field's values
  on the latest issues, else one placeholder), the status that means blocked
  and the link type that means "blocks";
- the Program Kanban: the board's columns with their WIP limits when a board
  was given, else the statuses of the feature level's issue types in the
  order of their categories (to do, in progress, done), one column each.

`flows.steps.art_yaml` writes the draft out with its comments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from connectors.jira_values import as_mapping, folded
from flows.steps.field_choice import FieldChoice, choose_fields, team_values
from flows.steps.site_survey import SAMPLE_SIZE, SiteSurvey, SurveyProblem

LEVEL_NAMES = {0: "story", 1: "feature", 2: "epic", 3: "initiative"}
# Data Center's issue types do not know their level: the usual names say it.
FEATURE_NAMES = frozenset({"feature", "enabler"})
EPIC_NAMES = frozenset({"epic"})
ABOVE_EPIC_NAMES = frozenset({"initiative", "capability", "portfolio epic", "theme"})
RISK_NAMES = frozenset({"risk"})
BLOCKED_NAMES = frozenset({"blocked", "impeded"})
CATEGORY_ORDER = {"new": 0, "indeterminate": 1, "done": 2}
PLACEHOLDER_TEAM = "Team 1"


@dataclass(frozen=True)
class Level:
    level: str
    issue_types: tuple[str, ...]


@dataclass(frozen=True)
class State:
    name: str
    statuses: tuple[str, ...]
    wip_limit: int | None = None
    wip_min: int | None = None


@dataclass(frozen=True)
class Said:
    """A comment on a section: where its values came from, and what to settle (TODO)."""

    note: str
    todo: str | None = None


@dataclass(frozen=True)
class ConfigDraft:
    """Everything the drafted art.yaml says, and why."""

    url: str
    deployment: str  # cloud or datacenter
    project_key: str
    project_name: str
    user_ref: str | None
    token_ref: str
    drafted_on: date
    teams: tuple[str, ...]
    teams_said: Said
    fields: tuple[FieldChoice, ...]
    hierarchy: tuple[Level, ...]
    hierarchy_said: Said
    blocked_statuses: tuple[str, ...]
    blocked_said: Said
    kanban_level: str
    states: tuple[State, ...]
    kanban_said: Said
    board_id: int | None
    blocking_link: str
    blocking_said: Said

    @property
    def team_level(self) -> str:
        return self.hierarchy[0].level

    @property
    def pi_start(self) -> date:
        """The Monday of the week it was drafted in: a placeholder for the current PI's start."""
        return self.drafted_on - timedelta(days=self.drafted_on.weekday())


def draft_config(
    survey: SiteSurvey, *, user_ref: str | None, token_ref: str, today: date
) -> ConfigDraft:
    """The art.yaml for the surveyed project, with the credentials' references."""
    datacenter = survey.deployment == "datacenter"
    fields = tuple(choose_fields(survey.fields, survey.sample, datacenter=datacenter))
    hierarchy, hierarchy_said = draft_hierarchy(survey.issue_types, datacenter=datacenter)
    kanban_level = _kanban_level(hierarchy)
    states, kanban_said = draft_states(survey, _types_of(hierarchy, kanban_level), today)
    teams, teams_said = _teams(fields, survey.sample)
    blocked, blocked_said = _blocked_statuses(survey)
    link, link_said = _blocking_link(survey.link_types)
    return ConfigDraft(
        url=survey.url,
        deployment=survey.deployment,
        project_key=survey.key,
        project_name=str(survey.project.get("name") or survey.key),
        user_ref=user_ref,
        token_ref=token_ref,
        drafted_on=today,
        teams=teams,
        teams_said=teams_said,
        fields=fields,
        hierarchy=hierarchy,
        hierarchy_said=hierarchy_said,
        blocked_statuses=blocked,
        blocked_said=blocked_said,
        kanban_level=kanban_level,
        states=states,
        kanban_said=kanban_said,
        board_id=survey.board.id if survey.board else None,
        blocking_link=link,
        blocking_said=link_said,
    )


def draft_hierarchy(
    issue_types: Sequence[Mapping[str, Any]], *, datacenter: bool
) -> tuple[tuple[Level, ...], Said]:
    """The backlog's levels, lowest first; sub-task types are left out."""
    ranks: dict[int, list[str]] = {}
    subtasks, risks = [], []
    for issue_type in issue_types:
        name = str(issue_type.get("name") or "")
        if not name:
            continue
        if issue_type.get("subtask") is True or issue_type.get("hierarchyLevel") == -1:
            subtasks.append(name)
            continue
        if folded(name) in RISK_NAMES:  # the train's risks (risks.issue_type), not its backlog
            risks.append(name)
            continue
        rank = _rank_by_name(name) if datacenter else _rank_by_level(issue_type)
        ranks.setdefault(rank, []).append(name)
    if not ranks:
        raise SurveyProblem("the project has no issue types but sub-tasks: nothing to track")
    levels = tuple(
        Level(LEVEL_NAMES.get(rank, f"level-{rank}"), tuple(ranks[rank])) for rank in sorted(ranks)
    )
    left_out = f"; sub-task types left out: {', '.join(subtasks)}" if subtasks else ""
    left_out += f"; risks (risks.issue_type) left out: {', '.join(risks)}" if risks else ""
    if datacenter:
        return levels, Said(
            "from the issue types' names (Data Center does not say which level a type is: "
            f"Epic Link joins stories to epics, Parent Link the levels above){left_out}",
            "check which level each issue type is",
        )
    note = "from each issue type's hierarchy level in Jira (0 story, 1 feature, 2 epic)"
    todo = None
    if any(folded(name) in EPIC_NAMES for name in ranks.get(1, [])):
        todo = "Jira's level 1 holds the Epic type: check it stands for the ART's features"
    return levels, Said(note + left_out, todo)


def draft_states(
    survey: SiteSurvey, kanban_types: Iterable[str], today: date
) -> tuple[tuple[State, ...], Said]:
    """The Program Kanban's columns: the board's, or the statuses of the kanban level."""
    board = survey.board
    if board is not None:
        states = []
        dropped = []
        for column in board.columns:
            wip_min = column.wip_min
            if wip_min is not None and column.wip_limit is not None and wip_min > column.wip_limit:
                dropped.append(column.name)
                wip_min = None
            states.append(
                State(column.name, tuple(sorted(column.statuses)), column.wip_limit, wip_min)
            )
        note = (
            f"the columns of board {board.id} ({board.name}) with their WIP limits "
            f"(constraint: {board.constraint}) as Jira had them on {today.isoformat()}"
        )
        if board.empty_columns:
            note += f"; columns without a status left out: {', '.join(board.empty_columns)}"
        if dropped:
            note += f"; a minimum above the limit dropped in: {', '.join(dropped)}"
        return tuple(states), Said(note)
    wanted = list(kanban_types)
    found = _statuses_of(survey, wanted) or _statuses_of(survey, list(survey.type_statuses))
    if not found:
        raise SurveyProblem(f"project {survey.key} has no statuses the account may see")
    ordered = sorted(
        enumerate(found),
        key=lambda pair: (CATEGORY_ORDER.get(_category(pair[1]), 1), pair[0]),
    )
    names = [str(status["name"]).strip() for _, status in ordered]
    by = ", ".join(wanted) if wanted else "the project"
    return tuple(State(name, (name,)) for name in names), Said(
        f"the statuses of {by} in {survey.key}, by their category (to do, in progress, done)",
        "one column a status, in a guessed order: merge, reorder and add wip_limit as your "
        "Program Kanban has them (or run rte init again with --board ID)",
    )


def summary_rows(draft: ConfigDraft, survey: SiteSurvey) -> list[tuple[str, str]]:
    """What was found, one (what, found) pair a line, for the command's table."""
    kind = "Jira Cloud" if draft.deployment == "cloud" else "Jira Data Center"
    levels = "; ".join(
        f"{level.level}: {', '.join(level.issue_types)}" for level in draft.hierarchy
    )
    boards = ", ".join(f"{board.get('id')} ({board.get('name')})" for board in survey.boards)
    mapped = ", ".join(
        f"{choice.key} = {choice.chosen.id} ({choice.chosen.name})"
        for choice in draft.fields
        if choice.chosen is not None
    )
    missing = [choice.key for choice in draft.fields if choice.chosen is None]
    kanban = (
        f"{len(draft.states)} columns of board {draft.board_id}"
        if draft.board_id
        else f"{len(draft.states)} columns from the statuses (no --board)"
    )
    return [
        ("Site", f"{draft.url} ({kind})"),
        ("Project", f"{draft.project_key} ({draft.project_name}), of {survey.project_count}"),
        ("Issue types", levels),
        ("Statuses", f"{len(survey.statuses)} on the site"),
        ("Boards", boards or "none in the project"),
        ("Program Kanban", f"level {draft.kanban_level}: {kanban}"),
        ("Fields", mapped + (f"; not found: {', '.join(missing)}" if missing else "")),
        ("Teams", f"{len(draft.teams)}: {draft.teams_said.note}"),
        ("Blocks", f"link wording '{draft.blocking_link}'"),
    ]


# --------------------------------------------------------------------------


def _rank_by_level(issue_type: Mapping[str, Any]) -> int:
    level = issue_type.get("hierarchyLevel")
    return level if isinstance(level, int) and level >= 0 else 0


def _rank_by_name(name: str) -> int:
    word = folded(name)
    if word in FEATURE_NAMES:
        return 1
    if word in EPIC_NAMES:
        return 2
    if word in ABOVE_EPIC_NAMES:
        return 3
    return 0


def _kanban_level(hierarchy: tuple[Level, ...]) -> str:
    names = [level.level for level in hierarchy]
    if "feature" in names:
        return "feature"
    return names[1] if len(names) > 1 else names[0]


def _types_of(hierarchy: tuple[Level, ...], level: str) -> tuple[str, ...]:
    return next((entry.issue_types for entry in hierarchy if entry.level == level), ())


def _statuses_of(survey: SiteSurvey, issue_types: list[str]) -> list[Mapping[str, Any]]:
    """The statuses of these issue types, each once, in the order Jira lists them."""
    found: dict[str, Mapping[str, Any]] = {}
    for issue_type in issue_types:
        for status in survey.type_statuses.get(issue_type, ()):
            name = status.get("name")
            if isinstance(name, str) and name.strip():
                found.setdefault(name.strip(), status)
    return list(found.values())


def _category(status: Mapping[str, Any]) -> str:
    return str(as_mapping(status.get("statusCategory")).get("key") or "")


def _teams(
    fields: tuple[FieldChoice, ...], sample: Sequence[Mapping[str, Any]]
) -> tuple[tuple[str, ...], Said]:
    team = next((choice for choice in fields if choice.key == "team"), None)
    values = team_values(team, sample)
    if team is None or team.chosen is None:
        return (PLACEHOLDER_TEAM,), Said(
            "a placeholder: the site has no Team field", "name your teams"
        )
    if not values:
        return (PLACEHOLDER_TEAM,), Said(
            f"a placeholder: no value of {team.chosen.name} ({team.chosen.id}) on the "
            f"{SAMPLE_SIZE} latest issues",
            f"name your teams as {team.chosen.name} says them",
        )
    return tuple(values), Said(
        f"the values of {team.chosen.name} ({team.chosen.id}) on the {len(sample)} latest issues",
        "add any team that is missing, and each team's capacity_per_iteration",
    )


def _blocked_statuses(survey: SiteSurvey) -> tuple[tuple[str, ...], Said]:
    names = [
        str(status.get("name"))
        for statuses in survey.type_statuses.values()
        for status in statuses
        if folded(status.get("name")) in BLOCKED_NAMES
    ]
    found = tuple(dict.fromkeys(names))
    if found:
        return found, Said(f"the statuses of {survey.key} that say so")
    return (), Said(
        f"no status of {survey.key} is called Blocked: flagged issues still count as blocked"
    )


def _blocking_link(link_types: Sequence[Mapping[str, Any]]) -> tuple[str, Said]:
    named = [link for link in link_types if folded(link.get("name")) == "blocks"]
    worded = [link for link in link_types if "block" in folded(link.get("outward"))]
    for link in named + worded:
        outward = link.get("outward")
        if isinstance(outward, str) and outward.strip():
            return outward.strip(), Said(
                f"the outward wording of the link type '{link.get('name')}'"
            )
    return "blocks", Said(
        "Jira's default: no link type says 'block' on this site",
        "the outward wording of the link type your teams use for 'blocks'",
    )
