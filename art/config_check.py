"""Validating art.yaml and our other YAML documents: every problem at once.

The schema (`art/config.py`) checks each field on its own; the rules here span
fields (a backend that needs a URL, PIs in date order, a status in one column
only), which a per-field schema cannot state. `validate_config` reports both
kinds together as `Problem`s, so one run of `rte check-config` lists
everything there is to fix.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from art.config import TEAM_EVENT_KINDS, ArtConfig, KanbanState
from art.config_errors import ConfigError, Problem, problems_from

M = TypeVar("M", bound=BaseModel)


def validate_config(data: object) -> ArtConfig:
    """Validate parsed YAML; raise ConfigError listing every problem found."""
    if not isinstance(data, Mapping):
        raise ConfigError([Problem("", "the file must hold a mapping (art:, teams:, jira: ...)")])
    try:
        config = ArtConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems_from(exc, ArtConfig)) from None
    problems = list(_cross_field_problems(config))
    if problems:
        raise ConfigError(problems)
    return config


def validate_document(model: type[M], data: object, *, shape: str) -> M:
    """Validate another YAML document of ours (such as the objectives file) against `model`.

    Problems read like those of art.yaml, each naming its field path; `shape`
    says what the top level must be when it is not even a mapping.
    """
    if not isinstance(data, Mapping):
        raise ConfigError([Problem("", f"the file must hold a mapping ({shape})")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems_from(exc, model)) from None


def _cross_field_problems(config: ArtConfig) -> Iterator[Problem]:
    """Rules that span fields, which a per-field schema cannot state."""
    jira = config.jira
    if jira.backend in ("cloud", "datacenter"):
        if jira.url is None:
            yield Problem("jira.url", f"is required when jira.backend is '{jira.backend}'")
        if jira.auth is None:
            yield Problem("jira.auth", f"is required when jira.backend is '{jira.backend}'")
        elif jira.backend == "cloud" and jira.auth.user is None:
            yield Problem("jira.auth.user", "is required for Jira Cloud (the account e-mail)")
        if not jira.projects and not jira.jql:
            yield Problem("jira.projects", "name at least one project, or give jira.jql")
    elif jira.export_dir is None:
        yield Problem("jira.export_dir", "is required when jira.backend is 'export'")

    levels = [level.level for level in jira.hierarchy]
    yield from _duplicates("jira.hierarchy", "level", levels)
    if config.kanban.level not in levels:
        yield Problem("kanban.level", f"must be one of the hierarchy levels {levels}")

    yield from _duplicates("teams", "name", [team.name for team in config.teams])
    yield from _duplicates("teams", "jira_value", [team.team_value for team in config.teams])

    kanban = config.kanban
    if bool(kanban.states) == bool(kanban.board):
        yield Problem("kanban", "give either 'states' (listed here) or 'board' (read from Jira)")
    yield from _state_problems("kanban.states", kanban.states)
    yield from _state_problems("kanban.team_states", kanban.team_states)
    if kanban.team_level not in levels:
        yield Problem("kanban.team_level", f"must be one of the hierarchy levels {levels}")

    pis = config.cadence.pis
    yield from _duplicates("cadence.pis", "name", [pi.name for pi in pis])
    pi_length = timedelta(weeks=config.cadence.iteration_weeks * config.cadence.iterations_per_pi)
    for index in range(1, len(pis)):
        if pis[index].start <= pis[index - 1].start:
            yield Problem(f"cadence.pis[{index}].start", "PIs must be listed in date order")
        elif pis[index].start < pis[index - 1].start + pi_length:
            yield Problem(
                f"cadence.pis[{index}].start",
                f"overlaps the previous PI, which runs {pi_length.days} days "
                "(iterations_per_pi x iteration_weeks)",
            )

    yield from _absence_problems(config)

    allocation = config.budgets.capacity_allocation
    if allocation and abs(sum(allocation.values()) - 100) > 0.01:
        yield Problem("budgets.capacity_allocation", "the percentages must add up to 100")

    calendar = config.calendar
    if calendar.backend == "outlook":
        for name in ("mailbox", "tenant_id", "client_id"):
            if getattr(calendar, name) is None:
                yield Problem(f"calendar.{name}", "is required when calendar.backend is 'outlook'")
        if calendar.client_secret is None and calendar.client_certificate is None:
            yield Problem(
                "calendar.client_secret",
                "is required when calendar.backend is 'outlook' (or calendar.client_certificate)",
            )
        elif calendar.client_secret is not None and calendar.client_certificate is not None:
            yield Problem(
                "calendar.client_certificate",
                "give calendar.client_secret or calendar.client_certificate, not both",
            )

    yield from _calendar_problems(config)
    yield from _risk_problems(config)

    objectives = config.objectives
    # Only a written `objectives:` section is held to this: trains without one
    # never run the objectives flow, which says the same if they do.
    written = "objectives" in config.model_fields_set
    if written and objectives.source == "yaml" and objectives.file is None:
        yield Problem("objectives.file", "is required when objectives.source is 'yaml'")
    if objectives.band_low > objectives.band_high:
        yield Problem("objectives.band_low", "must not exceed objectives.band_high")

    confluence = config.confluence
    if confluence.backend != "files":
        for name in ("url", "space", "auth"):
            if getattr(confluence, name) is None:
                yield Problem(
                    f"confluence.{name}",
                    f"is required when confluence.backend is '{confluence.backend}'",
                )
        if confluence.backend == "cloud" and confluence.auth and confluence.auth.user is None:
            yield Problem(
                "confluence.auth.user", "is required for Confluence Cloud (the account e-mail)"
            )


def _calendar_problems(config: ArtConfig) -> Iterator[Problem]:
    """Event-template options that only make sense for some kinds of event."""
    events = config.calendar.events
    yield from _duplicates("calendar.events", "key", [event.key for event in events])
    team_names = [team.name for team in config.teams]
    for index, event in enumerate(events):
        path = f"calendar.events[{index}]"
        if event.kind == "weekly" and event.weekday is None:
            yield Problem(f"{path}.weekday", "is required for kind 'weekly'")
        if event.kind != "pi-planning":
            if event.days is not None:
                yield Problem(f"{path}.days", "applies to kind 'pi-planning' only")
            if event.placement != "pi-start":
                yield Problem(f"{path}.placement", "applies to kind 'pi-planning' only")
        elif event.placement == "ip-end" and not config.cadence.ip_iteration:
            yield Problem(f"{path}.placement", "'ip-end' needs cadence.ip_iteration: true")
        if event.kind != "weekly" and event.every_weeks != 1:
            yield Problem(f"{path}.every_weeks", "applies to kind 'weekly' only")
        if event.kind not in TEAM_EVENT_KINDS:
            if event.teams:
                yield Problem(f"{path}.teams", f"applies to kinds {', '.join(TEAM_EVENT_KINDS)}")
            if "team" in (event.attendees or ()):
                yield Problem(
                    f"{path}.attendees",
                    f"role 'team' applies to kinds {', '.join(TEAM_EVENT_KINDS)}",
                )
        for name in event.teams:
            if name not in team_names:
                yield Problem(f"{path}.teams", f"'{name}' is not a team (teams: {team_names})")


def _risk_problems(config: ArtConfig) -> Iterator[Problem]:
    """`risks.jql` says where risks live; what a risk is, the type or the label must say."""
    risks = config.risks
    if risks.jql and risks.issue_type is None and risks.label is None:
        yield Problem(
            "risks.jql",
            "reads only issues of risks.issue_type or with risks.label: give one of them",
        )


def _absence_problems(config: ArtConfig) -> Iterator[Problem]:
    """Absences are by PI: each must name a PI of the cadence."""
    names = [pi.name for pi in config.cadence.pis]
    for index, team in enumerate(config.teams):
        for pi in team.absences:
            if pi not in names:
                yield Problem(
                    f"teams[{index}].absences", f"'{pi}' is not a PI of cadence.pis ({names})"
                )


def _state_problems(path: str, states: tuple[KanbanState, ...]) -> Iterator[Problem]:
    """A board's columns: unique names, each status in one column, minimum within the limit."""
    yield from _duplicates(path, "name", [state.name for state in states])
    seen: dict[str, int] = {}
    for index, state in enumerate(states):
        for status in state.statuses:
            if status in seen:
                yield Problem(
                    f"{path}[{index}].statuses",
                    f"status '{status}' is already in {path}[{seen[status]}]",
                )
            seen.setdefault(status, index)
        if (
            state.wip_min is not None
            and state.wip_limit is not None
            and (state.wip_min > state.wip_limit)
        ):
            yield Problem(f"{path}[{index}].wip_min", "must not exceed wip_limit")


def _duplicates(path: str, key: str, values: list[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            yield Problem(f"{path}[{index}].{key}", f"'{value}' appears more than once")
        seen.add(value)
