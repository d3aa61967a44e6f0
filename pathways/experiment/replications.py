"""Run a model for several replications and collect KPIs, time series (and events, and
replication 0's animation frames)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from pathways.engine import simulate_replication
from pathways.experiment.executors import Task, new_executor, progress_bar, run_all
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
    event_tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    """The tables made of the logs, by file name (events.parquet, and in a health
    economy patients.parquet and handoffs.parquet), where the logs were not kept as
    logs (replications stored one by one: pathways.experiment.resume)."""


Outputs = tuple[pd.DataFrame, pd.DataFrame, EventLog | None, pd.DataFrame | None]
"""One replication's KPIs, time series, event log (if kept) and animation frames (if made)."""


def _labelled(frame: pd.DataFrame, model: Model, replication: int, columns: list[str]
              ) -> pd.DataFrame:
    frame.insert(0, "replication", replication)
    frame.insert(0, "scenario", model.name)
    return frame[columns]


def replication_kpis(model: Model, seed: int, replication: int, keep_events: bool = False
                     ) -> tuple[pd.DataFrame, pd.DataFrame, EventLog | None]:
    """One replication: simulate, measure, label."""
    return replication_outputs(model, seed, replication, keep_events)[:3]


def replication_outputs(model: Model, seed: int, replication: int, keep_events: bool = False,
                        animation: bool = False) -> Outputs:
    """replication_kpis, and with ``animation`` replication 0's animation frames, made
    here in the worker from its log (read only: the KPIs stay the same)."""
    log = simulate_replication(model, seed, replication)
    frames = (_labelled(animation_frames(log), model, replication, FRAME_COLUMNS)
              if animation and replication == ANIMATED_REPLICATION else None)
    return (_labelled(kpis(log), model, replication, REPLICATION_COLUMNS),
            _labelled(timeseries(log), model, replication, TIMESERIES_COLUMNS),
            log if keep_events else None, frames)


def run_replications(model: Model, replications: int, seed: int, keep_events: bool = False,
                     progress: bool | None = None, workers: int = 1,
                     animation: bool = False, scheduler: str | None = None
                     ) -> ReplicationResults:
    """Replications 0..N-1; ``progress=None`` shows a bar only on a terminal;
    ``animation``: also replication 0's animation frames.

    With ``workers`` > 1 (0: every core) replications run in separate processes, with
    ``scheduler`` on that Dask cluster (pathways.experiment.executors). Each replication
    draws only from its own streams, and results are gathered in replication order, so
    the output is the same wherever it runs."""
    return replicate_models({model.name: model}, replications, seed, keep_events=keep_events,
                            progress=progress, workers=workers, animation=animation,
                            scheduler=scheduler)[model.name]


def replicate_models(models: Mapping[str, Model], replications: int, seed: int, *,
                     keep_events: bool = False, progress: bool | None = None,
                     workers: int = 1, animation: bool = False, scheduler: str | None = None
                     ) -> dict[str, ReplicationResults]:
    """run_replications for several models (label -> Model) at once, on one executor: a
    model's replications need not wait for the previous model's last one."""
    tasks = {(label, replication): Task(replication_outputs,
                                        (model, seed, replication, keep_events, animation))
             for label, model in models.items() for replication in range(replications)}
    with (new_executor(workers, scheduler, tasks=len(tasks)) as executor,
          progress_bar(len(tasks), ", ".join(models), "rep", progress, leave=False) as bar):
        outputs = run_all(tasks, executor, bar)
    return {label: _gathered([outputs[label, replication]
                              for replication in range(replications)])
            for label in models}


def _gathered(runs: list[Outputs]) -> ReplicationResults:
    """One model's replications, in replication order, as one result."""
    return ReplicationResults(pd.concat([run[0] for run in runs], ignore_index=True),
                              pd.concat([run[1] for run in runs], ignore_index=True),
                              tuple(run[2] for run in runs if run[2] is not None),
                              runs[ANIMATED_REPLICATION][3])
