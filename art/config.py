"""The schema of `art.yaml`: one ART, its teams, its sources and its publishers.

Every model forbids unknown keys, because a typo in a nightly job's config
should fail loudly on the first run, not silently fall back to a default for
months. Each field checks itself here; the rules that span fields and the
readable error list are in `art/config_check.py` (`validate_config`).
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from art.cron import check_cron
from art.model import BoardColumn, DriftAction, StatusCategory

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


def _is_graph_url(value: str) -> str:
    """https only, but for this machine's own loopback (a local proxy, a test double)."""
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname:
        return value.rstrip("/")
    if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1"):
        return value.rstrip("/")
    raise ValueError(
        "must be the https URL of a Graph service root with its version, such as "
        "https://graph.microsoft.us/v1.0 (the app's token is sent there)"
    )


GraphUrl = Annotated[str, AfterValidator(_is_graph_url)]
TimeZoneName = Annotated[str, AfterValidator(_is_time_zone)]
PositiveInt = Annotated[int, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Percent = Annotated[float, Field(ge=0, le=100)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")]
NonEmpty = Annotated[str, Field(min_length=1)]
# Jira trims status names when they are saved, so " In Progress" in art.yaml can only
# be a slip of the keyboard that would match nothing.
StatusName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


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
    board: PositiveInt | None = Field(
        default=None,
        description="The team's Jira board: on a live Jira its columns and WIP limits count "
        "this team's WIP instead of kanban.team_states.",
    )
    capacity_per_iteration: NonNegative | None = None
    cost_per_iteration: NonNegative | None = None
    scrum_master: Email | None = None
    product_owner: Email | None = None
    members: tuple[Email, ...] = ()
    mail_group: Email | None = None
    absences: dict[NonEmpty, NonNegative] = Field(
        default_factory=dict,
        description="Team-days the team is away in a PI beyond public holidays, by PI name "
        "(e.g. 'PI 2027.1': 3); a person's day off is one day over the team's size. Lowers the "
        "PI's capacity (rte readiness, capacity-overload).",
    )

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
    roam: str | None = Field(
        default=None,
        description="The risks' ROAM field (a select: Resolved, Owned, Accepted, Mitigated); "
        "unset: risks.roam_statuses reads ROAM from the status.",
    )
    target_iteration: str | None = Field(
        default=None,
        description="Where a feature names the iteration it is planned for (such as "
        "'PI 2026.4 Iteration 3'); unset: the program board places a feature by its "
        "stories' sprints.",
    )
    rank: str | None = Field(
        default="Rank",
        description="Jira Software's Rank (a LexoRank text): the order the teams work the PI's "
        "features in, for the forecast.",
    )
    due_date: str | None = Field(
        default=None,
        description="A date field a feature must be done by (Jira's 'Due date', or a custom "
        "one); the forecast warns when its 85 % date is later.",
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
    blocked_statuses: tuple[StatusName, ...] = ("Blocked",)

    def level_of(self, issue_type: str) -> str | None:
        for level in self.hierarchy:
            if issue_type in level.issue_types:
                return level.level
        return None


class KanbanState(Strict):
    name: NonEmpty
    statuses: tuple[StatusName, ...] = Field(min_length=1)
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
    fix_version: NonEmpty | None = Field(
        default=None,
        description="The Jira fixVersion that marks features planned for this PI (e.g. "
        "PI 2027.1), for trains that plan by version; a feature with this fixVersion or "
        "the label counts as planned.",
    )


class CadenceConfig(Strict):
    iterations_per_pi: PositiveInt = 5
    iteration_weeks: PositiveInt = 2
    ip_iteration: bool = Field(
        default=True, description="Whether the last iteration of each PI is the IP iteration."
    )
    pis: tuple[PiDates, ...] = Field(min_length=1)

    def entry(self, pi_name: str | None) -> PiDates | None:
        """The `pis` entry of the PI named `pi_name` (its dates, and how Jira marks its
        features), if it has one."""
        return next((dates for dates in self.pis if dates.name == pi_name), None)


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
    epic_approved_statuses: tuple[StatusName, ...] = ()
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
    move: Literal["earlier", "later"] = Field(
        default="earlier",
        description="Where a holiday moves a single event (a System Demo, I&A, an iteration "
        "event): to the working day before it (but not out of its iteration: then after it), "
        "or after it. PI Planning days always move later; a series skips the occurrence.",
    )


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
        "pi-planning",
        "system-demo",
        "inspect-adapt",
        "weekly",
        "iteration-planning",
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
        key="scrum-of-scrums",
        title="Scrum of Scrums",
        kind="weekly",
        weekday="tuesday",
        attendees=("scrum-masters", "rte"),
    ),
    EventTemplate(
        key="po-sync",
        title="PO Sync",
        kind="weekly",
        weekday="thursday",
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
    client_certificate: SecretRef | None = Field(
        default=None,
        description="outlook: instead of client_secret, the app's certificate: a reference to "
        "a PEM holding the RSA private key and the certificate, or to the path of such a file "
        "(the app signs in with a signed client assertion; no secret is sent).",
    )
    cloud: Literal["global", "us-government", "us-government-dod", "china"] = Field(
        default="global",
        description="outlook: the Microsoft cloud of the tenant: the global service, US "
        "Government (GCC High, L4), US Government DoD (L5) or China (21Vianet).",
    )
    graph_url: GraphUrl | None = Field(
        default=None,
        description="outlook: the Graph service root with its version, for a cloud the "
        "`cloud` table does not know (default: that cloud's). The token goes to this host "
        "only.",
    )
    authority: Annotated[str, Field(pattern=r"^[A-Za-z0-9.-]+(:\d+)?$")] | None = Field(
        default=None,
        description="outlook: the Entra ID host the app signs in at (default: the cloud's), "
        "such as login.microsoftonline.us.",
    )
    instance_discovery: bool | None = Field(
        default=None,
        description="outlook: ask Entra ID to confirm the authority (default: yes for the "
        "clouds of the table; turn off for a private authority Entra does not know).",
    )
    holidays: HolidayConfig | None = None
    on_drift: DriftAction = Field(
        default="report",
        description="outlook: an event a person changed in Outlook (subject, time, "
        "location, description, attendees, online meeting, recurrence) is reported, or with "
        "'restore' put back as planned (attendees get an update).",
    )
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
    on_drift: DriftAction = Field(
        default="restore",
        description="A page a person edited or renamed since rte last wrote it: put back as "
        "planned (the edit stays in the page history), or reported and left alone until the "
        "plan changes. Either way the run says which pages.",
    )
    team_pages: bool = Field(
        default=False,
        description="Also publish a health page per team, under the ART's health page, "
        "holding that team's findings, board and flow metrics.",
    )


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
    remind_days: PositiveInt | None = Field(
        default=7,
        description="A finding at min_severity or above is mailed once, when it is new; if it "
        "is still open this many nights after its last mail, it is mailed again. null: never "
        "again.",
    )


class RuleSettings(Strict):
    aging_percentile: Annotated[float, Field(gt=0, lt=100)] = 85
    cycle_time_window_days: PositiveInt = 180
    blocked_days: PositiveInt = 3
    stale_days: PositiveInt = 10
    rollup_variance_pct: Percent = 20
    wait_states: tuple[StatusName, ...] = Field(
        default=(),
        description="States (or statuses) where work waits: their time, and flagged time, "
        "counts against flow efficiency.",
    )
    blocking_link: NonEmpty = Field(
        default="blocks",
        description="The outward wording of the Jira link type that means 'blocks'.",
    )


CronText = Annotated[str, AfterValidator(check_cron)]


class FlowScheduleConfig(Strict):
    cron: CronText | None = Field(
        default=None,
        description="When the flow runs: a cron expression of five fields (minute hour "
        "day-of-month month day-of-week), a wall-clock time in art.timezone, such as "
        "'0 2 * * *'. Unset: the flow's usual time (rte serve and rte deploy print it).",
    )
    active: bool = Field(
        default=True,
        description="false: the flow is served or deployed with its schedule switched off, so "
        "it runs only when started by hand (Prefect UI, `prefect deployment run`).",
    )


class SchedulesConfig(Strict):
    """When `rte serve` and `rte deploy` run each flow; a flow left out keeps its usual time."""

    nightly_health: FlowScheduleConfig = FlowScheduleConfig()
    pi_objectives: FlowScheduleConfig = FlowScheduleConfig()
    art_calendar: FlowScheduleConfig = FlowScheduleConfig()


RoamState = Literal["resolved", "owned", "accepted", "mitigated"]
DEFAULT_ROAM_STATUSES: dict[str, RoamState] = {
    "Resolved": "resolved",
    "Owned": "owned",
    "Accepted": "accepted",
    "Mitigated": "mitigated",
}


class RisksConfig(Strict):
    """Which Jira issues are the train's risks, how their ROAM state is read, and the limits
    of the risk rules (see docs/risks-and-dependencies.md)."""

    issue_type: NonEmpty | None = Field(
        default="Risk",
        description="Issues of this type are risks; null: only the label marks them.",
    )
    label: NonEmpty | None = Field(
        default=None, description="Issues carrying this Jira label are risks too."
    )
    jql: NonEmpty | None = Field(
        default=None,
        description="Where else risks live, such as 'project = RISK': joined to the train's "
        "search with OR (only issues of the type or with the label), so no extra request.",
    )
    roam_statuses: dict[StatusName, RoamState] = Field(
        default_factory=lambda: dict(DEFAULT_ROAM_STATUSES),
        description="ROAM state by status, when jira.fields.roam is unset or empty; any "
        "other status is un-ROAMed.",
    )
    roam_within_days: Annotated[int, Field(ge=0)] = Field(
        default=5, description="Days after PI Planning ends (or a later risk is raised) to ROAM it."
    )
    stale_days: PositiveInt = Field(
        default=14, description="An open risk not updated for longer is stale."
    )


class TrendsConfig(Strict):
    """The nightly history the health page's trends are drawn from (in `state_dir`)."""

    backfill_days: Annotated[int, Field(ge=0, le=366)] = Field(
        default=30,
        description="Nights before the run's day that are replayed from the Jira histories "
        "when the history has none for them (the first run, a missed night); 0: none.",
    )
    window_days: Annotated[int, Field(ge=1, le=366)] = Field(
        default=30, description="How many nights health.json and the trend charts show."
    )


class Suppression(Strict):
    """A finding known and accepted for now: hidden from the totals, the act-today list and
    the escalation until `until` (inclusive), shown greyed with its reason."""

    rule: NonEmpty
    subject: NonEmpty = Field(description="The finding's subject, e.g. an item key or a state.")
    until: date
    reason: NonEmpty


class ForecastConfig(Strict):
    """The Monte Carlo forecast of the current PI's features (`rules.forecast`)."""

    window_days: PositiveInt = Field(
        default=90, description="The days of past story throughput each team's forecast samples."
    )
    trials: Annotated[int, Field(ge=100, le=1_000_000)] = Field(
        default=10_000, description="How many futures are simulated."
    )
    seed: Annotated[int, Field(ge=0)] = Field(
        default=1, description="Seeds the simulation: the same data and seed, the same forecast."
    )


class CapacityConfig(Strict):
    """Load against capacity for the next PI (`rules.capacity`)."""

    tight_pct: Annotated[float, Field(gt=0, le=100)] = Field(
        default=85,
        description="A team loaded over this share of its capacity is a warning "
        "(capacity-tight); over 100 % it is critical (capacity-overload).",
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
    schedules: SchedulesConfig = Field(
        default=SchedulesConfig(),
        description="When each flow runs under `rte serve` and `rte deploy`, in art.timezone; "
        "`active: false` leaves a flow unscheduled.",
    )
    risks: RisksConfig = RisksConfig()

    forecast: ForecastConfig = ForecastConfig()
    capacity: CapacityConfig = CapacityConfig()
    state_dir: str = ".rte"
    trends: TrendsConfig = TrendsConfig()
    suppressions: tuple[Suppression, ...] = ()

    def team_names(self) -> dict[str, str]:
        """Each team's name by the value Jira's Team field holds for it."""
        return {team.team_value: team.name for team in self.teams}


# --------------------------------------------------------------------------
