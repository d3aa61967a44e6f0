"""Run a configuration for several replications and summarise one KPI with a 95% CI.

The interval is computed here with scipy, not with pathways.stats, so the check does
not lean on the code under test.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

import pathways
from pathways.experiment import run_replications

CONFIGS = Path(__file__).parent / "configs"
EXAMPLES = Path(__file__).parents[2] / "configs" / "examples"
MAX_RELATIVE_HALF_WIDTH = 0.05
#: The validation cases the issue defines use 95% intervals. Checks added on top of
#: them (utilisation, arrival rates) use 99.9% so that, across the whole suite, a
#: correct engine is not expected to fail one of them by chance (30-odd 95% checks
#: would miss at least once more often than not).
SUPPLEMENTARY_LEVEL = 0.999


def replicate(config: Path, replications: int, seed: int = 2024, **overrides) -> pd.DataFrame:
    """KPIs of every replication (columns scenario, replication, stage, metric, value)."""
    model = pathways.load(config)
    if overrides:
        model = dataclasses.replace(model, **overrides)
    return run_replications(model, replications, seed, progress=False).kpis


def values(kpis: pd.DataFrame, stage: str, metric: str) -> np.ndarray:
    rows = kpis[(kpis["stage"] == stage) & (kpis["metric"] == metric)]
    return rows.sort_values("replication")["value"].to_numpy()


def interval(samples: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and Student-t confidence interval of independent replications."""
    mean = float(np.mean(samples))
    half = stats.t.ppf(0.5 + level / 2, len(samples) - 1) * stats.sem(samples)
    return mean, mean - half, mean + half


def assert_covers(samples: np.ndarray, expected: float, label: str,
                  level: float = 0.95) -> None:
    """The case passes when the CI covers the truth and is tight enough to mean it."""
    mean, low, high = interval(samples, level)
    half_width = (high - low) / 2
    assert low <= expected <= high, (
        f"{label}: {level:.1%} CI [{low:.4f}, {high:.4f}] (mean {mean:.4f}) misses {expected:.4f}")
    assert half_width < MAX_RELATIVE_HALF_WIDTH * abs(expected), (
        f"{label}: half-width {half_width:.4f} is not under 5% of {expected:.4f}")
