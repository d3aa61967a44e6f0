"""A sweep's store, ``results/<name>/``: one Parquet file per finished run (plus its
time series), error records, and at the end the consolidated tables and the manifest.

Results know what made them: each run's files carry, in their Parquet metadata, the
SHA-256 of everything the run was computed from (``inputs_sha256``: the resolved
configuration of its model at its point, data files read in, the seed, the
replication and the package version). A resumed sweep keeps a stored run only where
that hash is the one the runner asks for now; any other stored run (its model, data
or design point edited since, or not part of this runner), and any file that cannot
be read, is moved aside into ``superseded/`` and run again, so a resume never mixes
inputs: its results are those of a fresh sweep. One writer at a time: the folder is
locked (``sweep.lock``, an advisory lock the operating system drops when the process
ends, however it ends).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

RUNS_DIR, ERRORS_DIR, SUPERSEDED_DIR = "runs", "errors", "superseded"
LOCK_FILE = "sweep.lock"
INPUTS_KEY = b"pathways.inputs_sha256"
RUN_COLUMNS = ["point", "scenario", "replication", "stage", "metric", "value"]
SERIES_COLUMNS = ["point", "scenario", "replication", "time_days", "series", "level", "value"]
_RUN_ID = re.compile(r"^p(\d{4,})-m(\d{2,})-r(\d{4,})$")


class SweepError(Exception):
    """A sweep that cannot start or finish as asked, said in one message."""


@dataclass(frozen=True)
class Run:
    """One replication of one model at one design point."""

    point: int
    model: int  # index into the runner's models
    replication: int

    @property
    def run_id(self) -> str:
        return f"p{self.point:04d}-m{self.model:02d}-r{self.replication:04d}"

    @classmethod
    def parse(cls, run_id: str) -> Run | None:
        """The run a file stem names, or None for a name no run has."""
        found = _RUN_ID.match(run_id)
        return None if found is None else cls(*(int(part) for part in found.groups()))


def inputs_sha256(config_hash: str, seed: int, replication: int, version: str) -> str:
    """What a run is computed from, hashed: its model's resolved configuration (the
    configuration's own hash, data files read in), the seed, the replication and the
    version of pathways."""
    text = json.dumps({"config": config_hash, "seed": seed, "replication": replication,
                       "pathways": version}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class Store:
    """The files of one sweep's results folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.runs = self.folder / RUNS_DIR
        self.errors = self.folder / ERRORS_DIR
        self._values: dict[str, dict[str, float]] = {}
        self._lock: int | None = None

    def prepare(self, resume: bool) -> None:
        """Lock the folder and create its folders; refuse to start over stored runs
        without ``resume``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        stored = self.done()
        if stored and not resume:
            self.release()
            raise SweepError(f"{self.folder} already holds {len(stored)} runs of a sweep: "
                             "continue it with --resume, or choose another --out")
        self.runs.mkdir(parents=True, exist_ok=True)
        self.errors.mkdir(parents=True, exist_ok=True)

    def _take_lock(self) -> None:
        descriptor = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise SweepError(f"another sweep is writing to {self.folder} now: wait for it "
                             "to finish, or choose another --out") from None
        self._lock = descriptor

    def release(self) -> None:
        """Let another writer in (also done by the system when this process ends)."""
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def keep_only(self, expected: Callable[[Run], str | None]) -> list[str]:
        """Move aside every stored run whose recorded inputs are not ``expected(run)``
        (None: not a run of this runner), or whose file cannot be read; return what was
        moved, one line each, naming the file."""
        moved = []
        for path in sorted(self.runs.glob("*.parquet")) if self.runs.exists() else []:
            if path.name.endswith(".series.parquet"):
                continue
            run = Run.parse(path.stem)
            want = None if run is None else expected(run)
            try:
                have = stored_inputs(path)
            except (OSError, pa.ArrowException) as error:
                moved.append(f"{path}: damaged ({error}); moved aside and run again")
            else:
                if have is not None and have == want:
                    continue
                why = ("not a run of this runner" if want is None else
                       "computed from other inputs (a model, a data file, the design or the "
                       "version changed since)")
                moved.append(f"{path.name}: {why}; moved aside" +
                             ("" if want is None else " and run again"))
            self._move_aside(path)
        return moved

    def _move_aside(self, path: Path) -> None:
        aside = self.folder / SUPERSEDED_DIR
        aside.mkdir(exist_ok=True)
        for file in (path, path.with_name(f"{path.stem}.series.parquet")):
            if file.exists():
                os.replace(file, aside / file.name)

    def done(self) -> set[str]:
        if not self.runs.exists():
            return set()
        return {path.stem for path in self.runs.glob("*.parquet") if ".series" not in path.name}

    def save(self, run: Run, label: str, kpis: pd.DataFrame, series: pd.DataFrame,
             inputs: str) -> None:
        """The series first, then the KPIs, each with the run's ``inputs`` hash: a run
        counts as done once its KPI file is in place, so a kill between the two only
        means the run is done again."""
        series = series.assign(point=run.point, scenario=label)[SERIES_COLUMNS]
        kpis = kpis.assign(point=run.point, scenario=label)[RUN_COLUMNS]
        atomic_write(self.runs / f"{run.run_id}.series.parquet",
                     lambda path: _write_with_inputs(series, path, inputs))
        atomic_write(self.runs / f"{run.run_id}.parquet",
                     lambda path: _write_with_inputs(kpis, path, inputs))
        (self.errors / f"{run.run_id}.txt").unlink(missing_ok=True)

    def save_error(self, run: Run, message: str) -> None:
        atomic_write(self.errors / f"{run.run_id}.txt", lambda path: path.write_text(message))

    def failed(self) -> list[str]:
        return sorted(path.stem for path in self.errors.glob("*.txt"))

    def load_runs(self) -> pd.DataFrame:
        return _read_all(sorted(p for p in self.runs.glob("*.parquet")
                                if ".series" not in p.name), RUN_COLUMNS)

    def load_series(self) -> pd.DataFrame:
        return _read_all(sorted(self.runs.glob("*.series.parquet")), SERIES_COLUMNS)

    def values(self, run: Run, metrics: Iterable[str]) -> dict[str, float]:
        """System-level values of ``metrics`` in a stored run (read once, then cached)."""
        if run.run_id not in self._values:
            frame = pd.read_parquet(self.runs / f"{run.run_id}.parquet")
            system = frame[(frame["stage"] == "") & frame["metric"].isin(list(metrics))]
            self._values[run.run_id] = dict(zip(system["metric"],
                                                system["value"].astype(float), strict=True))
        return self._values[run.run_id]


def stored_inputs(path: Path) -> str | None:
    """The inputs hash a run's file records (None: a file from before hashes)."""
    metadata = pq.read_metadata(path).metadata or {}  # a damaged footer raises here
    value = metadata.get(INPUTS_KEY)
    return None if value is None else value.decode()


def _write_with_inputs(frame: pd.DataFrame, path: Path, inputs: str) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = {**(table.schema.metadata or {}), INPUTS_KEY: inputs.encode()}
    pq.write_table(table.replace_schema_metadata(metadata), path)


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary name in the same folder, then rename (atomic); a write
    that fails (a full disk) leaves no partial temporary file behind."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _read_all(paths: list[Path], columns: list[str]) -> pd.DataFrame:
    if not paths:
        return pd.DataFrame(columns=columns)
    return pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
