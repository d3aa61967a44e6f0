"""Choice of commissioner: patients may register with a rival commissioner that buys
its members' elective care per case. Nothing says the rival is better: where the
home commissioner pays the trust a block sum, the trust is paid per case only for the
rival's members and books them first, their waits are shorter, and patients move to
the rival; where the trust is paid per case for everyone, nobody is booked first and
the share stays where it was.

The economy of tests/economy/near_full_trust.py; 30% of patients start with the
rival. Paired by replication.
"""

import numpy as np
import pytest

from pathways.engine import simulate_replication
from pathways.log import START
from pathways.metrics import kpis
from pathways.stats import paired_difference
from tests.economy.near_full_trust import ECONOMY, PRACTICES, YEARS, value

RIVAL = """
commissioner_choice: {rival: health_plan, initial_share: 0.3, capitation_per_head_per_year: 20,
                      switch_per_year: 1.0, margin_weeks: 0.1}
"""
REPLICATIONS = 4


def _run(economy, contract: str, replication: int):
    text = ECONOMY.replace("NAME", contract).replace("CONTRACT", contract).replace("PAYERS", RIVAL)
    return simulate_replication(economy(text, PRACTICES, f"{contract}.yaml"), 5, replication)


def test_patients_move_to_a_rival_whose_members_a_block_paid_trust_books_first(economy):
    block = [_run(economy, "block", r) for r in range(REPLICATIONS)]
    activity = [_run(economy, "activity", r) for r in range(REPLICATIONS)]
    for log in block:  # the rival's members wait less, so its share grows
        table = kpis(log)
        assert value(table, "commissioner:rival", "wait_mean") < \
            value(table, "commissioner:home", "wait_mean") - 1.0
    final = [log.commissioners.rival_share[-1] for log in block]
    assert min(final) > 0.6, final
    moved = paired_difference([a.commissioners.rival_share[-1] for a in activity], final)
    assert moved[1] > 0.2, moved  # block minus activity
    # where everyone is paid for, members and others wait alike
    gaps = [value(kpis(a), "commissioner:home", "wait_mean")
            - value(kpis(a), "commissioner:rival", "wait_mean") for a in activity]
    mean, low, high, _ = paired_difference([0.0] * REPLICATIONS, gaps)
    assert low < 0 < high, (mean, low, high)


def test_the_rival_is_paid_per_member_and_pays_per_case(economy):
    log = _run(economy, "block", 0)
    table = kpis(log)
    share = log.commissioners
    held = np.clip(np.minimum(np.append(share.time[1:], np.inf), 700)
                   - np.maximum(share.time, 200), 0, None)
    members = 50000 * np.sum(held * share.rival_share) / 500
    assert value(table, "flow:commissioner->health_plan", "payment_per_year") == \
        pytest.approx(20 * members)
    ids = np.asarray(log.patients.patient)[np.asarray(log.patients.rival)]
    inside = (log.time >= log.warmup_days) & (log.time <= log.horizon_days)
    seen = np.sum((log.event == START) & inside & np.isin(log.patient, ids))
    assert seen > 500
    assert value(table, "flow:health_plan->trust", "payment_per_year") == pytest.approx(
        100 * seen / YEARS, rel=1e-9)
    assert value(table, "provider:trust", "income_per_year") == pytest.approx(
        1.0e6 + 100 * seen / YEARS, rel=1e-9)
