"""Networks: a Jackson network with feedback, Little's law, and Ciw on a tandem."""

import ciw
import numpy as np
import pytest

from tests.validation.harness import (
    CONFIGS, EXAMPLES, MAX_RELATIVE_HALF_WIDTH, assert_covers, interval, replicate, values,
)
from tests.validation.oracles import jackson_arrival_rates, mmc_mean_wait

JACKSON_STAGES = ("care.assessment", "care.treatment", "care.review")
JACKSON_SERVERS = np.array([2, 1, 3])
JACKSON_MEAN_SERVICE = np.array([1.0, 0.6, 3.0])
JACKSON_EXTERNAL = np.array([1.0, 0.5, 0.0])
JACKSON_ROUTING = np.array([[0.0, 0.5, 0.3], [0.2, 0.0, 0.3], [0.0, 0.1, 0.0]])


@pytest.fixture(scope="module")
def jackson_kpis():
    return replicate(CONFIGS / "jackson.yaml", 12)


def test_jackson_network_waits_per_station(jackson_kpis):
    rates = jackson_arrival_rates(JACKSON_EXTERNAL, JACKSON_ROUTING)
    for stage, rate, servers, mean in zip(JACKSON_STAGES, rates, JACKSON_SERVERS,
                                          JACKSON_MEAN_SERVICE):
        expected = mmc_mean_wait(rate, 1.0 / mean, servers)
        assert_covers(values(jackson_kpis, stage, "wait_mean"), expected, f"{stage} Wq")
        assert_covers(values(jackson_kpis, stage, "arrivals_per_day"), rate, f"{stage} rate")


def test_jackson_network_time_in_system(jackson_kpis):
    """By Little's law on the whole network: W = sum of station L over total arrivals."""
    rates = jackson_arrival_rates(JACKSON_EXTERNAL, JACKSON_ROUTING)
    waits = [mmc_mean_wait(r, 1 / m, c) for r, m, c in
             zip(rates, JACKSON_MEAN_SERVICE, JACKSON_SERVERS)]
    number_present = sum(r * (w + m) for r, w, m in zip(rates, waits, JACKSON_MEAN_SERVICE))
    expected = number_present / JACKSON_EXTERNAL.sum()
    assert_covers(values(jackson_kpis, "", "time_in_system_mean"), expected, "network W")


@pytest.mark.parametrize("config", [CONFIGS / "jackson.yaml", EXAMPLES / "tandem.yaml",
                                    EXAMPLES / "outpatient_week.yaml"],
                         ids=["jackson", "tandem", "outpatient_week"])
def test_littles_law_on_every_resource_and_the_system(config):
    """L = lambda W, each side measured separately from the event log."""
    kpis = replicate(config, 10)
    levels = [s for s in kpis["stage"].unique() if s == "" or s.startswith("resource:")]
    assert len(levels) >= 2
    for level in levels:
        sojourn = "time_in_system_mean" if level == "" else "sojourn_mean"
        little = values(kpis, level, "number_present_mean") / (
            values(kpis, level, "arrivals_per_day") * values(kpis, level, sojourn))
        assert_covers(little, 1.0, f"{config.stem} {level or 'system'} L/(lambda W)")


def _ciw_tandem_waits(replications: int, horizon: float, warmup: float) -> np.ndarray:
    """Mean wait per stage per replication, from Ciw's own records."""
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(4.0), None, None],
        service_distributions=[ciw.dists.Exponential(1 / 0.8), ciw.dists.Exponential(1 / 0.625),
                               ciw.dists.Exponential(1 / 1.11)],
        routing=[[0.0, 0.6, 0.0], [0.0, 0.0, 0.5], [0.0, 0.0, 0.0]],
        number_of_servers=[4, 2, 2],
    )
    waits = np.empty((replications, 3))
    for replication in range(replications):
        ciw.seed(10_000 + replication)
        simulation = ciw.Simulation(network)
        simulation.simulate_until_max_time(horizon)
        records = [r for r in simulation.get_all_records()
                   if r.arrival_date >= warmup and r.record_type == "service"]
        for node in range(3):
            waits[replication, node] = np.mean(
                [r.waiting_time for r in records if r.node == node + 1])
    return waits


def test_tandem_agrees_with_ciw():
    """Both simulators' 95% CIs overlap on each stage's mean wait, and both are tight."""
    horizon, warmup, replications = 3000.0, 300.0, 10
    ours = replicate(EXAMPLES / "tandem.yaml", replications)
    theirs = _ciw_tandem_waits(replications, horizon, warmup)
    for node, stage in enumerate(("tandem.a", "tandem.b", "tandem.c")):
        mean, low, high = interval(values(ours, stage, "wait_mean"))
        c_mean, c_low, c_high = interval(theirs[:, node])
        assert low <= c_high and c_low <= high, (
            f"{stage}: pathways [{low:.4f}, {high:.4f}] vs Ciw [{c_low:.4f}, {c_high:.4f}]")
        for label, (m, lo, hi) in (("pathways", (mean, low, high)), ("Ciw", (c_mean, c_low, c_high))):
            assert (hi - lo) / 2 < MAX_RELATIVE_HALF_WIDTH * m, f"{stage} {label} CI too wide"
