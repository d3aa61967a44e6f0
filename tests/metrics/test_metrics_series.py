"""Weekly time series: each resource's own queue (no RTT clocks, so no waiting_list)."""

import numpy as np

from pathways.log.event_log import ARRIVE, END, EXIT, QUEUE, START
from pathways.metrics.series import occupancy, timeseries, waiting_list_by_resource
from tests.metrics.metrics_logbuilder import make_log

STAGES = [("p.s", 0)]
RESOURCES = [("desk", 1)]


def test_waiting_list_counts_joined_and_not_started_at_each_snapshot():
    rows = [  # patient 0 waits days 1-9, patient 1 days 2-16, patient 2 joins at 15
        (0, None, ARRIVE, 1.0), (0, 0, QUEUE, 1.0), (0, 0, START, 9.0), (0, 0, END, 10.0),
        (0, None, EXIT, 10.0),
        (1, None, ARRIVE, 2.0), (1, 0, QUEUE, 2.0), (1, 0, START, 16.0), (1, 0, END, 17.0),
        (2, None, ARRIVE, 15.0), (2, 0, QUEUE, 15.0),
    ]
    log = make_log(rows, STAGES, RESOURCES, horizon=21.0, warmup=0.0)
    lists = waiting_list_by_resource(log)
    assert lists["time_days"].tolist() == [0.0, 7.0, 14.0, 21.0]
    assert lists["waiting"].tolist() == [0, 2, 1, 1]
    series = timeseries(log)
    assert set(series["series"]) == {"occupancy", "resource_queue"}
    queue = series[series["series"] == "resource_queue"]
    assert queue["level"].unique().tolist() == ["desk"]
    np.testing.assert_array_equal(queue["value"], [0, 2, 1, 1])


def test_occupancy_counts_units_started_and_not_ended_at_each_snapshot():
    # two rooms: P0 in use days 1-15, P1 6-8, P2 from 13 to the horizon (never ends)
    rows = [
        (0, None, ARRIVE, 1.0), (0, 0, START, 1.0), (0, 0, END, 15.0), (0, None, EXIT, 15.0),
        (1, None, ARRIVE, 6.0), (1, 0, START, 6.0), (1, 0, END, 8.0), (1, None, EXIT, 8.0),
        (2, None, ARRIVE, 13.0), (2, 0, START, 13.0),
    ]
    log = make_log(rows, STAGES, [("room", 2)], horizon=21.0, warmup=0.0)
    used = occupancy(log, from_days=0.0)
    assert used["level"].unique().tolist() == ["room"]
    assert used["occupancy"].tolist() == [0.0, 1.0, 1.0, 0.5]
