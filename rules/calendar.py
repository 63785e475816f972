"""The ART calendar: every event of the PI cadence, laid out on working days.

Pure: the cadence, the event templates of `art.yaml` and the public holidays
in, `ArtEvent`s out. An event's key says what the event *is* (train, PI,
template, team, iteration or day), never when it happens, so moving a PI
re-times the same events and the publishers update them in place instead of
inviting people twice.

A public holiday moves a single event (a System Demo, I&A, an iteration
event) to the previous working day, as an RTE pulls a demo forward rather
than into the next iteration, unless that would take it out of its iteration
(an iteration's first day): then to the next working day
(`calendar.holidays.move: later` always moves it there). PI Planning days
move to the next working days, keeping their
order. A holiday removes that one occurrence from a repeating event (a weekly
sync is one series, one invite). Every moved or skipped occurrence is listed
as an `Adjustment`, so the RTE sees what the calendar did and why.

Times are wall-clock times in the ART's time zone: a 10:00 sync stays at
10:00 across the daylight-saving switch, whatever that does to UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holiday_tables

from art.cadence import planning_intervals
from art.config import TEAM_EVENT_KINDS, ArtConfig, EventTemplate, HolidayConfig, TeamConfig
from art.config_errors import ConfigError, Problem
from art.model import PI, ArtEvent, Iteration

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PI_PLANNING_DAYS = 2


@dataclass(frozen=True, slots=True)
class KindDefaults:
    """What a template of this kind gets for what it leaves unset."""

    start: time
    minutes: int
    attendees: tuple[str, ...]


_EVERYONE = ("all-teams", "business-owners", "rte")
KIND_DEFAULTS: Mapping[str, KindDefaults] = {
    "pi-planning": KindDefaults(time(9, 0), 8 * 60, _EVERYONE),
    "system-demo": KindDefaults(time(14, 0), 90, _EVERYONE),
    "inspect-adapt": KindDefaults(time(9, 0), 4 * 60, _EVERYONE),
    "weekly": KindDefaults(time(10, 0), 30, ("rte",)),
    "iteration-planning": KindDefaults(time(9, 30), 120, ("team",)),
    "iteration-review": KindDefaults(time(14, 0), 60, ("team",)),
}


@dataclass(frozen=True, slots=True)
class Adjustment:
    """An occurrence a public holiday displaced: moved (`moved_to`) or skipped (None)."""

    key: str
    title: str
    planned: date
    moved_to: date | None
    holiday: str


@dataclass(frozen=True, slots=True)
class CalendarPlan:
    """The calendar the publishers make true, and what the holidays changed in it."""

    events: tuple[ArtEvent, ...]
    adjustments: tuple[Adjustment, ...]


def slug(text: str) -> str:
    """The lower-case, dash-separated form a name takes inside an event key ("PI 2026.4" ->
    "pi-2026-4"); letters outside ASCII are kept, so "Équipe Ü" does not lose its name."""
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-") or "x"


def public_holidays(setting: HolidayConfig | None, years: Iterable[int]) -> dict[date, str]:
    """The public holidays of `setting`'s country and subdivision, with English names."""
    if setting is None:
        return {}
    try:
        table = holiday_tables.country_holidays(
            setting.country, subdiv=setting.subdivision, years=list(years), language="en_US"
        )
    except NotImplementedError:
        field = "subdivision" if setting.subdivision else "country"
        raise ConfigError(
            [
                Problem(
                    f"calendar.holidays.{field}",
                    "is not known to the holidays package (use ISO 3166 codes, e.g. DE and BY)",
                )
            ]
        ) from None
    return dict(table.items())


def plan_calendar(config: ArtConfig, holidays: Mapping[date, str] | None = None) -> CalendarPlan:
    """Every event of every PI in the cadence; `holidays` defaults to those the config names."""
    pis = planning_intervals(config.cadence)
    if holidays is None:
        years = range(pis[0].start.year - 1, pis[-1].end.year + 2)
        holidays = public_holidays(config.calendar.holidays, years)
    layout = _Layout(config, ZoneInfo(config.art.timezone), holidays)
    events: list[ArtEvent] = []
    adjustments: list[Adjustment] = []
    for template in config.calendar.events:
        for index, pi in enumerate(pis):
            previous = pis[index - 1] if index else None
            for event, adjustment in layout.events(template, pi, previous):
                events.append(event)
                adjustments.extend(adjustment)
    _check_unique_keys(events)
    return CalendarPlan(
        events=tuple(sorted(events, key=lambda event: (event.start, event.key))),
        adjustments=tuple(sorted(adjustments, key=lambda item: (item.planned, item.key))),
    )


def _check_unique_keys(events: list[ArtEvent]) -> None:
    seen: set[str] = set()
    for event in events:
        if event.key in seen:
            raise ConfigError(
                [
                    Problem(
                        "cadence.pis",
                        f"two PIs or teams give the same event key '{event.key}': "
                        "their names differ only in punctuation or case",
                    )
                ]
            )
        seen.add(event.key)


Placed = tuple[ArtEvent, tuple[Adjustment, ...]]


class _Layout:
    """Lays templates out on one train's cadence, zone and holidays."""

    def __init__(self, config: ArtConfig, zone: ZoneInfo, holidays: Mapping[date, str]) -> None:
        self.config = config
        self.zone = zone
        self.holidays = holidays
        self.art = slug(config.art.name)
        setting = config.calendar.holidays
        self.earlier = setting is None or setting.move == "earlier"

    # -- per kind ---------------------------------------------------------
    def events(self, template: EventTemplate, pi: PI, previous: PI | None) -> Iterator[Placed]:
        if template.kind == "pi-planning":
            yield from self._pi_planning(template, pi, previous)
        elif template.kind == "inspect-adapt":
            timebox = pi.iterations[-1]  # the IP iteration, or the last one without IP
            planned = _in_week(timebox, template.weekday, last_week=True)
            title = f"{template.title}: {pi.name}"
            yield self._single(template, self._key(pi, template), title, planned, within=timebox)
        elif template.kind == "weekly":
            yield self._weekly(template, pi)
        else:
            yield from self._per_iteration(template, pi)

    def _pi_planning(
        self, template: EventTemplate, pi: PI, previous: PI | None
    ) -> Iterator[Placed]:
        days = template.days or PI_PLANNING_DAYS
        if template.placement == "pi-start":
            planned = _weekdays_from(pi.start, days)
        else:
            end = previous.end if previous else pi.start - timedelta(days=1)
            planned = _weekdays_until(end, days)
        actual: date | None = None
        for number, day in enumerate(planned, start=1):
            earliest = day if actual is None else max(day, actual + timedelta(days=1))
            actual = self._next_working(earliest)
            key = self._key(pi, template) + (f"/day-{number}" if days > 1 else "")
            title = f"{template.title}: {pi.name}" + (
                f" (day {number} of {days})" if days > 1 else ""
            )
            yield self._single(template, key, title, day, actual)

    def _per_iteration(self, template: EventTemplate, pi: PI) -> Iterator[Placed]:
        first_week = template.kind == "iteration-planning"
        teams: list[TeamConfig | None] = [None]
        if template.kind in TEAM_EVENT_KINDS:
            teams = [t for t in self.config.teams if not template.teams or t.name in template.teams]
        for iteration in pi.iterations:
            if iteration.is_ip:
                continue
            planned = _in_week(iteration, template.weekday, last_week=not first_week)
            for team in teams:
                key = self._key(pi, template)
                title = f"{template.title}: "
                if team is not None:
                    key += f"/{slug(team.name)}"
                    title += f"{team.name}, "
                key += f"/iteration-{iteration.number}"
                name = title + iteration.name
                yield self._single(template, key, name, planned, team=team, within=iteration)

    def _weekly(self, template: EventTemplate, pi: PI) -> Placed:
        assert template.weekday is not None  # validate_config requires it for weekly events
        weekday = WEEKDAYS.index(template.weekday)
        first = pi.start + timedelta(days=(weekday - pi.start.weekday()) % 7)
        days = []
        day = first
        while day <= pi.end:
            days.append(day)
            day += timedelta(weeks=template.every_weeks)
        start_time = self._start_time(template)
        last = self._at(days[-1], start_time).astimezone(UTC)
        interval = f"INTERVAL={template.every_weeks};" if template.every_weeks > 1 else ""
        key, title = self._key(pi, template), f"{template.title}: {pi.name}"
        skipped = tuple(
            Adjustment(key, title, day, None, self.holidays[day])
            for day in days
            if day in self.holidays
        )
        event = replace(
            self._event(template, key, title, first),
            rrule=f"FREQ=WEEKLY;{interval}BYDAY={RRULE_DAYS[weekday]};UNTIL={last:%Y%m%dT%H%M%SZ}",
            exdates=tuple(self._at(item.planned, start_time) for item in skipped),
        )
        return event, skipped

    # -- shared -----------------------------------------------------------
    def _single(
        self,
        template: EventTemplate,
        key: str,
        title: str,
        planned: date,
        actual: date | None = None,
        team: TeamConfig | None = None,
        within: Iteration | None = None,
    ) -> Placed:
        """A one-off event on `planned`, or, when that is a holiday, on the working day before
        it (`holidays.move: earlier`) or after it, staying `within` its timebox if it can."""
        day = actual or self._moved(planned, within)
        moved: tuple[Adjustment, ...] = ()
        if day != planned:
            holiday = self.holidays.get(planned) or self._first_holiday_between(planned, day)
            moved = (Adjustment(key, title, planned, day, holiday),)
        return self._event(template, key, title, day, team), moved

    def _event(
        self,
        template: EventTemplate,
        key: str,
        title: str,
        day: date,
        team: TeamConfig | None = None,
    ) -> ArtEvent:
        defaults = KIND_DEFAULTS[template.kind]
        start = self._at(day, self._start_time(template))
        return ArtEvent(
            key=key,
            title=title,
            start=start,
            end=start + timedelta(minutes=template.duration_minutes or defaults.minutes),
            description=template.description,
            location=template.location,
            attendees=self._attendees(
                defaults.attendees if template.attendees is None else template.attendees, team
            ),
            online_meeting=template.online_meeting,
        )

    @staticmethod
    def _start_time(template: EventTemplate) -> time:
        return template.start_time or KIND_DEFAULTS[template.kind].start

    def _attendees(self, entries: tuple[str, ...], team: TeamConfig | None) -> tuple[str, ...]:
        """Roles expanded to addresses, in order, each address once (case-insensitively)."""
        teams = self.config.teams
        expanded: list[str] = []
        for entry in entries:
            if entry == "all-teams":
                expanded += [address for each in teams for address in _audience(each)]
            elif entry == "team":
                expanded += _audience(team) if team else []
            elif entry == "scrum-masters":
                expanded += [each.scrum_master for each in teams if each.scrum_master]
            elif entry == "product-owners":
                expanded += [each.product_owner for each in teams if each.product_owner]
            elif entry == "business-owners":
                expanded += self.config.art.business_owners
            elif entry == "rte":
                expanded += [self.config.notifications.rte] if self.config.notifications.rte else []
            else:
                expanded.append(entry)
        unique: dict[str, str] = {}
        for address in expanded:
            unique.setdefault(address.casefold(), address)
        return tuple(unique.values())

    def _key(self, pi: PI, template: EventTemplate) -> str:
        return f"{self.art}/{slug(pi.name)}/{template.key}"

    def _at(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.zone)

    def _is_working(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def _next_working(self, day: date) -> date:
        while not self._is_working(day):
            day += timedelta(days=1)
        return day

    def _previous_working(self, day: date) -> date:
        while not self._is_working(day):
            day -= timedelta(days=1)
        return day

    def _moved(self, planned: date, within: Iteration | None) -> date:
        """The working day a holiday moves `planned` to: the next one with `move: later`; with
        `earlier` the previous one, unless that leaves the timebox `within` (an iteration's
        first day): then the next one."""
        later = self._next_working(planned)
        if not self.earlier:
            return later
        earlier = self._previous_working(planned)
        if within is None or within.contains(earlier) or not within.contains(later):
            return earlier
        return later

    def _first_holiday_between(self, start: date, end: date) -> str:
        """Why a day of a multi-day event moved although it is no holiday itself."""
        day = start - timedelta(days=1)
        while day < end:
            day += timedelta(days=1)
            if day in self.holidays:
                return self.holidays[day]
        return "an earlier day moved"


def _audience(team: TeamConfig) -> list[str]:
    """Who "the team" is in an invite: its mail group, or else its people."""
    if team.mail_group:
        return [team.mail_group]
    people = [*team.members, team.scrum_master, team.product_owner]
    return [person for person in people if person]


def _in_week(timebox: Iteration, weekday: str | None, *, last_week: bool) -> date:
    """`weekday` in the first or last week of the timebox; unset: its first or last weekday."""
    week_start = timebox.end - timedelta(days=6) if last_week else timebox.start
    week_start = max(week_start, timebox.start)
    if weekday is not None:
        return week_start + timedelta(days=(WEEKDAYS.index(weekday) - week_start.weekday()) % 7)
    if last_week:
        return _weekdays_until(timebox.end, 1)[0]
    return _weekdays_from(timebox.start, 1)[0]


def _weekdays_from(day: date, count: int) -> list[date]:
    days: list[date] = []
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _weekdays_until(day: date, count: int) -> list[date]:
    days: list[date] = []
    while len(days) < count:
        if day.weekday() < 5:
            days.insert(0, day)
        day -= timedelta(days=1)
    return days
