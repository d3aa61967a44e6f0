"""The Python API: ``load`` a configuration, ``simulate`` one replication."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pathways.config import load_config
from pathways.engine import simulate_replication
from pathways.log import EventLog
from pathways.metrics import kpis
from pathways.model import Model, compile_loaded


@dataclass(frozen=True)
class SimulationResult:
    """One replication: its event log and its KPIs (columns stage, metric, value)."""

    events: EventLog
    kpis: pd.DataFrame


def load(path: str | Path) -> Model:
    """Read, validate and compile a YAML configuration (raises ConfigError)."""
    return compile_loaded(load_config(path))


def simulate(model: Model, seed: int = 0, replication: int = 0) -> SimulationResult:
    """Run one replication of ``model``; the same seed gives the same result."""
    log = simulate_replication(model, seed, replication)
    return SimulationResult(events=log, kpis=kpis(log))
