"""allocation_kpis: share of patients who passed their nearest provider, travel."""

import warnings
from dataclasses import replace

import numpy as np
import pandas as pd

from pathways.log.event_log import ARRIVE, NONE, PatientTable
from pathways.metrics.allocation import ALLOCATION_METRICS, allocation_kpis, referred_in_window
from tests.metrics.metrics_logbuilder import values


def _log(arrivals, referred, nearest, km, warmup=10.0):
    from pathways.log.event_log import EventLog, ResourceInfo, StageInfo
    n = len(arrivals)
    return EventLog(
        patient=np.arange(n, dtype=np.int64), pathway=np.zeros(n, np.int16),
        stage=np.full(n, NONE, np.int16), resource=np.full(n, NONE, np.int16),
        unit=np.full(n, NONE, np.int32), event=np.full(n, ARRIVE, np.int8),
        time=np.asarray(arrivals, float), replication=np.zeros(n, np.int32),
        pathways=("p",), stages=(StageInfo("p.s", 0, 0),), resources=(ResourceInfo("r", 1),),
        horizon_days=100.0, warmup_days=warmup,
        patients=PatientTable(
            patient=np.arange(n, dtype=np.int64), pathway=np.zeros(n, np.int16),
            practice=np.zeros(n, np.int32), navigator=np.zeros(n, bool),
            referred_site=np.asarray(referred, np.int32), distance_km=np.asarray(km, float),
            nearest_site=np.asarray(nearest, np.int32)))


def test_bypass_share_and_distance_count_patients_referred_in_the_window():
    # patient 0 is referred before the warm-up and does not count
    log = _log([5, 20, 30, 40, 50], referred=[1, 0, 1, 1, 0], nearest=[0, 0, 0, 1, 0],
               km=[99, 2, 8, 4, 2])
    frame = allocation_kpis(log).set_index("metric")["value"]
    assert frame["bypassed_nearest_share"] == 0.25  # only patient 2 of patients 1-4
    assert frame["distance_km_mean"] == 4.0


def test_no_rows_without_a_patient_table():
    log = _log([20], [0], [0], [1.0])
    assert allocation_kpis(replace(log, patients=None)).empty


def test_the_frame_holds_one_system_row_per_metric_in_order():
    log = _log([20, 30], referred=[1, 0], nearest=[0, 0], km=[3, 5])
    expected = pd.DataFrame({"stage": pd.Series(["", ""], dtype=object),
                             "metric": pd.Series(ALLOCATION_METRICS, dtype=object),
                             "value": np.array([0.5, 4.0])})
    pd.testing.assert_frame_equal(allocation_kpis(log), expected)


def test_referrals_on_the_edges_of_the_window_count():
    # referred exactly at the end of the warm-up (10) and at the horizon (100): both count
    log = _log([10.0, 100.0, 9.99], referred=[1, 0, 1], nearest=[0, 0, 0], km=[2, 4, 50])
    assert referred_in_window(log).tolist() == [True, True, False]
    assert values(allocation_kpis(log)) == {("", "bypassed_nearest_share"): 0.5,
                                            ("", "distance_km_mean"): 3.0}


def test_nobody_referred_in_the_window_gives_missing_values_quietly():
    log = _log([5.0], referred=[1], nearest=[0], km=[2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "mean of empty slice"
        frame = allocation_kpis(log)
    assert frame["metric"].tolist() == list(ALLOCATION_METRICS)
    assert frame["value"].isna().all()


def test_without_a_patient_table_the_empty_frame_still_has_its_columns():
    frame = allocation_kpis(replace(_log([20], [0], [0], [1.0]), patients=None))
    assert list(frame.columns) == ["stage", "metric", "value"]
    assert frame["stage"].dtype == object and frame["metric"].dtype == object
