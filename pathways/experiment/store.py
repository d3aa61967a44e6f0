"""The store of runs, one mechanism for every command that simulates: a sweep's
``results/<name>/runs/`` (one Parquet file per finished run, plus its time series;
error records; at the end the consolidated tables and the manifest), and `run`'s and
`compare`'s ``<out>/replications/`` (pathways.experiment.resume). A ``Layout`` names
the folder of runs, the lock and the words said about them; the rest is shared.

Results know what made them: each run's files carry, in their Parquet metadata, the
SHA-256 of everything the run was computed from (``inputs_sha256``: the resolved
configuration of its model at its point, data files read in, the seed, the
replication and the package version). A resumed sweep keeps a stored run only where
that hash is the one the runner asks for now; any other stored run (its model, data
or design point edited since, or not part of this runner), and any file that cannot
be read, is moved aside into ``superseded/`` and run again, so a resume never mixes
inputs: its results are those of a fresh sweep. A run's further tables (its series,
and for `run` and `compare` its animation frames or event tables) are stored beside
its main file as ``<run>.<kind>.parquet`` with the same hash, and written before it: a
run counts as stored once its main file is in place. One writer at a time: the folder
is locked (``sweep.lock``, an advisory lock the operating system drops when the process
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
from functools import partial
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


class StoreError(Exception):
    """A sweep, run or comparison whose results folder cannot be used as asked (another
    writer holds it; stored runs without --resume), said in one message."""


SweepError = StoreError  # the name the sweep's callers know


@dataclass(frozen=True)
class Layout:
    """Where one kind of command keeps its runs, and what it says about them."""

    runs: str  # the folder of stored runs, inside the results folder
    lock: str  # the lock file, relative to the results folder
    writer: str  # who writes there, in messages ("sweep")
    refuse_stored: bool  # without resume: refuse a folder holding stored runs (else the
    # caller runs them again)
    foreign: str  # why a stored run that is not wanted is moved aside
    changed: str  # what may have changed when a stored run's inputs differ


SWEEP = Layout(RUNS_DIR, LOCK_FILE, "sweep", refuse_stored=True,
               foreign="not a run of this runner",
               changed="a model, a data file, the design or the version changed since")


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
    """The stored runs of one results folder (a sweep's by default)."""

    def __init__(self, folder: Path, layout: Layout = SWEEP):
        self.folder = Path(folder)
        self.layout = layout
        self.runs = self.folder / layout.runs
        self.errors = self.folder / ERRORS_DIR
        self._values: dict[str, dict[str, float]] = {}
        self._lock: int | None = None

    def prepare(self, resume: bool) -> None:
        """Lock the folder and create its folder of runs; where the layout says so,
        refuse to start over stored runs without ``resume``."""
        self.runs.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        stored = self.done()
        if stored and not resume and self.layout.refuse_stored:
            self.release()
            raise StoreError(f"{self.folder} already holds {len(stored)} runs of a "
                             f"{self.layout.writer}: continue it with --resume, or choose "
                             "another --out")

    def _take_lock(self) -> None:
        descriptor = os.open(self.folder / self.layout.lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise StoreError(f"another {self.layout.writer} is writing to {self.folder} "
                             "now: wait for it to finish, or choose another --out") from None
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
        for path in self._main_files():
            run = Run.parse(path.stem)
            want = None if run is None else expected(run)
            try:
                have = stored_inputs(path)
            except (OSError, pa.ArrowException) as error:
                moved.append(f"{path}: damaged ({error}); moved aside and run again")
            else:
                if have is not None and have == want:
                    continue
                why = (self.layout.foreign if want is None else
                       f"computed from other inputs ({self.layout.changed})")
                moved.append(f"{path.name}: {why}; moved aside" +
                             ("" if want is None else " and run again"))
            self._move_aside(path)
        return moved

    def _main_files(self) -> list[Path]:
        """Each stored run's main file (``<run>.parquet``; not its further tables)."""
        if not self.runs.exists():
            return []
        return sorted(path for path in self.runs.glob("*.parquet") if "." not in path.stem)

    def _files_of(self, run_id: str) -> list[Path]:
        """A run's main file and its further tables, ``<run>.<kind>.parquet``."""
        return [self.runs / f"{run_id}.parquet", *sorted(self.runs.glob(f"{run_id}.*.parquet"))]

    def _move_aside(self, path: Path) -> None:
        aside = self.folder / SUPERSEDED_DIR
        aside.mkdir(exist_ok=True)
        for file in self._files_of(path.stem):
            if file.exists():
                os.replace(file, aside / file.name)

    def remove_except(self, kept: set[str]) -> int:
        """Delete every stored run (with its tables) not named in ``kept``; how many."""
        removed = [path.stem for path in self._main_files() if path.stem not in kept]
        for run_id in removed:
            for file in self._files_of(run_id):
                file.unlink(missing_ok=True)
        return len(removed)

    def done(self) -> set[str]:
        return {path.stem for path in self._main_files()}

    def save(self, run: Run, main: pd.DataFrame, inputs: str,
             tables: dict[str, pd.DataFrame] | None = None) -> None:
        """The further ``tables`` first (``<run>.<kind>.parquet``), then the main file,
        each with the run's ``inputs`` hash: a run counts as done once its main file is
        in place, so a kill in between only means the run is done again."""
        for kind, frame in [*(tables or {}).items(), ("", main)]:
            name = f"{run.run_id}.{kind}.parquet" if kind else f"{run.run_id}.parquet"
            atomic_write(self.runs / name, partial(_write_with_inputs, frame, inputs=inputs))
        (self.errors / f"{run.run_id}.txt").unlink(missing_ok=True)

    def has(self, run: Run, kinds: Iterable[str], inputs: str) -> bool:
        """Whether the stored ``run`` holds each table of ``kinds``, each computed from
        ``inputs`` (a table missing, damaged or from other inputs: no)."""
        try:
            return all(stored_inputs(self.runs / f"{run.run_id}.{kind}.parquet") == inputs
                       for kind in kinds)
        except (OSError, pa.ArrowException):
            return False

    def load(self, run: Run, kinds: Iterable[str]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
        """A stored run's main table and its tables of ``kinds``."""
        return (pd.read_parquet(self.runs / f"{run.run_id}.parquet"),
                {kind: pd.read_parquet(self.runs / f"{run.run_id}.{kind}.parquet")
                 for kind in kinds})

    def save_error(self, run: Run, message: str) -> None:
        self.errors.mkdir(parents=True, exist_ok=True)
        atomic_write(self.errors / f"{run.run_id}.txt", lambda path: path.write_text(message))

    def failed(self) -> list[str]:
        if not self.errors.exists():
            return []
        return sorted(path.stem for path in self.errors.glob("*.txt"))

    def load_runs(self) -> pd.DataFrame:
        return _read_all(self._main_files(), RUN_COLUMNS)

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
