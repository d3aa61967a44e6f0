"""Experiment designs: the grid's order, and the Latin hypercube's strata and seeds.

Runner files use these through load_runner (tests/experiment/test_runner.py); here
the designs are checked on their own, over many seeds and sizes.
"""

from __future__ import annotations

import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pathways.experiment.designs import Point, Range, grid, latin_hypercube

DELAY = Range(1.0, 3.0)
FACTOR = Range(0.5, 1.5)
POLICIES = ("nearest", "choice", "shortest_wait", "pooled")
SIZES = (2, 3, 4)


def test_grid_is_the_full_product_last_axis_fastest():
    assert grid([(1, 2), ("a", "b", "c")]) == [
        (1, "a"), (1, "b"), (1, "c"), (2, "a"), (2, "b"), (2, "c")]
    assert grid([(0.9,), (True, None)]) == [(0.9, True), (0.9, None)]
    assert grid([]) == [()]


def _stratum(value: float, axis: Range, count: int) -> int:
    return math.floor((value - axis.low) / (axis.high - axis.low) * count)


@settings(max_examples=40, deadline=None)
@given(count=st.integers(2, 60), seed=st.integers(0, 2**32 - 1))
# values once rounded onto a stratum's edge (3.0, the range's end; 1.4; 1.2, a hair
# below the edge 0.5 + 7 x 0.1 in floating point) and read back as the neighbour's
@example(count=2, seed=5975)
@example(count=5, seed=2232)
@example(count=10, seed=130)
def test_every_stratum_of_every_range_gives_exactly_one_point(count, seed):
    rows = latin_hypercube([DELAY, FACTOR], count, seed)
    assert len(rows) == count
    for column, axis in enumerate((DELAY, FACTOR)):
        values = [row[column] for row in rows]
        assert all(axis.low <= value <= axis.high for value in values)
        assert sorted(_stratum(value, axis, count) for value in values) == list(range(count))


@settings(max_examples=40, deadline=None)
@given(count=st.integers(2, 60), seed=st.integers(0, 2**32 - 1))
def test_levels_come_about_equally_often_and_keep_their_type(count, seed):
    rows = latin_hypercube([POLICIES, SIZES, DELAY], count, seed)
    policies = [row[0] for row in rows]
    counts = [policies.count(policy) for policy in POLICIES]
    assert max(counts) - min(counts) <= 1  # item k x 4 // count of stratum k
    sizes = [row[1] for row in rows]
    assert set(sizes) <= set(SIZES)
    assert all(type(size) is int for size in sizes)  # whole numbers stay whole


def test_the_same_seed_gives_the_same_points_and_another_seed_others():
    axes = [DELAY, FACTOR, POLICIES]
    assert latin_hypercube(axes, 10, seed=1) == latin_hypercube(axes, 10, seed=1)
    assert latin_hypercube(axes, 10, seed=1) != latin_hypercube(axes, 10, seed=2)


def test_values_are_rounded_to_a_thousandth_of_a_stratum():
    for (delay,) in latin_hypercube([DELAY], 10, seed=0):  # strata 0.2 wide
        assert delay == round(delay, 4)


def test_points_compare_by_index_and_values_and_label_as_yaml():
    assert Point(0, {"a": 1}) == Point(0, {"a": 1})
    assert Point(0, {}).label == "base"
    assert Point(2, {"a.b": True, "c": None, "d": "x"}).label == "a.b=true, c=null, d=x"
