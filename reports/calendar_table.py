"""The ART calendar for the terminal: the events, and what the public holidays changed.

Titles come from config and are shown literally (`reports.summary.plain`:
no rich markup, no terminal control characters). Times are the ART's wall
clock, as the invitations show them.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from rich import box
from rich.table import Table

from art.model import ArtEvent
from reports.ics import parse_rrule
from reports.terminal import plain
from rules.calendar import CalendarPlan


def calendar_table(plan: CalendarPlan, tz: str) -> Table:
    zone = ZoneInfo(tz)
    table = Table(
        title=f"ART calendar ({len(plan.events)} events, times in {tz})",
        box=box.SIMPLE_HEAVY,
        title_justify="left",
    )
    table.add_column("When", no_wrap=True)
    table.add_column("Event")
    table.add_column("Repeats")
    table.add_column("Attendees", justify="right")
    for event in plan.events:
        start, end = event.start.astimezone(zone), event.end.astimezone(zone)
        table.add_row(
            f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M}",
            plain(event.title),
            repeats(event, zone),
            str(len(event.attendees)),
        )
    return table


def adjustments_table(plan: CalendarPlan) -> Table:
    table = Table(
        title="Moved or skipped for public holidays", box=box.SIMPLE_HEAVY, title_justify="left"
    )
    for column in ("Event", "Planned", "Now", "Holiday"):
        table.add_column(column)
    for item in plan.adjustments:
        table.add_row(
            plain(item.title),
            _day(item.planned),
            _day(item.moved_to) if item.moved_to else "skipped",
            plain(item.holiday),
        )
    return table


def repeats(event: ArtEvent, zone: ZoneInfo) -> str:
    """ "weekly until Wed 2026-12-09, 1 skipped" for a series; "" for a single event."""
    if not event.rrule:
        return ""
    rule = parse_rrule(event.rrule)
    interval = int(rule.get("INTERVAL", [1])[0])
    text = str(rule["FREQ"][0]).lower()
    if interval > 1:
        text = f"every {interval} {'weeks' if text == 'weekly' else 'days'}"
    until = rule.get("UNTIL")
    if until:
        last = until[0]
        text += (
            f" until {_day(last.astimezone(zone).date() if isinstance(last, datetime) else last)}"
        )
    if event.exdates:
        text += f", {len(event.exdates)} skipped"
    return text


def _day(day: date) -> str:
    return f"{day:%a %Y-%m-%d}"
