"""Waits that patients see late make providers' lists swing (herding, the selfish
routing of Knight & Harper 2013); fresher information calms them.

Two identical providers, equally far from every patient, each with one weekly clinic
session booked from its list. Patients pick by the logit. With a strong weight on the
published wait and fresh information the lists stay level; when patients see waits as
they were two months ago, they crowd into the provider that looked short, which then
becomes long, and the lists swing. Navigators, who see this week's waits, damp it. At
a weight in the published range nobody crowds anywhere, whatever the lag.
"""

import numpy as np
import pytest

from pathways.engine import simulate_replication
from pathways.metrics import kpis
from pathways.stats import paired_difference

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
middle_practice,100000,0,0,3
"""
TWINS = """
name: twins
horizon_days: 1200
warmup_days: 300
practices: {file: practices.csv}
organisations:
  west_trust: {type: acute, sites: {west: {x_km: -5, y_km: 0}}}
  east_trust: {type: acute, sites: {east: {x_km: 5, y_km: 0}}}
calendars:
  monday_clinic: {sessions: [{days: [mon], start: "09:00", end: "17:00"}]}
resources:
  west_clinic: {organisation: west_trust, site: west, kind: outpatients, capacity: 1,
                calendar: monday_clinic, slots_per_session: 50}
  east_clinic: {organisation: east_trust, site: east, kind: outpatients, capacity: 1,
                calendar: monday_clinic, slots_per_session: 50}
pathways:
  clinic:
    referrals_per_1000_per_year: 48    # 92 a week against 100 slots
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
                    rtt_stop: non_admitted}
allocation: {policy: choice}
choice: {wait_weeks: BETA}
published_wait: {information_lag_days: LAG, publish_every_days: 7, window_days: 14}
navigators: {share: NAVIGATED, information_lag_days: 0, wait_weeks_multiplier: 1.0}
"""
REPLICATIONS = 3
OSCILLATION = "waiting_list_oscillation_max"


def oscillation(economy, lag_days: int, navigated: float = 0.0, beta: float = -1.0
                ) -> np.ndarray:
    """The largest list swing (over its mean) of each replication."""
    text = (TWINS.replace("LAG", str(lag_days)).replace("NAVIGATED", str(navigated))
            .replace("BETA", str(beta)))
    model = economy(text, PRACTICES, f"lag{lag_days}_{navigated}_{beta}.yaml")
    values = []
    for replication in range(REPLICATIONS):
        table = kpis(simulate_replication(model, 21, replication))
        values.append(table[(table.stage == "") & (table.metric == OSCILLATION)].value.item())
    return np.array(values)


@pytest.mark.slow  # 11 s of statistics: make test-all
def test_lists_swing_more_with_a_longer_lag_and_less_with_navigators(economy):
    fresh, stale = oscillation(economy, 0), oscillation(economy, 56)
    assert paired_difference(fresh, stale)[1] > 0, (
        f"swing fresh {fresh.mean():.2f}, stale {stale.mean():.2f}")
    navigated = oscillation(economy, 56, navigated=0.5)
    assert paired_difference(navigated, stale)[1] > 0, (
        f"swing stale {stale.mean():.2f}, half navigated {navigated.mean():.2f}")


@pytest.mark.slow
def test_no_herding_at_a_weight_in_the_published_range(economy):
    """Even seen two months late, a weight of -0.05 a week (the top of the range the
    published elasticities give) moves too few patients to swing a list by half."""
    assert oscillation(economy, 56, beta=-0.05).max() < 0.5
