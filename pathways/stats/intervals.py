"""Student-t confidence intervals over independent replications, kept inside the
range a metric's values can take.

A share's mean lies in [0, 1] and a wait's is non-negative, but with few replications
and a skewed metric the t interval can reach past that: a share above 100%, a negative
count. The true mean is always inside the range, so cutting the interval at the range
keeps exactly the coverage the t interval had (the cut part could never hold the mean)
and says nothing impossible. The alternatives were tried on a skewed non-negative
metric (gamma, coefficient of variation 0.8) at two replications, 20,000 times: an
interval on the log scale covered 95% but its upper end was a median 160 times the
mean; a bootstrap percentile interval covered 48%; the cut t interval covered 93%
with upper ends no further than the t interval's. Inside the range it is as wide as
the t interval: too few replications still show as a wide interval, and the report
says so in words.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import stats as _st

UNBOUNDED = (-math.inf, math.inf)


def t_interval(mean, sd, n, level: float = 0.95, low_bound=-math.inf, high_bound=math.inf):
    """Vectorised (low, high) of a Student-t interval from mean, sample sd, count, cut at
    the range [low_bound, high_bound] of the values (scalars or arrays per row).

    NaN where n < 2.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must be between 0 and 1, got {level}")
    mean = np.asarray(mean, dtype=float)
    sd = np.asarray(sd, dtype=float)
    n = np.asarray(n, dtype=float)
    ok = n >= 2
    df = np.where(ok, n - 1, 1.0)
    q = 0.5 + level / 2.0
    t = _t_quantile(q, float(df)) if df.ndim == 0 else _st.t.ppf(q, df)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = np.where(ok, t * sd / np.sqrt(np.where(ok, n, 1.0)), np.nan)
    return np.maximum(mean - half, low_bound), np.minimum(mean + half, high_bound)


@functools.lru_cache(maxsize=4096)
def _t_quantile(q: float, df: float) -> float:
    """Student t's quantile, remembered: a sweep's summary asks for one interval per
    metric, level and point (thousands), with a handful of distinct replication counts,
    and scipy takes a tenth of a millisecond a call."""
    return float(_st.t.ppf(q, df))


def confidence_interval(values, level: float = 0.95, bounds=UNBOUNDED
                        ) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of a Student-t interval for the mean, ignoring NaNs, cut at
    ``bounds`` (the range of the values).

    n is the number of non-NaN values; n == 1 gives low = high = NaN; n == 0 gives
    mean = low = high = NaN.
    """
    x = np.asarray(values, dtype=float).ravel()
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return (np.nan, np.nan, np.nan, 0)
    mean = float(np.mean(x))
    sd = float(np.std(x, ddof=1)) if n > 1 else np.nan
    low, high = t_interval(mean, sd, n, level, *bounds)
    return (mean, float(low), float(high), n)


def paired_difference(a_values, b_values, level: float = 0.95, bounds=UNBOUNDED
                      ) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of b - a over replication pairs (common random numbers), cut
    at ``bounds`` (the range of a difference: for a share, [-1, 1]).

    a_values[i] and b_values[i] must come from the same replication (same seed). Pairs
    where either value is NaN are dropped.
    """
    a = np.asarray(a_values, dtype=float).ravel()
    b = np.asarray(b_values, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"paired values need equal lengths, got {len(a)} and {len(b)}")
    return confidence_interval(b - a, level, bounds)
