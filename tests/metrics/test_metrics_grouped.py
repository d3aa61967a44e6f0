"""Grouped reductions against numpy applied group by group."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.metrics import grouped

items = st.lists(st.tuples(st.integers(0, 4), st.floats(-100, 100)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(items=items)
def test_grouped_quantiles_and_means_match_numpy(items):
    groups = np.array([g for g, _ in items], dtype=np.int64)
    values = np.array([x for _, x in items], dtype=float)
    qs = (0.0, 0.5, 0.9, 0.95, 1.0)
    got_q = grouped.quantiles(groups, values, 5, qs)
    got_m = grouped.mean(groups, values, 5)
    for g in range(5):
        x = values[groups == g]
        if len(x) == 0:
            assert np.isnan(got_q[g]).all() and np.isnan(got_m[g])
        else:
            np.testing.assert_allclose(got_q[g], np.quantile(x, qs), rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(got_m[g], x.mean(), rtol=1e-12, atol=1e-12)


def test_overlap_clips_and_handles_missing_ends():
    a = np.array([0.0, 5.0, 12.0, np.inf, 3.0])
    b = np.array([4.0, 15.0, np.inf, np.inf, 3.0])
    np.testing.assert_allclose(grouped.overlap(a, b, 2.0, 10.0), [2.0, 5.0, 0.0, 0.0, 0.0])


def test_grouped_quantiles_match_numpy_with_many_groups():
    """Group codes sorted as 16-bit keys where they fit, as 64-bit ones where not."""
    rng = np.random.default_rng(1)
    for n_groups in (300, 32_767, 40_000):
        groups = rng.integers(0, n_groups, 3_000)
        groups[:20] = n_groups - 1 - np.arange(20)  # the highest codes are used
        values = rng.exponential(10.0, len(groups))
        got = grouped.quantiles(groups, values, n_groups, (0.5, 0.9))
        for g in np.unique(groups):
            np.testing.assert_allclose(got[g], np.quantile(values[groups == g], (0.5, 0.9)),
                                       rtol=1e-12)
