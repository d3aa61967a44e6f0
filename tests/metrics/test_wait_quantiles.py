"""The wait distributions' quantile rows against oracles: numpy's quantiles of waits
built by hand (the log is made from them, never read back to get them), and one
quantile interpolated by hand."""

import numpy as np
import pandas as pd
import pytest
from metrics_logbuilder import make_log, patient_rows
from test_metrics_rtt import FIRST, HAND, RESOURCES, STAGES, SURGERY, TREAT, rtt_log

from pathways.metrics import kpis
from pathways.metrics.wait_quantiles import (
    PROBABILITIES,
    QUANTILE_PREFIX,
    QUEUE_DISTRIBUTIONS,
    RTT_DISTRIBUTIONS,
    level_probability,
    quantile_level,
)

WEEK = 7.0
A, B = 0, 1
WARMUP, HORIZON = 100.0, 400.0


def curve(frame: pd.DataFrame, metric: str) -> pd.Series:
    """One metric's quantile rows as a Series indexed by probability."""
    rows = frame[frame["stage"].str.startswith(QUANTILE_PREFIX) & (frame["metric"] == metric)]
    return pd.Series(rows["value"].to_numpy(), index=[level_probability(s) for s in rows["stage"]])


def test_probabilities_cover_both_tails_in_order():
    assert PROBABILITIES[0] == 0.01 and PROBABILITIES[-1] == 0.99
    assert list(PROBABILITIES) == sorted(set(PROBABILITIES))
    assert all(level_probability(quantile_level(p)) == p for p in PROBABILITIES)
    assert quantile_level(0.05) == "quantile:0.05"


@pytest.fixture(scope="module")
def queue_case():
    """Patients with two visits each; their total queueing time and time in the system
    are chosen here, and the log is built from them."""
    rng = np.random.default_rng(7)
    n = 60
    arrive = rng.uniform(WARMUP, 250.0, n)
    wait_a, wait_b = rng.exponential(10.0, n), rng.exponential(5.0, n)
    service_a, service_b = rng.uniform(0.1, 1.0, n), rng.uniform(0.1, 2.0, n)
    rows = []
    for i in range(n):
        a_end = arrive[i] + wait_a[i] + service_a[i]
        b_start = a_end + wait_b[i]
        rows += patient_rows(i, arrive[i], [(A, arrive[i], arrive[i] + wait_a[i], a_end),
                                            (B, a_end, b_start, b_start + service_b[i])],
                             b_start + service_b[i])
    # left out: one who arrived in the warm-up, one still in the system at the horizon
    rows += patient_rows(n, 50.0, [(A, 50.0, 180.0, 181.0)], 181.0)
    rows += patient_rows(n + 1, 300.0, [(A, 300.0, 301.0, 302.0), (B, 302.0, None, None)])
    log = make_log(rows, [("p.a", 0), ("p.b", 1)], [("ra", 3), ("rb", 3)],
                   horizon=HORIZON, warmup=WARMUP)
    in_system = wait_a + service_a + wait_b + service_b
    return kpis(log), wait_a + wait_b, in_system


def test_queueing_time_and_time_in_system_quantiles_match_numpy(queue_case):
    frame, waits, in_system = queue_case
    got_wait, got_time = (curve(frame, m) for m in QUEUE_DISTRIBUTIONS)
    assert list(got_wait.index) == list(PROBABILITIES)
    np.testing.assert_allclose(got_wait, np.quantile(waits, PROBABILITIES), rtol=1e-9)
    np.testing.assert_allclose(got_time, np.quantile(in_system, PROBABILITIES), rtol=1e-9)


def test_quantile_rows_are_never_whole_system_rows(queue_case):
    frame, _, _ = queue_case
    names = set(QUEUE_DISTRIBUTIONS) | set(RTT_DISTRIBUTIONS)
    assert not frame.loc[frame["stage"] == "", "metric"].isin(names).any()
    assert frame.loc[frame["metric"].isin(names), "stage"].str.startswith(QUANTILE_PREFIX).all()


def test_rtt_quantiles_by_hand():
    frame = kpis(rtt_log(HAND, horizon=161, warmup=140, skin_patients=[7]))
    # completed in [140, 161] (test_metrics_rtt): admitted P1 150 days; non-admitted
    # P2 47, P3 26, P6 6 days. The 25% quantile of [6, 26, 47] sits at position
    # 0.25 x 2 = 0.5: halfway from 6 to 26, 16 days.
    admitted, non_admitted = (curve(frame, m) for m in RTT_DISTRIBUTIONS)
    np.testing.assert_allclose(admitted, np.full(len(PROBABILITIES), 150 / WEEK))
    assert non_admitted[0.25] == pytest.approx(16 / WEEK)
    np.testing.assert_allclose(non_admitted,
                               np.quantile([6.0, 26.0, 47.0], PROBABILITIES) / WEEK)


def test_rtt_quantiles_of_many_clocks_match_numpy():
    rng = np.random.default_rng(11)
    n = 80
    referred = rng.uniform(0.0, 300.0, n)
    wait_days = rng.gamma(2.0, 40.0, n) + 2.0
    admitted = rng.random(n) < 0.4
    rows = []
    for i in range(n):
        r, stop = referred[i], referred[i] + wait_days[i]
        treat = SURGERY if admitted[i] else TREAT
        rows += patient_rows(i, r, [(FIRST, r, r + 0.5, r + 1.0),
                                    (treat, r + 1.0, stop, stop + 0.5)], stop + 0.5)
    log = rtt_log(rows, horizon=HORIZON, warmup=WARMUP)
    frame = kpis(log)
    stopped = referred + wait_days
    counted = (stopped >= WARMUP) & (stopped <= HORIZON)  # clock stopped in the window
    weeks = wait_days / WEEK
    got_admitted, got_non = (curve(frame, m) for m in RTT_DISTRIBUTIONS)
    assert counted.sum() > 30 and (counted & admitted).any() and (counted & ~admitted).any()
    np.testing.assert_allclose(got_admitted,
                               np.quantile(weeks[counted & admitted], PROBABILITIES), rtol=1e-9)
    np.testing.assert_allclose(got_non,
                               np.quantile(weeks[counted & ~admitted], PROBABILITIES), rtol=1e-9)


def test_an_empty_sample_keeps_its_rows_as_nan():
    # nobody completes as admitted: the admitted curve is there, all NaN, so every
    # replication has the same rows; a plain network has no RTT rows at all
    rows = patient_rows(1, 120, [(FIRST, 120, 121, 122), (TREAT, 122, 130, 131)], 131)
    frame = kpis(rtt_log(rows, horizon=161, warmup=110))
    admitted, non_admitted = (curve(frame, m) for m in RTT_DISTRIBUTIONS)
    assert len(admitted) == len(PROBABILITIES) and admitted.isna().all()
    np.testing.assert_allclose(non_admitted, np.full(len(PROBABILITIES), 10 / WEEK))
    plain = kpis(make_log(rows, STAGES, RESOURCES, horizon=161, warmup=110))
    assert not plain["metric"].isin(RTT_DISTRIBUTIONS).any()
    assert set(curve(plain, "wait_days").index) == set(PROBABILITIES)
