"""GP fundholding: a practice holding a fund pays providers per case for its patients'
elective care. Whether its patients wait less than others' (a two-tier service) is
not configured anywhere: it follows from the provider's contract. A trust paid a
block sum gains nothing from treating the commissioner's patients but is paid for
each fundholder's, so it books fundholders' patients first; a trust paid by activity
is paid for every patient, and books nobody first.

Two practices of the same size at the same distance from one trust whose clinic is
near full (load 0.95); one practice holds a fund. Paired by replication (common
random numbers).
"""

import numpy as np
import pytest

from pathways.engine import simulate_replication
from pathways.log import START
from pathways.metrics import kpis
from pathways.stats import paired_difference

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
fundholder,25000,0,1,3
other,25000,0,-1,3
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
fundholding: {practices: [FUNDHOLDERS], fund_per_head_per_year: 20}
money: {prices: {first_attendance: 100}}
"""
REPLICATIONS = 4
YEARS = 500 / 365.0


def _run(economy, contract: str, replication: int, fundholders: str = "fundholder"):
    name = f"{contract}_{fundholders or 'none'}"
    text = (ECONOMY.replace("NAME", name).replace("CONTRACT", contract)
            .replace("FUNDHOLDERS", fundholders))
    if not fundholders:
        text = text.replace("fundholding: {practices: [], fund_per_head_per_year: 20}\n", "")
    return simulate_replication(economy(text, PRACTICES, f"{name}.yaml"), 5, replication)


def _value(table, stage: str, metric: str) -> float:
    return table[(table.stage == stage) & (table.metric == metric)].value.item()


def _gap_days(log) -> float:
    """Mean wait of the other practice's patients less the fundholder's."""
    table = kpis(log)
    return (_value(table, "practice_group:other", "wait_mean")
            - _value(table, "practice_group:fundholding", "wait_mean"))


def test_a_block_paid_trust_books_fundholders_first_and_an_activity_paid_one_does_not(economy):
    block = [_gap_days(_run(economy, "block", r)) for r in range(REPLICATIONS)]
    activity = [_gap_days(_run(economy, "activity", r)) for r in range(REPLICATIONS)]
    two_tier = paired_difference(activity, block)  # block - activity
    assert two_tier[1] > 1.0, two_tier  # days: the fundholders' patients jump the list
    mean, low, high, _ = paired_difference([0.0] * REPLICATIONS, activity)
    assert low < 0 < high, (mean, low, high)  # no tier where every patient pays


def test_without_fundholders_there_are_no_practice_group_rows(economy):
    table = kpis(_run(economy, "block", 0, fundholders=""))
    assert not table.stage.str.startswith("practice_group:").any()


def test_a_fund_is_paid_per_head_and_pays_for_its_patients_care_per_case(economy):
    log = _run(economy, "block", 0)
    table = kpis(log)
    assert _value(table, "flow:commissioner->fundholders", "payment_per_year") == \
        pytest.approx(20 * 25000)
    fundholder = [p.name for p in log.practices].index("fundholder")
    ids = np.asarray(log.patients.patient)[np.asarray(log.patients.practice) == fundholder]
    inside = (log.time >= log.warmup_days) & (log.time <= log.horizon_days)
    seen = np.sum((log.event == START) & inside & np.isin(log.patient, ids))
    assert seen > 1000
    per_case = 100 * seen / YEARS
    assert _value(table, "flow:fundholders->trust", "payment_per_year") == pytest.approx(
        per_case, rel=1e-9)
    # The block sum is paid whatever the trust does; the fund's patients pay on top.
    assert _value(table, "provider:trust", "income_per_year") == pytest.approx(
        1.0e6 + per_case, rel=1e-9)
    assert _value(table, "provider:fundholders", "surplus_per_year") == pytest.approx(
        20 * 25000 - per_case, rel=1e-9)
