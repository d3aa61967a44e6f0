"""GP fundholding: a practice holding a fund pays providers per case for its patients'
elective care. Whether its patients wait less than others' (a two-tier service) is
not configured anywhere: it follows from the provider's contract. A trust paid a
block sum gains nothing from treating the commissioner's patients but is paid for
each fundholder's, so it books fundholders' patients first; a trust paid by activity
is paid for every patient, and books nobody first.

The economy of tests/economy/near_full_trust.py; the north practice holds a fund.
Paired by replication (common random numbers).
"""

import numpy as np
import pytest

from pathways.engine import simulate_replication
from pathways.log import START
from pathways.metrics import kpis
from pathways.stats import paired_difference
from tests.economy.near_full_trust import ECONOMY, PRACTICES, YEARS, value

FUNDHOLDING = "fundholding: {practices: [north], fund_per_head_per_year: 20}"
REPLICATIONS = 4


def _run(economy, contract: str, replication: int, funds: bool = True):
    name = f"{contract}_{'funds' if funds else 'none'}"
    text = (ECONOMY.replace("NAME", name).replace("CONTRACT", contract)
            .replace("PAYERS", FUNDHOLDING if funds else ""))
    return simulate_replication(economy(text, PRACTICES, f"{name}.yaml"), 5, replication)


def _gap_days(log) -> float:
    """Mean wait of the other practice's patients less the fundholder's."""
    table = kpis(log)
    return (value(table, "practice_group:other", "wait_mean")
            - value(table, "practice_group:fundholding", "wait_mean"))


def test_a_block_paid_trust_books_fundholders_first_and_an_activity_paid_one_does_not(economy):
    block = [_gap_days(_run(economy, "block", r)) for r in range(REPLICATIONS)]
    activity = [_gap_days(_run(economy, "activity", r)) for r in range(REPLICATIONS)]
    two_tier = paired_difference(activity, block)  # block - activity
    assert two_tier[1] > 1.0, two_tier  # days: the fundholders' patients jump the list
    mean, low, high, _ = paired_difference([0.0] * REPLICATIONS, activity)
    assert low < 0 < high, (mean, low, high)  # no tier where every patient pays


def test_without_fundholders_there_are_no_practice_group_rows(economy):
    table = kpis(_run(economy, "block", 0, funds=False))
    assert not table.stage.str.startswith("practice_group:").any()


def test_a_fund_is_paid_per_head_and_pays_for_its_patients_care_per_case(economy):
    log = _run(economy, "block", 0)
    table = kpis(log)
    assert value(table, "flow:commissioner->fundholders", "payment_per_year") == \
        pytest.approx(20 * 25000)
    fundholder = [p.name for p in log.practices].index("north")
    ids = np.asarray(log.patients.patient)[np.asarray(log.patients.practice) == fundholder]
    inside = (log.time >= log.warmup_days) & (log.time <= log.horizon_days)
    seen = np.sum((log.event == START) & inside & np.isin(log.patient, ids))
    assert seen > 1000
    per_case = 100 * seen / YEARS
    assert value(table, "flow:fundholders->trust", "payment_per_year") == pytest.approx(
        per_case, rel=1e-9)
    # The block sum is paid whatever the trust does; the fund's patients pay on top.
    assert value(table, "provider:trust", "income_per_year") == pytest.approx(
        1.0e6 + per_case, rel=1e-9)
    assert value(table, "provider:fundholders", "surplus_per_year") == pytest.approx(
        20 * 25000 - per_case, rel=1e-9)
