"""Resumable `run` and `compare`: each replication stored as soon as it finishes.

Each finished replication of each model is written at once, atomically, into
``<out>/replications/`` by the sweep's store (pathways.experiment.store, with its own
``Layout``): its KPIs as ``p0000-m<model>-r<replication>.parquet`` (one design point;
the model's position on the command line; the replication), and beside them its time
series, replication 0's animation frames and, with --keep-events, the tables of its
event log, each with the hash of its inputs (the model's configuration hash, the seed,
the replication and the version of pathways).

With ``resume`` a stored replication computed from the same inputs, holding every
table the command now asks for, is reused; one computed from other inputs, damaged,
or not a replication of this command (another model, a replication beyond -n) is
moved into ``superseded/`` and named; only what is missing runs. Without ``resume``
every replication runs and replaces the stored one, as a fresh command's results
replace an earlier command's, and stored replications the command does not have are
removed once it has finished.

The results are always read back from the stored files, in model then replication
order, so a command interrupted and resumed writes the same bytes as one that was not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

import pandas as pd

from pathways.experiment.executors import Task, finished, new_executor, progress_bar
from pathways.experiment.outputs import event_tables, package_versions
from pathways.experiment.replications import (
    ANIMATED_REPLICATION,
    ReplicationResults,
    replication_outputs,
)
from pathways.experiment.store import Layout, Run, Store, inputs_sha256
from pathways.model.model import Model

REPLICATIONS_DIR = "replications"
LAYOUT = Layout(REPLICATIONS_DIR, f"{REPLICATIONS_DIR}/.lock", "run or comparison",
                refuse_stored=False,
                foreign="not a replication of this command (another model, or beyond -n)",
                changed="the model, a data file, the seed or the version changed since")
SERIES, ANIMATION, EVENTS = "series", "animation", "events"
_ECONOMY_TABLES = ("patients", "handoffs")  # with the events, in a health economy

Tables = tuple[pd.DataFrame, dict[str, pd.DataFrame]]
"""A replication as stored: its KPIs, and its further tables by kind."""


def replication_tables(model: Model, seed: int, replication: int, keep_events: bool,
                       animation: bool) -> Tables:
    """What a worker does: replication_outputs, as the tables that are stored (the
    event log as the tables written of it: events, and in an economy patients and
    handoffs)."""
    kpis, series, log, frames = replication_outputs(model, seed, replication, keep_events,
                                                    animation)
    tables = {SERIES: series}
    if frames is not None:
        tables[ANIMATION] = frames
    if log is not None:
        tables |= {name.removesuffix(".parquet"): frame
                   for name, frame in event_tables([log]).items()}
    return kpis, tables


def _silent(line: str) -> None:
    """Say nothing (the default for what a store tells its user)."""


class StoredReplications:
    """``<out>/replications/`` of one `run` or `compare`, locked while in use (a
    context manager); ``notify`` is told, a line at a time, what a resume reuses and
    what it moves aside, before anything runs."""

    def __init__(self, folder: Path, resume: bool,
                 notify: Callable[[str], None] = _silent) -> None:
        self.store = Store(folder, LAYOUT)
        self.resume, self.notify = resume, notify
        self.reused, self.ran = 0, 0
        self.moved_aside: list[str] = []

    def __enter__(self) -> Self:
        self.store.prepare(self.resume)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.store.release()

    def reusable(self, wanted: Mapping[Run, tuple[str, list[str]]]) -> set[Run]:
        """Of ``wanted`` (each run's inputs hash and the tables it needs), those stored
        whole from those inputs, to reuse (none without resume)."""
        where = f"{self.store.runs}/"
        if not self.resume:
            if stored := self.store.done():
                self.notify(f"{where} holds {len(stored)} stored replications; without "
                            "--resume every replication runs again and replaces them")
            return set()
        inputs = {run.run_id: digest for run, (digest, _) in wanted.items()}
        self.moved_aside = self.store.keep_only(lambda run: inputs.get(run.run_id))
        if self.moved_aside:
            self.notify(f"resume: {len(self.moved_aside)} stored replications do not match "
                        f"this command and were moved into {self.store.folder}/superseded/:")
            for line in self.moved_aside:
                self.notify(f"  {line}")
        done = self.store.done()
        reuse = {run for run, (digest, kinds) in wanted.items()
                 if run.run_id in done and self.store.has(run, kinds, digest)}
        self.reused = len(reuse)
        self.notify(f"resume: {len(reuse)} of {len(wanted)} replications reused from "
                    f"{where}; {len(wanted) - len(reuse)} to run")
        return reuse

    def finish(self, wanted: Mapping[Run, object]) -> None:
        """Remove stored replications this command does not have (left by an earlier
        one: without resume they are not moved aside at the start)."""
        self.store.remove_except({run.run_id for run in wanted})


def replicate_stored(models: Mapping[str, Model], replications: int, seed: int,
                     stored: StoredReplications, *, keep_events: bool = False,
                     progress: bool | None = None, workers: int = 1,
                     animation: bool = False, scheduler: str | None = None
                     ) -> dict[str, ReplicationResults]:
    """replicate_models (label -> Model), each replication stored as it finishes and
    those ``stored`` holds reused (with resume); the results read back from the store."""
    version = package_versions()["pathways"]
    runs = {Run(0, index, replication): model
            for index, model in enumerate(models.values())
            for replication in range(replications)}
    wanted = {run: (inputs_sha256(model.config_hash, seed, run.replication, version),
                    _kinds(run, keep_events, animation))
              for run, model in runs.items()}
    reuse = stored.reusable(wanted)
    tasks = {run: Task(replication_tables, (model, seed, run.replication, keep_events,
                                            animation))
             for run, model in runs.items() if run not in reuse}
    with (new_executor(workers, scheduler, tasks=len(tasks)) as executor,
          progress_bar(len(runs), ", ".join(models), "rep", progress, leave=False,
                       initial=len(reuse)) as bar):
        for run, (kpis, tables) in finished(tasks, executor, bar):
            stored.store.save(run, kpis, wanted[run][0], tables)
            stored.ran += 1
    stored.finish(wanted)
    return {label: _read_back(stored.store, [run for run in runs if run.model == index],
                              wanted, keep_events)
            for index, label in enumerate(models)}


def _kinds(run: Run, keep_events: bool, animation: bool) -> list[str]:
    """The tables a replication must hold to be reused (an economy's further event
    tables come with its events)."""
    return [SERIES, *([ANIMATION] if animation and run.replication == ANIMATED_REPLICATION
                      else []), *([EVENTS] if keep_events else [])]


def _read_back(store: Store, runs: list[Run], wanted: Mapping[Run, tuple[str, list[str]]],
               keep_events: bool) -> ReplicationResults:
    """One model's stored replications, in replication order, as one result."""
    loaded = []
    for run in runs:
        inputs, kinds = wanted[run]
        present = [kind for kind in _ECONOMY_TABLES
                   if keep_events and store.has(run, [kind], inputs)]
        loaded.append(store.load(run, kinds + present))

    def stacked(kind: str) -> pd.DataFrame:
        return pd.concat([tables[kind] for _, tables in loaded], ignore_index=True)

    events = {f"{kind}.parquet": stacked(kind)
              for kind in (EVENTS, *_ECONOMY_TABLES) if kind in loaded[0][1]}
    return ReplicationResults(pd.concat([kpis for kpis, _ in loaded], ignore_index=True),
                              stacked(SERIES), animation=loaded[ANIMATED_REPLICATION][1].get(
                                  ANIMATION), event_tables=events)
