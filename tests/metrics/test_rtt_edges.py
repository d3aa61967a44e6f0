"""RTT metrics at the edges the hand-worked log in test_metrics_rtt does not reach: the
GP-to-provider transfer added to the wait from the GP's referral, a wait of exactly 18
weeks, and clocks that stop exactly at the horizon or at the first snapshot."""

from dataclasses import replace

import numpy as np
import pytest
from metrics_logbuilder import patient_rows, values
from test_metrics_rtt import FIRST, SURGERY, TREAT, rtt_log

from pathways.metrics import incomplete_snapshots, rtt_clocks, rtt_kpis
from pathways.metrics.rtt import TARGET_DAYS

WEEK = 7.0


def _kpis(rows, horizon, warmup, transfer_days=None):
    log = rtt_log(rows, horizon=horizon, warmup=warmup)
    clocks = rtt_clocks(log)
    if transfer_days is not None:
        clocks = replace(clocks, transfer_days=np.asarray(transfer_days, dtype=np.float64))
    return {metric: value for (_, metric), value in values(rtt_kpis(log, clocks)).items()}


def test_the_wait_from_the_gps_referral_adds_the_transfer() -> None:
    # P1 admitted after 70 days, P2 treated in outpatients after 35 days; transfers 3, 5 days
    rows = (patient_rows(1, 0, [(FIRST, 0, 10, 11), (SURGERY, 11, 70, 71)], 71)
            + patient_rows(2, 0, [(FIRST, 0, 20, 21), (TREAT, 21, 35, 36)], 36))
    got = _kpis(rows, horizon=100, warmup=0, transfer_days=[3.0, 5.0])
    assert got["rtt_admitted_median_weeks"] == pytest.approx(70 / WEEK)
    assert got["rtt_admitted_median_from_referral_weeks"] == pytest.approx(73 / WEEK)
    assert got["rtt_non_admitted_median_from_referral_weeks"] == pytest.approx(40 / WEEK)
    assert got["referral_transfer_days_mean"] == pytest.approx(4.0)


def test_a_wait_of_exactly_18_weeks_is_within_the_standard() -> None:
    rows = (patient_rows(1, 0, [(FIRST, 0, 1, 2), (SURGERY, 2, TARGET_DAYS, 200)], 200)
            + patient_rows(2, 0, [(FIRST, 0, 1, 2), (SURGERY, 2, TARGET_DAYS + 1, 200)], 200))
    assert _kpis(rows, horizon=300, warmup=0)["rtt_completed_within_18_weeks_share"] == 0.5


def test_a_clock_stopped_at_the_horizon_is_completed_in_the_window() -> None:
    rows = patient_rows(1, 0, [(FIRST, 0, 1, 2), (SURGERY, 2, 100, 101)], 101)
    assert _kpis(rows, horizon=100, warmup=0)["rtt_admitted_median_weeks"] == pytest.approx(
        100 / WEEK)


def test_a_clock_stopped_at_the_first_snapshot_is_not_waiting_then() -> None:
    # snapshots at 140 and 147: P1 is treated at 140 exactly, P2 still waits at both
    rows = (patient_rows(1, 100, [(FIRST, 100, 110, 111), (SURGERY, 111, 140, 141)], 141)
            + patient_rows(2, 100, [(FIRST, 100, 110, 111), (SURGERY, 111, None, None)]))
    snapshots = incomplete_snapshots(rtt_log(rows, horizon=147, warmup=140))
    assert snapshots["waiting_list"].tolist() == [1, 1]
    assert snapshots["within_18_weeks_share"].tolist() == [1.0, 1.0]
