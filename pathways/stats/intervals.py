"""Student-t confidence intervals over independent replications."""

from __future__ import annotations

import numpy as np
from scipy import stats as _st


def t_interval(mean, sd, n, level: float = 0.95):
    """Vectorised (low, high) of a Student-t interval from mean, sample sd, count.

    NaN where n < 2.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must be between 0 and 1, got {level}")
    mean = np.asarray(mean, dtype=float)
    sd = np.asarray(sd, dtype=float)
    n = np.asarray(n, dtype=float)
    ok = n >= 2
    df = np.where(ok, n - 1, 1.0)
    t = _st.t.ppf(0.5 + level / 2.0, df)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = np.where(ok, t * sd / np.sqrt(np.where(ok, n, 1.0)), np.nan)
    return mean - half, mean + half


def confidence_interval(values, level: float = 0.95) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of a Student-t interval for the mean, ignoring NaNs.

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
    low, high = t_interval(mean, sd, n, level)
    return (mean, float(low), float(high), n)


def paired_difference(a_values, b_values, level: float = 0.95) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of b - a over replication pairs (common random numbers).

    a_values[i] and b_values[i] must come from the same replication (same seed). Pairs
    where either value is NaN are dropped.
    """
    a = np.asarray(a_values, dtype=float).ravel()
    b = np.asarray(b_values, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"paired values need equal lengths, got {len(a)} and {len(b)}")
    return confidence_interval(b - a, level)
