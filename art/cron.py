"""Cron expressions as art.yaml takes them: five fields, a wall-clock time in the ART's zone.

Prefect (its vendored croniter) accepts more than a train's schedule needs:
a sixth field of seconds, a seventh of years, `@daily`, `L` and `#`, and
ranges that wrap around (`10-5`). art.yaml takes the five standard fields
only (numbers, `*`, ranges, steps, lists, and month and weekday names), a
subset of what Prefect accepts, checked here without Prefect: the domain core
imports none. `tests/unit/test_cron.py` holds every form accepted here to
Prefect's own check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EXAMPLE = "'0 2 * * *' (02:00 every night) or '0 6 * * 1-5' (06:00 Monday to Friday)"
SHAPE = "five fields: minute hour day-of-month month day-of-week"

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")

_TOKEN = r"[0-9]+|[a-z]{3}"
_ITEM = re.compile(rf"^(?P<low>\*|{_TOKEN})(?:-(?P<high>{_TOKEN}))?(?:/(?P<step>[0-9]+))?$")


@dataclass(frozen=True)
class CronField:
    """One of the five fields: its name, the values it takes, and names for them."""

    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # names[i] stands for low + i

    def value(self, token: str) -> int | None:
        """The number a token stands for (a digit string or a name), or None."""
        if token.isdigit():
            return int(token)
        return self.names.index(token) + self.low if token in self.names else None


FIELDS = (
    CronField("minute", 0, 59),
    CronField("hour", 0, 23),
    CronField("day-of-month", 1, 31),
    CronField("month", 1, 12, MONTHS),
    CronField("day-of-week", 0, 7, WEEKDAYS),  # 0 and 7 are both Sunday
)


def check_cron(value: str) -> str:
    """The expression with single spaces; ValueError saying what is wrong, with an example."""
    parts = value.split()
    if len(parts) != len(FIELDS):
        raise ValueError(f"must be a cron expression of {SHAPE}, such as {EXAMPLE}")
    for text, field in zip(parts, FIELDS, strict=True):
        problem = _field_problem(text.lower(), field)
        if problem:
            raise ValueError(f"{field.name} '{text}' {problem}; write {SHAPE}, such as {EXAMPLE}")
    return " ".join(parts)


def _field_problem(text: str, field: CronField) -> str | None:
    for item in text.split(","):
        match = _ITEM.match(item)
        if match is None:
            return "is not a number, a range (1-5), a step (*/15), '*' or a list of them"
        problem = _item_problem(match["low"], match["high"], match["step"], field)
        if problem:
            return problem
    return None


def _item_problem(low: str, high: str | None, step: str | None, field: CronField) -> str | None:
    if step is not None and int(step) == 0:
        return "has a step of 0"
    if low == "*":
        return "has a range starting at '*'" if high is not None else None
    numbers = []
    for token in (low, high) if high is not None else (low,):
        number = field.value(token)
        if number is None:
            known = f" (names: {', '.join(field.names)})" if field.names else ""
            return f"has a name cron does not know{known}"
        if not field.low <= number <= field.high:
            return f"must lie within {field.low}-{field.high}"
        numbers.append(number)
    if len(numbers) == 2 and numbers[0] > numbers[1]:
        return "has a range that runs backwards (write the smaller end first)"
    return None
