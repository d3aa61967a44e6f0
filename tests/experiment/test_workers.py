"""Workers die with their parent (issue 17, part 5): an executor left early kills its
workers at once instead of waiting for their runs; a sweep stopped with SIGTERM says
how to resume and leaves no worker; a sweep killed with SIGKILL takes its workers with
it (Linux: the kernel kills them)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from pathways.experiment.executors import LocalProcesses, Task

ROOT = Path(__file__).parents[2]


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _gone(pids: list[int], within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not any(psutil.pid_exists(p) and psutil.Process(p).status() != "zombie"
                   for p in pids):
            return True
        time.sleep(0.1)
    return False


def test_an_executor_left_by_an_exception_kills_its_busy_workers_at_once():
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with LocalProcesses(2) as executor:
            for i in range(4):
                executor.submit(i, Task(_sleep, (30,)))
            while not executor.pool._processes:
                time.sleep(0.05)
            time.sleep(0.5)  # both workers busy in a 30 s run
            workers = list(executor.pool._processes)
            raise KeyboardInterrupt
    assert _gone(workers, within_s=3.0)
    assert time.monotonic() - started < 10
    assert all(f.cancelled() or f.done() for f in executor.futures)


def _sweep_with_workers(tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    runner = tmp_path / "runner.yaml"
    runner.write_text(f"name: slow\nmodels: [{ROOT / 'models' / 'competitive.yaml'}]\n"
                      "replications: 6\nseed: 1\nparameters:\n  capacity_multiplier.beds: [1.0]\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "pathways.cli", "sweep", str(runner), "--workers", "2", "-q",
         "--out", str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = psutil.Process(process.pid).children()
        if len(children) >= 2:
            time.sleep(1.0)
            return process, [c.pid for c in children]
        time.sleep(0.2)
    process.kill()
    pytest.fail("the sweep never started its two workers")


@pytest.mark.slow  # starts the demo economy's sweep twice (about 25 s)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_stopped_sweep_leaves_no_worker(tmp_path, sent):
    process, workers = _sweep_with_workers(tmp_path)
    os.kill(process.pid, sent)
    _, stderr = process.communicate(timeout=30)
    gone = _gone(workers, within_s=5.0)
    for pid in workers:  # a failing test leaves no process behind either
        if psutil.pid_exists(pid):
            psutil.Process(pid).kill()
    assert gone, "workers outlived the sweep"
    if sent == signal.SIGTERM:
        assert process.returncode == 130
        assert "--resume" in stderr and "Traceback" not in stderr
