"""Networks: a Jackson network with feedback, Little's law, and Ciw on a tandem."""

import ciw
import numpy as np
import pytest

from tests.validation.harness import (
    CONFIGS,
    EXAMPLES,
    MAX_RELATIVE_HALF_WIDTH,
    SUPPLEMENTARY_LEVEL,
    assert_covers,
    interval,
    replicate,
    values,
)
from tests.validation.oracles import jackson_arrival_rates, mmc_mean_wait

TANDEM_HORIZON_DAYS, TANDEM_WARMUP_DAYS, TANDEM_REPLICATIONS = 20_000.0, 500.0, 12


class Jackson:
    """The open network of configs/jackson.yaml, by station."""

    stages = ("care.assessment", "care.treatment", "care.review")
    resources = ("resource:assessors", "resource:therapists", "resource:reviewers")
    servers = np.array([2, 1, 3])
    mean_service = np.array([1.0, 0.6, 3.0])
    external = np.array([1.0, 0.5, 0.0])
    routing = np.array([[0.0, 0.5, 0.3], [0.2, 0.0, 0.3], [0.0, 0.1, 0.0]])

    @classmethod
    def arrival_rates(cls) -> np.ndarray:
        return jackson_arrival_rates(cls.external, cls.routing)

    @classmethod
    def waits(cls) -> np.ndarray:
        return np.array([mmc_mean_wait(rate, 1 / mean, c) for rate, mean, c in
                         zip(cls.arrival_rates(), cls.mean_service, cls.servers, strict=False)])

    @classmethod
    def number_present(cls) -> np.ndarray:
        """L = lambda (Wq + E[S]) at each station."""
        return cls.arrival_rates() * (cls.waits() + cls.mean_service)


@pytest.fixture(scope="module")
def jackson_kpis():
    return replicate(CONFIGS / "jackson.yaml", 30)


@pytest.mark.slow  # 30 replications of the network (about 20 s): `make test-all`
def test_jackson_network_waits_per_station(jackson_kpis):
    for stage, rate, wait in zip(Jackson.stages, Jackson.arrival_rates(), Jackson.waits(),
                                 strict=False):
        assert_covers(values(jackson_kpis, stage, "wait_mean"), wait, f"{stage} Wq")
        assert_covers(values(jackson_kpis, stage, "arrivals_per_day"), rate, f"{stage} rate",
                      SUPPLEMENTARY_LEVEL)


@pytest.mark.slow  # shares the Jackson network's replications
def test_littles_law_on_every_resource_and_the_system(jackson_kpis):
    """Time-average number present (L), arrival rate (lambda) and sojourn (W) are each
    measured on their own from the event log, and each must match the theory, in
    which L = lambda W holds at every station and for the whole network."""
    for resource, rate, wait, mean, present in zip(
            Jackson.resources, Jackson.arrival_rates(), Jackson.waits(), Jackson.mean_service,
            Jackson.number_present(), strict=False):
        assert_covers(values(jackson_kpis, resource, "number_present_mean"), present,
                      f"{resource} L")
        assert_covers(values(jackson_kpis, resource, "arrivals_per_day"), rate,
                      f"{resource} lambda")
        assert_covers(values(jackson_kpis, resource, "sojourn_mean"), wait + mean,
                      f"{resource} W")
    total_present = Jackson.number_present().sum()
    assert_covers(values(jackson_kpis, "", "number_present_mean"), total_present, "system L")
    assert_covers(values(jackson_kpis, "", "arrivals_per_day"), Jackson.external.sum(),
                  "system lambda")
    assert_covers(values(jackson_kpis, "", "time_in_system_mean"),
                  total_present / Jackson.external.sum(), "system W")


def test_littles_law_holds_on_a_calendar_model_with_loops():
    """No closed form with calendars and time-varying arrivals, so L is checked against
    lambda W measured independently. Over a finite window the two differ only by
    patients present at its edges, of order W / window (here about 20 / 546 days):
    the ratio must sit within 3% of 1 at every resource and for the whole system."""
    kpis = replicate(EXAMPLES / "outpatient_week.yaml", 10)
    levels = [s for s in kpis["stage"].unique() if s == "" or s.startswith("resource:")]
    assert len(levels) == 2
    for level in levels:
        sojourn = "time_in_system_mean" if level == "" else "sojourn_mean"
        ratio = values(kpis, level, "number_present_mean") / (
            values(kpis, level, "arrivals_per_day") * values(kpis, level, sojourn))
        _, low, high = interval(ratio)
        assert 0.97 < low and high < 1.03, f"{level or 'system'}: L/(lambda W) in [{low}, {high}]"


def _ciw_tandem_waits() -> np.ndarray:
    """Mean wait per stage per replication, from Ciw's own records."""
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(4.0), None, None],
        service_distributions=[ciw.dists.Exponential(1 / 0.8), ciw.dists.Exponential(1 / 0.625),
                               ciw.dists.Exponential(1 / 1.11)],
        routing=[[0.0, 0.6, 0.0], [0.0, 0.0, 0.5], [0.0, 0.0, 0.0]],
        number_of_servers=[4, 2, 2],
    )
    waits = np.empty((TANDEM_REPLICATIONS, 3))
    for replication in range(TANDEM_REPLICATIONS):
        ciw.seed(10_000 + replication)
        simulation = ciw.Simulation(network)
        simulation.simulate_until_max_time(TANDEM_HORIZON_DAYS)
        records = [r for r in simulation.get_all_records()
                   if r.arrival_date >= TANDEM_WARMUP_DAYS and r.record_type == "service"]
        for node in range(3):
            waits[replication, node] = np.mean(
                [r.waiting_time for r in records if r.node == node + 1])
    return waits


@pytest.mark.slow  # about 100 s on 2 cores, most of it Ciw: run by `make test-all`
def test_tandem_agrees_with_ciw():
    """Both simulators' 95% CIs overlap on each stage's mean wait, and both are tight."""
    ours = replicate(EXAMPLES / "tandem.yaml", TANDEM_REPLICATIONS,
                     horizon_days=TANDEM_HORIZON_DAYS, warmup_days=TANDEM_WARMUP_DAYS)
    theirs = _ciw_tandem_waits()
    for node, stage in enumerate(("tandem.a", "tandem.b", "tandem.c")):
        ours_ci = interval(values(ours, stage, "wait_mean"))
        ciw_ci = interval(theirs[:, node])
        assert ours_ci[1] <= ciw_ci[2] and ciw_ci[1] <= ours_ci[2], (
            f"{stage}: pathways {ours_ci} vs Ciw {ciw_ci}")
        for label, (mean, low, high) in (("pathways", ours_ci), ("Ciw", ciw_ci)):
            assert (high - low) / 2 < MAX_RELATIVE_HALF_WIDTH * mean, f"{stage} {label} CI too wide"
