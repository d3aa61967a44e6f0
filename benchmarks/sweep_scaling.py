"""How a sweep's wall time falls with the number of local worker processes.

A fixed sweep (integrated and competitive on the demo economy, one simulated year
after 100 days of warm-up, four points of a bed-capacity multiplier, W x 2
replications, so every worker count has whole rounds of work) is run with 1 worker
and with each count asked for; parallel efficiency = T(1) / (W x T(W)) on the same
total work scaled to W. Results are checked to be identical to the one-worker run.
With ``--dask`` the W workers are a Dask LocalCluster's (W processes of one thread,
started before the clock runs) instead of local worker processes.

    python benchmarks/sweep_scaling.py [--workers 2 4 8 16] [--dask]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pandas as pd

from pathways.experiment.runner import load_runner
from pathways.experiment.sweep import run_sweep

ROOT = Path(__file__).resolve().parent.parent
RUNNER = """\
name: sweep-scaling
models: [{root}/models/integrated.yaml, {root}/models/competitive.yaml]
baseline: integrated
replications: {replications}
seed: 0
parameters:
  horizon_days: [465]
  warmup_days: [100]
  capacity_multiplier.beds: [0.9, 1.0, 1.1, 1.2]
"""


def timed(folder: Path, replications: int, workers: int, scheduler: str | None = None
          ) -> tuple[float, pd.DataFrame]:
    path = folder / f"runner-{replications}.yaml"
    path.write_text(RUNNER.format(root=ROOT, replications=replications))
    out = folder / f"out-{replications}-{workers}-{'dask' if scheduler else 'local'}"
    started = time.perf_counter()
    run_sweep(load_runner(path), out, workers=workers, scheduler=scheduler, progress=False)
    return time.perf_counter() - started, pd.read_parquet(out / "runs.parquet")


def cluster(workers: int, dask: bool) -> AbstractContextManager:
    """A Dask LocalCluster of ``workers`` one-thread processes, or nothing."""
    if not dask:
        return nullcontext()
    from distributed import LocalCluster  # the [distributed] extra

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                        dashboard_address=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[2])
    parser.add_argument("--dask", action="store_true",
                        help="run the W workers as a Dask LocalCluster (needs [distributed])")
    args = parser.parse_args()
    kind = "Dask LocalCluster workers" if args.dask else "local worker processes"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for workers in args.workers:
            replications = 2 * workers  # 2 models x 4 points x 2W replications = 16W runs
            serial, reference = timed(folder, replications, 1)
            with cluster(workers, args.dask) as dask:
                scheduler = None if dask is None else dask.scheduler_address
                parallel, result = timed(folder, replications, workers, scheduler)
            pd.testing.assert_frame_equal(reference, result)
            print(f"{16 * workers:4d} runs: 1 worker {serial:7.1f} s, {workers:2d} {kind} "
                  f"{parallel:7.1f} s, speed-up {serial / parallel:5.2f}, efficiency "
                  f"{serial / (workers * parallel):.0%} (results identical)")


if __name__ == "__main__":
    main()
