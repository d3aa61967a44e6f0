"""Run a model for several replications and collect KPIs (and optionally events)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from tqdm import tqdm

from pathways.engine import simulate_replication
from pathways.log import EventLog
from pathways.metrics import kpis
from pathways.model.model import Model

REPLICATION_COLUMNS = ["scenario", "replication", "stage", "metric", "value"]


@dataclass(frozen=True)
class ReplicationResults:
    """KPIs in long form (one row per replication, stage and metric) and kept logs."""

    kpis: pd.DataFrame
    events: tuple[EventLog, ...] = field(default=())


def replication_kpis(model: Model, seed: int, replication: int,
                     keep_events: bool = False) -> tuple[pd.DataFrame, EventLog | None]:
    """One replication: simulate, measure, label."""
    log = simulate_replication(model, seed, replication)
    table = kpis(log)
    table.insert(0, "replication", replication)
    table.insert(0, "scenario", model.name)
    return table[REPLICATION_COLUMNS], (log if keep_events else None)


def run_replications(model: Model, replications: int, seed: int, keep_events: bool = False,
                     progress: bool | None = None) -> ReplicationResults:
    """Replications 0..N-1 in order; ``progress=None`` shows a bar only on a terminal."""
    tables, logs = [], []
    bar = tqdm(range(replications), desc=f"{model.name}", unit="rep",
               disable=None if progress is None else not progress, leave=False)
    for replication in bar:
        table, log = replication_kpis(model, seed, replication, keep_events)
        tables.append(table)
        if log is not None:
            logs.append(log)
    return ReplicationResults(pd.concat(tables, ignore_index=True), tuple(logs))
