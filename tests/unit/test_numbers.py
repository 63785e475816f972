"""One rule for "is this a number" in connectors and rules: JSON numbers, never booleans."""

from __future__ import annotations

import math

import pytest

from art.numbers import as_number


@pytest.mark.parametrize(("value", "number"), [(3, 3.0), (2.5, 2.5), (0, 0.0), (-1, -1.0)])
def test_ints_and_floats_are_numbers(value: object, number: float) -> None:
    assert as_number(value) == number


@pytest.mark.parametrize(
    "value", [True, False, None, "3", [3], {"value": 3}, math.nan, math.inf, -math.inf, 10**400]
)
def test_booleans_text_containers_and_non_finite_values_are_not(value: object) -> None:
    assert as_number(value) is None
