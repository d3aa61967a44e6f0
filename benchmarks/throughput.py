"""Throughput of pathways against bare SimPy and Ciw on the same tandem network.

Poisson arrivals at 4 a day; stage A (4 servers, exponential mean 0.8 days); 60% go
on to B (2 servers, mean 0.625); half of those go on to C (2 servers, mean 1.11).
All three run in this one process over the same horizon, in ``--repeats`` rounds that
run each once (so a machine that drifts moves them alike); the median is reported as
patients (arrivals) per second of wall time. pathways is timed with its event log on
(engine plus log assembly), and once more with the KPIs computed from the log as well,
for the whole picture.

    python benchmarks/throughput.py [--horizon-days 20000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from pathlib import Path

import ciw
import numpy as np
import simpy

import pathways
from pathways.engine import simulate_replication
from pathways.log import ARRIVE
from pathways.metrics import kpis

TANDEM = Path(__file__).resolve().parent.parent / "configs" / "examples" / "tandem.yaml"
ARRIVALS_PER_DAY = 4.0
SERVERS = (4, 2, 2)
MEAN_SERVICE_DAYS = (0.8, 0.625, 1.11)
ONWARD = (0.6, 0.5, 0.0)


def bare_simpy(horizon_days: float, seed: int) -> int:
    """Idiomatic SimPy: a generator per patient, simpy.Resource, no logging."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    teams = [simpy.Resource(env, capacity=c) for c in SERVERS]
    arrived = 0

    def patient(env):
        for stage, team in enumerate(teams):
            with team.request() as request:
                yield request
                yield env.timeout(rng.exponential(MEAN_SERVICE_DAYS[stage]))
            if rng.random() >= ONWARD[stage]:
                return

    def arrivals(env):
        nonlocal arrived
        while True:
            yield env.timeout(rng.exponential(1.0 / ARRIVALS_PER_DAY))
            arrived += 1
            env.process(patient(env))

    env.process(arrivals(env))
    env.run(until=horizon_days)
    return arrived


def ciw_tandem(horizon_days: float, seed: int) -> int:
    """The same network in Ciw."""
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(ARRIVALS_PER_DAY), None, None],
        service_distributions=[ciw.dists.Exponential(1.0 / m) for m in MEAN_SERVICE_DAYS],
        routing=[[0.0, ONWARD[0], 0.0], [0.0, 0.0, ONWARD[1]], [0.0, 0.0, 0.0]],
        number_of_servers=list(SERVERS),
    )
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(horizon_days)
    return len(simulation.get_all_individuals())


def pathways_tandem(model) -> callable:
    def run(horizon_days: float, seed: int) -> int:
        log = simulate_replication(model, seed, 0)
        return int((log.event == ARRIVE).sum())
    return run


def pathways_with_kpis(model) -> callable:
    def run(horizon_days: float, seed: int) -> int:
        log = simulate_replication(model, seed, 0)
        kpis(log)
        return int((log.event == ARRIVE).sum())
    return run


def median_rates(contenders: dict, horizon_days: float, repeats: int) -> dict[str, float]:
    """Median patients per second of each contender over ``repeats`` rounds with
    different seeds. Each round runs every contender once, so a machine that speeds up
    or slows down during the benchmark moves them all alike."""
    seen: dict[str, list[float]] = {name: [] for name in contenders}
    for seed in range(repeats):
        for name, run in contenders.items():
            started = time.perf_counter()
            patients = run(horizon_days, seed)
            seen[name].append(patients / (time.perf_counter() - started))
    return {name: statistics.median(values) for name, values in seen.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizon-days", type=float, default=20000.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    model = dataclasses.replace(pathways.load(TANDEM), horizon_days=args.horizon_days,
                                warmup_days=0.0)
    contenders = {
        "pathways (event log on)": pathways_tandem(model),
        "pathways (event log + KPIs)": pathways_with_kpis(model),
        "bare SimPy (no logging)": bare_simpy,
        "Ciw": ciw_tandem,
    }
    patients = ARRIVALS_PER_DAY * args.horizon_days
    print(f"tandem network, {args.horizon_days:g} days (~{patients:,.0f} patients), "
          f"median of {args.repeats} runs")
    rates = median_rates(contenders, args.horizon_days, args.repeats)
    for name, value in rates.items():
        print(f"  {name:<30} {value:>12,.0f} patients/s")
    ours = rates["pathways (event log on)"]
    print(f"  ratio pathways/SimPy: {ours / rates['bare SimPy (no logging)']:.2f}")
    print(f"  ratio pathways/Ciw:   {ours / rates['Ciw']:.2f}")
    print(f"  ratio pathways+KPIs/SimPy: "
          f"{rates['pathways (event log + KPIs)'] / rates['bare SimPy (no logging)']:.2f}")


if __name__ == "__main__":
    main()
