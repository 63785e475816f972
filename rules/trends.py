"""The nightly headline figures, and their trends over the last nights.

Every run keeps one night's figures (`night_figures`), by series name:

- `wip.<state>`: items in each Program Kanban state that is not a done state;
- `throughput.<level>`: items of the Program Kanban's level and of the teams'
  level finished (resolved, and in a done category) on that day;
- `blocked`: unfinished items of those levels flagged or in a blocked status
  at the day's end;
- `aging`: items past their aging percentile (the aging-wip findings);
- `findings.<severity>`: the findings that count (suppressed ones do not).

`trends` lays the stored nights of a window out as one series per name,
night by night (null where a night lacks a series, e.g. a state added later).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from art.config import ArtConfig
from art.history import NightFigures
from art.model import BoardColumn, Severity, StatusCategory, WorkItem
from rules.aging import RULE as AGING
from rules.board import Board
from rules.health import HealthReport
from rules.timeline import local_date


@dataclass(frozen=True, slots=True)
class Trends:
    """The window's nights, oldest first, and each series' values on them."""

    nights: tuple[date, ...]
    series: Mapping[str, tuple[int | None, ...]]  # sorted by name
    replayed: tuple[date, ...]  # the nights reconstructed from the histories (a backfill)


def night_figures(
    report: HealthReport,
    items: Sequence[WorkItem],
    config: ArtConfig,
    columns: Sequence[BoardColumn],
    *,
    replayed: bool = False,
) -> NightFigures:
    """The headline figures of the night `report` is about (`items` as they stood then)."""
    zone = ZoneInfo(config.art.timezone)
    levels = dict.fromkeys((config.kanban.level, config.kanban.team_level))
    board = Board.of(columns, (item for item in items if item.level == config.kanban.level))
    figures: dict[str, int] = {}
    for state, category in zip(report.metrics.kanban.states, board.categories, strict=False):
        if category is not StatusCategory.DONE:
            figures[f"wip.{state.name}"] = state.count
    blocked_statuses = set(config.jira.blocked_statuses)
    finished = {level: 0 for level in levels}
    blocked = 0
    for item in items:
        if item.level not in finished:
            continue
        if item.status_category is StatusCategory.DONE:
            if item.resolved is not None and local_date(item.resolved, zone) == report.as_of:
                finished[item.level] += 1
        elif item.is_flagged() or item.status in blocked_statuses:
            blocked += 1
    figures.update({f"throughput.{level}": count for level, count in finished.items()})
    figures["blocked"] = blocked
    figures["aging"] = len({f.subject for f in report.findings if f.rule == AGING})
    for severity in Severity:
        figures[f"findings.{severity.value}"] = sum(
            1 for finding in report.findings if finding.severity is severity
        )
    return NightFigures(report.as_of, dict(sorted(figures.items())), replayed)


def trends(nights: Iterable[NightFigures], as_of: date, window_days: int) -> Trends:
    """The stored nights of the `window_days` up to and including `as_of`, as series."""
    shown = sorted(
        (night for night in nights if 0 <= (as_of - night.night).days < window_days),
        key=lambda night: night.night,
    )
    names = sorted({name for night in shown for name in night.figures})
    series = {name: tuple(night.figures.get(name) for night in shown) for name in names}
    return Trends(
        nights=tuple(night.night for night in shown),
        series=series,
        replayed=tuple(night.night for night in shown if night.replayed),
    )
