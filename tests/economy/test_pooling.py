"""Pooled lists against separate lists, in the direction and size queueing theory says.

Two identical clinics of one organisation, each one server (exponential, mean 1 day),
with unequal demand: 0.75 and 0.25 referrals a day. Allocated to the nearest, they
are two M/M/1 queues (mean waits 3 and 1/3 days, 2.33 overall); pooled, they are one
M/M/2 queue at load 0.5 (mean wait 1/3 day).
"""

import numpy as np
import pytest

from pathways.experiment import run_replications
from tests.validation.harness import assert_covers
from tests.validation.oracles import mmc_mean_wait

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
north_practice,75000,0,10,2
south_practice,25000,0,-10,4
"""
TWO_CLINICS = """
name: two-clinics
horizon_days: 20000
warmup_days: 500
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {north: {x_km: 0, y_km: 10}, south: {x_km: 0, y_km: -10}}}
resources:
  north_clinic: {organisation: trust, site: north, kind: outpatients, capacity: 1}
  south_clinic: {organisation: trust, site: south, kind: outpatients, capacity: 1}
pathways:
  clinic:
    referrals_per_1000_per_year: 3.65    # 100,000 registered -> 1 a day
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 1.0}}
allocation: {policy: POLICY}
"""


def _waits(economy, policy: str) -> np.ndarray:
    model = economy(TWO_CLINICS.replace("POLICY", policy), PRACTICES, f"{policy}.yaml")
    kpis = run_replications(model, 12, seed=7, progress=False).kpis
    rows = kpis[(kpis.stage == "clinic.appointment") & (kpis.metric == "wait_mean")]
    return rows.sort_values("replication").value.to_numpy()


@pytest.mark.slow  # statistical validation, about 17 s: `make test-all`; the tests below
# check where pooled patients go in the default suite
def test_pooled_list_waits_like_mm2_and_separate_lists_like_two_mm1(economy):
    separate = 0.75 * mmc_mean_wait(0.75, 1, 1) + 0.25 * mmc_mean_wait(0.25, 1, 1)
    pooled = mmc_mean_wait(1.0, 1, 2)
    assert separate > 6 * pooled  # what theory predicts: pooling shortens waits sharply
    nearest_waits, pooled_waits = _waits(economy, "nearest"), _waits(economy, "pooled")
    assert_covers(nearest_waits, separate, "nearest (two M/M/1)")
    assert_covers(pooled_waits, pooled, "pooled (M/M/2)")
    assert np.all(pooled_waits < nearest_waits)


def test_pooled_patients_are_served_at_both_sites(economy):
    model = economy(TWO_CLINICS.replace("POLICY", "pooled"), PRACTICES)
    assert len(model.pools) == 1 and len(model.pools[0].unit_resource) == 2
    from pathways.engine import simulate_replication
    from pathways.log import START
    log = simulate_replication(model, 1, 0)
    starts = log.resource[log.event == START]
    share_north = np.mean(starts == 0)
    assert 0.4 < share_north < 0.6  # either free server takes the head of the one list


def test_pooling_across_all_providers_merges_lists_of_different_organisations(economy):
    """virtual integration: two organisations, one list; where a patient was really
    served decides the organisation of their next handoff (here, the way home)."""
    text = (TWO_CLINICS.replace("POLICY", "pooled, pool_across: all")
            .replace("  trust: {type: acute, sites: {north: {x_km: 0, y_km: 10}, "
                     "south: {x_km: 0, y_km: -10}}}",
                     "  north_trust: {type: acute, sites: {north: {x_km: 0, y_km: 10}}}\n"
                     "  south_trust: {type: acute, sites: {south: {x_km: 0, y_km: -10}}}")
            .replace("organisation: trust, site: north", "organisation: north_trust, site: north")
            .replace("organisation: trust, site: south", "organisation: south_trust, site: south")
            .replace("horizon_days: 20000", "horizon_days: 2000"))
    model = economy(text, PRACTICES, "all.yaml")
    assert len(model.pools) == 1
    from pathways.engine import simulate_replication
    from pathways.log import END
    log = simulate_replication(model, 2, 0)
    served = {}
    for patient, resource in zip(log.patient[log.event == END], log.resource[log.event == END],
                                 strict=False):
        served[int(patient)] = int(resource)  # north_clinic is resource 0, organisation 0
    home = log.handoffs.to_stage < 0  # discharge back to the practice
    for patient, origin in zip(log.handoffs.patient[home], log.handoffs.from_organisation[home],
                               strict=False):
        assert origin == log.resources[served[int(patient)]].organisation
    assert len(set(served.values())) == 2
