"""The Python API, for notebooks and scripts: the commands' work as functions that
return pandas frames.

    import pathways
    base = pathways.load("models/competitive.yaml")       # a Model; base.warnings
    more = pathways.configure(base, {"capacity_multiplier.outpatients": 1.1})
    run = pathways.run(more, replications=5, seed=0)       # run.summary, run.kpis
    both = pathways.compare({"base": base, "more": more}, replications=5, seed=0)
    both.differences                                        # paired, on common random numbers
    stored = pathways.read_results("results/integrated-vs-competitive")

Every function checks its input as the command line does and raises ConfigError (or
ReportError for a folder that holds no results) with a located message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pathways.config import load_config
from pathways.config.overrides import configure as configure_config
from pathways.engine import simulate_replication
from pathways.experiment.outputs import configuration_warnings
from pathways.log import EventLog
from pathways.metrics import kpis
from pathways.model import Model, compile_config, compile_loaded

if TYPE_CHECKING:
    from pathways.experiment.compare import Comparison
    from pathways.report.load import Results


@dataclass(frozen=True)
class SimulationResult:
    """One replication: its event log and its KPIs (columns stage, metric, value)."""

    events: EventLog
    kpis: pd.DataFrame


@dataclass(frozen=True)
class RunResults:
    """A model's replications: ``kpis`` one row per replication, stage and metric;
    ``summary`` the mean and 95% interval of each over replications (cut at the
    metric's range); ``timeseries`` the weekly series (lists, incomplete pathways)."""

    model: str
    kpis: pd.DataFrame
    summary: pd.DataFrame
    timeseries: pd.DataFrame


def load(path: str | Path) -> Model:
    """Read, validate and compile a YAML configuration (raises ConfigError).

    The model's ``warnings`` hold what ``pathways check`` would warn about (a resource
    loaded near or past 1, say), each located in its file."""
    return compile_loaded(load_config(path))


def configure(model: Model, values: Mapping[str, Any]) -> Model:
    """A new model: ``model`` with ``values`` applied, checked as a sweep's point is.

    Keys are dotted paths into the configuration (``"resources.city_outpatients.
    capacity"``, ``"pathways.orthopaedics.referrals_per_1000_per_year"``, a list item as
    ``"arrivals[0].rate_per_day"``) or ``"capacity_multiplier.KIND"`` (every resource of
    that kind scaled). ``model`` is left as it was. An unknown path or a value the
    configuration does not allow raises ConfigError naming the key."""
    if model.config is None:
        raise ValueError(f"model {model.name!r} was compiled without its configuration: "
                         "load it with pathways.load to configure it")
    configured = configure_config(model.config, dict(values))
    return replace(compile_config(configured),
                   warnings=tuple(f"{model.name}: {warning}"
                                  for warning in configuration_warnings(configured)))


def simulate(model: Model, seed: int = 0, replication: int = 0) -> SimulationResult:
    """Run one replication of ``model``; the same seed gives the same result."""
    log = simulate_replication(model, seed, replication)
    return SimulationResult(events=log, kpis=kpis(log))


def run(model: Model, replications: int = 10, seed: int = 0, workers: int = 1,
        progress: bool = False) -> RunResults:
    """Replications 0..N-1 of ``model`` from ``seed``, as ``pathways run`` makes them
    (``workers``: processes, 0 for every core; the results do not depend on it)."""
    from pathways.experiment import run_replications
    from pathways.metrics.registry import metric_bounds
    from pathways.stats import summarise

    _check_replications(replications)
    results = run_replications(model, replications, seed, progress=progress, workers=workers)
    labelled = results.kpis.assign(scenario=model.name)
    return RunResults(model.name, results.kpis, summarise(labelled, bounds=metric_bounds),
                      _frame(results.timeseries))


def compare(models: Mapping[str, Model] | Sequence[Model], replications: int = 10,
            seed: int = 0, workers: int = 1, progress: bool = False) -> Comparison:
    """Run every model on the same seeds (common random numbers) and compare each with
    the first, as ``pathways compare`` does: ``replications``, ``summary`` and paired
    ``differences`` (each model minus the first, with 95% intervals).

    ``models`` maps labels to models, or is a list labelled by the models' names (a
    clash of names is an error: give labels)."""
    from pathways.experiment import compare_models

    _check_replications(replications)
    labelled = dict(models) if isinstance(models, Mapping) else _by_name(models)
    return compare_models(labelled, replications, seed, progress=progress, workers=workers)


def read_results(folder: str | Path) -> Results:
    """The results ``pathways run``, ``compare`` or ``sweep`` stored in ``folder``, as
    frames: ``summary``, ``differences`` (a comparison or sweep), ``timeseries``,
    ``points`` and ``answers`` (a sweep), with the ``manifest`` of how they were made.
    Raises ReportError where the folder holds no results."""
    from pathways.report.load import load_results

    return load_results(folder, animation=False)


def _by_name(models: Sequence[Model]) -> dict[str, Model]:
    names = [model.name for model in models]
    clashes = sorted({name for name in names if names.count(name) > 1})
    if clashes:
        raise ValueError(f"models share the name {', '.join(map(repr, clashes))}: pass a "
                         "mapping of labels to models instead")
    return dict(zip(names, models, strict=True))


def _check_replications(replications: int) -> None:
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise ValueError(f"replications must be a whole number of at least 1, "
                         f"got {replications!r}")


def _frame(frame: pd.DataFrame | None) -> pd.DataFrame:
    return frame if frame is not None else pd.DataFrame()
