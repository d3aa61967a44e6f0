"""Waits that patients see late make providers' lists swing (herding).

Two identical providers, equally far from every patient. Patients pick by the logit
with a strong weight on the published wait. With fresh information the lists stay
level; when patients see waits as they were two months ago, they crowd into the
provider that looked short, which then becomes long, and the lists swing.
"""

import numpy as np
from scipy import stats

from pathways.engine import simulate_replication
from pathways.metrics.series import waiting_list_by_resource

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
middle_practice,100000,0,0,3
"""
TWINS = """
name: twins-LAG
horizon_days: 1500
warmup_days: 300
practices: {file: practices.csv}
organisations:
  west_trust: {type: acute, sites: {west: {x_km: -5, y_km: 0}}}
  east_trust: {type: acute, sites: {east: {x_km: 5, y_km: 0}}}
resources:
  west_clinic: {organisation: west_trust, site: west, kind: outpatients, capacity: 2}
  east_clinic: {organisation: east_trust, site: east, kind: outpatients, capacity: 2}
pathways:
  clinic:
    referrals_per_1000_per_year: 12.4   # 3.4 a day against 4 a day of capacity
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 1.0}}
allocation: {policy: choice}
choice: {wait_weeks: -0.5}
published_wait: {information_lag_days: LAG, publish_every_days: 7, window_days: 14}
"""


def imbalance(economy, lag_days: int, replication: int) -> float:
    """Standard deviation over weekly snapshots of (west list - east list)."""
    text = TWINS.replace("LAG", str(lag_days))
    log = simulate_replication(economy(text, PRACTICES, f"lag{lag_days}.yaml"), 21, replication)
    lists = waiting_list_by_resource(log).pivot(index="time_days", columns="resource",
                                                values="waiting")
    return float((lists["west_clinic"] - lists["east_clinic"]).std())


def test_a_long_information_lag_makes_lists_swing(economy):
    fresh = np.array([imbalance(economy, 0, r) for r in range(8)])
    stale = np.array([imbalance(economy, 56, r) for r in range(8)])
    difference = stale - fresh
    low = difference.mean() - stats.t.ppf(0.975, len(difference) - 1) * stats.sem(difference)
    assert low > 0, f"imbalance fresh {fresh.mean():.2f} vs stale {stale.mean():.2f}"
    assert stale.mean() > 2 * fresh.mean()
