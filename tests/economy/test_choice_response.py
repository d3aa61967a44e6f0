"""How strongly referrals respond to published waits, as each run reports it.

The implied waiting-time elasticity (choice_wait_elasticity_mean) is read off the
logit at the waits that were published and the shares patients chose: it grows with
the weight patients put on waits, and with navigators who weigh waits more; with
nobody choosing there is none. On the shipped competitive model, at the default
weight, it lies within the published estimates (about -0.04 for hip replacement to
-0.1 for cataract).
"""

from pathlib import Path

import numpy as np
import pytest

from pathways.config import load_config
from pathways.engine import simulate_replication
from pathways.experiment import run_replications
from pathways.log import ARRIVE, START
from pathways.metrics import kpis, timeseries
from pathways.metrics.equity import _Rows
from pathways.model.compile import compile_config

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
west_practice,60000,-4,0,2
east_practice,60000,4,0,4
"""
TWO_PROVIDERS = """
name: NAME
horizon_days: 700
warmup_days: 200
practices: {file: practices.csv}
organisations:
  west_trust: {type: acute, sites: {west: {x_km: -5, y_km: 0}}}
  east_trust: {type: acute, sites: {east: {x_km: 5, y_km: 0}}}
calendars:
  clinic_days: {sessions: [{days: [mon, wed], start: "09:00", end: "17:00"}]}
resources:
  west_clinic: {organisation: west_trust, site: west, kind: outpatients, capacity: 1,
                calendar: clinic_days, slots_per_session: 30}
  east_clinic: {organisation: east_trust, site: east, kind: outpatients, capacity: 1,
                calendar: clinic_days, slots_per_session: 20}
pathways:
  clinic:
    referrals_per_1000_per_year: 20    # 46 a week against 100 slots
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
                    rtt_stop: non_admitted}
allocation: {policy: POLICY}
choice: {wait_weeks: BETA}
navigators: {share: NAVIGATED, information_lag_days: 0, wait_weeks_multiplier: 2.0}
"""
ELASTICITY = "choice_wait_elasticity_mean"


def _run(economy, policy="choice", beta=-0.03, navigated=0.0, replication=0):
    name = f"{policy}_{-beta}_{navigated}".replace(".", "_")
    text = (TWO_PROVIDERS.replace("NAME", name).replace("POLICY", policy)
            .replace("BETA", str(beta)).replace("NAVIGATED", str(navigated)))
    return simulate_replication(economy(text, PRACTICES, f"{name}.yaml"), 5, replication)


def _elasticity(log) -> float:
    table = kpis(log)
    return table[(table.stage == "") & (table.metric == ELASTICITY)].value.item()


def test_the_elasticity_grows_with_the_weight_on_waits_and_with_navigators(economy):
    base = _elasticity(_run(economy))
    assert base < 0
    # shares hardly move at these weights: twice the weight, about twice the elasticity
    assert _elasticity(_run(economy, beta=-0.06)) / base == pytest.approx(2.0, rel=0.25)
    # half the patients navigated, who weigh waits twice: about 1.5 times
    assert _elasticity(_run(economy, navigated=0.5)) / base == pytest.approx(1.5, rel=0.25)


def test_no_choice_no_elasticity(economy):
    assert np.isnan(_elasticity(_run(economy, policy="nearest")))


def test_published_waits_and_choice_shares_are_series(economy):
    series = timeseries(_run(economy))
    published = series[series.series == "published_wait_weeks"]
    assert set(published.level) == {"west_trust/west:clinic", "east_trust/east:clinic"}
    assert (published.value >= 0).all() and (published.value > 0).any()
    shares = series[series.series == "choice_share"]
    np.testing.assert_allclose(shares.groupby("time_days").value.sum(), 1.0)


@pytest.mark.slow
def test_at_the_default_weight_the_elasticity_is_within_published_estimates():
    model_file = Path(__file__).parents[2] / "models" / "competitive.yaml"
    model = compile_config(load_config(model_file).config)
    table = run_replications(model, 2, seed=0, progress=False, workers=0).kpis
    values = table[(table.stage == "") & (table.metric == ELASTICITY)].value
    assert values.between(-0.1, -0.04).all(), values.tolist()


def test_the_published_list_counts_who_waits_for_a_first_appointment(economy):
    """Every publication's list (`waiting`) is the patients referred to the site, not
    yet seen there and not removed untreated, counted from the event log."""
    text = (TWO_PROVIDERS.replace("NAME", "counted").replace("POLICY", "choice")
            .replace("BETA", "-0.03").replace("NAVIGATED", "0")
            + "waiting_list: {removals: {monthly_rate: 0.2}}\n"
            + "published_wait: {measure: list_over_throughput}\n")
    log = simulate_replication(economy(text, PRACTICES, "counted.yaml"), 5, 0)
    patients, published, removals = log.patients, log.published, log.removals
    assert len(removals.patient) > 30
    arrived = log.time[log.event == ARRIVE][_Rows(log.patient[log.event == ARRIVE])(
        patients.patient)]
    start = (log.event == START) & (log.stage == 0)
    seen = np.full(len(patients.patient), np.inf)
    seen[_Rows(patients.patient)(log.patient[start])] = log.time[start]
    gone = np.full(len(patients.patient), np.inf)
    rows = _Rows(patients.patient)(removals.patient)
    gone[rows[rows >= 0]] = removals.time[rows >= 0]
    for t, site, waiting in zip(published.time, published.site, published.waiting, strict=False):
        mine = (patients.referred_site == site) & (arrived <= t) & (seen > t)
        assert np.sum(mine & (gone > t)) <= waiting <= np.sum(mine & (gone >= t))
