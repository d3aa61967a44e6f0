"""Compare models on common random numbers: per-model summaries and paired differences.

Every model runs replications 0..N-1 from the same seed. The engine keys each random
stream by (seed, replication, purpose, element name), so replication i of two models
sees the same patients wherever the models agree; the difference of a KPI within a
replication pair then carries only the effect of what differs between the models, and
its interval is far tighter than that of two independent runs. Labels never reach the
engine, so two identical models under two labels give identical values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pathways.config.schema import Config
from pathways.experiment.outputs import (
    manifest,
    write_results,
)
from pathways.experiment.replications import ReplicationResults, replicate_models
from pathways.experiment.resume import StoredReplications, replicate_stored
from pathways.metrics.registry import difference_bounds, metric_bounds
from pathways.model.model import Model
from pathways.stats import paired_difference, summarise

DIFFERENCE_COLUMNS = ("scenario", "baseline", "stage", "metric", "mean_difference",
                      "ci_low", "ci_high", "n", "significant")
_PAIR_KEYS = ["replication", "stage", "metric"]
#: Manifest entries that are the same for every model of a comparison.
_SHARED_MANIFEST_KEYS = ("seed", "replications", "command", "versions")


@dataclass(frozen=True)
class Comparison:
    """Stacked per-replication KPIs, per-model summaries and differences from the baseline.

    ``labels[0]`` is the baseline; the ``scenario`` column of every frame holds labels.
    """

    labels: tuple[str, ...]
    replications: pd.DataFrame
    summary: pd.DataFrame
    differences: pd.DataFrame
    timeseries: pd.DataFrame | None = None
    animation: pd.DataFrame | None = None  # replication 0's frames of every model


def unique_labels(names: Sequence[str], stems: Sequence[str]) -> list[str]:
    """Labels for models: the name, the file stem where names clash, then ``#2``, ``#3``.

    Results are keyed by label, so two models must never share one, yet a label should
    stay the name the user wrote wherever that is unambiguous.
    """
    clashing = {name for name, count in Counter(names).items() if count > 1}
    wanted = [stem if name in clashing else name for name, stem in zip(names, stems, strict=True)]
    labels: list[str] = []
    for label in wanted:
        candidate, copy = label, 1
        while candidate in labels:
            copy += 1
            candidate = f"{label}#{copy}"
        labels.append(candidate)
    return labels


def compare_models(models: Mapping[str, Model], replications: int, seed: int,
                   progress: bool | None = None, workers: int = 1,
                   animation: bool = False, scheduler: str | None = None,
                   stored: StoredReplications | None = None) -> Comparison:
    """Run every model (label -> Model, baseline first) on the same seeds and compare
    (``workers``, ``scheduler``: where replications run, see run_replications;
    ``animation``: keep each model's replication 0 frames; ``stored``: store each
    replication as it finishes, and reuse those stored on resume,
    pathways.experiment.resume)."""
    if len(models) < 2:
        raise ValueError(f"a comparison needs at least two models, got {len(models)}")
    runs = (replicate_models(models, replications, seed, progress=progress, workers=workers,
                             animation=animation, scheduler=scheduler) if stored is None
            else replicate_stored(models, replications, seed, stored, progress=progress,
                                  workers=workers, animation=animation, scheduler=scheduler))
    stacked = _stacked({label: run.kpis for label, run in runs.items()})
    series = _stacked({label: run.timeseries for label, run in runs.items()})
    labels = tuple(models)
    return Comparison(labels, stacked, summarise(stacked, bounds=metric_bounds),
                      paired_differences(stacked, labels[0]), series,
                      _stacked({label: run.animation for label, run in runs.items()})
                      if animation else None)


def _stacked(frames: Mapping[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Every model's frame, labelled as the comparison labels it."""
    return pd.concat([frame.assign(scenario=label) for label, frame in frames.items()
                      if frame is not None], ignore_index=True)


def paired_differences(replications: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Model minus baseline per (stage, metric), paired by replication, with 95% t-intervals.

    Only replications where both models have a value are paired, so a metric one model
    lacks (a stage the other does not have, or no data) is skipped rather than guessed.
    ``significant`` is true where the interval excludes 0.
    """
    measured = replications.dropna(subset=["value"])
    base = measured[measured["scenario"] == baseline]
    blocks = [_differences_from(base, rows, label, baseline)
              for label, rows in measured.groupby("scenario", sort=False)
              if label != baseline]
    return pd.concat(blocks, ignore_index=True) if blocks else pd.DataFrame(
        columns=list(DIFFERENCE_COLUMNS))


def _differences_from(base: pd.DataFrame, rows: pd.DataFrame, label: str,
                      baseline: str) -> pd.DataFrame:
    """One model's paired differences from the baseline, in the model's row order."""
    pairs = rows[_PAIR_KEYS + ["value"]].merge(base[_PAIR_KEYS + ["value"]], on=_PAIR_KEYS,
                                               suffixes=("", "_baseline"))
    records = []
    for (stage, metric), pair in pairs.groupby(["stage", "metric"], sort=False):
        mean, low, high, n = paired_difference(pair["value_baseline"], pair["value"],
                                               bounds=difference_bounds(metric))
        records.append((label, baseline, stage, metric, mean, low, high, n,
                        bool(low > 0 or high < 0)))
    return pd.DataFrame.from_records(records, columns=list(DIFFERENCE_COLUMNS))


def comparison_manifest(models: Mapping[str, Model], configs: Mapping[str, Config],
                        files: Mapping[str, Sequence[Path]], seed: int, replications: int,
                        command: str) -> dict:
    """One manifest for the comparison: shared run settings once, then each model's own
    (``configs``: what each model was compiled from)."""
    per_model = {label: manifest(model, configs[label], seed, replications, files[label],
                                 command)
                 for label, model in models.items()}
    first = next(iter(per_model.values()))
    return {
        **{key: first[key] for key in _SHARED_MANIFEST_KEYS},
        "baseline": next(iter(models)),
        "models": {label: {key: value for key, value in entry.items()
                           if key not in _SHARED_MANIFEST_KEYS}
                   for label, entry in per_model.items()},
    }


def write_comparison(out_dir: Path, comparison: Comparison, manifest_data: dict) -> dict[str, Path]:
    """Write replications.parquet, summary.csv (all models stacked), differences.csv
    and manifest.json together, or nothing."""
    return write_results(out_dir, ReplicationResults(comparison.replications,
                                                     comparison.timeseries,
                                                     animation=comparison.animation),
                         manifest_data, {"differences.csv": comparison.differences})
