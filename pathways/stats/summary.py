"""Summaries of per-replication KPIs across replications."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .intervals import UNBOUNDED, t_interval

KEYS = ("scenario", "stage", "metric")
SUMMARY_COLUMNS = ("scenario", "stage", "metric", "mean", "ci_low", "ci_high", "n")


def summarise(replications: pd.DataFrame, level: float = 0.95,
              bounds: Callable[[str], tuple[float, float]] | None = None) -> pd.DataFrame:
    """Mean and Student-t interval per (scenario, stage, metric) over replications, the
    interval cut at ``bounds(metric)``, the range of the metric's values, where given.

    Input: long form with columns scenario, replication, stage, metric, value (e.g.
    ``kpis`` rows with scenario and replication added). NaN values are ignored; n is
    how many replications had a value. Output columns: scenario, stage, metric, mean,
    ci_low, ci_high, n, in the input's first-seen order of (scenario, stage, metric).
    """
    missing = [c for c in (*KEYS, "replication", "value") if c not in replications.columns]
    if missing:
        raise ValueError(f"summarise needs columns {', '.join(missing)}")
    g = replications.groupby(list(KEYS), sort=False, dropna=False, observed=True)["value"]
    agg = g.agg(["mean", "std", "count"])
    out = agg.index.to_frame(index=False)
    low_bound, high_bound = _ranges(out["metric"], bounds)
    low, high = t_interval(agg["mean"].to_numpy(), agg["std"].to_numpy(),
                           agg["count"].to_numpy(), level, low_bound, high_bound)
    out["mean"] = agg["mean"].to_numpy(dtype=float)
    out["ci_low"] = low
    out["ci_high"] = high
    out["n"] = agg["count"].to_numpy(dtype=np.int64)
    return out.loc[:, list(SUMMARY_COLUMNS)]


def _ranges(metrics: pd.Series, bounds: Callable[[str], tuple[float, float]] | None
            ) -> tuple[np.ndarray, np.ndarray]:
    """Each row's (low, high) range, looked up once per metric."""
    metrics = metrics.astype(object)
    ranges = {metric: bounds(metric) if bounds else UNBOUNDED for metric in metrics.unique()}
    return (metrics.map(lambda m: ranges[m][0]).to_numpy(dtype=float),
            metrics.map(lambda m: ranges[m][1]).to_numpy(dtype=float))
