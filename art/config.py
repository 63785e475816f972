"""The schema of `art.yaml`: one ART, its teams, its sources and its publishers.

Every model forbids unknown keys, because a typo in a nightly job's config
should fail loudly on the first run, not silently fall back to a default for
months. `validate_config` turns pydantic's errors and our own cross-field
checks into one list of `Problem`s, each naming the field path
(`kanban.states[2].wip_limit`) and what is allowed, and never echoing the
value (it might be a pasted secret).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
)

from art.model import BoardColumn

SECRET_REF = re.compile(r"^(env|prefect-secret):[A-Za-z0-9_.\-/]+$")


def _is_secret_ref(value: str) -> str:
    if not SECRET_REF.match(value):
        # The value is deliberately not repeated: it may be the secret itself.
        raise ValueError(
            "must be a reference such as 'env:JIRA_API_TOKEN' or "
            "'prefect-secret:jira-token', never the secret itself"
        )
    return value


def _is_time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("must be an IANA time zone such as 'Europe/Berlin'") from exc
    return value


SecretRef = Annotated[str, AfterValidator(_is_secret_ref)]
TimeZoneName = Annotated[str, AfterValidator(_is_time_zone)]
PositiveInt = Annotated[int, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Percent = Annotated[float, Field(ge=0, le=100)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")]
NonEmpty = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Base of every section: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ArtSection(Strict):
    name: NonEmpty
    timezone: TimeZoneName = "UTC"


class TeamConfig(Strict):
    name: NonEmpty
    jira_value: NonEmpty | None = Field(
        default=None, description="The value of the Jira team field; defaults to the name."
    )
    board: PositiveInt | None = None
    capacity_per_iteration: NonNegative | None = None
    cost_per_iteration: NonNegative | None = None
    scrum_master: Email | None = None
    product_owner: Email | None = None
    members: tuple[Email, ...] = ()
    mail_group: Email | None = None

    @property
    def team_value(self) -> str:
        return self.jira_value or self.name


class JiraAuth(Strict):
    user: SecretRef | None = Field(
        default=None, description="Cloud: the account e-mail. Not needed for a Data Center PAT."
    )
    token: SecretRef


class WsjfFields(Strict):
    score: str | None = None
    business_value: str | None = None
    time_criticality: str | None = None
    risk_reduction: str | None = None
    job_size: str | None = None


class JiraFields(Strict):
    """Custom fields by name ("Story Points") or id ("customfield_10016")."""

    story_points: str | None = None
    team: str | None = None
    business_value: str | None = None
    work_type: str | None = None
    flagged: str | None = "Flagged"
    sprint: str | None = "Sprint"
    epic_link: str | None = Field(default=None, description="Data Center only: 'Epic Link'.")
    parent_link: str | None = Field(default=None, description="Data Center only: 'Parent Link'.")
    acceptance_criteria: str | None = None
    value_stream: str | None = None
    wsjf: WsjfFields = WsjfFields()


class HierarchyLevel(Strict):
    level: NonEmpty
    issue_types: tuple[NonEmpty, ...] = Field(min_length=1)


DEFAULT_HIERARCHY = (
    HierarchyLevel(level="story", issue_types=("Story", "Bug", "Task", "Spike")),
    HierarchyLevel(level="feature", issue_types=("Feature", "Enabler")),
    HierarchyLevel(level="epic", issue_types=("Epic",)),
)


class JiraConfig(Strict):
    backend: Literal["cloud", "datacenter", "export"]
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    export_dir: str | None = Field(
        default=None, description="export backend: folder of REST-shaped JSON, relative to art.yaml"
    )
    auth: JiraAuth | None = None
    projects: tuple[Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")], ...] = ()
    jql: str | None = None
    fields: JiraFields = JiraFields()
    hierarchy: tuple[HierarchyLevel, ...] = DEFAULT_HIERARCHY
    blocked_statuses: tuple[str, ...] = ("Blocked",)

    def level_of(self, issue_type: str) -> str | None:
        for level in self.hierarchy:
            if issue_type in level.issue_types:
                return level.level
        return None


class KanbanState(Strict):
    name: NonEmpty
    statuses: tuple[NonEmpty, ...] = Field(min_length=1)
    wip_limit: PositiveInt | None = None
    wip_min: Annotated[int, Field(ge=0)] | None = None
    category: Literal["to_do", "in_progress", "done"] | None = Field(
        default=None, description="Overrides the Jira status category for WIP counting."
    )


class KanbanConfig(Strict):
    level: NonEmpty = "feature"
    states: tuple[KanbanState, ...] = ()
    board: PositiveInt | None = Field(
        default=None, description="Read columns and WIP limits from this Jira board instead."
    )

    def columns(self) -> tuple[BoardColumn, ...]:
        """The listed states as board columns (a board id is resolved by the Jira connector)."""
        return tuple(
            BoardColumn(
                name=state.name,
                statuses=frozenset(state.statuses),
                wip_limit=state.wip_limit,
                wip_min=state.wip_min,
            )
            for state in self.states
        )


class PiDates(Strict):
    name: NonEmpty
    start: date


class CadenceConfig(Strict):
    iterations_per_pi: PositiveInt = 5
    iteration_weeks: PositiveInt = 2
    ip_iteration: bool = Field(
        default=True, description="Whether the last iteration of each PI is the IP iteration."
    )
    pis: tuple[PiDates, ...] = Field(min_length=1)


class ValueStream(Strict):
    name: NonEmpty
    pi_budget: NonNegative


class BudgetConfig(Strict):
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    value_streams: tuple[ValueStream, ...] = ()
    capacity_allocation: dict[NonEmpty, Percent] = Field(
        default_factory=dict, description="Agreed share per work type, in percent; sums to 100."
    )
    tolerance_pct: Percent = 10
    epic_threshold: NonNegative | None = None
    epic_approved_statuses: tuple[str, ...] = ()


class HolidayConfig(Strict):
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    subdivision: str | None = None


class EventTemplate(Strict):
    key: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: NonEmpty
    kind: Literal[
        "pi-planning", "system-demo", "inspect-adapt", "weekly", "iteration-planning",
        "iteration-review",
    ]
    description: str = ""
    duration_minutes: PositiveInt = 60
    start_time: time = time(10, 0)
    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday"] | None = None
    location: str = ""
    online_meeting: bool = False
    attendees: tuple[str, ...] = ()


class CalendarConfig(Strict):
    backend: Literal["ics", "outlook"] = "ics"
    ics_file: str = "art-calendar.ics"
    mailbox: Email | None = None
    tenant_id: SecretRef | None = None
    client_id: SecretRef | None = None
    client_secret: SecretRef | None = None
    holidays: HolidayConfig | None = None
    events: tuple[EventTemplate, ...] = ()


class ConfluenceAuth(Strict):
    user: SecretRef | None = None
    token: SecretRef


class ConfluenceConfig(Strict):
    backend: Literal["files", "cloud", "datacenter"] = "files"
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    space: str | None = None
    parent: str | None = Field(default=None, description="Parent page: title or numeric id.")
    auth: ConfluenceAuth | None = None
    pages_dir: str = "pages"


class ObjectivesConfig(Strict):
    source: Literal["jira", "yaml"] = "yaml"
    file: str | None = None
    issue_type: str = "PI Objective"


class NotificationsConfig(Strict):
    min_severity: Literal["info", "warning", "critical"] = "critical"
    rte: Email | None = None
    stakeholders: tuple[Email, ...] = ()


class RuleSettings(Strict):
    aging_percentile: Annotated[float, Field(gt=0, lt=100)] = 85
    cycle_time_window_days: PositiveInt = 180
    blocked_days: PositiveInt = 3
    stale_days: PositiveInt = 10
    rollup_variance_pct: Percent = 20
    wait_states: tuple[str, ...] = ()


class ArtConfig(Strict):
    art: ArtSection
    teams: tuple[TeamConfig, ...] = Field(min_length=1)
    jira: JiraConfig
    kanban: KanbanConfig
    cadence: CadenceConfig
    rules: RuleSettings = RuleSettings()
    budgets: BudgetConfig = BudgetConfig()
    calendar: CalendarConfig = CalendarConfig()
    confluence: ConfluenceConfig = ConfluenceConfig()
    objectives: ObjectivesConfig = ObjectivesConfig()
    notifications: NotificationsConfig = NotificationsConfig()
    state_dir: str = ".rte"

    def team_by_value(self) -> dict[str, TeamConfig]:
        return {team.team_value: team for team in self.teams}


# --------------------------------------------------------------------------
# Validation with readable errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the config: where (a field path) and what is allowed."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ConfigError(Exception):
    """The config cannot be used; `problems` lists every reason at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def format_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class found at a field path, so an unknown key can list what is allowed."""
    model: Any = ArtConfig
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = model.model_fields.get(part) if model else None
        if field_info is None:
            return None
        model = _innermost_model(field_info.annotation)
    return model


def _innermost_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _innermost_model(arg)
        if found is not None:
            return found
    return None


_MESSAGES = {
    "missing": "is required",
    "int_parsing": "must be an integer",
    "int_type": "must be an integer",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "date_from_datetime_parsing": "must be a date such as 2026-10-05",
    "date_parsing": "must be a date such as 2026-10-05",
    "date_type": "must be a date such as 2026-10-05",
    "time_parsing": "must be a time such as '10:00'",
    "time_type": "must be a time such as '10:00'",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "string_too_short": "must not be empty",
}


def _message(error: Mapping[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "extra_forbidden":
        model = _model_at(tuple(error["loc"][:-1]))
        allowed = ", ".join(model.model_fields) if model else ""
        return "unknown key" + (f" (allowed: {allowed})" if allowed else "")
    if kind == "greater_than":
        return "must be a positive integer" if ctx.get("gt") == 0 else f"must be > {ctx['gt']}"
    if kind == "greater_than_equal":
        return f"must be >= {ctx['ge']}"
    if kind == "less_than_equal":
        return f"must be <= {ctx['le']}"
    if kind == "less_than":
        return f"must be < {ctx['lt']}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length')} entry"
    if kind == "string_pattern_mismatch":
        return f"must match the pattern {ctx.get('pattern')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return _MESSAGES.get(kind, error["msg"][:1].lower() + error["msg"][1:])


def _from_pydantic(exc: ValidationError) -> list[Problem]:
    errors = exc.errors(include_input=False, include_url=False)
    problems = [Problem(format_path(tuple(error["loc"])), _message(error)) for error in errors]
    # Pydantic also reports a list as too short when its only entries are invalid;
    # the entries' own errors are the useful ones.
    return [
        problem
        for problem, error in zip(problems, errors, strict=True)
        if error["type"] != "too_short"
        or not any(other.path.startswith(problem.path + "[") for other in problems)
    ]


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
    yield from _duplicates("kanban.states", "name", [state.name for state in kanban.states])
    seen: dict[str, int] = {}
    for index, state in enumerate(kanban.states):
        for status in state.statuses:
            if status in seen:
                yield Problem(
                    f"kanban.states[{index}].statuses",
                    f"status '{status}' is already in kanban.states[{seen[status]}]",
                )
            seen.setdefault(status, index)
        if state.wip_min is not None and state.wip_limit is not None and (
            state.wip_min > state.wip_limit
        ):
            yield Problem(f"kanban.states[{index}].wip_min", "must not exceed wip_limit")

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

    allocation = config.budgets.capacity_allocation
    if allocation and abs(sum(allocation.values()) - 100) > 0.01:
        yield Problem("budgets.capacity_allocation", "the percentages must add up to 100")

    calendar = config.calendar
    if calendar.backend == "outlook":
        for name in ("mailbox", "tenant_id", "client_id", "client_secret"):
            if getattr(calendar, name) is None:
                yield Problem(f"calendar.{name}", "is required when calendar.backend is 'outlook'")

    confluence = config.confluence
    if confluence.backend != "files":
        for name in ("url", "space", "auth"):
            if getattr(confluence, name) is None:
                yield Problem(
                    f"confluence.{name}",
                    f"is required when confluence.backend is '{confluence.backend}'",
                )


def _duplicates(path: str, key: str, values: list[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            yield Problem(f"{path}[{index}].{key}", f"'{value}' appears more than once")
        seen.add(value)


def validate_config(data: object) -> ArtConfig:
    """Validate parsed YAML; raise ConfigError listing every problem found."""
    if not isinstance(data, Mapping):
        raise ConfigError([Problem("", "the file must hold a mapping (art:, teams:, jira: ...)")])
    try:
        config = ArtConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_from_pydantic(exc)) from None
    problems = list(_cross_field_problems(config))
    if problems:
        raise ConfigError(problems)
    return config
