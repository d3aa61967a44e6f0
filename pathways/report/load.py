"""Read a results folder of any kind into one shape, without simulating anything.

Three kinds of folder (results/README.md has their schemas):

* ``run``: summary.csv, replications.parquet, timeseries.parquet, manifest.json;
* ``compare``: the same plus differences.csv (paired differences from the baseline);
* ``sweep``: runs.parquet, summary.csv, differences.csv, points.csv,
  timeseries.parquet and manifest.json, every table with a ``point`` column, and for
  a runner with questions answers.csv (one row per question).

Every frame of a ``Results`` has a ``point`` column (0 for a run or a comparison, which
have one point), and ``stage`` is ``""`` for the whole system, so the rest of the
report handles all three kinds alike.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from pathways.experiment.questions import ANSWER_COLUMNS, ANSWERS_FILE

SYSTEM = ""  # the stage of whole-system rows
SUMMARY_COLUMNS = ("scenario", "stage", "metric", "mean")
_Frame = TypeVar("_Frame")


class ReportError(Exception):
    """A folder that does not hold results the report can read."""


def _names_damaged_file(read: Callable[[Path], _Frame]) -> Callable[[Path], _Frame]:
    """A results file that cannot be parsed (garbage bytes, a truncated parquet file)
    becomes a ReportError naming it: a damaged folder is the user's to fix, not a bug."""

    @functools.wraps(read)
    def reading(path: Path) -> _Frame:
        try:
            return read(path)
        except (OSError, ValueError) as error:  # pyarrow's and pandas' errors included
            problem = (str(error).splitlines() or [type(error).__name__])[0]
            raise ReportError(f"{path} cannot be read: {problem}") from error

    return reading


@dataclass(frozen=True)
class Results:
    folder: Path
    kind: str  # "run", "compare" or "sweep"
    manifest: dict
    summary: pd.DataFrame  # point, scenario, stage, metric, mean, ci_low, ci_high, n
    labels: tuple[str, ...]  # the models in their order, the baseline first
    baseline: str | None  # None for a single run
    differences: pd.DataFrame | None = None  # point, scenario, baseline, stage, metric, ...
    timeseries: pd.DataFrame | None = None  # point, scenario, replication, time_days, ...
    points: pd.DataFrame | None = None  # sweep: point, label, one column per parameter
    parameters: tuple[str, ...] = field(default_factory=tuple)
    answers: pd.DataFrame | None = None  # sweep with questions: ANSWER_COLUMNS
    animation: pd.DataFrame | None = None  # scenario, replication, ANIMATION_COLUMNS

    def labels_at(self, point: int) -> tuple[str, ...]:
        """The models run at ``point``, in ``labels`` order: every model, but in a sweep
        whose manifest records fewer for the point (a runner with questions)."""
        entries = [p for p in self.manifest.get("points") or [] if p.get("point") == point]
        planned = (entries[0].get("config_hashes") or {}) if entries else {}
        return tuple(label for label in self.labels if label in planned) if planned else (
            self.labels)

    def paired_at(self, point: int) -> tuple[str, pd.DataFrame] | None:
        """The baseline and differences.csv where ``point`` has paired differences from
        the baseline (it ran there, with at least one other model), else None."""
        labels = self.labels_at(point)
        if (self.differences is None or self.baseline is None or self.baseline not in labels
                or len(labels) < 2):
            return None
        return self.baseline, self.differences

    def compared_at(self, point: int) -> bool:
        """Whether ``point`` has paired differences from the baseline."""
        return self.paired_at(point) is not None

    @property
    def point_ids(self) -> list[int]:
        return sorted(int(p) for p in self.summary["point"].unique())

    def point_label(self, point: int) -> str:
        if self.points is None:
            return ""
        rows = self.points[self.points["point"] == point]
        return str(rows["label"].iloc[0]) if len(rows) else f"point {point}"

    def warmup_days(self, label: str, point: int = 0) -> float | None:
        return self._model_setting("warmup_days", label, point)

    def horizon_days(self, label: str, point: int = 0) -> float | None:
        return self._model_setting("horizon_days", label, point)

    def replications(self) -> str:
        """How many replications, as the manifest says (``auto`` in a sweep may vary)."""
        value = self.manifest.get("replications")
        if value == "auto":
            per_point = self.manifest.get("replications_per_point") or {}
            counts = sorted(set(per_point.values()))
            if counts:
                spread = str(counts[0]) if len(counts) == 1 else f"{counts[0]} to {counts[-1]}"
                return f"auto ({spread} per point)"
            return "auto"
        return "not recorded" if value is None else str(value)

    def settings(self, label: str) -> dict[str, Any] | None:
        """The model's settings by dotted path (pathways.model.settings) as the manifest
        records them (a sweep's: as written, before the points' values); None where it
        records none (results written before settings were)."""
        return self._per_model_entry("settings", label)

    def pathway_outlines(self, label: str) -> dict[str, dict] | None:
        """The model's pathway outlines (pathways.model.pathway_outline) as the manifest
        records them (a sweep's: as written, before the points' values); None where it
        records none (results written before outlines were)."""
        return self._per_model_entry("pathways", label)

    def _per_model_entry(self, key: str, label: str) -> dict | None:
        """A run's manifest entry `key`, a comparison's for the model `label`, or a
        sweep's `key` entry for it; None where the manifest has none."""
        manifest = self.manifest
        if self.kind == "run":
            entry = manifest.get(key)
        elif self.kind == "compare":
            entry = ((manifest.get("models") or {}).get(label) or {}).get(key)
        else:
            entry = (manifest.get(key) or {}).get(label)
        return entry if isinstance(entry, dict) else None

    def _model_setting(self, key: str, label: str, point: int) -> float | None:
        manifest = self.manifest
        if self.kind == "run":
            value = manifest.get(key)
        elif self.kind == "compare":
            value = (manifest.get("models") or {}).get(label, {}).get(key)
        else:  # a sweep records it per point and model (older manifests do not); a model
            # not run at `point` (a runner with questions) has its first point's
            entries = manifest.get("points") or []
            values = [(entry.get(key) or {}).get(label) for entry in entries
                      if entry.get("point") == point]
            values += [(entry.get(key) or {}).get(label) for entry in entries]
            value = next((v for v in values if v is not None), None)
        return None if value is None else float(value)


def load_results(folder: str | os.PathLike[str], animation: bool = True) -> Results:
    """Read ``folder`` (a run, a comparison or a sweep); ReportError if it is none.
    ``animation=False`` leaves out its animation.parquet (a smaller report)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(f"{folder} is not a folder")
    if not (folder / "summary.csv").is_file():
        raise ReportError(f"{folder} holds no summary.csv: not a results folder of "
                          "pathways run, compare or sweep")
    manifest = _read_manifest(folder / "manifest.json")
    is_sweep = (folder / "points.csv").is_file() or (folder / "runs.parquet").is_file()
    summary = _read_table(folder / "summary.csv")
    if summary.empty:
        raise ReportError(f"{folder}/summary.csv holds no results")
    missing = [column for column in SUMMARY_COLUMNS if column not in summary.columns]
    if missing:
        raise ReportError(f"{folder}/summary.csv is not a results summary: it has no "
                          f"column {', '.join(missing)}")
    differences = _read_table(folder / "differences.csv") if (
        folder / "differences.csv").is_file() else None
    timeseries = _read_timeseries(folder / "timeseries.parquet")
    if is_sweep:
        return _sweep(folder, manifest, summary, differences, timeseries)
    summary = summary.assign(point=0)
    labels = tuple(dict.fromkeys(summary["scenario"]))
    if timeseries is not None:
        timeseries = timeseries.assign(point=0)
    frames = _read_animation(folder / "animation.parquet") if animation else None
    if differences is not None and not differences.empty:
        baseline = str(manifest.get("baseline") or differences["baseline"].iloc[0])
        labels = (baseline, *[label for label in labels if label != baseline])
        return Results(folder, "compare", manifest, summary, labels, baseline,
                       differences.assign(point=0), timeseries, animation=frames)
    return Results(folder, "run", manifest, summary, labels, None, None, timeseries,
                   animation=frames)


def _sweep(folder: Path, manifest: dict, summary: pd.DataFrame,
           differences: pd.DataFrame | None, timeseries: pd.DataFrame | None) -> Results:
    points = _read_points(folder / "points.csv") if (folder / "points.csv").is_file() else None
    parameters = tuple(c for c in points.columns if c not in ("point", "label")) if (
        points is not None) else ()
    models = manifest.get("models")
    seen = list(dict.fromkeys(summary["scenario"]))
    labels = [str(m) for m in models if m in seen] if isinstance(models, list) else seen
    labels += [label for label in seen if label not in labels]
    baseline = manifest.get("baseline")
    if baseline in labels:
        labels = [baseline, *[label for label in labels if label != baseline]]
    else:
        baseline = None
    if differences is not None and differences.empty:
        differences = None
    return Results(folder, "sweep", manifest, summary, tuple(labels), baseline, differences,
                   timeseries, points, parameters, _read_answers(folder / ANSWERS_FILE))


@_names_damaged_file
def _read_points(path: Path) -> pd.DataFrame:
    points = pd.read_csv(path, keep_default_na=False, na_values=[""])
    if "label" not in points.columns:
        raise ValueError("it has no column label")
    return points.assign(label=points["label"].astype(str))


@_names_damaged_file
def _read_answers(path: Path) -> pd.DataFrame | None:
    """answers.csv with every text column as text (a question id `001` stays `001`)."""
    if not path.is_file():
        return None
    numbers = {"mean_difference", "ci_low", "ci_high", "n"}
    text = {column: str for column in ANSWER_COLUMNS if column not in numbers}
    frame = pd.read_csv(path, keep_default_na=False, na_values={c: [""] for c in numbers},
                        dtype=text)
    return None if frame.empty else frame


def _read_manifest(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ReportError(f"{path} cannot be read as JSON: {error}") from error
    return data if isinstance(data, dict) else {}


@_names_damaged_file
def _read_table(path: Path) -> pd.DataFrame:
    """A results CSV: names stay text ('NA' is a name, not a missing value), an empty
    stage is the whole system."""
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""],
                            dtype={"scenario": str, "stage": str, "baseline": str,
                                   "metric": str})
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    for column in ("scenario", "stage", "baseline", "metric"):
        if column in frame.columns:
            frame[column] = frame[column].fillna(SYSTEM).astype(str)
    if "significant" in frame.columns:
        frame["significant"] = frame["significant"].astype(str).str.lower() == "true"
    return frame


@_names_damaged_file
def _read_animation(path: Path) -> pd.DataFrame | None:
    """Patients' positions per frame of replication 0 (pathways.log.animation)."""
    if not path.is_file():
        return None
    frame = pd.read_parquet(path)
    return None if frame.empty else frame.assign(scenario=frame["scenario"].astype(str))


@_names_damaged_file
def _read_timeseries(path: Path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    frame = pd.read_parquet(path)
    if frame.empty:
        return None
    frame["level"] = frame["level"].fillna(SYSTEM).astype(str)
    frame["scenario"] = frame["scenario"].astype(str)
    return frame
