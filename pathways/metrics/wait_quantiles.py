"""The whole distribution of a wait in one replication, as many quantiles.

Three quantiles draw a wait distribution as three points; these rows give enough of
them for a smooth cumulative curve, tails included. Stored like any other KPI (one row
per replication, stage ``quantile:<p>``), summarising them over replications gives the
mean of each quantile and its 95% interval: the curve and its band, with no new
machinery and no raw waits kept. The stage is never "", so the whole-system tables and
sentences never show them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .handoffs import long_frame

QUANTILE_PREFIX = "quantile:"
#: Probabilities of the quantiles kept: every 5% and the tails at 1%, 2.5%, 97.5%, 99%.
PROBABILITIES: tuple[float, ...] = (
    0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65,
    0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.975, 0.99)
#: Each patient's total queueing time and time in the system (days), every model.
QUEUE_DISTRIBUTIONS = ("wait_days", "time_in_system_days")
#: Completed RTT pathways' waits (weeks), models with RTT clocks only.
RTT_DISTRIBUTIONS = ("rtt_admitted_wait_weeks", "rtt_non_admitted_wait_weeks")


def quantile_level(probability: float) -> str:
    """The stage of a quantile's rows: "quantile:0.05"."""
    return f"{QUANTILE_PREFIX}{probability:g}"


def level_probability(level: str) -> float:
    """The probability of a "quantile:<p>" stage (the inverse of quantile_level)."""
    return float(level[len(QUANTILE_PREFIX):])


def quantile_rows(samples: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Rows (quantile:<p>, metric, value) of each named sample at every PROBABILITIES,
    numpy's linear definition as the other percentiles; NaN for an empty sample, so
    every replication has the same rows."""
    stage: list[str] = []
    metric: list[str] = []
    value: list[float] = []
    for name, sample in samples.items():
        sample = np.asarray(sample, dtype=np.float64)
        values = (np.quantile(sample, PROBABILITIES) if len(sample)
                  else np.full(len(PROBABILITIES), np.nan))
        stage += [quantile_level(p) for p in PROBABILITIES]
        metric += [name] * len(PROBABILITIES)
        value += values.tolist()
    return long_frame(stage, metric, value)
