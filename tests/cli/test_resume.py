"""`pathways run --resume` and `pathways compare --resume`: each finished replication is
stored in <out>/replications/ with the hash of its inputs, a resume runs only what is
missing and writes the same bytes as an uninterrupted command, and stored replications
of other inputs (another seed, an edited model) are never reused."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import pathways.experiment.resume as resume_module
import pathways.experiment.store as store_module
from pathways.cli.main import cli
from pathways.experiment.store import Store
from tests.cli.test_run import SMALL

#: Every file a finished command leaves in --out, the report included.
FINAL = ("summary.csv", "replications.parquet", "timeseries.parquet", "animation.parquet",
         "manifest.json", "report.html")
COMPARED = ("differences.csv", *FINAL)


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(textwrap.dedent(SMALL))
    return path


@pytest.fixture
def other(tmp_path) -> Path:
    """A second model for compare: three nurses instead of two."""
    path = tmp_path / "more.yaml"
    path.write_text(textwrap.dedent(SMALL).replace("name: small", "name: more")
                    .replace("capacity: 2", "capacity: 3"))
    return path


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _files(out: Path, names=FINAL) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in names}


def _stored(out: Path) -> list[str]:
    return sorted(path.name for path in (out / "replications").glob("*.parquet")
                  if path.name.count(".") == 1)


def test_a_run_interrupted_then_resumed_writes_the_same_bytes(config, tmp_path, simulated,
                                                              monkeypatch):
    out = tmp_path / "out"
    args = ("run", config, "-n", 3, "--seed", 4, "--out", out, "-q")
    assert invoke(*args).exit_code == 0
    uninterrupted = _files(out)
    assert _stored(out) == [f"p0000-m00-r000{r}.parquet" for r in range(3)]
    shutil.rmtree(out)

    counting = resume_module.replication_outputs

    def interrupted(model, seed, replication, *rest):
        if replication == 2:  # Ctrl-C while the third replication runs
            raise KeyboardInterrupt
        return counting(model, seed, replication, *rest)

    monkeypatch.setattr(resume_module, "replication_outputs", interrupted)
    stopped = invoke(*args)
    assert stopped.exit_code == 130
    assert "--resume" in stopped.stderr and f"{out}/replications" in stopped.stderr
    assert _stored(out) == ["p0000-m00-r0000.parquet", "p0000-m00-r0001.parquet"]
    assert not (out / "summary.csv").exists()

    monkeypatch.setattr(resume_module, "replication_outputs", counting)
    simulated.clear()
    resumed = invoke(*args, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert simulated == [("small", 2)]  # only the missing one
    assert "2 of 3 replications reused" in resumed.stderr
    assert _files(out) == uninterrupted


def test_a_resume_runs_only_the_replications_missing_from_the_store(config, tmp_path,
                                                                     simulated):
    out = tmp_path / "out"
    args = ("run", config, "-n", 3, "--seed", 4, "--out", out, "-q", "--no-report")
    assert invoke(*args).exit_code == 0
    before = _files(out, FINAL[:-1])
    (out / "replications" / "p0000-m00-r0001.parquet").unlink()
    simulated.clear()
    assert invoke(*args, "--resume").exit_code == 0
    assert simulated == [("small", 1)]
    assert _files(out, FINAL[:-1]) == before
    simulated.clear()
    again = invoke(*args, "--resume")
    assert simulated == [] and "3 of 3 replications reused" in again.stderr
    assert _files(out, FINAL[:-1]) == before


def test_a_resume_with_more_replications_runs_only_the_new_ones(config, tmp_path, simulated):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert invoke("run", config, "-n", 2, "--out", out, "-q", "--no-report").exit_code == 0
    simulated.clear()
    assert invoke("run", config, "-n", 4, "--out", out, "-q", "--no-report",
                  "--resume").exit_code == 0
    assert simulated == [("small", 2), ("small", 3)]
    assert invoke("run", config, "-n", 4, "--out", fresh, "-q", "--no-report").exit_code == 0
    for name in ("summary.csv", "replications.parquet", "timeseries.parquet"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


@pytest.mark.parametrize("change", ["seed", "config"])
def test_a_resume_never_reuses_replications_of_other_inputs(config, tmp_path, simulated,
                                                            change):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert invoke("run", config, "-n", 2, "--seed", 1, "--out", out, "-q",
                  "--no-report").exit_code == 0
    seed = 1
    if change == "seed":
        seed = 2
    else:
        config.write_text(config.read_text().replace("rate_per_day: 1.2", "rate_per_day: 1.3"))
    simulated.clear()
    resumed = invoke("run", config, "-n", 2, "--seed", seed, "--out", out, "-q",
                     "--no-report", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert simulated == [("small", 0), ("small", 1)]  # nothing reused
    assert "0 of 2 replications reused" in resumed.stderr
    assert "computed from other inputs" in resumed.stderr
    assert "p0000-m00-r0000.parquet" in resumed.stderr  # each is named
    assert sorted(p.name for p in (out / "superseded").glob("*.parquet")) == [
        "p0000-m00-r0000.animation.parquet", "p0000-m00-r0000.parquet",
        "p0000-m00-r0000.series.parquet", "p0000-m00-r0001.parquet",
        "p0000-m00-r0001.series.parquet"]
    assert invoke("run", config, "-n", 2, "--seed", seed, "--out", fresh, "-q",
                  "--no-report").exit_code == 0
    for name in ("summary.csv", "replications.parquet", "timeseries.parquet"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_without_resume_every_replication_runs_again_as_before(config, tmp_path, simulated):
    """The contract of an --out folder holding earlier results is unchanged: a command
    without --resume replaces them (and says that --resume would reuse them); stored
    replications it does not have are removed once it has finished."""
    out = tmp_path / "out"
    assert invoke("run", config, "-n", 3, "--out", out, "-q", "--no-report").exit_code == 0
    simulated.clear()
    again = invoke("run", config, "-n", 2, "--out", out, "-q", "--no-report")
    assert again.exit_code == 0
    assert simulated == [("small", 0), ("small", 1)]
    assert "holds 3 stored replications" in again.stderr and "--resume" in again.stderr
    assert _stored(out) == ["p0000-m00-r0000.parquet", "p0000-m00-r0001.parquet"]
    assert not (out / "superseded").exists()


def test_a_damaged_stored_replication_is_named_moved_aside_and_run_again(config, tmp_path,
                                                                          simulated):
    out = tmp_path / "out"
    args = ("run", config, "-n", 2, "--out", out, "-q", "--no-report")
    assert invoke(*args).exit_code == 0
    before = _files(out, FINAL[:-1])
    damaged = out / "replications" / "p0000-m00-r0001.parquet"
    damaged.write_bytes(damaged.read_bytes()[:100])
    simulated.clear()
    resumed = invoke(*args, "--resume")
    assert resumed.exit_code == 0 and simulated == [("small", 1)]
    assert f"{damaged}: damaged" in resumed.stderr
    assert _files(out, FINAL[:-1]) == before


def test_a_resume_that_now_keeps_events_runs_what_lacks_them(config, tmp_path, simulated):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert invoke("run", config, "-n", 2, "--out", out, "-q", "--no-report").exit_code == 0
    simulated.clear()
    assert invoke("run", config, "-n", 2, "--out", out, "-q", "--no-report", "--keep-events",
                  "--resume").exit_code == 0
    assert simulated == [("small", 0), ("small", 1)]  # stored without their events
    simulated.clear()
    assert invoke("run", config, "-n", 2, "--out", out, "-q", "--no-report", "--keep-events",
                  "--resume").exit_code == 0
    assert simulated == []
    assert invoke("run", config, "-n", 2, "--out", fresh, "-q", "--no-report",
                  "--keep-events").exit_code == 0
    for name in ("events.parquet", "replications.parquet"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_a_comparison_interrupted_then_resumed_writes_the_same_bytes(config, other, tmp_path,
                                                                     simulated):
    out = tmp_path / "out"
    args = ("compare", config, other, "-n", 3, "--seed", 5, "--out", out, "-q")
    assert invoke(*args).exit_code == 0
    uninterrupted = _files(out, COMPARED)
    assert len(_stored(out)) == 6
    for stored in ("p0000-m00-r0002.parquet", "p0000-m01-r0000.parquet"):
        (out / "replications" / stored).unlink()  # as if stopped before these finished
    for name in COMPARED:
        (out / name).unlink()
    simulated.clear()
    resumed = invoke(*args, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert sorted(simulated) == [("more", 0), ("small", 2)]
    assert "4 of 6 replications reused" in resumed.stderr
    assert _files(out, COMPARED) == uninterrupted


def test_a_comparison_resumed_with_its_models_swapped_reuses_nothing(config, other, tmp_path,
                                                                     simulated):
    """Stored replications are keyed by each model's place on the command line; the
    hash of its configuration tells a swapped model from the one stored."""
    out = tmp_path / "out"
    assert invoke("compare", config, other, "-n", 2, "--out", out, "-q",
                  "--no-report").exit_code == 0
    simulated.clear()
    resumed = invoke("compare", other, config, "-n", 2, "--out", out, "-q", "--no-report",
                     "--resume")
    assert resumed.exit_code == 0 and len(simulated) == 4
    assert "0 of 4 replications reused" in resumed.stderr


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(config, tmp_path):
    out = tmp_path / "out"
    held = Store(out, resume_module.LAYOUT)
    held.prepare(resume=True)
    try:
        result = invoke("run", config, "-n", 1, "--out", out, "-q", "--no-report")
        assert result.exit_code == 2
        assert "another run or comparison is writing to" in result.stderr
    finally:
        held.release()
    assert invoke("run", config, "-n", 1, "--out", out, "-q", "--no-report").exit_code == 0


def test_the_progress_bar_counts_reused_replications_as_done(config, tmp_path, monkeypatch):
    out = tmp_path / "out"
    args = ("run", config, "-n", 3, "--out", out, "-q", "--no-report")
    assert invoke(*args).exit_code == 0
    (out / "replications" / "p0000-m00-r0002.parquet").unlink()
    bars = []
    real = resume_module.progress_bar

    def recording(total, description, unit, progress, leave=True, initial=0):
        bars.append((total, initial))
        return real(total, description, unit, progress, leave=leave, initial=initial)

    monkeypatch.setattr(resume_module, "progress_bar", recording)
    assert invoke(*args, "--resume").exit_code == 0
    assert bars == [(3, 2)]


def test_a_full_disk_while_storing_a_replication_is_one_line_and_leaves_no_partial_file(
        config, tmp_path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module.pq, "write_table", full_disk)
    out = tmp_path / "out"
    result = invoke("run", config, "-n", 2, "--out", out, "-q", "--no-report")
    assert result.exit_code == 3
    assert f"cannot write results to {out}/: No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert [p.name for p in (out / "replications").iterdir()] == [".lock"]


def test_help_documents_resume():
    for command in ("run", "compare"):
        result = invoke(command, "--help")
        assert "--resume" in result.output and "replications/" in result.output



@pytest.mark.slow  # a real process killed mid-run (about 15 s on 2 cores): `make test-all`
def test_a_run_killed_with_sigkill_resumes_to_the_same_bytes(tmp_path):
    model = Path(__file__).parents[2] / "configs" / "examples" / "mmc.yaml"
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pathways.cli", "run", str(model), "-n", "8", "--seed",
               "3", "--workers", "2", "-q", "--out", str(out)]
    assert subprocess.run(command, capture_output=True).returncode == 0
    uninterrupted = _files(out)
    shutil.rmtree(out)
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(_stored(out) if (out / "replications").exists() else []) < 2:
        assert process.poll() is None, "the run finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the command and its worker processes
    process.wait()
    stored = len(_stored(out))
    assert 2 <= stored < 8 and not (out / "summary.csv").exists()
    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{stored} of 8 replications reused" in resumed.stderr
    assert _files(out) == uninterrupted
