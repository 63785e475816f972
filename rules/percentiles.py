"""Percentiles by nearest rank: the reading a service level expectation needs.

"85 % of our features finish within 34 days" is a statement about observed
items, so the 85th percentile here is an observed value: the smallest value
such that at least p % of the values are less than or equal to it
(nearest-rank: the value at rank ceil(p/100 * n) of the sorted values,
counting from 1). Unlike interpolating definitions it never invents a cycle
time nobody had, it is monotone in p, and it needs no choice of method.
The median of an even count is therefore the lower of the two middle values.

The rank is computed in exact arithmetic, so p = 70 of 10 values is the 7th
value, not the 8th that `ceil(0.7 * 10)` gives in floating point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

SUMMARY_PERCENTILES = (50, 85, 95)


def nearest_rank(p: float, count: int) -> int:
    """The rank (from 1) of the `p`th percentile of `count` values, by the nearest-rank
    method (exact: p as the decimal it is written as, not its binary float)."""
    return max(ceil(Fraction(str(p)) * count / 100), 1)


def percentile(ordered: Sequence[float], p: float) -> float:
    """The nearest-rank `p`th percentile (0 < p <= 100) of values sorted ascending."""
    if not ordered:
        raise ValueError("the percentile of no values is undefined")
    if not 0 < p <= 100:
        raise ValueError(f"p must be in (0, 100], not {p}")
    return ordered[nearest_rank(p, len(ordered)) - 1]


@dataclass(frozen=True, slots=True)
class Percentiles:
    """How many values there were, and the percentiles asked for (None each when none were)."""

    count: int
    values: Mapping[float, float | None]  # by p, in the order asked

    def at(self, p: float) -> float | None:
        """The `p`th percentile, None when there were no values or `p` was not asked for."""
        return self.values.get(p)


def summary(
    values: Iterable[float], percentiles: Iterable[float] = SUMMARY_PERCENTILES
) -> Percentiles:
    """Count and the chosen percentiles of `values`."""
    ordered = sorted(values)
    return Percentiles(
        len(ordered), {p: percentile(ordered, p) if ordered else None for p in percentiles}
    )
