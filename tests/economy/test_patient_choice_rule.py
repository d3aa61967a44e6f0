"""The Patient Choice rule: past a threshold, patients are offered faster providers.

A busy clinic near the practice (one server, near saturation: waits of weeks) and a quiet
one a little further away. Almost everyone is referred to the near one. With the
rule on, patients still waiting after a week are offered the quiet clinic and
some move, each move a handoff between the two organisations; the busy clinic's
waits fall.
"""

import numpy as np
from scipy import stats

from pathways.engine import simulate_replication
from pathways.log import QUEUE, START
from pathways.metrics import kpis

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
near_practice,100000,0,0,2
"""
BUSY_AND_QUIET = """
name: NAME
horizon_days: 1500
warmup_days: 300
practices: {file: practices.csv}
organisations:
  busy_trust: {type: acute, sites: {busy: {x_km: 1, y_km: 0}}}
  quiet_trust: {type: acute, sites: {quiet: {x_km: -10, y_km: 0}}}
resources:
  busy_clinic: {organisation: busy_trust, site: busy, kind: outpatients, capacity: 1}
  quiet_clinic: {organisation: quiet_trust, site: quiet, kind: outpatients, capacity: 1}
pathways:
  clinic:
    referrals_per_1000_per_year: 4.2    # 1.15 a day
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.9},
                    rtt_stop: non_admitted}
allocation: {policy: choice}
choice: {wait_weeks: -0.1}
published_wait: {information_lag_days: 7}
RULE
"""


def _run(economy, rule: str, replication: int):
    name = "rule" if rule else "no_rule"
    text = BUSY_AND_QUIET.replace("NAME", name).replace("RULE", rule)
    return simulate_replication(economy(text, PRACTICES, f"{name}.yaml"), 13, replication)


def _busy_wait(log) -> float:
    table = kpis(log).set_index(["stage", "metric"])["value"]
    return table[("resource:busy_clinic", "wait_mean")]


def test_patients_offered_a_faster_provider_move_and_the_busy_list_shortens(economy):
    rule = "patient_choice: {threshold_weeks: 1}"
    with_rule = [_run(economy, rule, r) for r in range(5)]
    without = [_run(economy, "", r) for r in range(5)]
    log = with_rule[0]
    moves = (log.handoffs.from_organisation == 0) & (log.handoffs.to_organisation == 1)
    assert moves.sum() > 20, "some patients should take the offer"
    assert np.all(log.handoffs.to_stage[moves] == 0)
    # each moved patient is queued once, seen once: the move keeps their place in time
    appointment = log.stage == 0
    queued, started = log.patient[appointment & (log.event == QUEUE)], \
        log.patient[appointment & (log.event == START)]
    assert len(np.unique(queued)) == len(queued)
    assert set(started) <= set(queued)
    difference = np.array([_busy_wait(a) - _busy_wait(b) for a, b in zip(with_rule, without)])
    high = difference.mean() + stats.t.ppf(0.975, 4) * stats.sem(difference)
    assert high < 0, f"busy clinic wait change {difference.mean():.2f} days"


def test_without_choice_the_rule_offers_nothing(economy):
    text = (BUSY_AND_QUIET.replace("NAME", "nearest").replace("policy: choice", "policy: nearest")
            .replace("RULE", "patient_choice: {threshold_weeks: 1}"))
    log = simulate_replication(economy(text, PRACTICES), 13, 0)
    assert not np.any((log.handoffs.from_organisation == 0) & (log.handoffs.to_organisation == 1))
