"""Who refers how much: a practice's own referral factor and its deprivation
quintile's need multiplier scale its referrals, and the offered loads with them.

Two practices of equal list size send patients to one clinic with room to spare.
Referrals are counted from the patient table over a long run and compared with the
rate the inputs give, by a binomial (share) and a Poisson (total) interval.
"""

import numpy as np
import pytest
from scipy import stats

from pathways.config import load_config
from pathways.config.resource_demand import resource_visits
from pathways.engine import simulate_replication

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile,referral_factor
deprived_practice,20000,-2,0,1,FACTOR
affluent_practice,20000,2,0,5,1
"""
ONE_CLINIC = """
name: NAME
horizon_days: 2000
warmup_days: 0
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 0, y_km: 0}}}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 4}
pathways:
  care:
    referrals_per_1000_per_year: 18.25   # 2 a day from the two lists at factor 1
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.5}}
need: {referral_multiplier_by_quintile: [NEED, 1, 1, 1, 1]}
"""


def _referrals(economy, factor: float, need: float, name: str) -> tuple[np.ndarray, float]:
    """Referrals per practice over the run, and the run's length in days."""
    text = ONE_CLINIC.replace("NAME", name).replace("NEED", str(need))
    model = economy(text, PRACTICES.replace("FACTOR", str(factor)), f"{name}.yaml")
    log = simulate_replication(model, 17, 0)
    return np.bincount(log.patients.practice, minlength=2), log.horizon_days


def _share_interval(counts: np.ndarray) -> tuple[float, float]:
    """95% Clopper-Pearson interval of the first practice's share."""
    result = stats.binomtest(int(counts[0]), int(counts.sum()))
    interval = result.proportion_ci(0.95)
    return interval.low, interval.high


def _total_interval(count: int) -> tuple[float, float]:
    """95% exact Poisson interval of a count."""
    return (stats.chi2.ppf(0.025, 2 * count) / 2, stats.chi2.ppf(0.975, 2 * count + 2) / 2)


def test_a_practice_with_referral_factor_two_refers_twice_as_much(economy):
    counts, days = _referrals(economy, 2.0, 1.0, "factor")
    low, high = _share_interval(counts)
    assert low <= 2 / 3 <= high, counts  # twice the other practice's referrals
    low, high = _total_interval(int(counts.sum()))
    assert low <= 3.0 * days <= high  # 2 a day at factor 1, 3 a day with one at 2


def test_the_need_multiplier_of_a_quintile_scales_its_practices_referrals(economy):
    counts, days = _referrals(economy, 1.0, 1.5, "need")
    low, high = _share_interval(counts)
    assert low <= 0.6 <= high, counts  # 1.5 : 1
    low, high = _total_interval(int(counts.sum()))
    assert low <= 2.5 * days <= high


def test_offered_loads_follow_the_referral_weights(tmp_path):
    """`pathways check` and the load lint see the same demand the engine draws."""
    for factor, need, per_day in (("1", "1", 2.0), ("2", "1.5", 4.0)):
        (tmp_path / "practices.csv").write_text(
            PRACTICES.replace("FACTOR", factor).strip() + "\n")
        path = tmp_path / f"load{factor}.yaml"
        path.write_text(ONE_CLINIC.replace("NAME", "load").replace("NEED", need))
        visits = resource_visits(load_config(path).config)
        assert sum(visits.values()) == pytest.approx(per_day)
