"""Arrival clocks: Poisson streams with weekly piecewise-constant rates."""

import numpy as np
import pytest
from scipy import stats

from pathways.model.arrivals import ArrivalClock, weekly_rates_per_day


def _times(rates, weeks, seed=1):
    clock = ArrivalClock(rates, np.random.default_rng(seed), block=10_000)
    times = np.concatenate([clock.next_block() for _ in range(200)])
    return times[times < weeks * 7]


def test_constant_rate_counts_match_poisson():
    rate, weeks = 5.0, 200
    times = _times(weekly_rates_per_day(rate), weeks)
    assert np.all(np.diff(times) > 0)
    daily = np.bincount(times.astype(int), minlength=weeks * 7)
    # mean within 4 standard errors, dispersion index of a Poisson count near 1
    assert abs(daily.mean() - rate) < 4 * np.sqrt(rate / len(daily))
    assert daily.var() / daily.mean() == pytest.approx(1.0, abs=0.1)
    gaps = np.diff(times)
    assert stats.kstest(gaps, "expon", args=(0, 1 / rate)).pvalue > 0.001


def test_hour_and_weekday_profile_is_followed():
    hours = np.zeros(24)
    hours[9:17] = 3.0  # only in working hours
    days = np.array([1, 1, 1, 1, 1, 0, 0.5])  # none on Saturday, half on Sunday
    rates = weekly_rates_per_day(2.0, hours, days)
    weeks = 300
    times = _times(rates, weeks)
    hour_of_week = (times * 24).astype(int) % 168
    counts = np.bincount(hour_of_week, minlength=168)
    expected = rates / 24 * weeks  # expected arrivals in each hour of the week
    assert counts[expected == 0].sum() == 0
    busy = expected > 0
    chi2 = ((counts[busy] - expected[busy]) ** 2 / expected[busy]).sum()
    assert stats.chi2.sf(chi2, busy.sum()) > 0.001


def test_rejects_all_zero_rates():
    with pytest.raises(ValueError, match="not all zero"):
        ArrivalClock(np.zeros(168), np.random.default_rng(0))
