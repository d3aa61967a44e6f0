"""Every failure is an error message (issue 17, part 4): a deep or circular extends
chain, a routing loop that only rounding lets out, results that cannot be written, an
unreachable Dask scheduler and a damaged results folder each exit non-zero with a line
or two naming the file or setting and the problem, never a traceback."""

import errno
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pathways.cli.common import EXIT_BAD_INPUT
from pathways.cli.folders import EXIT_CANNOT_WRITE
from pathways.cli.main import cli
from pathways.config.loader import EXTENDS_DEPTH_LIMIT
from pathways.experiment.executors import Dask, SchedulerError

SMALL = """\
name: small
horizon_days: 60
warmup_days: 10
resources:
  nurses: {capacity: 2}
arrivals:
  - {pathway: clinic, rate_per_day: 1.2}
pathways:
  clinic:
    stages:
      triage: {resource: nurses, duration: {dist: exponential, mean: 0.5},
               next: {treat: 0.5, exit: 0.5}}
      treat: {resource: nurses, duration: {dist: fixed, value: 0.5}}
"""
#: Two zero-duration stages routing to each other; the route out of b (1e-10) is within
#: the probabilities' rounding tolerance, so the flow check sees a way to 'exit'.
ROUNDING_LOOP = SMALL.replace(
    "treat: {resource: nurses, duration: {dist: fixed, value: 0.5}}",
    "treat: {resource: nurses, duration: {dist: fixed, value: 0.5}, next: {a: 1.0}}\n"
    "      a: {resource: nurses, duration: {dist: fixed, value: 0}, next: {b: 1.0}}\n"
    "      b: {resource: nurses, duration: {dist: fixed, value: 0}, "
    "next: {a: 1.0, exit: 1.0e-10}}")


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def plain_failure(result, code: int, *named: str) -> str:
    """The output of a command that failed with `code`, naming each of `named`, in at
    most two lines and without a traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and result.exc_info[0] is SystemExit
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    for name in named:
        assert name in result.output, (name, result.output)
    assert len(lines) == 1
    return result.output


@pytest.fixture
def model(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    return path


@pytest.fixture
def runner(tmp_path: Path, model: Path) -> Path:
    path = tmp_path / "runner.yaml"
    path.write_text(f"name: swept\nmodels: [{model}]\nreplications: 2\nseed: 1\n")
    return path


# --- configurations ----------------------------------------------------------------


def test_a_deep_extends_chain_stops_at_its_limit(tmp_path):
    depth = 3000  # well past Python's recursion limit
    for i in range(depth):
        (tmp_path / f"layer{i}.yaml").write_text(f"extends: layer{i + 1}.yaml\n")
    (tmp_path / f"layer{depth}.yaml").write_text(SMALL)
    result = invoke("check", tmp_path / "layer0.yaml")
    output = plain_failure(result, EXIT_BAD_INPUT, f"layer{EXTENDS_DEPTH_LIMIT - 1}.yaml:1",
                           f"layer{EXTENDS_DEPTH_LIMIT}.yaml")
    assert f"extends chain deeper than {EXTENDS_DEPTH_LIMIT} files" in output


def test_a_chain_at_the_limit_loads(tmp_path):
    last = EXTENDS_DEPTH_LIMIT - 1
    for i in range(last):
        (tmp_path / f"layer{i}.yaml").write_text(f"extends: layer{i + 1}.yaml\n")
    (tmp_path / f"layer{last}.yaml").write_text(SMALL)
    result = invoke("check", tmp_path / "layer0.yaml")
    assert result.exit_code == 0, result.output


def test_an_extends_cycle_is_named(tmp_path):
    (tmp_path / "one.yaml").write_text("extends: two.yaml\n")
    (tmp_path / "two.yaml").write_text("extends: one.yaml\n")
    result = invoke("check", tmp_path / "one.yaml")
    plain_failure(result, EXIT_BAD_INPUT, "circular extends", "one.yaml", "two.yaml")


def test_a_loop_that_only_rounding_leaves_names_its_stages(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text(ROUNDING_LOOP)
    output = plain_failure(invoke("check", path), EXIT_BAD_INPUT, "loop.yaml:",
                           "pathways.clinic.stages.a", "stages 'a', 'b'")
    assert "patients loop forever" in output and "'treat'" not in output


# --- results that cannot be written ------------------------------------------------


def _commands(model: Path, runner: Path, out: Path) -> dict[str, list[object]]:
    quick = ["-q", "--no-report", "--out", out]
    return {
        "run": ["run", model, "-n", 2, "--workers", 1, *quick],
        "compare": ["compare", model, model, "-n", 2, "--workers", 1, *quick],
        "sweep": ["sweep", runner, "--workers", 1, *quick],
    }


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_a_results_folder_that_cannot_be_made_is_one_line(command, tmp_path, model, runner):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    out = blocker / "out"
    result = invoke(*_commands(model, runner, out)[command])
    plain_failure(result, EXIT_CANNOT_WRITE, f"cannot write results to {out}/",
                  "Not a directory")


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_a_full_disk_is_one_line_and_leaves_no_partial_file(command, tmp_path, model, runner,
                                                            monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full_disk)
    out = tmp_path / "out"
    result = invoke(*_commands(model, runner, out)[command])
    plain_failure(result, EXIT_CANNOT_WRITE,
                  f"cannot write results to {out}/: No space left on device")
    left = {p.name for p in out.iterdir()}
    assert not {name for name in left if name.startswith(".")}, left  # staging, temporaries
    assert not left & {"summary.csv", "replications.parquet", "manifest.json", "runs.parquet"}


# --- an unreachable scheduler ------------------------------------------------------


def test_an_unreachable_scheduler_is_a_scheduler_error_naming_it():
    started = time.perf_counter()
    with pytest.raises(SchedulerError, match=r"scheduler at tcp://127\.0\.0\.1:9 within 1 s"):
        Dask("tcp://127.0.0.1:9", timeout_s=1)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_a_scheduler_without_distributed_installed_is_one_line_naming_the_extra(
        command, tmp_path, model, runner, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    out = tmp_path / "out"
    result = invoke(*_commands(model, runner, out)[command], "--scheduler", "tcp://127.0.0.1:9")
    plain_failure(result, EXIT_BAD_INPUT, "--scheduler tcp://127.0.0.1:9",
                  "pip install 'pathways[distributed]'")
    assert not (out / "summary.csv").exists()


@pytest.mark.slow  # waits out the 10 s timeout
def test_an_unreachable_scheduler_fails_within_its_timeout(tmp_path, runner):
    started = time.perf_counter()
    result = invoke("sweep", runner, "--scheduler", "tcp://127.0.0.1:9", "-q", "--no-report",
                    "--out", tmp_path / "out")
    assert time.perf_counter() - started < 20
    plain_failure(result, EXIT_BAD_INPUT,
                  "cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 10 s")


# --- damaged results ---------------------------------------------------------------


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("results")
    (folder / "small.yaml").write_text(SMALL)
    out = folder / "out"
    result = invoke("run", folder / "small.yaml", "-n", 2, "--workers", 1, "-q", "--no-report",
                    "--out", out)
    assert result.exit_code == 0, result.output
    return out


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 4)


def _not_json(path: Path) -> None:
    path.write_text("{not json")


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:200])


def _not_a_summary(path: Path) -> None:
    path.write_text("hello,world\n1,2\n")


@pytest.mark.parametrize("name, damage, problem", [
    ("summary.csv", _garbage, "cannot be read"),
    ("summary.csv", _not_a_summary, "is not a results summary"),
    ("manifest.json", _not_json, "cannot be read as JSON"),
    ("timeseries.parquet", _truncated, "cannot be read"),
    ("animation.parquet", _truncated, "cannot be read"),
])
def test_a_damaged_results_file_is_named(name, damage, problem, results, tmp_path):
    folder = tmp_path / "damaged"
    folder.mkdir()
    for file in results.iterdir():
        if file.is_file():  # not replications/, the stored replications
            (folder / file.name).write_bytes(file.read_bytes())
    damage(folder / name)
    result = invoke("report", folder)
    plain_failure(result, EXIT_BAD_INPUT, f"{folder / name}", problem)
