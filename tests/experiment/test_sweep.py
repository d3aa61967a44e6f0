"""Sweeps: the same results whatever runs them, and nothing lost or run twice.

Results are compared table by table (runs.parquet, summary.csv, differences.csv,
timeseries.parquet) between an uninterrupted sweep in one process and sweeps run on
a process pool, on a Dask LocalCluster, killed with SIGKILL and resumed, or with a
worker that died.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

from pathways.cli.main import cli
from pathways.config import load_config
from pathways.experiment import sweep as sweep_module
from pathways.experiment.runner import load_runner
from pathways.experiment.store import SweepError
from pathways.experiment.sweep import run_sweep
from pathways.model.pathway_outline import pathway_outlines
from pathways.model.settings import settings

SWEEPS = Path(__file__).parent / "sweeps"
TABLES = ("runs.parquet", "timeseries.parquet", "summary.csv", "differences.csv", "points.csv")


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    read = {".parquet": pd.read_parquet, ".csv": pd.read_csv}
    return {name: read[Path(name).suffix](folder / name) for name in TABLES}


def _assert_same_results(a: Path, b: Path) -> None:
    for name, table in _tables(a).items():
        pd.testing.assert_frame_equal(table, _tables(b)[name], check_exact=True, obj=name)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The tiny runner swept in this process, one run after another."""
    out = tmp_path_factory.mktemp("reference")
    run_sweep(load_runner(SWEEPS / "tiny.yaml"), out, workers=1, progress=False)
    return out


def test_a_sweep_stores_every_run_once_with_its_point_and_parameters(reference):
    runs = pd.read_parquet(reference / "runs.parquet")
    keys = runs[runs["metric"] == "wait_mean"][["point", "scenario", "replication", "stage"]]
    system = keys[keys["stage"] == ""]
    assert len(system) == 4 * 2 * 3 and not system.duplicated().any()
    assert set(runs["capacity_multiplier.beds"]) == {1.0, 2.0}
    differences = pd.read_csv(reference / "differences.csv")
    assert set(differences["scenario"]) == {"pooled"} and set(differences["point"]) == {0, 1, 2, 3}
    assert len(list((reference / "runs").glob("*.series.parquet"))) == 24


def test_the_manifest_records_each_model_s_pathways_and_settings_as_written(reference):
    manifest = json.loads((reference / "manifest.json").read_text())
    outlines = manifest["pathways"]
    small = load_config(SWEEPS.parent / "malformed_runners" / "models" / "small.yaml").config
    assert set(outlines) == {"small", "pooled"}
    assert outlines["small"] == outlines["pooled"] == pathway_outlines(small)
    assert manifest["settings"]["small"] == settings(small)
    assert manifest["settings"]["pooled"]["allocation.policy"] == "pooled"


def test_process_pool_gives_identical_results(reference, tmp_path):
    run_sweep(load_runner(SWEEPS / "tiny.yaml"), tmp_path, workers=2, progress=False)
    _assert_same_results(reference, tmp_path)


@pytest.mark.slow  # starting a LocalCluster takes about 13 s: `make test-all`
def test_dask_local_cluster_gives_identical_results(reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        run_sweep(load_runner(SWEEPS / "tiny.yaml"), tmp_path, scheduler=cluster.scheduler_address,
                  progress=False)
    _assert_same_results(reference, tmp_path)


@pytest.mark.slow  # about 45 s (a real process killed mid-sweep): `make test-all`
def test_a_sweep_killed_with_sigkill_resumes_without_losing_or_repeating_runs(tmp_path):
    runner = SWEEPS / "slow.yaml"
    uninterrupted, killed = tmp_path / "uninterrupted", tmp_path / "killed"
    run_sweep(load_runner(runner), uninterrupted, workers=1, progress=False)
    command = [sys.executable, "-m", "pathways.cli", "sweep", str(runner), "--out", str(killed),
               "--workers", "2", "--quiet"]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((killed / "runs").glob("*-r*[0-9].parquet"))) < 8:
        assert process.poll() is None, "the sweep finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the sweep and its worker processes
    process.wait()
    stored = {p.name for p in (killed / "runs").glob("*.parquet")}
    assert 8 <= len([n for n in stored if ".series" not in n]) < 36
    assert not (killed / "runs.parquet").exists()
    with pytest.raises(SweepError, match="--resume"):
        run_sweep(load_runner(runner), killed, workers=2, progress=False)
    result = run_sweep(load_runner(runner), killed, workers=2, resume=True, progress=False)
    assert result.runs == 36 and result.ran == 36 - len([n for n in stored if ".series" not in n])
    _assert_same_results(uninterrupted, killed)


def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch):
    real = sweep_module.run_task

    def failing(model, seed, replication):
        if model.name == "pooled" and replication == 1:
            raise RuntimeError("simulated failure")
        return real(model, seed, replication)

    monkeypatch.setattr(sweep_module, "run_task", failing)
    result = run_sweep(load_runner(SWEEPS / "tiny.yaml"), tmp_path, workers=1, progress=False)
    assert len(result.failed) == 4 and result.runs == 20
    assert "simulated failure" in (tmp_path / "errors" / f"{result.failed[0]}.txt").read_text()
    monkeypatch.setattr(sweep_module, "run_task", real)
    result = run_sweep(load_runner(SWEEPS / "tiny.yaml"), tmp_path, workers=1, resume=True,
                       progress=False)
    assert result.failed == [] and result.runs == 24 and result.ran == 4


def _dies_once(model, seed, replication):
    """Kills its worker process the first time it runs replication 2 (a process pool
    pickles tasks by name, so this lives at module level; the marker path comes through
    the environment the workers inherit)."""
    marker = Path(os.environ["PATHWAYS_TEST_DIED_ONCE"])
    if replication == 2 and not marker.exists():
        marker.write_text("x")
        os._exit(1)
    return _REAL_RUN_TASK(model, seed, replication)


_REAL_RUN_TASK = sweep_module.run_task


def test_a_worker_that_dies_has_its_runs_retried(reference, tmp_path, monkeypatch):
    """The first attempt at one run kills its worker process (as an out-of-memory kill
    would); the pool is rebuilt and the runs lost with it run again."""
    marker = tmp_path / "died-once"
    monkeypatch.setenv("PATHWAYS_TEST_DIED_ONCE", str(marker))
    monkeypatch.setattr(sweep_module, "run_task", _dies_once)
    out = tmp_path / "out"
    result = run_sweep(load_runner(SWEEPS / "tiny.yaml"), out, workers=2, progress=False)
    assert marker.exists() and result.failed == [] and result.runs == 24
    _assert_same_results(reference, out)


@pytest.mark.slow  # replications added until precise (about 11 s): `make test-all`
def test_auto_replications_stop_when_the_intervals_are_narrow_enough(tmp_path):
    runner_file = tmp_path / "auto.yaml"
    runner_file.write_text(
        (SWEEPS / "tiny.yaml").read_text()
        .replace("models: [../", f"models: [{SWEEPS}/../")
        .replace(", ../malformed_runners", f", {SWEEPS}/../malformed_runners")
        .replace("replications: 3", "replications: auto\nauto: {target_half_width: 0.1, "
                 "initial: 3, max: 12, metrics: [wait_mean]}"))
    run_sweep(load_runner(runner_file), tmp_path / "out", workers=2, progress=False)
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    system = runs[(runs["stage"] == "") & (runs["metric"] == "wait_mean")]
    counts = system.groupby(["point", "scenario"])["replication"].nunique()
    assert counts.between(3, 12).all()
    assert (counts.groupby("point").nunique() == 1).all()  # a point's models stay paired
    assert counts.max() > 3  # some point needed more than the initial replications
    for _, rows in system.groupby(["point", "scenario"]):
        values = rows["value"].to_numpy()
        if len(values) < 12:  # stopped on precision: the 95% interval meets the target
            half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
            assert half / abs(values.mean()) <= 0.1


def test_the_cli_runs_a_sweep_and_refuses_to_mix_runs(tmp_path):
    out = tmp_path / "out"
    first = CliRunner().invoke(cli, ["sweep", str(SWEEPS / "tiny.yaml"), "--out", str(out),
                                     "--workers", "1", "--quiet"])
    assert first.exit_code == 0, first.output
    assert "24 runs" in first.output
    again = CliRunner().invoke(cli, ["sweep", str(SWEEPS / "tiny.yaml"), "--out", str(out),
                                     "--quiet"])
    assert again.exit_code == 2 and "--resume" in again.output
    resumed = CliRunner().invoke(cli, ["sweep", str(SWEEPS / "tiny.yaml"), "--out", str(out),
                                       "--resume", "--quiet"])
    assert resumed.exit_code == 0 and "(0 now)" in resumed.output


def test_consolidation_keeps_only_the_rows_of_runs_the_plan_wants() -> None:
    """Stored rows of a run the plan no longer wants are left out of the results, row
    by row, whichever way the runs' rows interleave."""
    frame = pd.DataFrame({"point": [0, 0, 1, 0, 1, 0],
                          "scenario": ["a", "b", "a", "a", "a", "b"],
                          "replication": [0, 0, 0, 1, 0, 0],
                          "value": range(6)})
    order = {"a": 0, "b": 1}
    wanted = {"p0000-m00-r0000", "p0001-m00-r0000"}
    kept = sweep_module._wanted(frame, order, wanted)
    assert kept.tolist() == [True, False, True, False, True, False]
    assert not sweep_module._wanted(frame.iloc[:0], order, wanted).any()
