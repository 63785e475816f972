"""Numbers as people read them, in findings' messages, pages, mails and tables.

One place, so a percentage reads the same in a finding's message, on the
health page and in a terminal table: money with thousands separators and no
cents, points without a trailing ".0", percentages rounded half up as people
round (87.25 -> 87.3, where Python's `round` would give 87.2), and an en dash
where there is no figure at all.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MISSING = "\u2013"  # en dash: shown where there is no figure


def number(value: float | None, spec: str = "g", unit: str = "") -> str:
    """`value` formatted by `spec` with its unit; a dash when there is none."""
    return MISSING if value is None else f"{value:{spec}}{unit}"


def points(value: float | None) -> str:
    """Story points as people write them: 13, 2.5."""
    return number(value)


def money(value: float | None, currency: str) -> str:
    """1234567.8, 'EUR' -> '1,234,568 EUR'."""
    return number(value, ",.0f", f" {currency}")


def percent(value: float | None) -> str:
    """A percentage: 87.5 -> '87.5%', 81.25 -> '81.3%' (half up), 100.0 -> '100%'."""
    if value is None:
        return MISSING
    rounded = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:f}".removesuffix(".0") + "%"


def ratio_percent(ratio: float | None) -> str:
    """A ratio as a whole percentage: 0.426 -> '43 %'."""
    return MISSING if ratio is None else f"{ratio * 100:.0f} %"
