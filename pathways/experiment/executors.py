"""Where tasks run, one layer for `run`, `compare` and `sweep` alike: in this process,
on local worker processes (pathways.experiment.workers: they die with the command), or
on a Dask distributed cluster.

A task is a module-level function and its positional arguments, submitted under a key;
``collect`` hands back finished tasks as (key, result or Failure) in the order they
finish. Callers put results in their own order, so what they compute never depends on
the executor, the number of workers or the order tasks finish in. A task whose worker
process dies (an out-of-memory kill, a lost machine) is run again, up to ``RETRIES``
times; a task that raises is a Failure holding the error and its traceback, for the
caller to record (a sweep goes on) or raise (run and compare stop).
"""

from __future__ import annotations

import os
import traceback
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from tqdm import tqdm

from pathways.experiment.workers import new_pool, stop

RETRIES = 2
"""Times a task is submitted again after its worker died (Dask: after any failure)."""
SCHEDULER_TIMEOUT_S = 10.0
"""How long to wait for a Dask scheduler (distributed's own wait is 30 s)."""
DISTRIBUTED_EXTRA = "pip install 'pathways[distributed]'"

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")
_SMALL = (bool, int, float, str, type(None))  # arguments sent with each task as they are


class SchedulerError(Exception):
    """A Dask scheduler that cannot be used (distributed not installed, the scheduler
    not reached), said in one line."""


@dataclass(frozen=True)
class Task(Generic[R]):
    """``function(*args)``; the function lives at module level, so a worker process can
    find it by name."""

    function: Callable[..., R]
    args: tuple[Any, ...]

    def __call__(self) -> R:
        return self.function(*self.args)


@dataclass(frozen=True)
class Failure:
    """A task that raised: the error, to raise again, and its traceback, to record."""

    error: BaseException
    message: str

    @classmethod
    def of(cls, error: BaseException) -> Failure:
        return cls(error, "".join(traceback.format_exception(error)))

    @classmethod
    def lost(cls) -> Failure:
        message = f"the worker process died {RETRIES + 1} times while running this task"
        return cls(RuntimeError(message), message)


class Executor(ABC, Generic[K, R]):
    """Runs submitted tasks; a context manager that stops what is left when it closes."""

    @abstractmethod
    def submit(self, key: K, task: Task[R]) -> None:
        """Start ``task`` (or queue it) under ``key``."""

    @abstractmethod
    def collect(self) -> list[tuple[K, R | Failure]]:
        """Wait for at least one submitted task to finish; hand back those finished."""

    @abstractmethod
    def __len__(self) -> int:
        """Tasks submitted and not yet collected."""

    @abstractmethod
    def close(self) -> None:
        """Stop every task still running and free the workers."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


class Sequential(Executor[K, R]):
    """Each task runs in this process when it is collected (one worker, no copies)."""

    def __init__(self) -> None:
        self.pending: list[tuple[K, Task[R]]] = []

    def submit(self, key: K, task: Task[R]) -> None:
        self.pending.append((key, task))

    def collect(self) -> list[tuple[K, R | Failure]]:
        key, task = self.pending.pop(0)
        try:
            return [(key, task())]
        except Exception as error:  # noqa: BLE001 - the caller records or raises it
            return [(key, Failure.of(error))]

    def __len__(self) -> int:
        return len(self.pending)

    def close(self) -> None:
        self.pending.clear()


class LocalProcesses(Executor[K, R]):
    """A process pool; if a worker dies, the pool is rebuilt and its tasks resubmitted."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = new_pool(workers)
        self.futures: dict[Future[R], tuple[K, Task[R]]] = {}
        self.retries: dict[K, int] = {}

    def submit(self, key: K, task: Task[R]) -> None:
        self.futures[self.pool.submit(task.function, *task.args)] = (key, task)

    def collect(self) -> list[tuple[K, R | Failure]]:
        done, _ = wait(list(self.futures), return_when=FIRST_COMPLETED)
        out: list[tuple[K, R | Failure]] = []
        lost: list[tuple[K, Task[R]]] = []
        for future in done:
            key, task = self.futures.pop(future)
            try:
                out.append((key, future.result()))
            except BrokenProcessPool:
                lost.append((key, task))
            except Exception as error:  # noqa: BLE001 - the caller records or raises it
                out.append((key, Failure.of(error)))
        if lost:
            out += self._rebuild(lost)
        return out

    def _rebuild(self, lost: list[tuple[K, Task[R]]]) -> list[tuple[K, R | Failure]]:
        """A worker died: every task still in the pool is lost with it; retry them."""
        lost += list(self.futures.values())
        self.futures.clear()
        stop(self.pool)
        self.pool = new_pool(self.workers)
        failed: list[tuple[K, R | Failure]] = []
        for key, task in lost:
            self.retries[key] = self.retries.get(key, 0) + 1
            if self.retries[key] > RETRIES:
                failed.append((key, Failure.lost()))
            else:
                self.submit(key, task)
        return failed

    def __len__(self) -> int:
        return len(self.futures)

    def close(self) -> None:
        stop(self.pool)


class Dask(Executor[K, R]):
    """Futures on a Dask distributed cluster; the scheduler retries tasks of lost workers."""

    def __init__(self, address: str, timeout_s: float = SCHEDULER_TIMEOUT_S) -> None:
        """A scheduler not reached within ``timeout_s`` seconds, or distributed not
        installed, is a SchedulerError saying so in one line."""
        try:
            from distributed import Client, as_completed
        except ImportError as error:
            raise SchedulerError(f"--scheduler {address} needs Dask distributed, which is "
                                 f"not installed: {DISTRIBUTED_EXTRA}") from error
        try:
            self.client = Client(address, timeout=timeout_s)
        except (OSError, ValueError) as error:  # refused, timed out, a malformed address
            raise SchedulerError(f"cannot reach the Dask scheduler at {address} within "
                                 f"{timeout_s:g} s ({error})") from error
        self.completed = as_completed()
        self.futures: dict[Any, K] = {}  # distributed.Future -> key
        self.scattered: dict[int, tuple[object, Any]] = {}  # id -> (argument, its future)

    def submit(self, key: K, task: Task[R]) -> None:
        future = self.client.submit(task.function, *map(self._shared, task.args),
                                    key=f"pathways-{uuid.uuid4().hex}", retries=RETRIES,
                                    pure=False)
        self.futures[future] = key
        self.completed.add(future)

    def _shared(self, argument: object) -> object:
        """A large argument (a model) travels to the workers once, not with each task."""
        if isinstance(argument, _SMALL):
            return argument
        if id(argument) not in self.scattered:  # the argument is kept: its id stays its own
            self.scattered[id(argument)] = (argument,
                                            self.client.scatter(argument, broadcast=True))
        return self.scattered[id(argument)][1]

    def collect(self) -> list[tuple[K, R | Failure]]:
        future = next(self.completed)
        key = self.futures.pop(future)
        try:
            return [(key, future.result())]
        except Exception as error:  # noqa: BLE001 - the caller records or raises it
            return [(key, Failure.of(error))]

    def __len__(self) -> int:
        return len(self.futures)

    def close(self) -> None:
        self.client.close()


def worker_count(workers: int) -> int:
    """``workers`` processes, or every core for 0."""
    return workers if workers > 0 else (os.cpu_count() or 1)


def new_executor(workers: int, scheduler: str | None = None,
                 tasks: int | None = None) -> Executor[Any, Any]:
    """The Dask cluster at ``scheduler``, else ``workers`` local processes (0: every
    core; no more than ``tasks`` where the number of tasks is known), else, for one,
    this process."""
    if scheduler:
        return Dask(scheduler)
    count = worker_count(workers) if tasks is None else min(worker_count(workers), tasks)
    return Sequential() if count <= 1 else LocalProcesses(count)


def describe(workers: int, scheduler: str | None) -> str:
    """Where tasks ran, for a manifest."""
    return f"dask {scheduler}" if scheduler else f"{worker_count(workers)} local processes"


def run_all(tasks: Mapping[K, Task[R]], executor: Executor[K, R],
            bar: tqdm | None = None) -> dict[K, R]:
    """Every task's result, by key in the order of ``tasks``; the first task that raises
    raises its error here (closing the executor stops the others)."""
    results = dict(finished(tasks, executor, bar))
    return {key: results[key] for key in tasks}


def finished(tasks: Mapping[K, Task[R]], executor: Executor[K, R],
             bar: tqdm | None = None) -> Iterator[tuple[K, R]]:
    """Each task's key and result as it finishes (for a caller that stores each at
    once); the first task that raises raises its error here."""
    for key, task in tasks.items():
        executor.submit(key, task)
    while len(executor):
        for key, outcome in executor.collect():
            if isinstance(outcome, Failure):
                raise outcome.error
            yield key, outcome
            if bar is not None:
                bar.update(1)


@contextmanager
def progress_bar(total: int, description: str, unit: str, progress: bool | None,
                 leave: bool = True, initial: int = 0) -> Iterator[tqdm]:
    """A tqdm bar on stderr: ``progress=None`` shows it only on a terminal, False never
    (``--quiet``); ``initial``: tasks done before (the stored runs a resume reuses)."""
    bar = tqdm(total=total, desc=description, unit=unit, leave=leave, initial=initial,
               smoothing=0.05, disable=None if progress is None else not progress)
    try:
        yield bar
    finally:
        bar.close()
