"""Run a model for several replications and collect KPIs, time series (and events)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from tqdm import tqdm

from pathways.engine import simulate_replication
from pathways.log import EventLog
from pathways.metrics import kpis
from pathways.metrics.series import SERIES_COLUMNS, timeseries
from pathways.model.model import Model

REPLICATION_COLUMNS = ["scenario", "replication", "stage", "metric", "value"]
TIMESERIES_COLUMNS = ["scenario", "replication", *SERIES_COLUMNS]


@dataclass(frozen=True)
class ReplicationResults:
    """KPIs in long form (one row per replication, stage and metric), weekly time
    series (waiting lists per provider, RTT incomplete pathways) and kept logs."""

    kpis: pd.DataFrame
    timeseries: pd.DataFrame | None = None
    events: tuple[EventLog, ...] = field(default=())


def _labelled(frame: pd.DataFrame, model: Model, replication: int, columns) -> pd.DataFrame:
    frame.insert(0, "replication", replication)
    frame.insert(0, "scenario", model.name)
    return frame[columns]


def replication_kpis(model: Model, seed: int, replication: int, keep_events: bool = False
                     ) -> tuple[pd.DataFrame, pd.DataFrame, EventLog | None]:
    """One replication: simulate, measure, label."""
    log = simulate_replication(model, seed, replication)
    return (_labelled(kpis(log), model, replication, REPLICATION_COLUMNS),
            _labelled(timeseries(log), model, replication, TIMESERIES_COLUMNS),
            log if keep_events else None)


def run_replications(model: Model, replications: int, seed: int, keep_events: bool = False,
                     progress: bool | None = None) -> ReplicationResults:
    """Replications 0..N-1 in order; ``progress=None`` shows a bar only on a terminal."""
    tables, series, logs = [], [], []
    bar = tqdm(range(replications), desc=f"{model.name}", unit="rep",
               disable=None if progress is None else not progress, leave=False)
    for replication in bar:
        table, weekly, log = replication_kpis(model, seed, replication, keep_events)
        tables.append(table)
        series.append(weekly)
        if log is not None:
            logs.append(log)
    return ReplicationResults(pd.concat(tables, ignore_index=True),
                              pd.concat(series, ignore_index=True), tuple(logs))
