"""Paired comparisons for the seed-question tests: build a model (a shipped model file,
or a small economy written as YAML text), run replications on common random numbers,
and judge a paired difference by its 95% Student t interval.

Common random numbers: every arm of a comparison runs replications 0..n-1 with the
same seed, so replication i of one arm and replication i of the other draw from the
same random streams, and b - a is taken replication by replication.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pathways.config import load_config, load_config_text
from pathways.config.overrides import configure
from pathways.experiment import run_replications
from pathways.model.compile import compile_config
from pathways.stats import paired_difference

MODELS = Path(__file__).parents[2] / "models"
LEVEL = 0.95


@dataclass(frozen=True)
class Paired:
    """Mean of b - a over replication pairs and its two-sided Student t interval."""

    mean: float
    low: float
    high: float
    n: int  # pairs used

    def excludes_zero_above(self) -> bool:
        return self.low > 0

    def excludes_zero_below(self) -> bool:
        return self.high < 0

    def __str__(self) -> str:
        return (f"{self.mean:+.4g} (95% CI {self.low:+.4g} to {self.high:+.4g}, "
                f"{self.n} replications)")


def paired_ci(a, b, level: float = LEVEL) -> Paired:
    """b - a, pair by pair (a[i] and b[i] from the same replication); pairs with a NaN
    are dropped. The interval is mean +- t(level, n - 1) x standard error; with fewer
    than two pairs it is NaN."""
    return Paired(*paired_difference(a, b, level))


def model_file(path: Path, overrides: Mapping[str, Any] | None = None):
    """A shipped model file, with `configure` overrides (dotted paths,
    `capacity_multiplier.KIND`), compiled."""
    config = load_config(path).config
    return compile_config(configure(config, overrides) if overrides else config)


def small_economy(folder: Path, text: str, practices: str, name: str,
                  overrides: Mapping[str, Any] | None = None):
    """A small economy from YAML text, its practices.csv written beside it in `folder`,
    with `configure` overrides, compiled."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "practices.csv").write_text(textwrap.dedent(practices).strip() + "\n")
    config = load_config_text(textwrap.dedent(text), folder / f"{name}.yaml").config
    return compile_config(configure(config, overrides) if overrides else config)


def run(model, replications: int, seed: int) -> pd.DataFrame:
    """KPIs (long form) of replications 0..replications-1 with `seed`, in one process."""
    return run_replications(model, replications, seed=seed, progress=False, workers=1).kpis


def values(kpis: pd.DataFrame, metric: str, stage: str = "") -> np.ndarray:
    """One value per replication, in replication order, at one level (system: "")."""
    rows = kpis[(kpis.stage == stage) & (kpis.metric == metric)].sort_values("replication")
    if rows.empty:
        raise KeyError(f"no {metric!r} at level {stage!r}")
    return rows.value.to_numpy(dtype=float)
