"""How a sweep's wall time falls with the number of local worker processes.

A fixed sweep (integrated and competitive on the demo economy, one simulated year
after 100 days of warm-up, four points of a bed-capacity multiplier, W x 2
replications, so every worker count has whole rounds of work) is run with 1 worker
and with each count asked for; parallel efficiency = T(1) / (W x T(W)) on the same
total work scaled to W. Results are checked to be identical to the one-worker run.

    python benchmarks/sweep_scaling.py [--workers 2 4 8 16]
"""

from __future__ import annotations

import argparse
import tempfile
import time
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


def timed(folder: Path, replications: int, workers: int) -> tuple[float, pd.DataFrame]:
    path = folder / f"runner-{replications}.yaml"
    path.write_text(RUNNER.format(root=ROOT, replications=replications))
    out = folder / f"out-{replications}-{workers}"
    started = time.perf_counter()
    run_sweep(load_runner(path), out, workers=workers, progress=False)
    return time.perf_counter() - started, pd.read_parquet(out / "runs.parquet")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[2])
    counts = parser.parse_args().workers
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for workers in counts:
            replications = 2 * workers  # 2 models x 4 points x 2W replications = 16W runs
            serial, reference = timed(folder, replications, 1)
            parallel, result = timed(folder, replications, workers)
            pd.testing.assert_frame_equal(reference, result)
            print(f"{16 * workers:4d} runs: 1 worker {serial:7.1f} s, {workers:2d} workers "
                  f"{parallel:7.1f} s, speed-up {serial / parallel:5.2f}, efficiency "
                  f"{serial / (workers * parallel):.0%} (results identical)")


if __name__ == "__main__":
    main()
