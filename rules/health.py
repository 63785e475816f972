"""The nightly health check: every rule over one snapshot of the train.

`HealthReport` lives here rather than in `art.model`: it holds what the
rules found and measured, and the domain core knows no rules. Its metrics
are the rules' own result objects, so a renderer reads attributes that
mypy checks: a rule that renames one breaks the build, not the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from art.cadence import pi_at, planning_intervals
from art.config import ArtConfig
from art.model import BoardColumn, Finding, RejectedRecord, WorkItem
from rules.act_today import ActEntry, act_today
from rules.capacity import CapacityReport, evaluate_capacity
from rules.data_quality import (
    future_date_findings,
    problem_counts,
    rejected_record_findings,
    unknown_status_findings,
)
from rules.economics import Economics, evaluate_economics
from rules.flow_health import TrainFlow, evaluate_flow
from rules.forecast import PiForecast, forecast_pi
from rules.item_facts import about_items
from rules.program_board import NO_BOARDS, ProgramBoards
from rules.risk_register import NO_RISKS, RiskReport
from rules.suppressions import apply_suppressions
from rules.timeline_index import TimelineIndex
from rules.train_boards import evaluate_boards
from rules.wip import BoardLoad, flow_load, wip_limit_findings

if TYPE_CHECKING:
    from rules.morning import MorningRead


@dataclass(frozen=True, slots=True)
class ItemCounts:
    """How many items the snapshot held, by hierarchy level, and how many could not be read."""

    total: int
    by_level: Mapping[str, int]  # sorted by level; "unmapped" for types no level maps
    rejected: int


@dataclass(frozen=True, slots=True)
class HealthMetrics:
    """What the nightly check measured, beside its findings: the pages' tables and charts."""

    kanban: BoardLoad  # the Program Kanban's WIP per state
    items: ItemCounts
    flow: TrainFlow
    economics: Economics
    data_quality: Mapping[str, int]  # data-quality findings per problem, sorted
    risks: RiskReport = NO_RISKS  # the ROAM board
    program_board: ProgramBoards = NO_BOARDS  # the current PI's and the next one's
    forecast: PiForecast | None = None  # the current PI's features, forecast
    capacity: CapacityReport | None = None  # the next PI's load against the teams' capacity


@dataclass(frozen=True, slots=True)
class HealthReport:
    """The outcome of one nightly health check: what the renderers and publishers receive."""

    art: str
    generated_at: datetime
    as_of: date
    pi: str | None
    findings: tuple[Finding, ...]
    metrics: HealthMetrics
    # The morning read (issue 15): findings a suppression hides, the act-today list (None for
    # a report not made by `evaluate_health`), and what the state directory adds to the night.
    suppressed: tuple[Finding, ...] = ()
    act_today: tuple[ActEntry, ...] | None = None
    morning: MorningRead | None = None


def evaluate_health(
    items: Sequence[WorkItem],
    rejected: Sequence[RejectedRecord],
    config: ArtConfig,
    columns: Sequence[BoardColumn],
    *,
    today: date,
    generated_at: datetime,
    taken_at: datetime | None = None,
    team_columns: Mapping[str, Sequence[BoardColumn]] | None = None,
    site: str | None = None,
) -> HealthReport:
    """Run the rules and gather the metrics the pages and the JSON show.

    `taken_at` is when an export was taken (a live read is bounded by
    `generated_at`): anything dated later is a data-quality finding.
    `team_columns` are the columns of the teams' own boards, by team name.
    `site` is the Jira site the findings' items link to.
    """
    level = config.kanban.level
    findings = [
        *wip_limit_findings(items, columns, level=level),
        *unknown_status_findings(items, columns, level=level),
        *rejected_record_findings(rejected),
        *future_date_findings(items, taken_at or generated_at),
    ]
    timeline = TimelineIndex.of(items)  # every history, read once for the flow rules and forecast
    flow_findings, flow = evaluate_flow(
        items,
        config,
        columns,
        today=today,
        generated_at=generated_at,
        team_columns=team_columns,
        timeline=timeline,
    )
    findings += flow_findings
    economics = evaluate_economics(items, config, today=today)
    findings += economics.findings
    boards = evaluate_boards(items, config, today=today)
    findings += boards.risks.findings
    forecast = forecast_pi(items, config, columns, today=today, timeline=timeline)
    capacity = evaluate_capacity(items, config, today=today)
    findings += [*forecast.findings, *capacity.findings]
    findings, suppressed = readable_findings(findings, items, config, today=today, site=site)
    pi = pi_at(planning_intervals(config.cadence), today)
    return HealthReport(
        art=config.art.name,
        generated_at=generated_at,
        as_of=today,
        pi=pi.name if pi else None,
        findings=tuple(findings),
        metrics=HealthMetrics(
            kanban=BoardLoad(level, flow_load(items, columns, level=level)),
            items=ItemCounts(len(items), _count_by_level(items), len(rejected)),
            flow=flow,
            economics=economics,
            data_quality=problem_counts(findings),
            risks=boards.risks,
            program_board=boards.program,
            forecast=forecast,
            capacity=capacity,
        ),
        suppressed=suppressed,
        act_today=act_today(findings, items, today=today, zone=ZoneInfo(config.art.timezone)),
    )


def readable_findings(
    findings: Sequence[Finding],
    items: Sequence[WorkItem],
    config: ArtConfig,
    *,
    today: date,
    site: str | None,
) -> tuple[list[Finding], tuple[Finding, ...]]:
    """The findings that count, each about an item carrying it, and the suppressed ones apart
    (a suppression that hides nothing is itself a data-quality finding)."""
    team_names = config.team_names()
    enriched = about_items(findings, items, site=site, team_names=team_names)
    outcome = apply_suppressions(enriched, config.suppressions, today)
    return [*outcome.active, *outcome.unmatched], outcome.suppressed


def _count_by_level(items: Sequence[WorkItem]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        level = item.level or "unmapped"
        counts[level] = counts.get(level, 0) + 1
    return dict(sorted(counts.items()))
