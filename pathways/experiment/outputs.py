"""Write a run's results: all files appear together or not at all.

Files are written into a hidden staging folder inside the output folder and moved
into place only once every one of them is complete (each move is atomic), so an
interrupted or failed run never leaves a half-written file behind; result files of
an earlier run that this one does not write are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from pathways.config.errors import format_path
from pathways.config.lint import lint
from pathways.config.schema import Config
from pathways.experiment.replications import ReplicationResults
from pathways.log import EventLog, concat_logs
from pathways.log.event_log import handoffs_frame, patients_frame
from pathways.metrics.registry import metric_bounds
from pathways.model.model import Model
from pathways.model.pathway_outline import pathway_outlines
from pathways.model.settings import settings
from pathways.stats import summarise

SUMMARY_FLOAT_FORMAT = "%.10g"
#: Every file a run or a comparison may write; those a run does not write are removed,
#: so a folder never mixes this run's results with an earlier run's.
RESULT_FILES = frozenset({
    "summary.csv", "replications.parquet", "manifest.json", "timeseries.parquet",
    "events.parquet", "patients.parquet", "handoffs.parquet", "differences.csv",
    "animation.parquet",
    "report.html",  # written after the results by the command line (pathways.report)
})
_PACKAGES = ("pathways", "numpy", "scipy", "pandas", "pyarrow", "pydantic")


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape results (for the manifest)."""
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def manifest(model: Model, config: Config, seed: int, replications: int,
             files: Sequence[Path] = (), command: str = "") -> dict[str, Any]:
    """Everything needed to say exactly what was run (``command``: how to run it again),
    and, from ``config`` (the one ``model`` was compiled from), each pathway's outline,
    every setting and the configuration's warnings (an offered load at or near 1), so
    that a report can show how models differ and warn as the terminal did."""
    return {
        "scenario": model.name,
        "config_hash": model.config_hash,
        "pathways": pathway_outlines(config),
        "settings": settings(config),
        "configuration_warnings": configuration_warnings(config),
        "config_files": [{"path": str(f), "sha256": file_sha256(f)} for f in files],
        "seed": seed,
        "replications": replications,
        "horizon_days": model.horizon_days,
        "warmup_days": model.warmup_days,
        "command": command,
        "versions": package_versions(),
    }


def configuration_warnings(config: Config) -> list[str]:
    """The warnings `pathways` printed when it loaded ``config``, by field path (the
    files and lines are in the terminal's copy; the report names the setting)."""
    _, warnings = lint(config)
    return [f"{format_path(w.path)}: {w.message}" if w.path else w.message for w in warnings]


def write_results(out_dir: Path, results: ReplicationResults, manifest_data: dict[str, Any],
                  tables: Mapping[str, pd.DataFrame] | None = None) -> dict[str, Path]:
    """Write summary.csv, replications.parquet, manifest.json, timeseries.parquet
    (+ events.parquet, and in an economy patients.parquet and handoffs.parquet, when
    events are kept; animation.parquet, when frames were made), and any further
    ``tables`` as CSV files named by their keys, all together."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=out_dir))
    try:
        written = {
            "summary.csv": _write_summary(staging, results.kpis),
            "replications.parquet": _write_parquet(staging / "replications.parquet", results.kpis),
            "manifest.json": _write_json(staging / "manifest.json", manifest_data),
        }
        if results.timeseries is not None and not results.timeseries.empty:
            written["timeseries.parquet"] = _write_parquet(staging / "timeseries.parquet",
                                                           results.timeseries)
        if results.animation is not None:
            written["animation.parquet"] = _write_parquet(staging / "animation.parquet",
                                                          results.animation)
        for name, table in (tables or {}).items():
            written[name] = staging / name
            table.to_csv(written[name], index=False, float_format=SUMMARY_FLOAT_FORMAT)
        for name, frame in (results.event_tables or event_tables(results.events)).items():
            written[name] = _write_parquet(staging / name, frame)
        for name in written:
            os.replace(staging / name, out_dir / name)
        for stale in RESULT_FILES - set(written):  # left by an earlier, different run
            (out_dir / stale).unlink(missing_ok=True)
        return {name: out_dir / name for name in written}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def event_tables(logs: Sequence[EventLog]) -> dict[str, pd.DataFrame]:
    """The tables written of kept logs, by file name: events.parquet, and in a health
    economy patients.parquet and handoffs.parquet (none without logs)."""
    if not logs:
        return {}
    tables = {"events.parquet": concat_logs(list(logs)).to_frame()}
    if logs[0].patients is not None:  # a health economy's own tables
        for name, frame_of in (("patients.parquet", patients_frame),
                               ("handoffs.parquet", handoffs_frame)):
            tables[name] = pd.concat([frame_of(log) for log in logs], ignore_index=True)
    return tables


def _write_summary(folder: Path, replication_kpis: pd.DataFrame) -> Path:
    path = folder / "summary.csv"
    summarise(replication_kpis, bounds=metric_bounds).to_csv(
        path, index=False, float_format=SUMMARY_FLOAT_FORMAT)
    return path


def _write_parquet(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_parquet(path, index=False)
    return path


def _write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path
