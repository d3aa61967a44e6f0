"""Confidence intervals against scipy.stats.t computed directly."""

import math

import numpy as np
import pytest
from scipy import stats

from pathways.stats import confidence_interval, paired_difference


def by_formula(x, level):
    x = np.asarray(x, dtype=float)
    n = len(x)
    m = x.sum() / n
    sd = math.sqrt(((x - m) ** 2).sum() / (n - 1))
    h = stats.t.ppf(1 - (1 - level) / 2, df=n - 1) * sd / math.sqrt(n)
    return m, m - h, m + h, n


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
@pytest.mark.parametrize("sample", [[1.0, 2.0, 3.0, 4.0, 5.0], [2.5, 2.5, 9.0], [-1.0, 1.0]])
def test_matches_student_t(sample, level):
    got = confidence_interval(sample, level)
    assert got[:3] == pytest.approx(by_formula(sample, level)[:3], rel=1e-12)
    assert got[3] == len(sample)


def test_known_numbers():
    # 1..5: mean 3, sd sqrt(2.5), t(0.975, 4) = 2.7764451051977987
    mean, low, high, n = confidence_interval([1, 2, 3, 4, 5])
    half = 2.7764451051977987 * math.sqrt(2.5) / math.sqrt(5)
    assert (mean, n) == (3.0, 5)
    assert low == pytest.approx(3 - half, rel=1e-12)
    assert high == pytest.approx(3 + half, rel=1e-12)


def test_nans_are_ignored():
    assert confidence_interval([1, np.nan, 2, 3, np.nan, 4, 5]) == pytest.approx(
        confidence_interval([1, 2, 3, 4, 5]))
    assert confidence_interval([1, np.nan, 2, 3, np.nan, 4, 5])[3] == 5


def test_one_value_has_no_interval():
    mean, low, high, n = confidence_interval([4.2, np.nan])
    assert (mean, n) == (4.2, 1)
    assert math.isnan(low) and math.isnan(high)


def test_no_values():
    for values in ([], [np.nan, np.nan]):
        mean, low, high, n = confidence_interval(values)
        assert n == 0
        assert all(math.isnan(x) for x in (mean, low, high))


def test_constant_values_have_zero_width():
    assert confidence_interval([2.0, 2.0, 2.0]) == (2.0, 2.0, 2.0, 3)


def test_bad_level():
    with pytest.raises(ValueError, match="level"):
        confidence_interval([1, 2, 3], level=95)


def test_paired_difference_is_b_minus_a_per_pair():
    a = [10.0, 12.0, 11.0, np.nan, 9.0]
    b = [11.0, 12.5, 12.0, 3.0, np.nan]
    mean, low, high, n = paired_difference(a, b)
    d = [1.0, 0.5, 1.0]  # pairs with a NaN are dropped
    assert (mean, low, high) == pytest.approx(by_formula(d, 0.95)[:3], rel=1e-12)
    assert n == 3


def test_paired_difference_is_tighter_than_unpaired_under_crn():
    rng = np.random.default_rng(1)
    common = rng.normal(10, 3, 30)
    a, b = common, common + 0.5 + rng.normal(0, 0.1, 30)
    _, low, high, _ = paired_difference(a, b)
    assert low > 0
    unpaired = by_formula(b, 0.95)[2] - by_formula(b, 0.95)[1]
    assert high - low < unpaired / 10


def test_paired_difference_needs_equal_lengths():
    with pytest.raises(ValueError, match="equal lengths"):
        paired_difference([1, 2, 3], [1, 2])


def test_an_interval_is_cut_at_the_range_of_the_values():
    # two replications of a share, 0.02 and 0.98: the t interval reaches about -5.7
    # to +6.7 (t = 12.7); the mean of a share lies in [0, 1], so nothing outside it
    # is a possible mean
    mean, low, high, n = confidence_interval([0.02, 0.98], bounds=(0.0, 1.0))
    t_mean, t_low, t_high, _ = confidence_interval([0.02, 0.98])
    assert t_low < -5 and t_high > 6  # what would be cut
    assert (mean, low, high, n) == (t_mean, 0.0, 1.0, 2)


def test_an_interval_inside_the_range_is_the_t_interval():
    values = [4.0, 5.0, 6.0, 5.5]
    assert confidence_interval(values, bounds=(0.0, math.inf)) == confidence_interval(values)


def test_a_cut_keeps_the_side_that_is_inside():
    # counts 0 and 16: t interval 8 +- 101.6; only the lower end is cut
    _, low, high, _ = confidence_interval([0.0, 16.0], bounds=(0.0, math.inf))
    half = stats.t.ppf(0.975, 1) * np.std([0.0, 16.0], ddof=1) / math.sqrt(2)
    assert low == 0.0 and high == pytest.approx(8.0 + half)


def test_paired_differences_are_cut_at_the_range_of_a_difference():
    _, low, high, _ = paired_difference([0.0, 1.0], [1.0, 0.0], bounds=(-1.0, 1.0))
    assert (low, high) == (-1.0, 1.0)


def test_the_cut_interval_keeps_the_t_intervals_coverage_of_a_skewed_count():
    # coverage is the reason to cut rather than transform: the true mean is never in
    # the part cut off, so the cut interval covers it exactly as often as the t interval
    rng = np.random.default_rng(3)
    true_mean, hits_t, hits_cut = 10.0, 0, 0
    for _ in range(2000):
        x = rng.gamma(1.5625, true_mean / 1.5625, 2)
        _, lo, hi, _ = confidence_interval(x)
        _, clo, chi, _ = confidence_interval(x, bounds=(0.0, math.inf))
        hits_t += lo <= true_mean <= hi
        hits_cut += clo <= true_mean <= chi
        assert clo >= 0.0
    assert hits_cut == hits_t
