"""The one executor layer (pathways.experiment.executors): results by key whatever runs
them, a raising task raised where run and compare wait for it, a dead worker's tasks
retried, and a Dask scheduler that cannot be used said in one line."""

import os
import sys
from pathlib import Path

import pytest

from pathways.experiment.executors import (
    DISTRIBUTED_EXTRA,
    RETRIES,
    Dask,
    Failure,
    LocalProcesses,
    SchedulerError,
    Sequential,
    Task,
    new_executor,
    progress_bar,
    run_all,
)


def _square(x: int) -> int:
    return x * x


def _fails_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed")
    return x


def _dies_on_two_once(x: int) -> int:
    """Kills its worker process the first time it sees 2 (the marker path comes through
    the environment the workers inherit)."""
    marker = Path(os.environ["PATHWAYS_TEST_DIED_ONCE"])
    if x == 2 and not marker.exists():
        marker.write_text("x")
        os._exit(1)
    return x


def _always_dies(x: int) -> int:
    os._exit(1)


def _tasks(function, n: int = 6) -> dict[str, Task]:
    return {f"task-{i}": Task(function, (i,)) for i in range(n)}


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_by_key_in_the_order_asked_whatever_runs_them(workers):
    with new_executor(workers, tasks=6) as executor:
        results = run_all(_tasks(_square), executor)
    assert list(results.items()) == [(f"task-{i}", i * i) for i in range(6)]


def test_one_worker_or_one_task_runs_in_this_process():
    assert isinstance(new_executor(1), Sequential)
    assert isinstance(new_executor(4, tasks=1), Sequential)
    with new_executor(4, tasks=2) as executor:
        assert isinstance(executor, LocalProcesses) and executor.workers == 2


@pytest.mark.parametrize("workers", [1, 2])
def test_a_task_that_raises_raises_its_own_error_in_run_all(workers):
    with pytest.raises(ValueError, match="three is not allowed"):
        with new_executor(workers, tasks=6) as executor:
            run_all(_tasks(_fails_on_three), executor)


def test_a_task_that_raises_is_collected_as_a_failure_with_its_traceback():
    executor: Sequential[str, int] = Sequential()
    executor.submit("three", Task(_fails_on_three, (3,)))
    [(key, outcome)] = executor.collect()
    assert key == "three" and isinstance(outcome, Failure)
    assert isinstance(outcome.error, ValueError)
    assert "Traceback" in outcome.message and "three is not allowed" in outcome.message


def test_the_tasks_of_a_worker_that_died_run_again(tmp_path, monkeypatch):
    monkeypatch.setenv("PATHWAYS_TEST_DIED_ONCE", str(tmp_path / "died-once"))
    with LocalProcesses(2) as executor:
        results = run_all(_tasks(_dies_on_two_once), executor)
    assert (tmp_path / "died-once").exists()
    assert results == {f"task-{i}": i for i in range(6)}


def test_a_task_whose_worker_keeps_dying_fails_after_its_retries():
    executor: LocalProcesses[str, int] = LocalProcesses(1)
    with executor:
        executor.submit("doomed", Task(_always_dies, (0,)))
        outcomes = []
        while len(executor):
            outcomes += executor.collect()
    [(key, outcome)] = outcomes
    assert key == "doomed" and isinstance(outcome, Failure)
    assert f"died {RETRIES + 1} times" in outcome.message


def test_a_scheduler_without_distributed_installed_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(SchedulerError) as caught:
        Dask("tcp://127.0.0.1:8786")
    assert str(caught.value).count("\n") == 0
    assert DISTRIBUTED_EXTRA in str(caught.value) and "tcp://127.0.0.1:8786" in str(caught.value)


def test_a_quiet_progress_bar_writes_nothing(capsys):
    with progress_bar(3, "quiet", "rep", progress=False) as bar:
        bar.update(3)
    with progress_bar(3, "shown", "rep", progress=True) as bar:
        bar.update(3)
    err = capsys.readouterr().err
    assert "quiet" not in err and "shown" in err and "3/3" in err


@pytest.mark.slow  # starting a LocalCluster takes about 13 s: `make test-all`
def test_a_dask_cluster_gives_the_same_results_by_key():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with new_executor(1, cluster.scheduler_address) as executor:
            assert isinstance(executor, Dask)
            results = run_all(_tasks(_square), executor)
    assert list(results.items()) == [(f"task-{i}", i * i) for i in range(6)]
