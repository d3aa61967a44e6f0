"""Handoffs follow from who owns what: moving a resource into the organisation of the
stage before it removes exactly that handoff and its delay, and nothing else."""

import numpy as np
import pandas as pd

from pathways.experiment import run_replications

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
town_practice,50000,0,0,3
"""
# Outpatients at the trust, then a test at the community provider. Plenty of test
# capacity, so no one queues there and moving it cannot change anyone's order.
CARE = """
name: NAME
horizon_days: 2000
warmup_days: 200
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 1, y_km: 0}, annex: {x_km: 2, y_km: 0}}}
  community: {type: community, sites: {annex: {x_km: 2, y_km: 0}}}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 2}
  scanner: {organisation: OWNER, site: annex, kind: diagnostics, capacity: 20}
pathways:
  care:
    referrals_per_1000_per_year: 10
    stages:
      first_outpatient: {kind: outpatients, duration: {dist: exponential, mean: 0.5}, next: test}
      test: {kind: diagnostics, duration: {dist: fixed, value: 0.1}}
handoff:
  between_organisations: {delay_days: 2.0, record_missing: 0.0, repeat_test: 0.0}
  within_organisation: {delay_days: 0.0, record_missing: 0.0, repeat_test: 0.0}
"""


def _kpis(economy, owner: str) -> pd.Series:
    model = economy(CARE.replace("OWNER", owner).replace("NAME", owner), PRACTICES,
                    f"{owner}.yaml")
    kpis = run_replications(model, 3, seed=3, progress=False).kpis
    return kpis.set_index(["replication", "stage", "metric"])["value"]


def test_moving_the_test_into_the_trust_removes_that_handoff_only(economy):
    split, joined = _kpis(economy, "community"), _kpis(economy, "trust")
    # GP -> trust, trust -> community, community -> GP: 3 handoffs of 2 days each,
    # against GP -> trust, trust -> GP and one transfer within the trust.
    assert (split.loc[(slice(None), "", "handoffs_per_pathway")] == 3).all()
    assert (joined.loc[(slice(None), "", "handoffs_per_pathway")] == 2).all()
    assert (split.loc[(slice(None), "", "handoff_delay_days_per_pathway")] == 6).all()
    assert (joined.loc[(slice(None), "", "handoff_delay_days_per_pathway")] == 4).all()
    assert (joined.loc[(slice(None), "", "transfers_within_per_pathway")] == 1).all()
    # The same patients wait the same at the trust's clinic...
    clinic = slice(None), "care.first_outpatient", slice(None)
    pd.testing.assert_series_equal(split.loc[clinic], joined.loc[clinic])
    # ...and reach the end exactly one handoff delay (2 days) sooner.
    shift = (split.loc[(slice(None), "", "time_in_system_mean")]
             - joined.loc[(slice(None), "", "time_in_system_mean")])
    np.testing.assert_allclose(shift.to_numpy(), 2.0, atol=0.05)


def test_missing_records_force_repeat_tests_on_diagnostic_capacity(economy):
    text = CARE.replace("record_missing: 0.0, repeat_test: 0.0}\n  within",
                        "record_missing: 0.5, repeat_test: 0.4}\n  within")
    model = economy(text.replace("OWNER", "community").replace("NAME", "repeats"), PRACTICES)
    from pathways.engine import simulate_replication
    log = simulate_replication(model, 5, 0)
    handoffs = log.handoffs
    into_care = handoffs.to_stage >= 0  # discharges never repeat a test
    assert not handoffs.repeat_test[~into_care].any()
    missing_share = handoffs.record_missing[handoffs.between_organisations].mean()
    assert abs(missing_share - 0.5) < 0.05
    repeat_share = handoffs.repeat_test[into_care & handoffs.record_missing].mean()
    assert abs(repeat_share - 0.4) < 0.06
    repeat_stage = [s.name for s in log.stages].index("care.handoff_repeat_test")
    from pathways.log import START
    repeats_done = np.sum((log.stage == repeat_stage) & (log.event == START))
    assert abs(repeats_done - handoffs.repeat_test.sum()) <= 3  # a few still in transit
    scanner = [r.name for r in log.resources].index("scanner")
    assert np.all(log.resource[(log.stage == repeat_stage) & (log.event == START)] == scanner)
