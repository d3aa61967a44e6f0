"""How RTT waits respond to capacity and demand on the shipped competitive model.

For each multiplier of one kind of bookable capacity (or of every referral rate), runs
the same replications (common random numbers) and prints the medians with 95%
confidence intervals and the paired mean ratio to the baseline:

    python benchmarks/capacity_response.py                      # outpatients 0.8-1.5
    python benchmarks/capacity_response.py --kind theatre
    python benchmarks/capacity_response.py --referrals 1.05     # demand, not capacity

This is the curve the waiting-list mechanism must produce: waits that move with
capacity by an amount queueing explains, and never jump from no effect to unbounded.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from scipy import stats

from pathways.config import load_config
from pathways.config.overrides import configure
from pathways.experiment import run_replications
from pathways.model.compile import compile_config

MODEL = Path(__file__).parents[1] / "models" / "competitive.yaml"
METRICS = ("rtt_non_admitted_median_weeks", "rtt_admitted_median_weeks",
           "rtt_time_share_queue", "rtt_waiting_list_mean")


def medians(values: dict, replications: int, workers: int) -> dict[str, np.ndarray]:
    """Each metric's value per replication at one point."""
    config = load_config(MODEL).config
    model = compile_config(configure(config, values) if values else config)
    kpis = run_replications(model, replications, seed=0, progress=False, workers=workers).kpis
    system = kpis[kpis.stage == ""]
    return {m: system[system.metric == m].sort_values("replication").value.to_numpy()
            for m in METRICS}


def referral_values(factor: float) -> dict:
    config = load_config(MODEL).config
    return {f"pathways.{name}.referrals_per_1000_per_year":
            pathway.referrals_per_1000_per_year * factor
            for name, pathway in config.pathways.items() if pathway.referrals_per_1000_per_year}


def interval(x: np.ndarray) -> str:
    half = stats.t.ppf(0.975, len(x) - 1) * stats.sem(x)
    return f"{np.mean(x):6.2f} ({np.mean(x) - half:5.2f}-{np.mean(x) + half:5.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", default="outpatients")
    parser.add_argument("--factors", type=float, nargs="+",
                        default=[0.8, 0.9, 1.0, 1.1, 1.25, 1.5])
    parser.add_argument("--referrals", type=float, nargs="*",
                        help="multiply every referral rate instead of a capacity")
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    factors = [1.0, *args.referrals] if args.referrals else args.factors
    label = "referrals" if args.referrals else f"capacity_multiplier.{args.kind}"
    results = {}
    for factor in factors:
        started = time.perf_counter()
        if args.referrals:
            values = referral_values(factor) if factor != 1 else {}
        else:
            values = {} if factor == 1 else {f"capacity_multiplier.{args.kind}": factor}
        results[factor] = medians(values, args.replications, args.workers)
        print(f"ran {label} x{factor:g} in {time.perf_counter() - started:.0f} s", flush=True)
    base = results[1.0]
    print(f"\n{label}  non-admitted median wk (95% CI)  ratio | admitted median wk (95% CI)"
          "  ratio | queue share | RTT list")
    for factor in sorted(results):
        r = results[factor]
        ratio = [np.mean(r[m] / base[m]) for m in METRICS[:2]]
        print(f"x{factor:<5g}  {interval(r[METRICS[0]])}  {ratio[0]:5.2f} | "
              f"{interval(r[METRICS[1]])}  {ratio[1]:5.2f} | "
              f"{np.mean(r[METRICS[2]]):.2f} | {np.mean(r[METRICS[3]]):.0f}")


if __name__ == "__main__":
    main()
