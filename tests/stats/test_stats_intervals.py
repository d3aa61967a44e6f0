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
