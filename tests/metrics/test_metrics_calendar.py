"""open_time_days: hand-worked windows and a brute-force property test."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_logbuilder import WEEKDAYS_9_TO_5

from pathways.metrics import open_time_days
from pathways.metrics.calendar import normalise_intervals

HOUR = 1 / 24


def test_always_open_is_the_window_length():
    assert open_time_days(None, 2.5, 9.25) == pytest.approx(6.75)
    assert open_time_days(None, 3.0, 1.0) == 0.0


@pytest.mark.parametrize("start, end, hours", [
    (0.0, 7.0, 40),  # a whole week: 5 days x 8 hours
    (2.5, 9.5, 40),  # Wed noon to next Wed noon: 5 + 8 + 8 + 8 + 8 + 3
    (0.0, 1.5, 11),  # Monday 8 hours + Tuesday 09:00-12:00
    (5.2, 7.4, 0.6),  # Sat 04:48 to Mon 09:36: Mon 09:00-09:36
    (0.4, 0.5, 2.4),  # inside Monday's session
    (0.0, 0.375, 0),  # Monday before opening
    (5.0, 7.0, 0),  # the weekend
    (-7.0, 0.0, 40),  # the week before day 0
    (0.0, 70.0, 400),  # ten weeks
    (365.0, 730.0, 52 * 40 + 8),  # day 365 is a Tuesday: 52 weeks + one Tuesday
])
def test_weekdays_9_to_5_by_hand(start, end, hours):
    assert open_time_days(WEEKDAYS_9_TO_5, start, end) == pytest.approx(hours * HOUR, abs=1e-12)


def test_arrays_broadcast():
    got = open_time_days(WEEKDAYS_9_TO_5, np.array([0.0, 2.5]), np.array([7.0, 9.5]))
    np.testing.assert_allclose(got, [40 * HOUR, 40 * HOUR])


def test_normalisation_merges_and_wraps():
    # overlapping, touching and wrapping intervals; a week-long interval is always open
    np.testing.assert_allclose(normalise_intervals([(1, 2), (1.5, 3), (3, 3.5)]), [[1, 3.5]])
    np.testing.assert_allclose(normalise_intervals([(6.5, 7.25)]), [[0, 0.25], [6.5, 7]])
    np.testing.assert_allclose(normalise_intervals([(8.0, 8.5)]), [[1, 1.5]])
    assert normalise_intervals([(0, 7)]) is None
    assert open_time_days([(0.0, 7.0)], 1.0, 4.0) == pytest.approx(3.0)
    assert open_time_days([], 1.0, 4.0) == 0.0
    # Sunday 12:00 to Monday 06:00, window Sunday 18:00 to Monday 03:00: all 9 hours
    assert open_time_days([(6.5, 7.25)], 6.75, 7.125) == pytest.approx(9 * HOUR)


def brute_force(intervals, start, end, step):
    """Midpoint rule on a fine grid of the indicator 'some interval covers t'."""
    n = int(np.ceil((end - start) / step))
    if n <= 0:
        return 0.0, 0.0
    dt = (end - start) / n
    t = start + (np.arange(n) + 0.5) * dt
    is_open = np.zeros(n, dtype=bool)
    for a, b in intervals:
        is_open |= np.mod(t - a, 7.0) < (b - a)
    return is_open.sum() * dt, dt


interval = st.tuples(st.floats(0, 7), st.floats(0, 3)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=200, deadline=None)
@given(intervals=st.lists(interval, max_size=6),
       start=st.floats(-10, 30), length=st.floats(0, 25))
def test_open_time_matches_brute_force(intervals, start, length):
    end = start + length
    expected, dt = brute_force(intervals, start, end, step=2e-4)
    # each open/close crossing can put one grid cell on the wrong side
    crossings = 2 * len(intervals) * (int(length / 7) + 2)
    got = open_time_days(intervals, start, end)
    assert got == pytest.approx(expected, abs=crossings * dt + 1e-9)
    assert 0.0 <= got <= length + 1e-9
