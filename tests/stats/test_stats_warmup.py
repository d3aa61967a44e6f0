"""MSER-5: batch arithmetic by hand, truncation on transient and stationary series, the check."""

import math

import numpy as np
import pytest

from pathways.stats import WarmupCheck, mser5_truncation, warmup_check
from pathways.stats.warmup import batch_means, mser_statistics


def ar1(rng, n, phi=0.7, sd=5.0):
    """Stationary AR(1) around 0 (started from its stationary distribution)."""
    e = rng.normal(0.0, sd, n)
    x = np.empty(n)
    x[0] = e[0] / math.sqrt(1 - phi**2)
    for i in range(1, n):
        x[i] = phi * x[i - 1] + e[i]
    return x


def with_transient(rng, n=2000, tau=60.0):
    """Mean 100 plus a decaying start-up bias 80 exp(-t / tau) plus AR(1) noise."""
    t = np.arange(n)
    return 100.0 + 80.0 * np.exp(-t / tau) + ar1(rng, n)


def mser_by_loop(z):
    b = len(z)
    out = []
    for d in range(b // 2 + 1):
        rest = np.asarray(z[d:], dtype=float)
        out.append(((rest - rest.mean()) ** 2).sum() / (b - d) ** 2)
    return np.array(out)


def test_batch_means_drop_the_incomplete_last_batch():
    assert batch_means(np.arange(1.0, 13.0)).tolist() == [3.0, 8.0]  # 11, 12 dropped
    assert batch_means(np.arange(4.0)).tolist() == []


def test_mser_statistic_by_hand():
    # z = 4, 0, 1, 1 (b = 4, d = 0..2)
    # d=0: mean 1.5, SS = 6.25 + 2.25 + 0.25 + 0.25 = 9, / 4^2 = 0.5625
    # d=1: mean 2/3, SS = 4/9 + 1/9 + 1/9 = 2/3, / 3^2 = 2/27
    # d=2: mean 1, SS = 0
    assert mser_statistics([4.0, 0.0, 1.0, 1.0]) == pytest.approx([0.5625, 2 / 27, 0.0],
                                                                  abs=1e-15)


def test_mser_statistic_matches_a_direct_loop_at_a_large_level():
    z = 1e6 + np.random.default_rng(3).normal(0, 1, 201)
    assert mser_statistics(z) == pytest.approx(mser_by_loop(z), rel=1e-6)


def test_truncation_by_hand_on_fifty_observations():
    # Batch means 100, 0, 2, 0, 2, 0, 2, 0, 2, 0 (10 batches, d = 0..5), then 3 leftover
    # observations that fill no batch and must not count.
    # d=1: 9 batches, mean 8/9, SS = 5 (8/9)^2 + 4 (10/9)^2 = 720/81, / 81 = 0.1097
    # d=2: mean 1, SS = 8, / 64 = 0.125; d=3: 336/49 / 49 = 0.1399; d=4: 6/36 = 0.1667;
    # d=5: 4.8 / 25 = 0.192; d=0 is dominated by the 100.
    batches = [100, 0, 2, 0, 2, 0, 2, 0, 2, 0]
    spread = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    series = np.concatenate([m + spread for m in batches] + [np.array([1e6, -1e6, 1e6])])
    stats = mser_statistics(batch_means(series))
    assert stats[1:] == pytest.approx([720 / 81 / 81, 8 / 64, 336 / 49 / 49, 6 / 36, 4.8 / 25])
    assert mser5_truncation(series) == 5


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_transient_is_cut_near_its_end(seed):
    # The bias 80 exp(-t/60) sinks below the noise's sd (about 7) near t = 146 and is
    # under 1 by t = 263: the cut belongs there, not at 0 and not in the second half.
    x = with_transient(np.random.default_rng(seed))
    d = mser5_truncation(x)
    assert d % 5 == 0
    assert 60 <= d <= 400 < len(x) / 2


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_stationary_series_is_cut_little(seed):
    x = 100.0 + ar1(np.random.default_rng(seed), 2000)
    assert mser5_truncation(x) <= 100


def test_never_beyond_half_even_for_a_trend():
    x = np.arange(1000.0)  # no end to the transient: the cut stops at the half-way limit
    assert mser5_truncation(x) == 500


def test_short_series_is_not_truncated():
    assert mser5_truncation(np.r_[np.full(5, 1e6), np.zeros(44)]) == 0  # 9 batches
    assert mser5_truncation(np.array([])) == 0
    assert mser5_truncation(np.full(100, np.nan)) == 0


def test_nans_are_skipped_and_the_cut_counts_original_observations():
    x = with_transient(np.random.default_rng(7))
    d = mser5_truncation(x)
    holed = np.insert(x, [0, 3, 3, 10], np.nan)  # 4 NaNs, all before the cut
    assert mser5_truncation(holed) == d + 4
    assert np.isnan(holed[: d + 4]).sum() == 4 and holed[d + 4] == x[d]


def test_constant_series_needs_no_truncation():
    assert mser5_truncation(np.full(200, 3.0)) == 0


def weekly_waiting_list(rng, weeks=400, reps=None):
    """Weekly snapshots from day 0 of a list that fills up over roughly 40 weeks."""
    t = 7.0 * np.arange(weeks)
    shape = (weeks,) if reps is None else (reps, weeks)
    values = 500.0 * (1 - np.exp(-t / 70.0)) + rng.normal(0, 15.0, shape)
    return t, values


def test_check_warns_when_the_warmup_is_too_short():
    t, v = weekly_waiting_list(np.random.default_rng(11))
    trunc = t[mser5_truncation(v)]
    assert 140 <= trunc <= 700
    check = warmup_check(t, v, 100, label="the waiting list")
    assert check == WarmupCheck(truncation_days=trunc, configured_warmup_days=100.0,
                                sufficient=False, message=check.message, checked=True)
    assert check.message == (
        f"the configured warm-up (100 days) is shorter than the MSER-5 truncation point of "
        f"the waiting list ({trunc:.0f} days); consider warmup_days >= {trunc:.0f}")


def test_check_passes_when_the_warmup_covers_the_transient():
    t, v = weekly_waiting_list(np.random.default_rng(11))
    check = warmup_check(t, v, 1000.0)
    assert check.sufficient and check.checked
    assert check.message.startswith("the configured warm-up (1000 days) covers")
    exact = warmup_check(t, v, check.truncation_days)  # equal is enough
    assert exact.sufficient


def test_check_averages_replications_first():
    rng = np.random.default_rng(12)
    t, v = weekly_waiting_list(rng, reps=8)
    v[2, :30] = np.nan  # a replication with missing snapshots does not poison the mean
    check = warmup_check(t, v, 0.0)
    assert check.truncation_days == warmup_check(t, np.nanmean(v, axis=0), 0.0).truncation_days
    assert not check.sufficient and 140 <= check.truncation_days <= 700


def test_check_on_a_series_recorded_after_the_warmup():
    # Snapshots start at the warm-up: no transient left means the cut is the first point.
    rng = np.random.default_rng(13)
    t = 300.0 + 7.0 * np.arange(200)
    check = warmup_check(t, 500.0 + rng.normal(0, 15.0, 200), 300.0)
    assert check.truncation_days == 300.0 and check.sufficient


def test_check_drops_nan_points_with_their_times():
    t, v = weekly_waiting_list(np.random.default_rng(14))
    v2, t2 = v.copy(), t.copy()
    v2[1], t2[3] = np.nan, np.nan  # both points dropped; the others keep their times
    keep = np.ones(len(t), dtype=bool)
    keep[[1, 3]] = False
    check = warmup_check(t2, v2, 100.0)
    assert check.checked and not check.sufficient
    assert check.truncation_days == t[keep][mser5_truncation(v[keep])]


def test_check_says_when_the_series_is_too_short():
    t = 7.0 * np.arange(40)
    check = warmup_check(t, np.linspace(0, 1, 40), 30.0, label="the waiting list")
    assert not check.checked and check.sufficient
    assert check.truncation_days == 0.0
    assert check.message == ("the waiting list has 40 usable points (8 batches of 5), fewer "
                             "than the 50 MSER-5 needs; the configured warm-up (30 days) "
                             "was not checked")
    empty = warmup_check(np.array([]), np.array([]), 30.0)
    assert not empty.checked and math.isnan(empty.truncation_days)


def test_check_flags_a_cut_at_the_half_way_limit():
    t = np.arange(100.0)
    check = warmup_check(t, t.copy(), 10.0)
    assert check.truncation_days == 50.0 and not check.sufficient
    assert "half-way limit" in check.message and "longer than 99 days" in check.message


def test_check_rejects_mismatched_or_unsorted_input():
    with pytest.raises(ValueError, match="time points"):
        warmup_check(np.arange(10.0), np.arange(11.0), 0.0)
    with pytest.raises(ValueError, match="time points"):
        warmup_check(np.arange(10.0), np.zeros((3, 11)), 0.0)
    with pytest.raises(ValueError, match="increasing"):
        warmup_check(np.array([0.0, 7.0, 7.0]), np.zeros(3), 0.0)
