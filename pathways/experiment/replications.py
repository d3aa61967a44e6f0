"""Run a model for several replications and collect KPIs, time series (and events, and
replication 0's animation frames)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
from tqdm import tqdm

from pathways.engine import simulate_replication
from pathways.experiment.workers import worker_pool
from pathways.log import EventLog
from pathways.log.animation import ANIMATION_COLUMNS, animation_frames
from pathways.metrics import kpis
from pathways.metrics.series import SERIES_COLUMNS, timeseries
from pathways.model.model import Model

REPLICATION_COLUMNS = ["scenario", "replication", "stage", "metric", "value"]
TIMESERIES_COLUMNS = ["scenario", "replication", *SERIES_COLUMNS]
FRAME_COLUMNS = ["scenario", "replication", *ANIMATION_COLUMNS]
#: The one replication animated: a picture of the flow needs one, and only its small
#: table of positions leaves the worker.
ANIMATED_REPLICATION = 0


@dataclass(frozen=True)
class ReplicationResults:
    """KPIs in long form (one row per replication, stage and metric), weekly time
    series (waiting lists per provider, RTT incomplete pathways), kept logs and the
    patients' positions per frame of replication 0 (pathways.log.animation)."""

    kpis: pd.DataFrame
    timeseries: pd.DataFrame | None = None
    events: tuple[EventLog, ...] = field(default=())
    animation: pd.DataFrame | None = None


def _labelled(frame: pd.DataFrame, model: Model, replication: int, columns) -> pd.DataFrame:
    frame.insert(0, "replication", replication)
    frame.insert(0, "scenario", model.name)
    return frame[columns]


def replication_kpis(model: Model, seed: int, replication: int, keep_events: bool = False
                     ) -> tuple[pd.DataFrame, pd.DataFrame, EventLog | None]:
    """One replication: simulate, measure, label."""
    return replication_outputs(model, seed, replication, keep_events)[:3]


def replication_outputs(model: Model, seed: int, replication: int, keep_events: bool = False,
                        animation: bool = False
                        ) -> tuple[pd.DataFrame, pd.DataFrame, EventLog | None,
                                   pd.DataFrame | None]:
    """replication_kpis, and with ``animation`` replication 0's animation frames, made
    here in the worker from its log (read only: the KPIs stay the same)."""
    log = simulate_replication(model, seed, replication)
    frames = (_labelled(animation_frames(log), model, replication, FRAME_COLUMNS)
              if animation and replication == ANIMATED_REPLICATION else None)
    return (_labelled(kpis(log), model, replication, REPLICATION_COLUMNS),
            _labelled(timeseries(log), model, replication, TIMESERIES_COLUMNS),
            log if keep_events else None, frames)


def worker_count(workers: int) -> int:
    """``workers`` processes, or every core for 0."""
    return workers if workers > 0 else (os.cpu_count() or 1)


def run_replications(model: Model, replications: int, seed: int, keep_events: bool = False,
                     progress: bool | None = None, workers: int = 1,
                     animation: bool = False) -> ReplicationResults:
    """Replications 0..N-1; ``progress=None`` shows a bar only on a terminal;
    ``animation``: also replication 0's animation frames.

    With ``workers`` > 1 (0: every core) replications run in separate processes. Each
    replication draws only from its own streams, and results are gathered in
    replication order, so the output is the same whatever the number of workers."""
    one = partial(replication_outputs, model, seed, keep_events=keep_events,
                  animation=animation)
    processes = min(worker_count(workers), replications)
    bar = partial(tqdm, total=replications, desc=f"{model.name}", unit="rep",
                  disable=None if progress is None else not progress, leave=False)
    if processes > 1:
        with worker_pool(processes) as pool:
            runs = list(bar(pool.map(one, range(replications))))
    else:
        runs = list(bar(map(one, range(replications))))
    tables, series, logs, frames = zip(*runs, strict=False)
    return ReplicationResults(pd.concat(tables, ignore_index=True),
                              pd.concat(series, ignore_index=True),
                              tuple(log for log in logs if log is not None),
                              frames[ANIMATED_REPLICATION])
