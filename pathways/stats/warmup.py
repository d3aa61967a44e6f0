"""Warm-up detection: the MSER-5 truncation point and a check of a configured warm-up.

A simulation that starts empty shows an initial transient (queues filling up) that
biases every metric measured over it. MSER-5 (White 1997; recommended by Hoad, Robinson
& Davies 2010) picks the truncation point that minimises the squared standard error of
the mean of what is left: deleting more of the transient lowers the bias faster than
losing data raises the variance, until the series is stationary.

Non-finite values (NaN, inf) are treated as missing and dropped before batching.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

BATCH_SIZE = 5
MIN_BATCHES = 10


def batch_means(series: np.ndarray, size: int = BATCH_SIZE) -> np.ndarray:
    """Means of consecutive non-overlapping batches of ``size`` observations.

    The last ``len(series) % size`` observations do not fill a batch and are dropped,
    as in MSER-5: the truncation point is counted from the start of the run.
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    x = np.asarray(series, dtype=float).ravel()
    b = len(x) // size
    return x[: b * size].reshape(b, size).mean(axis=1)


def mser_statistics(batches: np.ndarray) -> np.ndarray:
    """MSER(d) = sum_{i>d} (z_i - mean_d)^2 / (b - d)^2 for d = 0 .. b // 2.

    ``batches`` are the b batch means z_1..z_b; mean_d is the mean of z_{d+1}..z_b. Only
    the first half is scored: near the end of the series few batches remain and the
    statistic falls towards zero whatever the data, so a minimum there means nothing.
    """
    z = np.asarray(batches, dtype=float).ravel()
    b = len(z)
    if b == 0:
        return np.empty(0)
    # Suffix sums of values centred on the overall mean (shift-invariant, and centring
    # keeps sum(x^2) - (sum x)^2 / m from cancelling badly when the level is large).
    c = z - z.mean()
    s1 = np.cumsum(c[::-1])[::-1]
    s2 = np.cumsum((c * c)[::-1])[::-1]
    d = np.arange(b // 2 + 1)
    m = (b - d).astype(float)
    ss = np.maximum(s2[d] - s1[d] ** 2 / m, 0.0)
    return ss / m**2


def _mser5(series: np.ndarray) -> tuple[int, int, np.ndarray]:
    """(truncation in batches, number of batches, indices of the finite observations)."""
    x = np.asarray(series, dtype=float).ravel()
    kept = np.flatnonzero(np.isfinite(x))
    z = batch_means(x[kept])
    if len(z) < MIN_BATCHES:
        return 0, len(z), kept
    return int(np.argmin(mser_statistics(z))), len(z), kept


def mser5_truncation(series: np.ndarray) -> int:
    """How many leading observations to delete, by MSER-5 (a multiple of 5 if no NaNs).

    Batches the series into means of 5, picks the truncation d (in batches, d <= b/2)
    that minimises the MSER statistic (the earliest d on ties) and returns it in
    original observations. Missing values are skipped when batching; the result is then
    the index of the first retained observation, so deleting that many observations of
    ``series`` deletes the chosen batches. Fewer than 10 batches of data (50 finite
    values) are too few to judge: the result is 0.
    """
    d, _, kept = _mser5(series)
    return int(kept[d * BATCH_SIZE]) if d > 0 else 0


@dataclass(frozen=True)
class WarmupCheck:
    """Whether a configured warm-up covers the transient that MSER-5 finds in a series.

    ``truncation_days`` is the time of the first observation MSER-5 keeps (NaN when the
    series has no finite values); ``checked`` is False when the series was too short to
    judge, in which case ``sufficient`` is True only because nothing showed otherwise.
    ``message`` always says what was found, in plain English.
    """

    truncation_days: float
    configured_warmup_days: float
    sufficient: bool
    message: str
    checked: bool = True


def _days(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


def warmup_check(times_days: np.ndarray, values: np.ndarray, configured_warmup_days: float,
                 label: str = "the series") -> WarmupCheck:
    """Compare ``configured_warmup_days`` with the MSER-5 truncation point of a time series.

    ``values`` is one series (shape (t,)) or one per replication (shape (r, t)), which
    are averaged over replications first (ignoring NaNs): averaging removes noise, not
    the transient, so the truncation point is sharper. ``times_days`` (shape (t,),
    strictly increasing) are the observation times, e.g. the weekly waiting-list
    snapshots; ``label`` names the series in the message, e.g. "the waiting list".

    The series should start at time 0, so that MSER-5 sees the whole transient. On a
    series recorded only after the warm-up the check still runs, but read a short cut
    with care: on an already stationary, autocorrelated series MSER-5 cuts a few batches
    by chance a third to a half of the time (averaging replications does not help: the
    statistic is scale-free), so only a cut well past the first point is evidence of a
    transient outliving the warm-up.
    """
    t = np.asarray(times_days, dtype=float).ravel()
    v = np.asarray(values, dtype=float)
    if v.ndim == 2:
        if v.shape[1] != len(t):
            raise ValueError(f"values has {v.shape[1]} time points, times_days has {len(t)}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: NaN
            v = np.nanmean(v, axis=0) if v.shape[0] else np.full(len(t), np.nan)
    elif v.ndim == 1:
        if len(v) != len(t):
            raise ValueError(f"values has {len(v)} time points, times_days has {len(t)}")
    else:
        raise ValueError(f"values must be 1- or 2-dimensional, got shape {v.shape}")
    ok = np.isfinite(t) & np.isfinite(v)
    t, v = t[ok], v[ok]
    if np.any(np.diff(t) <= 0):
        raise ValueError("times_days must be strictly increasing")
    warmup = float(configured_warmup_days)

    d, b, _ = _mser5(v)
    if b < MIN_BATCHES:
        trunc = float(t[0]) if len(t) else float("nan")
        return WarmupCheck(
            truncation_days=trunc, configured_warmup_days=warmup, sufficient=True,
            checked=False,
            message=(f"{label} has {len(v)} usable points ({b} "
                     f"batch{'' if b == 1 else 'es'} of {BATCH_SIZE}), "
                     f"fewer than the {MIN_BATCHES * BATCH_SIZE} MSER-5 needs; the "
                     f"configured warm-up ({_days(warmup)} days) was not checked"))
    trunc = float(t[d * BATCH_SIZE])
    sufficient = warmup >= trunc
    if sufficient:
        message = (f"the configured warm-up ({_days(warmup)} days) covers the MSER-5 "
                   f"truncation point of {label} ({_days(trunc)} days)")
    else:
        message = (f"the configured warm-up ({_days(warmup)} days) is shorter than the "
                   f"MSER-5 truncation point of {label} ({_days(trunc)} days); consider "
                   f"warmup_days >= {_days(trunc)}")
    if d == b // 2 and d > 0:
        message += (f"; the truncation point is at the half-way limit of the series, so the "
                    f"transient may last longer: run for longer than {_days(float(t[-1]))} "
                    f"days to find its end")
    return WarmupCheck(truncation_days=trunc, configured_warmup_days=warmup,
                       sufficient=sufficient, message=message)
