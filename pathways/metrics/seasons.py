"""Seasons in the results: winter (December to February) against summer (June to
August), day 0 of a simulation being 1 January. Events a winter day over events a
summer day, and the waits of the pathways completed in each."""

from __future__ import annotations

import math

import numpy as np

DAYS_PER_YEAR = 365.0
#: [start, end) days of a 365-day year.
WINTER_DAYS, SUMMER_DAYS = ((334.0, 59.0), (151.0, 243.0))


def in_season(days: np.ndarray, season: tuple[float, float]) -> np.ndarray:
    start, end = season
    day = np.mod(days, DAYS_PER_YEAR)
    return (day >= start) & (day < end) if start < end else (day >= start) | (day < end)


def winter_to_summer(times: np.ndarray, lo: float, hi: float) -> float:
    """Events a winter day over events a summer day, both in the window [lo, hi] (NaN
    without a winter and a summer day in the window, or without a summer event)."""
    days = np.arange(math.floor(lo), math.ceil(hi)) + 0.5  # the window's days, by midpoint
    days = days[(days >= lo) & (days <= hi)]
    winter_days = np.count_nonzero(in_season(days, WINTER_DAYS))
    summer_days = np.count_nonzero(in_season(days, SUMMER_DAYS))
    summer = np.count_nonzero(in_season(times, SUMMER_DAYS))
    if winter_days == 0 or summer_days == 0 or summer == 0:
        return float("nan")
    winter = np.count_nonzero(in_season(times, WINTER_DAYS))
    return (winter / winter_days) / (summer / summer_days)
