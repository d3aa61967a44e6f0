"""Parameter sweeps: every model of a runner at every point of its design, replicated,
on local processes or a Dask cluster, stored run by run so that nothing is lost.

A *run* is one replication of one model at one design point. Each finished run is
written at once into ``runs/`` (atomically: a run's file either exists whole or not
at all) with the hash of its inputs (pathways.experiment.store), so a sweep stopped by
Ctrl-C, SIGKILL or a lost machine resumes with ``resume=True`` and runs only what is
missing, and a resume after an edit runs again whatever the edit changed. A run that
raises is recorded in ``errors/`` and the sweep goes on; a worker process that dies
has its runs retried; workers die with the sweep (pathways.experiment.executors, the
executors run and compare use too).
Every run is a pure function of (model, seed, replication), and the consolidated
tables are sorted by (point, model, replication), so the results are identical
whatever the executor, the number of workers or the order runs finish in.

With ``replications=auto`` replications are added point by point (all models of a
point together, to keep the pairs of common random numbers) until the headline
metrics' confidence intervals are narrow enough (pathways.stats.ReplicationsAlgorithm).

A runner with questions runs only the (point, model) pairs its questions' arms need
(``Runner.cells``) and answers each question in ``answers.csv``
(pathways.experiment.questions).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
from tqdm import tqdm

from pathways.config import load_config
from pathways.config.overrides import configure
from pathways.config.schema import Config
from pathways.experiment.compare import paired_differences
from pathways.experiment.executors import (
    Executor,
    Failure,
    Task,
    describe,
    new_executor,
    progress_bar,
)
from pathways.experiment.outputs import file_sha256, package_versions
from pathways.experiment.questions import ANSWERS_FILE, Question, answer_questions
from pathways.experiment.replications import replication_kpis
from pathways.experiment.runner import Runner
from pathways.experiment.store import (
    RUN_COLUMNS,
    SERIES_COLUMNS,
    Run,
    Store,
    atomic_write,
    inputs_sha256,
)
from pathways.metrics import list_series
from pathways.metrics.registry import metric_bounds
from pathways.model import compile_config
from pathways.model.compile import config_hash
from pathways.model.model import Model
from pathways.model.pathway_outline import pathway_outlines
from pathways.model.settings import settings
from pathways.stats import ReplicationsAlgorithm, summarise, warmup_check

Measured = tuple[pd.DataFrame, pd.DataFrame]
"""What a run hands back: its KPIs and its time series."""


def run_task(model: Model, seed: int, replication: int) -> Measured:
    """What a worker does: simulate one replication and measure it (no event log)."""
    kpis, series, _ = replication_kpis(model, seed, replication)
    return kpis, series


# --- the sweep -------------------------------------------------------------------------


@dataclass
class SweepResult:
    folder: Path
    runs: int  # runs stored (this session and earlier ones)
    ran: int  # runs done in this session
    failed: list[str]
    seconds: float
    files: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    moved_aside: list[str] = field(default_factory=list)
    """Stored runs moved into superseded/ on resume (other inputs, damaged), by file."""


class Models:
    """Each model of the runner at each design point, compiled when first needed (a
    large design need not be compiled all at once before the first run starts)."""

    def __init__(self, runner: Runner):
        self.runner = runner
        loaded = [load_config(path) for path in runner.models]
        self.configs = [entry.config for entry in loaded]
        self.files = [entry.files for entry in loaded]  # each model's file, extends, CSVs
        self.labels = [config.name for config in self.configs]
        self.configured: dict[tuple[int, int], Config] = {}
        self.compiled: dict[tuple[int, int], Model] = {}
        self.hashes: dict[tuple[int, int], str] = {}
        self.version = package_versions()["pathways"]

    def config(self, point: int, model: int) -> Config:
        """The model's configuration at the point (the point's values set)."""
        key = (point, model)
        if key not in self.configured:
            self.configured[key] = configure(self.configs[model],
                                             self.runner.points[point].values)
        return self.configured[key]

    def get(self, point: int, model: int) -> Model:
        key = (point, model)
        if key not in self.compiled:
            self.compiled[key] = compile_config(self.config(point, model))
        return self.compiled[key]

    def inputs(self, run: Run) -> str:
        """The hash of everything ``run`` is computed from (pathways.experiment.store)."""
        key = (run.point, run.model)
        if key not in self.hashes:
            self.hashes[key] = config_hash(self.config(*key))
        return inputs_sha256(self.hashes[key], self.runner.seed, run.replication,
                             self.version)

    def expected(self, run: Run) -> str | None:
        """What a stored ``run`` must have been computed from to be kept on resume;
        None for a run this runner does not have (no such point, model or replication)."""
        runner = self.runner
        most = runner.auto.max if runner.replications is None else runner.replications
        if (run.point >= len(runner.points) or run.model not in runner.models_at(run.point)
                or run.replication >= most):
            return None
        return self.inputs(run)


def run_sweep(runner: Runner, out: Path, workers: int = 0, scheduler: str | None = None,
              resume: bool = False, progress: bool | None = None) -> SweepResult:
    """Run (or resume) every run of ``runner`` and write the results to ``out``."""
    started = time.perf_counter()
    store = Store(out)
    store.prepare(resume)
    try:
        return _run(runner, store, workers, scheduler, progress, started)
    finally:
        store.release()


def _run(runner: Runner, store: Store, workers: int, scheduler: str | None,
         progress: bool | None, started: float) -> SweepResult:
    models = Models(runner)
    moved = store.keep_only(models.expected)
    plan = _Plan(runner, store)
    done = store.done()
    with (progress_bar(plan.total(), runner.name, "run", progress,
                       initial=len(done & plan.ids())) as bar,
          new_executor(workers, scheduler) as executor):
        ran = _execute(plan, models, store, executor, bar, done)
    seconds = time.perf_counter() - started
    timings = {"seconds_this_session": round(seconds, 3), "runs_this_session": ran,
               "executor": describe(workers, scheduler)}
    files, warnings = _consolidate(store, runner, models, plan, timings)
    return SweepResult(store.folder, len(done & plan.ids()), ran, store.failed(), seconds,
                       files, warnings, moved)


def _execute(plan: _Plan, models: Models, store: Store, executor: Executor[Run, Measured],
             bar: tqdm, done: set[str]) -> int:
    """Submit every wanted run not yet stored (with auto replications, the plan grows as
    runs finish), and store each run as it finishes, or its error; the runs done."""
    ran, submitted = 0, set[str]()
    seed = models.runner.seed
    while True:
        for run in plan.wanted():
            if run.run_id not in done and run.run_id not in submitted:
                submitted.add(run.run_id)
                executor.submit(run, Task(run_task, (models.get(run.point, run.model), seed,
                                                     run.replication)))
        bar.total = plan.total()
        bar.refresh()
        if not len(executor):
            return ran
        for run, outcome in executor.collect():
            submitted.discard(run.run_id)
            if isinstance(outcome, Failure):
                store.save_error(run, outcome.message)
                plan.failed.add(run.run_id)
            else:
                kpis, series = outcome
                label = models.labels[run.model]
                store.save(run, kpis.assign(point=run.point, scenario=label)[RUN_COLUMNS],
                           models.inputs(run), {"series": series.assign(
                               point=run.point, scenario=label)[SERIES_COLUMNS]})
                done.add(run.run_id)
                ran += 1
            bar.update(1)


class _Plan:
    """Which runs the sweep needs: a fixed number of replications per point, or, with
    ``auto``, as many as each point's precision asks for (decided from stored runs)."""

    def __init__(self, runner: Runner, store: Store):
        self.runner, self.store = runner, store
        fixed = runner.replications
        self.replications: dict[int, int] = {
            p.index: runner.auto.initial if fixed is None else fixed for p in runner.points}
        self.failed: set[str] = set()

    def runs(self, point: int) -> list[Run]:
        return [Run(point, m, r) for r in range(self.replications[point])
                for m in self.runner.models_at(point)]

    def ids(self) -> set[str]:
        return {run.run_id for point in self.replications for run in self.runs(point)}

    def total(self) -> int:
        return sum(self.replications[p] * len(self.runner.models_at(p))
                   for p in self.replications)

    def wanted(self) -> list[Run]:
        """Every run needed now. With auto, a point whose runs are all stored gets one
        more replication (for every model) until its metrics are precise enough."""
        if self.runner.replications is None:
            done = self.store.done()
            for point in self.replications:
                while (self.replications[point] < self.runner.auto.max
                       and all(r.run_id in done for r in self.runs(point))
                       and not self._precise(point)):
                    self.replications[point] += 1
        return [run for point in self.replications for run in self.runs(point)
                if run.run_id not in self.failed]

    def _precise(self, point: int) -> bool:
        auto = self.runner.auto
        for model in self.runner.models_at(point):
            algorithm = ReplicationsAlgorithm(
                target_half_width=auto.target_half_width, initial=auto.initial,
                max_replications=auto.max)
            for replication in range(self.replications[point]):
                algorithm.add(self.store.values(Run(point, model, replication), auto.metrics))
            if not algorithm.done:
                return False
        return True


def _consolidate(store: Store, runner: Runner, models: Models, plan: _Plan, timings: dict
                 ) -> tuple[dict[str, Path], list[str]]:
    """runs.parquet, timeseries.parquet, summary.csv, differences.csv, points.csv,
    answers.csv (with questions) and manifest.json from the stored runs, in a fixed
    order."""
    labels = models.labels
    order = {label: i for i, label in enumerate(labels)}
    wanted = plan.ids()
    runs = store.load_runs()
    runs = _sorted(runs[_wanted(runs, order, wanted)], order)
    series = store.load_series()
    series = _sorted(series[_wanted(series, order, wanted)], order)
    points = _points_table(runner)
    parameters = [c for c in points.columns if c not in ("point", "label")]
    runs_out = runs.merge(points[["point", *parameters]], on="point", how="left")
    summaries, differences = [], []
    for point, rows in runs.groupby("point", sort=True):
        summaries.append(summarise(rows, bounds=metric_bounds).assign(point=point))
        if runner.baseline in set(rows["scenario"]) and len(labels) > 1:
            differences.append(paired_differences(rows, runner.baseline).assign(point=point))
    summary = _with_point_first(pd.concat(summaries, ignore_index=True) if summaries
                                else pd.DataFrame())
    difference = _with_point_first(pd.concat(differences, ignore_index=True) if differences
                                   else pd.DataFrame())
    warnings = _warmup_warnings(series, models)
    tables = [] if not runner.questions else [(ANSWERS_FILE, lambda p: answer_questions(
        runner.questions, runs).to_csv(p, index=False, float_format="%.10g"))]
    files = {}
    for name, write in (
        ("runs.parquet", lambda p: runs_out.to_parquet(p, index=False)),
        ("timeseries.parquet", lambda p: series.to_parquet(p, index=False)),
        ("summary.csv", lambda p: summary.to_csv(p, index=False, float_format="%.10g")),
        ("differences.csv", lambda p: difference.to_csv(p, index=False, float_format="%.10g")),
        ("points.csv", lambda p: points.to_csv(p, index=False)),
        *tables,
        ("manifest.json", lambda p: p.write_text(json.dumps(
            _manifest(runner, models, plan, warnings, timings), indent=2, sort_keys=True)
            + "\n")),
    ):
        files[name] = store.folder / name
        atomic_write(files[name], write)
    return files, warnings


_Key = TypeVar("_Key", int, np.ndarray)


def _wanted(frame: pd.DataFrame, order: dict[str, int], wanted: set[str]) -> np.ndarray:
    """Which rows of stored runs or series belong to a run the plan wants, compared as
    integer keys (a run stores thousands of series rows: a run id string per row took
    most of the consolidation's time)."""
    codes, labels = pd.factorize(frame["scenario"])
    model = np.array([order[label] for label in labels], dtype=np.int64)[codes]
    keys = _run_key(frame["point"].to_numpy(np.int64), model,
                    frame["replication"].to_numpy(np.int64))
    runs = [Run.parse(run_id) for run_id in wanted]
    return np.isin(keys, [_run_key(r.point, r.model, r.replication) for r in runs if r])


def _run_key(point: _Key, model: _Key, replication: _Key) -> _Key:
    """One integer per run (replications and models below 2**20 each)."""
    return (point << 40) | (model << 20) | replication


def _sorted(frame: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """Rows by (point, model's position in the runner, replication), each run's rows in
    the order the run wrote them (files are read in run-id order, which is that)."""
    if frame.empty:
        return frame.reset_index(drop=True)
    frame = frame.assign(_model=frame["scenario"].map(order))
    frame = frame.sort_values(["point", "_model", "replication"], kind="stable")
    return frame.drop(columns=["_model"]).reset_index(drop=True)


def _with_point_first(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame[["point", *[c for c in frame.columns if c != "point"]]]


def _points_table(runner: Runner) -> pd.DataFrame:
    rows = [{"point": p.index, "label": p.label, **p.values} for p in runner.points]
    return pd.DataFrame(rows)


def _warmup_warnings(series: pd.DataFrame, models: Models) -> list[str]:
    """MSER-5 on each model's total waiting list (mean over replications) at each point:
    a warning where the configured warm-up is shorter than the truncation point."""
    if series.empty:
        return []
    lists = list_series(series)
    totals = (lists.groupby(["point", "scenario", "replication", "time_days"], sort=True)["value"]
              .sum().groupby(["point", "scenario", "time_days"], sort=True).mean())
    warnings = []
    for (point, label), values in totals.groupby(level=["point", "scenario"], sort=True):
        model = models.get(point, models.labels.index(label))
        check = warmup_check(values.index.get_level_values("time_days").to_numpy(),
                             values.to_numpy(), model.warmup_days, label="the waiting list")
        if not check.sufficient:
            warnings.append(f"point {point}, {label}: {check.message}")
    return warnings


def _manifest(runner: Runner, models: Models, plan: _Plan, warnings: list[str],
              timings: dict) -> dict:
    labels = models.labels
    files = list(dict.fromkeys(path for paths in models.files for path in paths))

    def per_model(point: int, setting: Callable[[Model], object]) -> dict[str, object]:
        return {labels[m]: setting(models.get(point, m)) for m in runner.models_at(point)}

    return {
        "runner": {"name": runner.name, "path": str(runner.path), "sha256": runner.text_sha256},
        "models": labels,
        "model_files": [str(path) for path in runner.models],
        "config_files": [{"path": str(path), "sha256": file_sha256(path)} for path in files],
        "baseline": runner.baseline,
        # as written: a point's values change numbers (durations), not which stages there are
        "pathways": {label: pathway_outlines(config)
                     for label, config in zip(labels, models.configs, strict=True)},
        "settings": {label: settings(config)
                     for label, config in zip(labels, models.configs, strict=True)},
        "seed": runner.seed,
        "replications": "auto" if runner.replications is None else runner.replications,
        "replications_per_point": {str(p): n for p, n in sorted(plan.replications.items())},
        "points": [{"point": p.index, "label": p.label, "values": p.values,
                    "config_hashes": per_model(p.index, lambda model: model.config_hash),
                    "warmup_days": per_model(p.index, lambda model: model.warmup_days),
                    "horizon_days": per_model(p.index, lambda model: model.horizon_days)}
                   for p in runner.points],
        "questions": [_question_entry(question) for question in runner.questions],
        "warmup_warnings": warnings,
        "timings": timings,
        "versions": package_versions(),
    }


def _question_entry(question: Question) -> dict:
    """A question as the manifest records it: its arms by model and point."""
    return {"id": question.id, "seed": list(question.seeds), "ask": question.ask,
            "compare": {"model": question.compare.model, "point": question.compare.point},
            "against": {"model": question.against.model, "point": question.against.point},
            "metric": question.metric, "stage": question.stage, "expect": question.expect}
