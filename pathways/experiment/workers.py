"""Worker processes that die with their parent.

Replications run in a pool of worker processes (pathways.experiment.executors). A
pool that outlives its command is harm: a sweep stopped with SIGTERM left its workers
computing (about 900 MB), and after Ctrl-C they went on for a minute and a half. So
each worker asks the kernel to kill it when its parent dies (Linux
``prctl(PR_SET_PDEATHSIG)``: it holds whatever kills the parent, SIGKILL included),
and a pool stopped early is stopped at once: what has not started is cancelled and the
workers are killed, not waited for.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from types import FrameType

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def new_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process."""
    return ProcessPoolExecutor(workers, initializer=_die_with_parent, initargs=(os.getpid(),))


def stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the runs not started and kill the workers now."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()


def _die_with_parent(parent_pid: int) -> None:
    """Each worker's first act: be killed when the parent dies (Linux only; elsewhere a
    worker ends when it next asks its dead parent for work)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request took hold
        os._exit(1)


def terminate_as_interrupt() -> None:
    """Make SIGTERM stop a command as Ctrl-C does (KeyboardInterrupt): its cleanup runs,
    its workers are stopped and it says how to resume, rather than vanishing."""
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
