"""Properties of kpis on random small logs, checked against the generated data."""

from collections import defaultdict

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from metrics_logbuilder import make_log, patient_rows, values

from pathways.metrics import kpis

N_STAGES = 3
STAGES = [("p.a", 0), ("p.b", 1), ("p.c", 0)]  # a and c share resource 0
RESOURCES = [("r0", 2), ("r1", 1)]

durations = st.floats(0, 5, allow_nan=False, allow_infinity=False)
visit = st.tuples(st.integers(0, N_STAGES - 1), durations, durations)  # stage, wait, service
patient = st.tuples(st.floats(0, 20), st.lists(visit, min_size=0, max_size=4))


def realise(patients):
    """Rows of completed patients plus the true per-visit intervals, by hand."""
    rows, visits, stays = [], [], []
    for p, (arrive, plan) in enumerate(patients):
        t, vs = arrive, []
        for stage, wait, service in plan:
            q, s, e = t, t + wait, t + wait + service
            vs.append((stage, q, s, e))
            visits.append((p, stage, q, s, e))
            t = e
        rows += patient_rows(p, arrive, vs, t)
        stays.append((arrive, t))
    return rows, visits, stays


@settings(max_examples=150, deadline=None)
@given(patients=st.lists(patient, min_size=1, max_size=6), tail=st.floats(0, 3))
def test_littles_law_on_the_whole_run(patients, tail):
    rows, visits, stays = realise(patients)
    horizon = max(e for _, e in stays) + tail
    assume(horizon > 1e-3)  # avoid denormal windows, where 1 / horizon overflows
    v = values(kpis(make_log(rows, STAGES, RESOURCES, horizon=horizon, warmup=0.0)))
    tol = {"rel": 1e-9, "abs": 1e-9}

    # system: L x T == total time in system, arrivals x T == patients
    assert v[("", "number_present_mean")] * horizon == pytest.approx(
        sum(b - a for a, b in stays), **tol)
    assert v[("", "arrivals_per_day")] * horizon == pytest.approx(len(stays), **tol)
    assert v[("", "queue_length_mean")] * horizon == pytest.approx(
        sum(s - q for *_, q, s, e in visits), **tol)
    assert v[("", "time_in_system_mean")] == pytest.approx(
        np.mean([b - a for a, b in stays]), **tol)

    per_stage, per_res = defaultdict(list), defaultdict(list)
    for _, stage, q, s, e in visits:
        per_stage[stage].append((q, s, e))
        per_res[STAGES[stage][1]].append((q, s, e))
    levels = [(name, per_stage[i]) for i, (name, _) in enumerate(STAGES)]
    levels += [("resource:" + name, per_res[r]) for r, (name, _) in enumerate(RESOURCES)]
    for name, vs in levels:
        sojourns = [e - q for q, s, e in vs]
        assert v[(name, "number_present_mean")] * horizon == pytest.approx(sum(sojourns), **tol)
        assert v[(name, "queue_length_mean")] * horizon == pytest.approx(
            sum(s - q for q, s, e in vs), **tol)
        assert v[(name, "arrivals_per_day")] * horizon == pytest.approx(len(vs), **tol)
        if vs:
            # L = lambda W, with lambda and W as kpis reports them
            assert v[(name, "number_present_mean")] == pytest.approx(
                v[(name, "arrivals_per_day")] * v[(name, "sojourn_mean")], **tol)
            assert v[(name, "wait_mean")] == pytest.approx(np.mean([s - q for q, s, e in vs]),
                                                           **tol)
            assert v[(name, "wait_p90")] == pytest.approx(
                np.quantile([s - q for q, s, e in vs], 0.9), **tol)
        else:
            assert np.isnan(v[(name, "sojourn_mean")])

    busy = {r: sum(e - s for q, s, e in per_res[r]) for r in range(len(RESOURCES))}
    for r, (name, cap) in enumerate(RESOURCES):
        assert v[("resource:" + name, "utilisation")] * cap * horizon == pytest.approx(
            busy[r], **tol)
    shares = v[("p.a", "utilisation")] + v[("p.c", "utilisation")]
    assert shares == pytest.approx(v[("resource:r0", "utilisation")], **tol)
    total_cap = sum(c for _, c in RESOURCES) * horizon
    assert v[("", "utilisation")] * total_cap == pytest.approx(sum(busy.values()), **tol)


@settings(max_examples=100, deadline=None)
@given(patients=st.lists(patient, min_size=1, max_size=6),
       warmup=st.floats(0, 15), length=st.floats(0.5, 15))
def test_windowed_integrals_against_clipped_intervals(patients, warmup, length):
    """Truncate at an arbitrary horizon: the log loses later events; integrals clip."""
    rows, visits, stays = realise(patients)
    horizon = warmup + length
    kept = [r for r in rows if r[3] <= horizon]
    v = values(kpis(make_log(kept, STAGES, RESOURCES, horizon=horizon, warmup=warmup)))

    def clip(a, b):
        return max(0.0, min(b, horizon) - max(a, warmup))

    tol = {"rel": 1e-9, "abs": 1e-9}
    present = sum(clip(a, b) for a, b in stays if a <= horizon)
    assert v[("", "number_present_mean")] * length == pytest.approx(present, **tol)
    for i, (name, _) in enumerate(STAGES):
        vs = [(q, s, e) for _, st_, q, s, e in visits if st_ == i and q <= horizon]
        queued = sum(clip(q, s) for q, s, e in vs)
        assert v[(name, "queue_length_mean")] * length == pytest.approx(queued, **tol)
        waits = [s - q for q, s, e in vs if warmup <= q and s <= horizon]
        if waits:
            assert v[(name, "wait_mean")] == pytest.approx(np.mean(waits), **tol)
            assert v[(name, "wait_median")] == pytest.approx(np.median(waits), **tol)
        else:
            assert np.isnan(v[(name, "wait_mean")])


@given(st.lists(st.integers(-(2**40), 2**40), max_size=300))
def test_unique_ids_are_numpys_unique(ids) -> None:
    from pathways.metrics.visits import unique_ids

    got = unique_ids(np.array(ids, dtype=np.int64))
    assert got.dtype == np.int64
    assert np.array_equal(got, np.unique(np.array(ids, dtype=np.int64)))
