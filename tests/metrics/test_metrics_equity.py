"""Equity metrics on a hand-built health economy whose answers are worked out by hand in
the comments: groups with known members, an empty quintile, distance band edges, and a
property that the quintiles add up to the whole."""

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_logbuilder import make_log, patient_rows, values, with_economy

from pathways.log.event_log import NONE
from pathways.metrics import (
    EQUITY_METRICS,
    distance_band,
    distance_band_labels,
    equity_kpis,
    kpis,
)

FIRST, SURGERY, TREAT = 0, 1, 2
STAGES = [("ortho.first", 0), ("ortho.surgery", 1), ("ortho.treat", 0)]
STOPS = (None, "admitted", "non_admitted")
RESOURCES = [("clinic", 2), ("theatre", 1)]
ORGANISATIONS = ("trust", "gp_a", "gp_b", "gp_c")
TRUST, GP_A, GP_B, GP_C = 0, 1, 2, 3
PRACTICES = [("a", 1, GP_A), ("b", 1, GP_B), ("c", 4, GP_C)]  # quintiles 2, 3, 5 empty
A, B, C = 0, 1, 2
WEEK = 7.0
QUINTILES = [f"deprivation_quintile:{q}" for q in range(1, 6)]
BANDS = ["distance_km:0-5", "distance_km:5-10", "distance_km:10-20", "distance_km:20+"]

# Window [100, 200], length 100. Every referral's transfer to the trust (its first
# handoff, made at the referral) takes 1 day: RTT clocks start a day after ARRIVE.
#   P1 practice a (q1), 2.0 km (0-5): arrives 110, first 110-115-116, surgery
#      116-150-151, exits 151. Waits 5 + 34 = 39, in system 41; RTT admitted, 39 days.
#   P2 practice b (q1), 5.0 km (on the edge: 5-10): arrives 120, first 120-122-123,
#      treat 123-130-131, exits 131. Waits 2 + 7 = 9, in system 11; RTT non-admitted, 9.
#   P3 practice c (q4), no distance (no band): arrives 130, first 130-140-141, exits 141
#      (discharged): waits 10, in system 11; RTT non-admitted at the exit, 10 days.
#   P4 practice a (q1), 25 km (20+): arrives 150, first 150-155-156, waiting for
#      surgery at the horizon: referred in the window, not done, clock running.
#   P5 practice c (q4), 12 km (10-20): arrives 20 (warm-up), first 20-140-141, treat
#      141-145-146, exits 146: not referred in the window; RTT non-admitted, 124 days
#      (within 18 weeks = 126 days).
#   P6 practice b (q1), 7 km (5-10): arrives 60, first 60-70-71, surgery 71-190-191,
#      exits 191: not referred in the window; RTT admitted, 129 days (over 18 weeks).
#   P7 not in the patient table (say, a chronic cohort): arrives 105, first
#      105-106-107, exits 107: in no group.
ROWS = (
    patient_rows(1, 110, [(FIRST, 110, 115, 116), (SURGERY, 116, 150, 151)], 151)
    + patient_rows(2, 120, [(FIRST, 120, 122, 123), (TREAT, 123, 130, 131)], 131)
    + patient_rows(3, 130, [(FIRST, 130, 140, 141)], 141)
    + patient_rows(4, 150, [(FIRST, 150, 155, 156), (SURGERY, 156, None, None)])
    + patient_rows(5, 20, [(FIRST, 20, 140, 141), (TREAT, 141, 145, 146)], 146)
    + patient_rows(6, 60, [(FIRST, 60, 70, 71), (SURGERY, 71, 190, 191)], 191)
    + patient_rows(7, 105, [(FIRST, 105, 106, 107)], 107)
)
PATIENTS = [(1, A, 2.0), (2, B, 5.0), (3, C, math.nan), (4, A, 25.0), (5, C, 12.0),
            (6, B, 7.0)]
# Between-organisation handoffs: P1 3, P2 2, P3 2, P4 1 (not completed), P5 2, P6 4,
# P7 2 (no group); P1 also has a within-trust transfer, which is not a handoff.
HANDOFFS = (
    [(1, 110, GP_A, TRUST, 1.0, False, False), (1, 116, TRUST, TRUST, 0.0, False, False),
     (1, 140, TRUST, GP_A, 1.0, False, False), (1, 141, GP_A, TRUST, 1.0, False, False)]
    + [(2, 120, GP_B, TRUST, 1, False, False), (2, 131, TRUST, GP_B, 1, False, False)]
    + [(3, 130, GP_C, TRUST, 1, False, False), (3, 141, TRUST, GP_C, 1, False, False)]
    + [(4, 150, GP_A, TRUST, 1, False, False)]
    + [(5, 20, GP_C, TRUST, 1, False, False), (5, 146, TRUST, GP_C, 1, False, False)]
    + [(6, t, GP_B, TRUST, 1, False, False) for t in (60, 80)]
    + [(6, t, TRUST, GP_B, 1, False, False) for t in (70, 191)]
    + [(7, 105, GP_A, TRUST, 1, False, False), (7, 107, TRUST, GP_A, 1, False, False)]
)


def equity_log(rtt=True, handoffs=HANDOFFS, patients=PATIENTS):
    log = make_log(ROWS, STAGES, RESOURCES, horizon=200, warmup=100)
    if rtt:
        log = replace(log, stages=tuple(replace(s, rtt_stop=k)
                                        for s, k in zip(log.stages, STOPS, strict=False)))
    return with_economy(log, ORGANISATIONS, PRACTICES, (TRUST, TRUST), patients, handoffs)


NAN = math.nan
EXPECTED = {
    # quintile 1 = P1, P2, P4, P6. Referred in the window: P1, P2, P4; done: P1, P2;
    # clocks stopped in the window: P1 39 adm, P2 9 non, P6 129 adm; completed
    # pathways P1, P2, P6 with 3 + 2 + 4 handoffs.
    # travel: P1 2 km, P2 5 km, P4 25 km.
    "deprivation_quintile:1": (0.03, (41 + 11) / 2, (39 + 9) / 2, (2 + 5 + 25) / 3,
                               2 / 3, (39 + 129) / 2 / WEEK, 9 / WEEK, 9 / 3),
    # quintile 4 = P3, P5. Referred P3; done P3; clocks P3 10 non, P5 124 non;
    # completed P3, P5 with 2 + 2 handoffs. P3's distance is unknown.
    "deprivation_quintile:4": (0.01, 11, 10, NAN, 1.0, NAN, (10 + 124) / 2 / WEEK, 2.0),
    # empty quintiles: no referrals, everything else NaN
    **{f"deprivation_quintile:{q}": (0.0, NAN, NAN, NAN, NAN, NAN, NAN, NAN) for q in (2, 3, 5)},
    "distance_km:0-5": (0.01, 41, 39, 2.0, 1.0, 39 / WEEK, NAN, 3.0),  # P1
    "distance_km:5-10": (0.01, 11, 9, 5.0, 0.5, 129 / WEEK, 9 / WEEK, 3.0),  # P2, P6
    "distance_km:10-20": (0.0, NAN, NAN, NAN, 1.0, NAN, 124 / WEEK, 2.0),  # P5
    "distance_km:20+": (0.01, NAN, NAN, 25.0, NAN, NAN, NAN, NAN),  # P4, not done nor completed
}


def test_equity_by_hand():
    frame = equity_kpis(equity_log())
    assert list(dict.fromkeys(frame["stage"])) == QUINTILES + BANDS
    assert frame["metric"].tolist() == list(EQUITY_METRICS) * 9
    got = values(frame)
    for stage, expected in EXPECTED.items():
        for metric, want in zip(EQUITY_METRICS, expected, strict=False):
            assert got[(stage, metric)] == pytest.approx(want, nan_ok=True), (stage, metric)


def test_sparse_patient_ids_give_the_same_answers():
    log = equity_log()
    big = 1_000_003  # ids far apart: no longer a plain offset inside the metrics
    sparse = replace(
        log, patient=log.patient * big,
        patients=replace(log.patients, patient=log.patients.patient * big),
        handoffs=replace(log.handoffs, patient=log.handoffs.patient * big))
    assert equity_kpis(sparse).equals(equity_kpis(log))


def test_metrics_follow_what_the_log_has():
    plain = equity_kpis(equity_log(rtt=False, handoffs=None))
    assert plain["metric"].tolist() == ["patients_per_day", "time_in_system_mean",
                                        "wait_mean", "distance_km_mean"] * 9
    v = values(plain)
    assert v[("deprivation_quintile:1", "wait_mean")] == pytest.approx(24)
    assert equity_kpis(equity_log(patients=None)).empty


def test_kpis_end_with_the_equity_rows():
    log = equity_log()
    frame = kpis(log)
    frame = frame[~frame["stage"].str.startswith("provider:")]  # after them (RTT only)
    tail = frame.iloc[len(frame) - 9 * len(EQUITY_METRICS):].reset_index(drop=True)
    assert tail.equals(equity_kpis(log))
    without = kpis(replace(log, patients=None))
    assert frame.iloc[:len(without)].equals(without)


def test_distance_band_edges():
    d = [0.0, 4.999, 5.0, 9.99, 10.0, 19.99, 20.0, 1e9, -1.0, math.nan, math.inf]
    assert distance_band(np.array(d)).tolist() == [0, 0, 1, 1, 2, 2, 3, 3, NONE, NONE, NONE]
    assert distance_band_labels() == tuple(BANDS)
    edges = (0, 2.5, 10)  # a finite last edge: 10 km and beyond are in no band
    assert distance_band_labels(edges) == ("distance_km:0-2.5", "distance_km:2.5-10")
    assert distance_band(np.array([2.5, 9.9, 10.0]), edges).tolist() == [1, 1, NONE]
    log = equity_log(rtt=False, handoffs=None)
    custom = equity_kpis(log, distance_bands_km=edges)
    assert list(dict.fromkeys(custom["stage"]))[5:] == ["distance_km:0-2.5",
                                                        "distance_km:2.5-10"]
    # P1 (2.0 km) in 0-2.5; P2 (5.0) and P6 (7.0) in 2.5-10, only P2 referred in window
    assert values(custom)[("distance_km:2.5-10", "patients_per_day")] == pytest.approx(0.01)
    for bad in ((5,), (5, 5), (10, 5), (0, math.nan), (0, math.inf, 30)):
        with pytest.raises(ValueError, match="distance_bands_km"):
            distance_band_labels(bad)


def test_bad_practice_data_is_an_error():
    log = equity_log()
    with pytest.raises(ValueError, match="deprivation_quintile"):
        equity_kpis(replace(log, practices=(replace(log.practices[0], deprivation_quintile=6),
                                            *log.practices[1:])))
    with pytest.raises(ValueError, match="practice 9"):
        equity_kpis(equity_log(patients=[(1, 9, 1.0)]))
    with pytest.raises(ValueError, match="more than once"):
        equity_kpis(equity_log(patients=[(1, A, 1.0), (2, B, 1.0), (1, A, 2.0)]))


# --- property: the quintiles add up to the whole ---------------------------------------

patient = st.tuples(st.floats(0, 100), st.one_of(st.none(), st.floats(0, 50)),
                    st.integers(0, 2), st.integers(0, 4))


@settings(max_examples=100, deadline=None)
@given(patients=st.lists(patient, min_size=1, max_size=10), warmup=st.floats(0, 90))
def test_quintiles_add_up_to_the_system(patients, warmup):
    horizon = 120.0
    rows, table, handoffs = [], [], []
    for p, (arrive, stay, practice, n_handoffs) in enumerate(patients):
        leave = None if stay is None or arrive + stay > horizon else arrive + stay
        rows += patient_rows(p, arrive, [(FIRST, arrive, arrive, arrive)], leave)
        table.append((p, practice, float(p)))
        handoffs += [(p, arrive, 1 + practice, TRUST, 1.0, False, False)] * n_handoffs
    log = make_log(rows, STAGES, RESOURCES, horizon=horizon, warmup=warmup)
    log = with_economy(log, ORGANISATIONS, PRACTICES, (TRUST, TRUST), table, handoffs)
    v = values(kpis(log))
    by_q = [{m: v[(q, m)] for m in ("patients_per_day", "handoffs_per_pathway")}
            for q in QUINTILES]
    assert sum(q["patients_per_day"] for q in by_q) == pytest.approx(
        v[("", "arrivals_per_day")])
    completed = [p for p, (a, s, _, _) in enumerate(patients)
                 if s is not None and a + s <= horizon and warmup <= a + s]
    in_q = {q: [p for p in completed if PRACTICES[patients[p][2]][1] == q] for q in (1, 4)}
    for q, members in in_q.items():
        want = (np.mean([patients[p][3] for p in members]) if members else np.nan)
        assert by_q[q - 1]["handoffs_per_pathway"] == pytest.approx(want, nan_ok=True)
    total = sum(by_q[q - 1]["handoffs_per_pathway"] * len(m) for q, m in in_q.items() if m)
    if completed:
        assert total == pytest.approx(v[("", "handoffs_per_pathway")] * len(completed))
