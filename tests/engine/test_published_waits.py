"""The waits published for choice: RTT-type, refreshed, never stale.

PublishedWaits is driven by hand here (patients allocated, seen, removed) and its
snapshots compared with the figures worked out from those events.
"""

import numpy as np
import pytest

from pathways.engine.published_waits import PublishedWaits

STAGE, NEAR, FAR = 0, 0, 1
CANDIDATES = {STAGE: np.array([NEAR, FAR])}


def _published(measure: str) -> PublishedWaits:
    return PublishedWaits(CANDIDATES, n_sites=2, window_days=28.0, measure=measure)


def test_the_median_wait_of_patients_seen_in_the_window():
    waits = _published("median_seen")
    for day, waited in ((10, 14.0), (20, 35.0), (25, 21.0)):
        waits.join(STAGE, NEAR)
        waits.record(STAGE, NEAR, day, waited)
    waits.publish(30.0)  # seen on days 10, 20 and 25
    assert waits.snapshots[STAGE][-1][NEAR] == 21.0
    waits.join(STAGE, NEAR)
    waits.record(STAGE, NEAR, 40.0, 70.0)
    waits.publish(60.0)  # only day 40 is inside [32, 60]
    assert waits.snapshots[STAGE][-1][NEAR] == 70.0


def test_list_over_throughput_is_littles_law():
    waits = _published("list_over_throughput")
    for _ in range(12):
        waits.join(STAGE, NEAR)
    for day in (5, 10, 15, 20):  # four of the twelve seen in the window
        waits.record(STAGE, NEAR, day, 7.0)
    waits.publish(28.0)
    # eight still waiting, four seen in 28 days: 8 / (4 / 28) = 56 days
    assert waits.snapshots[STAGE][-1][NEAR] == pytest.approx(56.0)


@pytest.mark.parametrize("measure", ["median_seen", "list_over_throughput"])
def test_a_provider_nobody_chose_shows_its_list_not_an_old_wait(measure):
    """Nobody seen in the window: the list-based figure, refreshed each time (not the
    last median, which would starve a provider that patients had left)."""
    waits = _published(measure)
    waits.join(STAGE, FAR)
    waits.record(STAGE, FAR, 1.0, 140.0)  # one long wait, early on
    waits.publish(7.0)
    # the median of the one seen; nobody left on the list, so no list-based wait
    assert waits.snapshots[STAGE][-1][FAR] == (140.0 if measure == "median_seen" else 0.0)
    waits.publish(60.0)  # nobody allocated or seen there since
    assert waits.snapshots[STAGE][-1][FAR] == 0.0
    for _ in range(3):
        waits.join(STAGE, FAR)
    waits.publish(90.0)  # three waiting, none seen: the window counts as one seen
    assert waits.snapshots[STAGE][-1][FAR] == pytest.approx(3 * 28.0)


def test_patients_leaving_a_list_untreated_leave_its_count():
    waits = _published("list_over_throughput")
    for _ in range(4):
        waits.join(STAGE, NEAR)
    waits.leave(STAGE, NEAR)
    waits.record(STAGE, NEAR, 10.0, 7.0)
    waits.publish(14.0)
    assert waits.snapshots[STAGE][-1][NEAR] == pytest.approx(2 * 28.0)


def test_patients_see_the_latest_snapshot_at_least_the_lag_old():
    waits = _published("list_over_throughput")
    for day in (7.0, 14.0, 21.0):
        waits.join(STAGE, NEAR)
        waits.publish(day)
    assert waits.seen(STAGE, 6.9, 0.0)[NEAR] == 0.0  # before the first publication
    assert waits.seen(STAGE, 21.0, 0.0)[NEAR] == pytest.approx(3 * 28.0)
    assert waits.seen(STAGE, 21.0, 7.0)[NEAR] == pytest.approx(2 * 28.0)
    assert waits.seen(STAGE, 21.0, 10.0)[NEAR] == pytest.approx(1 * 28.0)
