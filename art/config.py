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
from typing import Annotated, Any, Literal, TypeVar, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
)

from art.model import BoardColumn, StatusCategory

M = TypeVar("M", bound=BaseModel)

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
    business_owners: tuple[Email, ...] = Field(
        default=(), description="Invited where a calendar event lists 'business-owners'."
    )


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
    rollup_points: str | None = Field(
        default=None,
        description="A Number field that `rte rollup --write-back` fills with each parent's "
        "rolled-up story points.",
    )
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
        default=None,
        description="Overrides the Jira status category: which states count as work in "
        "progress (WIP, aging, stale) and which as finished (flow time, velocity).",
    )

    def column(self) -> BoardColumn:
        return BoardColumn(
            name=self.name,
            statuses=frozenset(self.statuses),
            wip_limit=self.wip_limit,
            wip_min=self.wip_min,
            category=StatusCategory(self.category) if self.category else None,
        )


class KanbanConfig(Strict):
    level: NonEmpty = "feature"
    states: tuple[KanbanState, ...] = ()
    board: PositiveInt | None = Field(
        default=None, description="Read columns and WIP limits from this Jira board instead."
    )
    team_level: NonEmpty = Field(
        default="story", description="The hierarchy level the teams' boards hold."
    )
    team_states: tuple[KanbanState, ...] = Field(
        default=(),
        description="The columns of the teams' boards, in order; a WIP limit applies to each "
        "team's board. Unset: To Do / In Progress / Done from the Jira status categories.",
    )

    def columns(self) -> tuple[BoardColumn, ...]:
        """The listed states as board columns (a board id is resolved by the Jira connector)."""
        return tuple(state.column() for state in self.states)

    def team_columns(self) -> tuple[BoardColumn, ...]:
        """The teams' board columns; empty when the Jira status categories are to stand in."""
        return tuple(state.column() for state in self.team_states)


class PiDates(Strict):
    name: NonEmpty
    start: date
    label: NonEmpty | None = Field(
        default=None,
        description="The Jira label that marks features planned for this PI (e.g. pi-2027.1); "
        "PI-planning readiness checks the features carrying the next PI's label.",
    )


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
    cost_per_point: NonNegative | None = Field(
        default=None,
        description="Cost of one story point; default: the teams' cost per iteration over "
        "their capacity per iteration.",
    )
    work_types_by_issue_type: dict[NonEmpty, NonEmpty] = Field(
        default_factory=dict,
        description="Work type of items whose work-type field is empty, by issue type "
        "(e.g. Bug: Maintenance).",
    )


class HolidayConfig(Strict):
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    subdivision: str | None = None


ATTENDEE_ROLES = ("all-teams", "team", "scrum-masters", "product-owners", "business-owners", "rte")
TEAM_EVENT_KINDS = ("iteration-planning", "iteration-review")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def _is_attendee(value: str) -> str:
    if value not in ATTENDEE_ROLES and not _EMAIL.match(value):
        roles = ", ".join(ATTENDEE_ROLES)
        raise ValueError(f"must be an e-mail address or one of the roles {roles}")
    return value


Attendee = Annotated[str, AfterValidator(_is_attendee)]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday"]


class EventTemplate(Strict):
    """One ART event as the calendar rule lays it out on the cadence (`rules/calendar.py`).

    Timing and attendees left unset take the defaults of the event's kind.
    """

    key: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: NonEmpty
    kind: Literal[
        "pi-planning", "system-demo", "inspect-adapt", "weekly", "iteration-planning",
        "iteration-review",
    ]
    description: str = ""
    duration_minutes: Annotated[int, Field(gt=0, le=24 * 60)] | None = None
    start_time: time | None = None
    weekday: Weekday | None = Field(
        default=None,
        description="weekly: the day it repeats on (required). system-demo, iteration-review, "
        "inspect-adapt: the day in the last week of the iteration; iteration-planning: in the "
        "first week. Unset: the last (first) working day.",
    )
    days: PositiveInt | None = Field(
        default=None, description="pi-planning only: consecutive working days (default 2)."
    )
    placement: Literal["pi-start", "ip-end"] = Field(
        default="pi-start",
        description="pi-planning only: the first days of the PI, or the last days of the "
        "previous PI's IP iteration.",
    )
    every_weeks: PositiveInt = Field(default=1, description="weekly only: the interval.")
    location: str = ""
    online_meeting: bool = False
    attendees: tuple[Attendee, ...] | None = Field(
        default=None,
        description="E-mail addresses (people, mail groups) and roles: "
        + ", ".join(ATTENDEE_ROLES)
        + ". Unset: the kind's usual audience.",
    )
    teams: tuple[NonEmpty, ...] = Field(
        default=(),
        description="iteration-planning and iteration-review only: the teams that want it "
        "(default: every team).",
    )


DEFAULT_EVENTS = (
    EventTemplate(key="pi-planning", title="PI Planning", kind="pi-planning"),
    EventTemplate(key="system-demo", title="System Demo", kind="system-demo"),
    EventTemplate(key="inspect-adapt", title="Inspect & Adapt", kind="inspect-adapt"),
    EventTemplate(
        key="scrum-of-scrums", title="Scrum of Scrums", kind="weekly", weekday="tuesday",
        attendees=("scrum-masters", "rte"),
    ),
    EventTemplate(
        key="po-sync", title="PO Sync", kind="weekly", weekday="thursday",
        attendees=("product-owners", "rte"),
    ),
)


class CalendarConfig(Strict):
    backend: Literal["ics", "outlook"] = "ics"
    ics_file: str = Field(
        default="art-calendar.ics", description="ics backend: relative to the output folder."
    )
    mailbox: Email | None = None
    calendar_id: NonEmpty | None = Field(
        default=None, description="outlook: a calendar of the mailbox (default: its main one)."
    )
    tenant_id: SecretRef | None = None
    client_id: SecretRef | None = None
    client_secret: SecretRef | None = None
    holidays: HolidayConfig | None = None
    events: tuple[EventTemplate, ...] = Field(
        default=DEFAULT_EVENTS,
        description="The ART's events; unset: PI Planning, System Demo, I&A, Scrum of Scrums, "
        "PO Sync.",
    )


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


class ObjectiveFields(Strict):
    """Where a PI objective issue keeps its facts: Jira field names or ids."""

    team: str | None = Field(default=None, description="Defaults to jira.fields.team.")
    pi: NonEmpty = Field(default="PI", description="The PI the objective belongs to.")
    committed: NonEmpty = Field(
        default="Commitment",
        description="'Committed'/'Uncommitted' (select), a checkbox, or true/false.",
    )
    planned_value: NonEmpty = "Planned Business Value"
    actual_value: NonEmpty = "Actual Business Value"


class ObjectivesConfig(Strict):
    source: Literal["jira", "yaml"] = "yaml"
    file: str | None = Field(default=None, description="yaml source: the objectives file.")
    issue_type: str = "PI Objective"
    fields: ObjectiveFields = ObjectiveFields()
    band_low: Percent = Field(
        default=80, description="Predictability below this percentage is flagged."
    )
    band_high: NonNegative = Field(
        default=100, description="Predictability above this percentage is flagged."
    )


class NotificationsConfig(Strict):
    min_severity: Literal["info", "warning", "critical"] = "critical"
    rte: Email | None = None
    stakeholders: tuple[Email, ...] = ()
    health_page_url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = Field(
        default=None, description="Where escalation mails link to (the published health page)."
    )


class RuleSettings(Strict):
    aging_percentile: Annotated[float, Field(gt=0, lt=100)] = 85
    cycle_time_window_days: PositiveInt = 180
    blocked_days: PositiveInt = 3
    stale_days: PositiveInt = 10
    rollup_variance_pct: Percent = 20
    wait_states: tuple[str, ...] = Field(
        default=(),
        description="States (or statuses) where work waits: their time, and flagged time, "
        "counts against flow efficiency.",
    )
    blocking_link: NonEmpty = Field(
        default="blocks",
        description="The outward wording of the Jira link type that means 'blocks'.",
    )


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


def _model_at(
    loc: tuple[int | str, ...], root: type[BaseModel] | None = None
) -> type[BaseModel] | None:
    """The model class found at a field path, so an unknown key can list what is allowed."""
    model: Any = root or ArtConfig
    in_mapping = False
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = model.model_fields.get(part) if model else None
        if field_info is None:
            if in_mapping:  # a key of a mapping field (a PI or team name), not a field
                continue
            return None
        model = _innermost_model(field_info.annotation)
        in_mapping = _holds_mapping(field_info.annotation)
    return model


def _holds_mapping(annotation: Any) -> bool:
    if get_origin(annotation) is dict:
        return True
    return any(_holds_mapping(arg) for arg in getattr(annotation, "__args__", ()))


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


def _message(error: Mapping[str, Any], root: type[BaseModel] | None = None) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "extra_forbidden":
        model = _model_at(tuple(error["loc"][:-1]), root)
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


def _from_pydantic(exc: ValidationError, root: type[BaseModel] | None = None) -> list[Problem]:
    errors = exc.errors(include_input=False, include_url=False)
    problems = [
        Problem(format_path(tuple(error["loc"])), _message(error, root)) for error in errors
    ]
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

    allocation = config.budgets.capacity_allocation
    if allocation and abs(sum(allocation.values()) - 100) > 0.01:
        yield Problem("budgets.capacity_allocation", "the percentages must add up to 100")

    calendar = config.calendar
    if calendar.backend == "outlook":
        for name in ("mailbox", "tenant_id", "client_id", "client_secret"):
            if getattr(calendar, name) is None:
                yield Problem(f"calendar.{name}", "is required when calendar.backend is 'outlook'")

    yield from _calendar_problems(config)

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
        if state.wip_min is not None and state.wip_limit is not None and (
            state.wip_min > state.wip_limit
        ):
            yield Problem(f"{path}[{index}].wip_min", "must not exceed wip_limit")


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
        raise ConfigError(_from_pydantic(exc, model)) from None
