"""How the cost of one replication of the demo economy grows with the population.

The demo economy (250,000 registered patients) is scaled to other populations by
multiplying every practice's list size and every resource's capacity by the same
factor (slots per session exactly; servers rounded, at least 1), so loads stay
roughly where they were and
only the number of patients changes. One replication (two simulated years with the
warm-up) is timed: simulation with the event log, then the KPIs.

    python benchmarks/economy_scaling.py [--model models/competitive.yaml]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pathways.config import load_config
from pathways.engine import simulate_replication
from pathways.log import ARRIVE
from pathways.metrics import kpis
from pathways.model import compile_config

ROOT = Path(__file__).resolve().parent.parent
POPULATIONS = (57_000, 250_000, 1_000_000)


def scaled(config, population: int):
    """The config with lists and capacities multiplied to reach ``population``."""
    factor = population / sum(row.list_size for row in config.practices.rows)
    rows = [row.model_copy(update={"list_size": max(1, round(row.list_size * factor))})
            for row in config.practices.rows]
    resources = {name: r.model_copy(update=_scaled_capacity(r, factor))
                 for name, r in config.resources.items()}
    practices = config.practices.model_copy(update={"rows": rows})
    return config.model_copy(update={"practices": practices, "resources": resources})


def _scaled_capacity(resource, factor: float) -> dict:
    """Bookable capacity scales its slots exactly; servers scale in whole units."""
    if resource.slots_per_session is not None:
        return {"slots_per_session": resource.slots_per_session * factor}
    return {"capacity": max(1, round(resource.capacity * factor))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "competitive.yaml"))
    args = parser.parse_args()
    config = load_config(args.model).config
    print(f"{Path(args.model).name}: one replication, {config.horizon_days:g} days "
          f"({config.warmup_days:g} of warm-up)")
    for population in POPULATIONS:
        model = compile_config(scaled(config, population))
        started = time.perf_counter()
        log = simulate_replication(model, seed=0, replication=0)
        simulated = time.perf_counter()
        kpis(log)
        finished = time.perf_counter()
        patients = int((log.event == ARRIVE).sum())
        print(f"  population {population:>9,}: {patients:>8,} patients, {len(log):>10,} events, "
              f"simulate {simulated - started:6.2f} s, KPIs {finished - simulated:5.2f} s, "
              f"total {finished - started:6.2f} s")


if __name__ == "__main__":
    main()
