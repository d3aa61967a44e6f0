"""Handoff metrics on a hand-built health economy whose answers are worked out by hand
in the comments, kpis unchanged for plain networks, and a property: the from-to matrix
adds up to handoffs_per_pathway x completed pathways."""

import hashlib
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_logbuilder import make_log, patient_rows, values, with_economy
from test_metrics_kpis import RESOURCES as THREE_RESOURCES
from test_metrics_kpis import STAGES as THREE_STAGES
from test_metrics_kpis import THREE
from test_metrics_rtt import HAND, rtt_log

from pathways.log.event_log import NONE
from pathways.metrics import (
    CHOICE_METRICS,
    EQUITY_METRICS,
    HANDOFF_METRICS,
    completed_patients,
    handoff_kpis,
    handoff_matrix,
    handoff_matrix_kpis,
    kpis,
    possible_pairs,
)
from pathways.metrics.handoffs import matrix_groups
from pathways.metrics.wait_quantiles import QUANTILE_PREFIX

# Organisations: two providers and two GP practices, each practice its own organisation.
TRUST, EAST, ISTC, WEST = 0, 1, 2, 3
ORGANISATIONS = ("city_trust", "gp_east", "north_istc", "gp_west")
PRACTICES = [("east", 1, EAST), ("west", 3, WEST)]  # (name, quintile, organisation)
# Stages and the resources (and so organisations) that serve them.
OP, SCAN, REPEAT, SURGERY = 0, 1, 2, 3
STAGES = [("ortho.outpatients", 0), ("ortho.scan", 1), ("ortho.istc_scan", 2),
          ("ortho.surgery", 3)]
RESOURCES = [("city_op", 4), ("city_scan", 1), ("north_scan", 1), ("north_theatre", 2)]
RESOURCE_ORGS = (TRUST, TRUST, ISTC, ISTC)

# Window [100, 200], length 100.
#   P1 (east) arrives 110: GP->trust (delay 3); outpatients 113-114; scan at the trust
#      (a within transfer, delay 0.5); trust->ISTC at 121 (delay 2) and the record does
#      not arrive, so the ISTC repeats the scan 123-124; scan->theatre within the ISTC
#      (delay 0); surgery 130-131; ISTC->GP discharge (delay 1); exits 131.
#      Between: 3 handoffs, 6 days; within: 2; records missing 1; repeat tests 1.
#   P2 (west) arrives 50, GP->trust (delay 4), outpatients 60-61, trust->GP discharge,
#      exits 61: completed before the warm-up, counts nowhere.
#   P3 (west) arrives 90 (before the warm-up): GP->trust at 90 (delay 5, still counted:
#      whole history), outpatients 150-151, trust->GP discharge (delay 2, record missing,
#      no repeat), exits 151. Between: 2 handoffs, 7 days; records missing 1.
#   P4 (east) arrives 180: GP->trust (delay 3), outpatients 190-191, trust->ISTC at 191
#      (delay 2); still waiting for surgery at the horizon: not completed, not counted.
# Completed in the window: P1, P3 -> 2 pathways.
ROWS = (
    patient_rows(1, 110, [(OP, 113, 113, 114), (SCAN, 114.5, 120, 121),
                          (REPEAT, 123, 123, 124), (SURGERY, 124, 130, 131)], 131)
    + patient_rows(2, 50, [(OP, 54, 60, 61)], 61)
    + patient_rows(3, 90, [(OP, 95, 150, 151)], 151)
    + patient_rows(4, 180, [(OP, 183, 190, 191), (SURGERY, 193, None, None)])
)
HANDOFFS = [  # patient, time, from, to, delay, record missing, repeat test, to stage
    (1, 110, EAST, TRUST, 3.0, False, False, OP),
    (1, 114, TRUST, TRUST, 0.5, False, False, SCAN),
    (1, 121, TRUST, ISTC, 2.0, True, True, REPEAT),
    (1, 124, ISTC, ISTC, 0.0, False, False, SURGERY),
    (1, 131, ISTC, EAST, 1.0, False, False, NONE),
    (2, 50, WEST, TRUST, 4.0, False, False, OP),
    (2, 61, TRUST, WEST, 1.0, False, False, NONE),
    (3, 90, WEST, TRUST, 5.0, False, False, OP),
    (3, 151, TRUST, WEST, 2.0, True, False, NONE),
    (4, 180, EAST, TRUST, 3.0, False, False, OP),
    (4, 191, TRUST, ISTC, 2.0, False, False, SURGERY),
]
PATIENTS = [(1, 0, 3.0), (2, 1, 8.0), (3, 1, 12.0), (4, 0, 25.0)]  # patient, practice, km


def economy_log(handoffs=HANDOFFS, patients=PATIENTS, rows=ROWS, warmup=100, horizon=200):
    log = make_log(rows, STAGES, RESOURCES, horizon=horizon, warmup=warmup)
    return with_economy(log, ORGANISATIONS, PRACTICES, RESOURCE_ORGS, patients, handoffs)


@pytest.fixture(scope="module")
def economy():
    return economy_log()


def test_completed_patients(economy):
    assert completed_patients(economy).tolist() == [1, 3]


def test_handoff_kpis_by_hand(economy):
    frame = handoff_kpis(economy)
    assert frame["metric"].tolist() == list(HANDOFF_METRICS)
    assert (frame["stage"] == "").all()
    v = values(frame)
    assert v[("", "handoffs_per_pathway")] == pytest.approx((3 + 2) / 2)
    assert v[("", "handoff_delay_days_per_pathway")] == pytest.approx((6 + 7) / 2)
    assert v[("", "transfers_within_per_pathway")] == pytest.approx(2 / 2)
    assert v[("", "records_missing_per_pathway")] == pytest.approx((1 + 1) / 2)
    assert v[("", "repeat_tests_per_pathway")] == pytest.approx(1 / 2)


def test_handoff_matrix_by_hand(economy):
    # completed P1: east->trust, trust->istc, istc->east; P3: west->trust, trust->west.
    # The two practices hold nothing else, so they share the row "gp_practices".
    # Sorted by name: city_trust < gp_practices < north_istc.
    expected = pd.DataFrame({
        "from_organisation": pd.Series(
            ["city_trust", "city_trust", "gp_practices", "north_istc"], dtype=object),
        "to_organisation": pd.Series(
            ["gp_practices", "north_istc", "city_trust", "gp_practices"], dtype=object),
        "handoffs": np.array([1, 1, 2, 1], dtype=np.int64),
    })
    pd.testing.assert_frame_equal(handoff_matrix(economy), expected)


def test_possible_pairs_leave_out_practice_to_practice(economy):
    pairs = possible_pairs(economy)
    group, names = matrix_groups(economy)
    assert group[EAST] == group[WEST] == names.index("gp_practices")
    assert not pairs.diagonal().any()  # so no practice-to-practice pair either
    assert pairs.sum() == 3 * 2  # among city_trust, north_istc and gp_practices


def test_handoff_matrix_kpis_list_every_possible_pair(economy):
    frame = handoff_matrix_kpis(economy)
    assert (frame["metric"] == "handoffs_per_day").all()
    assert frame["stage"].tolist() == [
        "handoff:city_trust->gp_practices", "handoff:city_trust->north_istc",
        "handoff:gp_practices->city_trust", "handoff:gp_practices->north_istc",
        "handoff:north_istc->city_trust", "handoff:north_istc->gp_practices",
    ]
    # handoffs over the 100-day window where the matrix has them, else 0
    assert frame["value"].tolist() == [0.01, 0.01, 0.02, 0, 0, 0.01]
    full = handoff_matrix(economy, all_pairs=True)
    assert len(full) == 6 and full["handoffs"].sum() == 5


def test_kpis_appends_handoff_then_matrix_then_equity_rows(economy):
    frame = kpis(economy)
    plain = kpis(replace(economy, patients=None, handoffs=None))
    pd.testing.assert_frame_equal(frame.iloc[:len(plain)], plain, check_exact=True)
    tail = frame.iloc[len(plain):].reset_index(drop=True)
    n_h, n_m = len(HANDOFF_METRICS), 6
    pd.testing.assert_frame_equal(tail.iloc[:n_h], handoff_kpis(economy))
    pd.testing.assert_frame_equal(tail.iloc[n_h:n_h + n_m].reset_index(drop=True),
                                  handoff_matrix_kpis(economy))
    choice = tail.iloc[n_h + n_m:n_h + n_m + len(CHOICE_METRICS)]
    assert choice["metric"].tolist() == list(CHOICE_METRICS)
    equity = tail.iloc[n_h + n_m + len(CHOICE_METRICS):]
    # 5 quintiles + 4 distance bands, each with the base metrics and handoffs_per_pathway
    assert len(equity) == 9 * 5
    assert set(equity["metric"]) == set(EQUITY_METRICS) - {
        "rtt_completed_within_18_weeks_share", "rtt_admitted_median_weeks",
        "rtt_non_admitted_median_weeks"}
    only_handoffs = kpis(replace(economy, patients=None))
    assert len(only_handoffs) == len(plain) + n_h + n_m


def test_no_completed_pathway_gives_nan_and_no_table_gives_no_rows(economy):
    late = economy_log(warmup=195)  # nobody exits in [195, 200]
    assert handoff_kpis(late)["value"].isna().all()
    assert handoff_matrix(late).empty
    assert (handoff_matrix_kpis(late)["value"] == 0).all()
    bare = replace(economy, handoffs=None)
    assert handoff_kpis(bare).empty and handoff_matrix_kpis(bare).empty


def test_unknown_organisation_is_an_error_and_none_is_named():
    log = economy_log(handoffs=[(1, 110, EAST, 7, 1.0, False, False)])
    with pytest.raises(ValueError, match="organisation 7"):
        handoff_matrix(log)
    # a resource that no organisation holds (organisation NONE) gets a row of its own
    log = economy_log(handoffs=[(1, 110, EAST, NONE, 1.0, False, False),
                                (1, 120, NONE, TRUST, 1.0, False, False)])
    matrix = handoff_matrix(log)
    assert matrix.values.tolist() == [["(none)", "city_trust", 1], ["gp_practices", "(none)", 1]]
    assert len(handoff_matrix_kpis(log)) == 6 + 2


# --- plain networks: kpis byte-identical to before handoffs existed ---------------------

# sha256 of kpis(...).to_csv(index=False), recorded before handoff and equity metrics.
GOLDEN = {
    "three": "5ec6134dfa0f25dfeaaeb9c5f336c7a5ca8b3793465b85046009128f8c5b1cd9",
    # Re-taken when the RTT rows gained referral_transfer_days_mean, rtt_removed_share,
    # the four rtt_time_share_* rows and the two *_median_from_referral_weeks rows;
    # without those eight rows the output still hashes to the earlier
    # f5e990558711...2316cf5.
    "rtt": "324b007b8438fe1f1bf57d030c9267bcfe47f47f5baedef3e5fa60b0ca58076a",
}


def _digest(frame):
    """The hash of the rows that existed before the wait quantiles ("quantile:<p>",
    pathways.metrics.wait_quantiles), which every model now has."""
    before = frame[~frame["stage"].str.startswith(QUANTILE_PREFIX)]
    return hashlib.sha256(before.to_csv(index=False).encode()).hexdigest()


def test_plain_network_kpis_are_byte_identical():
    three = make_log(THREE, THREE_STAGES, THREE_RESOURCES, horizon=30, warmup=10)
    rtt = rtt_log(HAND, horizon=161, warmup=140, skin_patients=[7])
    assert _digest(kpis(three)) == GOLDEN["three"]
    assert _digest(kpis(rtt)) == GOLDEN["rtt"]
    # organisations and practices alone (no patient or handoff table) add nothing
    named = with_economy(rtt, ORGANISATIONS, PRACTICES, (TRUST, ISTC))
    assert _digest(kpis(named)) == GOLDEN["rtt"]


# --- property: the matrix adds up to handoffs_per_pathway x completed pathways ---------

N_ORG = len(ORGANISATIONS)
# A patient always moves to or from a provider, never from one practice to another.
transfer = st.tuples(st.integers(0, N_ORG - 1), st.integers(0, N_ORG - 1),
                     st.floats(0, 10), st.booleans(), st.booleans()).filter(
    lambda t: t[0] in (TRUST, ISTC) or t[1] in (TRUST, ISTC))
patient = st.tuples(st.floats(0, 100), st.one_of(st.none(), st.floats(0, 100)),
                    st.lists(transfer, max_size=5))


@settings(max_examples=150, deadline=None)
@given(patients=st.lists(patient, min_size=1, max_size=8), warmup=st.floats(0, 100))
def test_matrix_adds_up_to_handoffs_per_pathway(patients, warmup):
    horizon = 150.0
    rows, handoffs, completed, between = [], [], 0, 0
    for p, (arrive, stay, plan) in enumerate(patients):
        leave = None if stay is None else arrive + stay
        if leave is not None and leave > horizon:
            leave = None  # the EXIT would be after the horizon: not in the log
        rows += patient_rows(p, arrive, [(OP, arrive, arrive, arrive)], leave)
        handoffs += [(p, arrive, a, b, d, m, m and r) for a, b, d, m, r in plan]
        if leave is not None and warmup <= leave <= horizon:
            completed += 1
            between += sum(a != b for a, b, *_ in plan)
    log = economy_log(handoffs=handoffs, rows=rows, patients=None, warmup=warmup,
                      horizon=horizon)

    per_pathway = values(handoff_kpis(log))[("", "handoffs_per_pathway")]
    matrix = handoff_matrix(log)
    assert matrix["handoffs"].sum() == between
    assert (matrix["handoffs"] > 0).all()
    assert (matrix["from_organisation"] != matrix["to_organisation"]).all()
    per_day = handoff_matrix_kpis(log)["value"].sum()
    if completed:
        assert matrix["handoffs"].sum() == pytest.approx(per_pathway * completed)
        assert per_day * (horizon - warmup) == pytest.approx(per_pathway * completed)
    else:
        assert np.isnan(per_pathway) and matrix.empty
