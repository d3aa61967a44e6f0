"""A rate's profile over the year, relative to its yearly mean."""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass

from pathways.config.schema import DAYS_IN_MONTH, Seasonality

DAYS_PER_YEAR = 365.0
#: The day of the year each month starts on.
MONTH_STARTS = tuple(itertools.accumulate((0, *DAYS_IN_MONTH[:-1])))


@dataclass(frozen=True)
class Season:
    """1 + winter_peak x cos(2 pi (day - peak_day_of_year) / 365), or, with ``by_month``,
    each month's own factor; day 0 is 1 January."""

    winter_peak: float = 0.0
    peak_day_of_year: float = 15.0
    by_month: tuple[float, ...] | None = None

    @classmethod
    def from_config(cls, spec: Seasonality) -> Season:
        by_month = None if spec.by_month is None else tuple(spec.by_month)
        return cls(spec.winter_peak, spec.peak_day_of_year, by_month)

    def factor(self, now: float) -> float:
        """The rate relative to its yearly mean on day ``now``."""
        if self.by_month is not None:
            return self.by_month[bisect.bisect_right(MONTH_STARTS, now % DAYS_PER_YEAR) - 1]
        return 1.0 + self.winter_peak * math.cos(
            2.0 * math.pi * (now - self.peak_day_of_year) / DAYS_PER_YEAR)

    @property
    def peak(self) -> float:
        """The largest factor of the year: a bound for thinning."""
        return max(self.by_month) if self.by_month is not None else 1.0 + self.winter_peak
