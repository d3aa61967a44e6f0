"""kpis on hand-built logs whose answers are worked out by hand in the comments."""

import math

import numpy as np
import pandas as pd
import pytest
from metrics_logbuilder import WEEKDAYS_9_TO_5, make_log, patient_rows, values

from pathways.log.event_log import END, EXIT, QUEUE, START
from pathways.metrics import METRICS, SYSTEM_METRICS, VISIT_METRICS, kpis
from pathways.metrics.wait_quantiles import QUANTILE_PREFIX

A, B = 0, 1  # stage indices

# Window [10, 30], length 20. Stage A on "consultant" (capacity 1), stage B on
# "scanner" (capacity 2).
#   P1 arrives 5, queues at A from 5 (across the warm-up boundary), A 12-14,
#      B queued 14, served 15-17, exits 17.
#   P2 arrives 11, A queued 11, served 14-16; B queued 16, served 16-20, exits 20.
#   P3 arrives 20, A queued 20, served 25-27; B queued 27, in service from 28 at the
#      horizon (no END, no EXIT).
THREE = (
    patient_rows(1, 5, [(A, 5, 12, 14), (B, 14, 15, 17)], 17)
    + patient_rows(2, 11, [(A, 11, 14, 16), (B, 16, 16, 20)], 20)
    + patient_rows(3, 20, [(A, 20, 25, 27), (B, 27, 28, None)])
)
STAGES = [("clinic.consult", 0), ("clinic.scan", 1)]
RESOURCES = [("consultant", 1), ("scanner", 2)]


@pytest.fixture(scope="module")
def three():
    return values(kpis(make_log(THREE, STAGES, RESOURCES, horizon=30, warmup=10)))


def test_system_level_by_hand(three):
    s = {m: three[("", m)] for m in SYSTEM_METRICS}
    assert s["arrivals_per_day"] == pytest.approx(2 / 20)  # P2 at 11, P3 at 20
    assert s["throughput_per_day"] == pytest.approx(2 / 20)  # exits at 17, 20
    # only P2 arrived in the window and left: waits 3 at A + 0 at B
    for m in ("wait_mean", "wait_median", "wait_p90", "wait_p95"):
        assert s[m] == pytest.approx(3.0)
    for m in ("time_in_system_mean", "time_in_system_median", "time_in_system_p95"):
        assert s[m] == pytest.approx(9.0)  # 20 - 11
    # queued, clipped to [10, 30]: P1 A [10,12]=2, B [14,15]=1; P2 A [11,14]=3, B 0;
    # P3 A [20,25]=5, B [27,28]=1  -> 12
    assert s["queue_length_mean"] == pytest.approx(12 / 20)
    # present: P1 [10,17]=7, P2 [11,20]=9, P3 [20,30]=10 -> 26
    assert s["number_present_mean"] == pytest.approx(26 / 20)
    # busy: consultant 2+2+2=6, scanner 2+4+(28..30)=2 -> 14, over 1*20 + 2*20
    assert s["utilisation"] == pytest.approx(14 / 60)


def test_stage_and_resource_levels_by_hand(three):
    consult = {
        "arrivals_per_day": 2 / 20,  # queued at 11 and 20 (P1 queued at 5: warm-up)
        "throughput_per_day": 3 / 20,  # ends at 14, 16, 27
        "wait_mean": 4.0,  # P2 3, P3 5
        "wait_median": 4.0,
        "wait_p90": 3 + 0.9 * 2,
        "wait_p95": 3 + 0.95 * 2,
        "sojourn_mean": 6.0,  # 5 and 7
        "queue_length_mean": (2 + 3 + 5) / 20,
        "number_present_mean": (4 + 5 + 7) / 20,  # [10,14], [11,16], [20,27]
        "utilisation": 6 / 20,
    }
    scan = {
        "arrivals_per_day": 3 / 20,
        "throughput_per_day": 2 / 20,
        "wait_mean": 2 / 3,  # 1, 0, 1
        "wait_median": 1.0,
        "wait_p90": 1.0,
        "wait_p95": 1.0,
        "sojourn_mean": 3.5,  # 3 and 4; P3 not ended
        "queue_length_mean": 2 / 20,
        "number_present_mean": (3 + 4 + 3) / 20,  # [14,17], [16,20], [27,30]
        "utilisation": 8 / 40,
    }
    for name, expected in (("clinic.consult", consult), ("clinic.scan", scan),
                           ("resource:consultant", consult), ("resource:scanner", scan)):
        for m, v in expected.items():
            assert three[(name, m)] == pytest.approx(v), (name, m)


def test_frame_shape_and_order():
    whole = kpis(make_log(THREE, STAGES, RESOURCES, horizon=30, warmup=10))
    assert list(whole.columns) == ["stage", "metric", "value"]
    assert whole["value"].dtype == np.float64
    # the wait quantiles follow the levels (their values: test_wait_quantiles.py)
    quantiles = whole["stage"].str.startswith(QUANTILE_PREFIX)
    assert quantiles.any() and not quantiles.iloc[:(~quantiles).sum()].any()
    frame = whole[~quantiles]
    levels = list(dict.fromkeys(frame["stage"]))
    assert levels == ["", "clinic.consult", "clinic.scan", "resource:consultant",
                      "resource:scanner"]
    assert list(frame.loc[frame.stage == "", "metric"]) == list(SYSTEM_METRICS)
    for level in levels[1:]:
        assert list(frame.loc[frame.stage == level, "metric"]) == list(VISIT_METRICS)
    assert set(frame["metric"]) == set(METRICS)
    assert all(isinstance(s, str) for s in whole["stage"])
    assert not whole.duplicated(["stage", "metric"]).any()


def test_unsorted_input_gives_the_same_answer():
    log = make_log(THREE, STAGES, RESOURCES, horizon=30, warmup=10)
    shuffled = make_log(THREE[::-1], STAGES, RESOURCES, horizon=30, warmup=10, sort=False)
    # kpis sorts an unsorted log stably by time; reversed rows also reverse same-time
    # ties (P2's END at A, QUEUE and START at B at t=16), which pairing by rank
    # within each event type does not mind
    pd.testing.assert_frame_equal(kpis(log), kpis(shuffled))


def test_loop_same_stage_twice():
    # one stage, capacity 1, window [0, 20].
    # P1: arrive 0, queue 0, serve 1-2, loops back: queue 2, serve 4-5, exit 5.
    # P2: arrive 1, queue 1, serve 2-4, exit 4.
    rows = (patient_rows(1, 0, [(0, 0, 1, 2), (0, 2, 4, 5)], 5)
            + patient_rows(2, 1, [(0, 1, 2, 4)], 4))
    v = values(kpis(make_log(rows, [("clinic.consult", 0)], [("consultant", 1)], horizon=20)))
    assert v[("clinic.consult", "arrivals_per_day")] == pytest.approx(3 / 20)
    assert v[("clinic.consult", "wait_mean")] == pytest.approx((1 + 2 + 1) / 3)
    assert v[("clinic.consult", "wait_median")] == pytest.approx(1.0)
    assert v[("clinic.consult", "sojourn_mean")] == pytest.approx((2 + 3 + 3) / 3)
    assert v[("clinic.consult", "utilisation")] == pytest.approx(4 / 20)
    assert v[("", "wait_mean")] == pytest.approx((3 + 1) / 2)  # P1 1+2, P2 1
    assert v[("", "time_in_system_mean")] == pytest.approx((5 + 3) / 2)
    assert v[("", "queue_length_mean")] == pytest.approx(4 / 20)
    assert v[("", "number_present_mean")] == pytest.approx(8 / 20)


@pytest.mark.parametrize("end_first", [True, False])
def test_zero_time_loop_ties_pair_by_rank(end_first):
    # P1 ends visit 1 and rejoins the same queue at t=2; the rows tie in time and
    # either order must pair queue 2 with start 3 (wait 1), not with start 1.
    first = [(1, None, 0, 0.0), (1, 0, QUEUE, 0.0), (1, 0, START, 1.0)]
    tie = [(1, 0, END, 2.0), (1, 0, QUEUE, 2.0)]
    rest = [(1, 0, START, 3.0), (1, 0, END, 4.0), (1, None, EXIT, 4.0)]
    rows = first + (tie if end_first else tie[::-1]) + rest
    v = values(kpis(make_log(rows, [("x.s", 0)], [("r", 1)], horizon=10)))
    assert v[("x.s", "wait_mean")] == pytest.approx(1.0)
    assert v[("x.s", "wait_p95")] == pytest.approx(1.0)
    assert v[("x.s", "sojourn_mean")] == pytest.approx(2.0)


def test_stages_sharing_a_resource_add_up():
    # two stages on one resource of capacity 2, window [0, 10]
    rows = (patient_rows(1, 0, [(0, 0, 1, 3), (1, 3, 3, 4)], 4)
            + patient_rows(2, 0, [(1, 0, 2, 7)], 7))
    stages = [("p.first", 0), ("p.second", 0)]
    v = values(kpis(make_log(rows, stages, [("team", 2)], horizon=10)))
    assert v[("p.first", "utilisation")] == pytest.approx(2 / 20)
    assert v[("p.second", "utilisation")] == pytest.approx((1 + 5) / 20)
    assert v[("resource:team", "utilisation")] == pytest.approx(8 / 20)
    assert v[("resource:team", "arrivals_per_day")] == pytest.approx(3 / 10)
    assert v[("resource:team", "wait_mean")] == pytest.approx((1 + 0 + 2) / 3)
    assert v[("", "utilisation")] == pytest.approx(8 / 20)


def test_delay_stage_has_no_utilisation_and_no_resource_share():
    # stage 0 is a delay (no resource), stage 1 uses "clinic" (capacity 1); window [0, 10]
    rows = patient_rows(1, 0, [(0, 0, 0, 3), (1, 3, 4, 6)], 6)
    frame = kpis(make_log(rows, [("p.letter", None), ("p.clinic", 0)], [("clinic", 1)],
                          horizon=10))
    v = values(frame)
    assert ("p.letter", "utilisation") not in v
    assert v[("p.letter", "sojourn_mean")] == pytest.approx(3.0)
    assert v[("p.letter", "number_present_mean")] == pytest.approx(3 / 10)
    assert v[("resource:clinic", "number_present_mean")] == pytest.approx(3 / 10)
    assert v[("resource:clinic", "utilisation")] == pytest.approx(2 / 10)
    assert v[("", "utilisation")] == pytest.approx(2 / 10)
    assert v[("", "number_present_mean")] == pytest.approx(6 / 10)


def test_calendar_resource_utilisation():
    # capacity 2, open Mon-Fri 09:00-17:00; window [0, 7] is one whole week: 40 hours
    # open = 5/3 days, x2 servers = 10/3 server-days. Two services of 0.2 days each.
    rows = (patient_rows(1, 0.4, [(0, 0.4, 0.4, 0.6)], 0.6)
            + patient_rows(2, 1.4, [(0, 1.4, 1.4, 1.6)], 1.6))
    log = make_log(rows, [("c.clinic", 0)], [("clinic", 2, WEEKDAYS_9_TO_5)], horizon=7)
    v = values(kpis(log))
    assert v[("resource:clinic", "utilisation")] == pytest.approx(0.4 / (10 / 3))
    assert v[("c.clinic", "utilisation")] == pytest.approx(0.4 / (10 / 3))


def test_no_data_is_nan_not_error():
    # a stage nobody visits, and a window that ends before anyone finishes
    rows = patient_rows(1, 1, [(0, 1, 2, None)])
    v = values(kpis(make_log(rows, [("a.one", 0), ("a.two", 1)], [("r0", 1), ("r1", 1)],
                             horizon=3)))
    assert v[("a.two", "arrivals_per_day")] == 0.0
    assert v[("a.two", "queue_length_mean")] == 0.0
    assert v[("a.two", "utilisation")] == 0.0
    for m in ("wait_mean", "wait_median", "wait_p90", "wait_p95", "sojourn_mean"):
        assert math.isnan(v[("a.two", m)])
    assert math.isnan(v[("a.one", "sojourn_mean")])
    assert v[("a.one", "wait_mean")] == pytest.approx(1.0)
    assert v[("a.one", "utilisation")] == pytest.approx(1 / 3)  # in service 2..3
    for m in ("wait_mean", "time_in_system_mean", "time_in_system_p95"):
        assert math.isnan(v[("", m)])


def test_empty_log_and_empty_window():
    empty = make_log([], [("a.one", 0)], [("r0", 1)], horizon=5)
    v = values(kpis(empty))
    assert v[("", "arrivals_per_day")] == 0.0
    assert math.isnan(v[("", "wait_mean")])
    rows = patient_rows(1, 1, [(0, 1, 2, 3)], 3)
    v = values(kpis(make_log(rows, [("a.one", 0)], [("r0", 1)], horizon=5, warmup=5)))
    assert math.isnan(v[("", "arrivals_per_day")])
    assert math.isnan(v[("a.one", "utilisation")])


def test_several_replications_rejected():
    from pathways.log.event_log import concat_logs
    log = make_log(THREE, STAGES, RESOURCES, horizon=30, warmup=10)
    other = make_log(THREE, STAGES, RESOURCES, horizon=30, warmup=10, replication=1)
    with pytest.raises(ValueError, match="replication"):
        kpis(concat_logs([log, other]))


def test_start_without_queue_is_an_error():
    rows = [(1, None, 0, 0.0), (1, 0, START, 1.0)]
    with pytest.raises(ValueError, match="START"):
        kpis(make_log(rows, [("a.one", 0)], [("r0", 1)], horizon=5))


def test_sparse_patient_ids():
    # ids far apart take the np.unique path; results are those of compact ids
    rows = [(p * 10**12 if p != 2 else p, *rest) for p, *rest in THREE]
    a = kpis(make_log(THREE, STAGES, RESOURCES, horizon=30, warmup=10))
    b = kpis(make_log(rows, STAGES, RESOURCES, horizon=30, warmup=10))
    pd.testing.assert_frame_equal(a, b)


def test_pure_function_does_not_touch_the_log():
    log = make_log(THREE, STAGES, RESOURCES, horizon=30, warmup=10)
    before = {name: getattr(log, name).copy() for name in ("patient", "stage", "event", "time")}
    kpis(log)
    for name, arr in before.items():
        np.testing.assert_array_equal(getattr(log, name), arr)


def test_build_visits_pairs_loops_in_order():
    from pathways.metrics import build_visits
    rows = (patient_rows(7, 0, [(0, 0, 1, 2), (1, 2, 2, 3), (0, 3, 6, None)])
            + patient_rows(9, 1, [(0, 1, 2.5, 2.75)], 2.75))
    v, s = build_visits(make_log(rows, STAGES, RESOURCES, horizon=8))
    got = sorted(zip(v.stage.tolist(), v.queue.tolist(), v.start.tolist(), v.end.tolist(),
                     strict=False))
    assert got == [(0, 0.0, 1.0, 2.0), (0, 1.0, 2.5, 2.75), (0, 3.0, 6.0, math.inf),
                   (1, 2.0, 2.0, 3.0)]
    assert sorted(s.arrive[np.isfinite(s.arrive)].tolist()) == [0.0, 1.0]
    assert s.exit[np.isfinite(s.exit)].tolist() == [2.75]
