"""Arrival times of a non-homogeneous Poisson stream, generated in blocks.

Rates are piecewise constant over the week: rate_per_day x hour-of-day factor x
day-of-week factor, on 168 hourly segments. Times come from inverting the
cumulative intensity, which is exact (no thinning, no rejected draws) and vectorised.
A constant rate is the same mechanism with equal segments.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

HOURS_PER_WEEK = 168
HOUR_DAYS = 1.0 / 24.0


def weekly_rates_per_day(rate_per_day: float, hour_of_day_factors: Sequence[float] | None = None,
                         day_of_week_factors: Sequence[float] | None = None) -> np.ndarray:
    """The rate (per day) in each of the 168 hours of the week, Monday 00:00 first."""
    hours = np.ones(24) if hour_of_day_factors is None else np.asarray(hour_of_day_factors, float)
    days = np.ones(7) if day_of_week_factors is None else np.asarray(day_of_week_factors, float)
    return rate_per_day * np.outer(days, hours).ravel()


class ArrivalClock:
    """Draws successive arrival times for one stream from its own random stream."""

    def __init__(self, rates_per_day: np.ndarray, rng: np.random.Generator, block: int = 4096):
        rates = np.asarray(rates_per_day, dtype=np.float64)
        if rates.shape != (HOURS_PER_WEEK,) or rates.min() < 0 or rates.sum() <= 0:
            raise ValueError("need 168 non-negative hourly rates, not all zero")
        self._rates = rates
        self._cum_end = np.cumsum(rates * HOUR_DAYS)  # cumulative intensity at each hour's end
        self._week_intensity = float(self._cum_end[-1])
        self._rng = rng
        self._block = block
        self._intensity = 0.0  # cumulative intensity reached so far

    def next_block(self) -> np.ndarray:
        """The next ``block`` arrival times in days, increasing."""
        targets = self._intensity + np.cumsum(self._rng.exponential(1.0, self._block))
        self._intensity = float(targets[-1])
        weeks = np.floor(targets / self._week_intensity)
        within = targets - weeks * self._week_intensity
        # side="right" skips zero-rate hours, whose cumulative intensity is flat.
        hour = np.minimum(np.searchsorted(self._cum_end, within, side="right"), HOURS_PER_WEEK - 1)
        before = self._cum_end[hour] - self._rates[hour] * HOUR_DAYS
        times = (weeks * 7.0 + hour * HOUR_DAYS) + (within - before) / self._rates[hour]
        return times
