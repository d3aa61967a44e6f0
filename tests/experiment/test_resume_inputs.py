"""Results know what made them (issue 17, part 1): each stored run records the hash of
its inputs (resolved configuration with its data files, seed, replication, version);
a resume keeps only runs whose inputs are unchanged and moves the rest aside, so
editing a model or a data file between a sweep and its resume gives the results of a
fresh sweep of the edited inputs, byte for byte. A damaged run file is named, moved
aside and run again, and one folder has one writer at a time."""

import shutil
from pathlib import Path

import pytest

from pathways.experiment.runner import load_runner
from pathways.experiment.store import Store, SweepError
from pathways.experiment.sweep import run_sweep

MODELS = Path(__file__).parent / "malformed_runners" / "models"
RUNNER = """\
name: edited
models: [models/small.yaml]
replications: 2
seed: 3
parameters:
  capacity_multiplier.beds: [1.0, 2.0]
"""
RESULT_FILES = ("runs.parquet", "summary.csv", "timeseries.parquet", "points.csv")


@pytest.fixture
def study(tmp_path) -> Path:
    folder = tmp_path / "study"
    (folder / "models").mkdir(parents=True)
    for name in ("small.yaml", "practices.csv"):
        shutil.copy(MODELS / name, folder / "models" / name)
    (folder / "runner.yaml").write_text(RUNNER)
    return folder


def _sweep(study: Path, out: Path, resume: bool = False):
    return run_sweep(load_runner(study / "runner.yaml"), out, workers=1, resume=resume,
                     progress=False)


def _same_results(one: Path, other: Path) -> None:
    for name in RESULT_FILES:
        assert (one / name).read_bytes() == (other / name).read_bytes(), name


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize("file, old, new", [
    ("small.yaml", "referrals_per_1000_per_year: 50", "referrals_per_1000_per_year: 60"),
    ("practices.csv", "east_practice,6000", "east_practice,7000"),  # a data file it reads
])
def test_an_edit_between_sweep_and_resume_gives_a_fresh_sweeps_results(study, tmp_path, file,
                                                                         old, new):
    resumed, fresh = tmp_path / "resumed", tmp_path / "fresh"
    _sweep(study, resumed)
    _edit(study / "models" / file, old, new)
    result = _sweep(study, resumed, resume=True)
    assert result.ran == 4 and len(result.moved_aside) == 4
    assert all("computed from other inputs" in line for line in result.moved_aside)
    assert len(list((resumed / "superseded").glob("*.parquet"))) == 8  # runs and series
    _sweep(study, fresh)
    _same_results(resumed, fresh)


def test_an_unchanged_resume_keeps_every_run(study, tmp_path):
    out = tmp_path / "out"
    _sweep(study, out)
    result = _sweep(study, out, resume=True)
    assert (result.ran, result.moved_aside) == (0, [])
    assert not (out / "superseded").exists()
    assert not list(out.glob(".*sha256"))  # no hidden stamp


def test_runs_the_runner_no_longer_has_are_moved_aside(study, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    _sweep(study, out)
    _edit(study / "runner.yaml", "[1.0, 2.0]", "[1.0]")
    result = _sweep(study, out, resume=True)
    assert result.ran == 0 and len(result.moved_aside) == 2
    assert all("not a run of this runner" in line for line in result.moved_aside)
    _sweep(study, fresh)
    _same_results(out, fresh)


def test_a_damaged_run_file_is_named_moved_aside_and_run_again(study, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    _sweep(study, out)
    damaged = out / "runs" / "p0001-m00-r0001.parquet"
    damaged.write_bytes(damaged.read_bytes()[:100])
    result = _sweep(study, out, resume=True)
    assert result.ran == 1
    (line,) = result.moved_aside
    assert line.startswith(f"{damaged}: damaged")
    _sweep(study, fresh)
    _same_results(out, fresh)


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(study, tmp_path):
    out = tmp_path / "out"
    first = Store(out)
    first.prepare(resume=False)
    try:
        with pytest.raises(SweepError, match="another sweep is writing to"):
            _sweep(study, out)
    finally:
        first.release()
    assert _sweep(study, out).ran == 4  # free again once the first lets go
