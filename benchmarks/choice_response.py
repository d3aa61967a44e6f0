"""How choice responds to the weight patients put on published waits, on the shipped
competitive model: the implied waiting-time elasticity, the spread of providers'
waits, how much their lists swing, and each provider's RTT waiting list quarter by
quarter (the first replication), at each weight:

    python benchmarks/choice_response.py                         # -0.03 and -0.15
    python benchmarks/choice_response.py --weights -0.015 -0.03 -0.05 --lag 56

The same replications (common random numbers) run at every weight.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy import stats

from pathways.config import load_config
from pathways.config.overrides import configure
from pathways.experiment import run_replications
from pathways.model.compile import compile_config

MODEL = Path(__file__).parents[1] / "models" / "competitive.yaml"
METRICS = ("choice_wait_elasticity_mean", "provider_wait_spread_weeks",
           "waiting_list_oscillation_max", "bypassed_nearest_share",
           "rtt_non_admitted_median_weeks", "rtt_admitted_median_weeks")
QUARTER_DAYS = 91


def interval(x: np.ndarray) -> str:
    half = stats.t.ppf(0.975, len(x) - 1) * stats.sem(x)
    return f"{np.mean(x):7.3f} ({np.mean(x) - half:6.3f} to {np.mean(x) + half:6.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=float, nargs="+", default=[-0.03, -0.15])
    parser.add_argument("--lag", type=float, default=None, help="information lag, days")
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    config = load_config(MODEL).config
    for weight in args.weights:
        values = {"choice.wait_weeks": weight}
        if args.lag is not None:
            values["published_wait.information_lag_days"] = args.lag
        model = compile_config(configure(config, values))
        results = run_replications(model, args.replications, seed=0, progress=False,
                                   workers=args.workers)
        system = results.kpis[results.kpis.stage == ""]
        print(f"\nwait weight {weight:g} a week ({args.replications} replications, 95% CI)")
        for metric in METRICS:
            x = system[system.metric == metric].sort_values("replication").value.to_numpy()
            print(f"  {metric:32s} {interval(x)}")
        series = results.timeseries
        lists = series[(series.series == "waiting_list") & (series.replication == 0)
                       & (series.time_days >= model.warmup_days)]
        quarter = ((lists.time_days - model.warmup_days) // QUARTER_DAYS).astype(int)
        table = lists.groupby([quarter, "level"]).value.mean().unstack("level")
        table.index = [f"Q{q + 1}" for q in table.index]
        print("  RTT waiting list by provider, quarterly mean (replication 0):")
        print(table.round(0).astype(int).to_string().replace("\n", "\n  "))


if __name__ == "__main__":
    main()
