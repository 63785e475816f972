"""What counts as a number in the data rte reads: a JSON number, never a boolean.

Jira and YAML hand over `true`/`false` as Python `bool`, which is an `int`
subclass: a ticked checkbox would otherwise count as 1 story point, and a
WIP limit of `True` as 1. Non-finite values (NaN, infinities) are no numbers
either: no field or setting means them, and they break every sum and `int()`.
"""

from __future__ import annotations

import math


def as_number(value: object) -> float | None:
    """`value` as a finite float when it is an int or a float (not a bool); else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return None
    return number if math.isfinite(number) else None
