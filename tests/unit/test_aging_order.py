"""Aging lists its items oldest first, equal ages by key."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from rules.aging import by_age_then_key


@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, 1.5, 2.25, 7.0, 30.0]), st.sampled_from(["A-1", "A-2", "B-1"])
        ),
        max_size=40,
    )
)
def test_the_order_is_a_stable_sort_by_age_descending_then_key(rows: list) -> None:
    ages = np.array([age for age, _ in rows], np.float64)
    keys = [key for _, key in rows]
    expected = sorted(range(len(rows)), key=lambda k: (-ages[k], keys[k]))
    assert by_age_then_key(ages, keys).tolist() == expected
