"""Choice of provider: the multinomial logit, and waits that patients see late."""

import numpy as np
from scipy import stats

from pathways.engine import simulate_replication

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
only_practice,200000,0,0,3
"""
THREE_PROVIDERS = """
name: choice
horizon_days: 1000
warmup_days: 0
practices: {file: practices.csv}
organisations:
  near_trust: {type: acute, sites: {near: {x_km: 5, y_km: 0}}}
  middle_trust: {type: teaching, sites: {middle: {x_km: 0, y_km: 10}}}
  far_istc: {type: istc, sites: {far: {x_km: -20, y_km: 0}}}
resources:
  near_clinic: {organisation: near_trust, site: near, kind: outpatients, capacity: 40}
  middle_clinic: {organisation: middle_trust, site: middle, kind: outpatients, capacity: 40}
  far_clinic: {organisation: far_istc, site: far, kind: outpatients, capacity: 40}
pathways:
  clinic:
    referrals_per_1000_per_year: 10
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.5}}
allocation: {policy: choice}
choice:
  distance_km: -0.265
  distance_km2: 0.002
  distance_km3: -0.00001
  wait_weeks: 0.0
  provider_type: {istc: -1.52, teaching: -0.38}
"""


def _logit_shares(distances, constants):
    d = np.asarray(distances, float)
    utility = -0.265 * d + 0.002 * d**2 - 0.00001 * d**3 + np.asarray(constants)
    weights = np.exp(utility - utility.max())
    return weights / weights.sum()


def test_with_no_wait_coefficient_shares_follow_the_distance_logit(economy):
    log = simulate_replication(economy(THREE_PROVIDERS, PRACTICES), 11, 0)
    chosen = log.patients.referred_site
    counts = np.bincount(chosen, minlength=3)
    expected = _logit_shares([5, 10, 20], [0.0, -0.38, -1.52]) * counts.sum()
    assert counts.sum() > 5000
    assert stats.chisquare(counts, expected).pvalue > 0.001
    np.testing.assert_allclose(log.patients.distance_km, np.array([5.0, 10.0, 20.0])[chosen])


def test_nearest_sends_everyone_to_the_nearest(economy):
    text = THREE_PROVIDERS.replace("policy: choice", "policy: nearest")
    log = simulate_replication(economy(text, PRACTICES), 11, 0)
    assert np.all(log.patients.referred_site == 0)


def test_same_patients_same_tastes_across_policies(economy):
    """Common random numbers: the referrals (times, practices) are the same whatever
    the allocation policy."""
    choice = simulate_replication(economy(THREE_PROVIDERS, PRACTICES), 4, 0)
    nearest = simulate_replication(
        economy(THREE_PROVIDERS.replace("policy: choice", "policy: nearest"), PRACTICES,
                "nearest.yaml"), 4, 0)
    from pathways.log import ARRIVE
    np.testing.assert_array_equal(choice.time[choice.event == ARRIVE],
                                  nearest.time[nearest.event == ARRIVE])
