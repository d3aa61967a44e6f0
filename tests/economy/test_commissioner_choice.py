"""Choice of commissioner: patients may register with a rival commissioner that buys
its members' elective care per case. Nothing says the rival is better: where the
home commissioner pays the trust a block sum, the trust is paid per case only for the
rival's members and books them first, their waits are shorter, and patients move to
the rival; where the trust is paid per case for everyone, nobody is booked first and
the share only drifts with noise.

Two practices at the same distance from one trust whose clinic is near full (load
0.95); 30% of patients start with the rival. Paired by replication.
"""

import numpy as np
import pytest

from pathways.engine import simulate_replication
from pathways.log import START
from pathways.metrics import kpis
from pathways.stats import paired_difference

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
north,25000,0,1,3
south,25000,0,-1,3
"""
ECONOMY = """
name: NAME
horizon_days: 700
warmup_days: 200
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 5, y_km: 0}}}
calendars:
  clinic_days: {sessions: [{days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}]}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 1,
           calendar: clinic_days, slots_per_session: 20}
pathways:
  clinic:
    referrals_per_1000_per_year: 99   # 95 a week against 100 slots
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
                    rtt_stop: non_admitted, currency: first_attendance}
contracts: {default: CONTRACT, block_sums_per_year: {trust: 1.0e6}}
commissioner_choice: {rival: health_plan, initial_share: 0.3, capitation_per_head_per_year: 20,
                      switch_per_year: 1.0, margin_weeks: 0.1}
money: {prices: {first_attendance: 100}}
"""
REPLICATIONS = 4
YEARS = 500 / 365.0


def _run(economy, contract: str, replication: int):
    text = ECONOMY.replace("NAME", contract).replace("CONTRACT", contract)
    return simulate_replication(economy(text, PRACTICES, f"{contract}.yaml"), 5, replication)


def _value(table, stage: str, metric: str) -> float:
    return table[(table.stage == stage) & (table.metric == metric)].value.item()


def test_patients_move_to_a_rival_whose_members_a_block_paid_trust_books_first(economy):
    block = [_run(economy, "block", r) for r in range(REPLICATIONS)]
    activity = [_run(economy, "activity", r) for r in range(REPLICATIONS)]
    for log in block:  # the rival's members wait less, so its share grows
        table = kpis(log)
        assert _value(table, "commissioner:rival", "wait_mean") < \
            _value(table, "commissioner:home", "wait_mean") - 1.0
    final = [log.commissioners.rival_share[-1] for log in block]
    assert min(final) > 0.6, final
    moved = paired_difference([a.commissioners.rival_share[-1] for a in activity], final)
    assert moved[1] > 0.2, moved  # block minus activity
    # where everyone is paid for, members and others wait alike
    gaps = [_value(kpis(a), "commissioner:home", "wait_mean")
            - _value(kpis(a), "commissioner:rival", "wait_mean") for a in activity]
    mean, low, high, _ = paired_difference([0.0] * REPLICATIONS, gaps)
    assert low < 0 < high, (mean, low, high)


def test_the_rival_is_paid_per_member_and_pays_per_case(economy):
    log = _run(economy, "block", 0)
    table = kpis(log)
    share = log.commissioners
    held = np.clip(np.minimum(np.append(share.time[1:], np.inf), 700)
                   - np.maximum(share.time, 200), 0, None)
    members = 50000 * np.sum(held * share.rival_share) / 500
    assert _value(table, "flow:commissioner->health_plan", "payment_per_year") == \
        pytest.approx(20 * members)
    ids = np.asarray(log.patients.patient)[np.asarray(log.patients.rival)]
    inside = (log.time >= log.warmup_days) & (log.time <= log.horizon_days)
    seen = np.sum((log.event == START) & inside & np.isin(log.patient, ids))
    assert seen > 500
    assert _value(table, "flow:health_plan->trust", "payment_per_year") == pytest.approx(
        100 * seen / YEARS, rel=1e-9)
    assert _value(table, "provider:trust", "income_per_year") == pytest.approx(
        1.0e6 + 100 * seen / YEARS, rel=1e-9)
