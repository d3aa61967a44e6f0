"""Stages that hold a resource beyond their own service, checked against traces derived
by hand: `cancel_if_next_full` (an operation needs its bed free as it starts, or it is
cancelled on the day and rebooked) and `keep_until_next_starts` (a bed kept while
discharge support is arranged: delayed discharge).

Arrivals are scripted (each stream's times are given in the test, in place of the
Poisson clock) and durations are fixed, so every row of the log is known in advance.
"""

from pathlib import Path

import numpy as np
import pytest

from pathways.config import load_config_text
from pathways.engine import simulate_replication, simulation
from pathways.log import ARRIVE, END, EXIT, QUEUE, START
from pathways.model.compile import compile_config

INF = np.inf


class _ScriptedClock:
    """Stands in for ArrivalClock: the given times, then nothing (+inf)."""

    def __init__(self, times):
        self.times = list(times)

    def next_block(self) -> np.ndarray:
        block, self.times = np.array([*self.times, INF]), []
        return block


@pytest.fixture
def scripted(monkeypatch):
    """scripted({rate_per_day: [times]}): each arrival stream, recognised by its
    rate_per_day, brings patients at exactly the listed times (a stream left out of the
    script brings nobody)."""
    def install(script: dict[float, list[float]]) -> None:
        def clock(rates, rng, block):
            rate = float(np.mean(rates))
            times = [t for r, t in script.items() if abs(r - rate) < 1e-9]
            return _ScriptedClock(times[0] if times else [])
        monkeypatch.setattr(simulation, "ArrivalClock", clock)
    return install


def _model(text: str):
    return compile_config(load_config_text(text, "plain.yaml").config)


def _rows(log, patient: int) -> list[tuple[str, int, float]]:
    """(stage name or '', event code, time) of one patient, in log order."""
    names = [s.name for s in log.stages]
    mine = np.flatnonzero(log.patient == patient)
    return [(names[log.stage[i]] if log.stage[i] >= 0 else "", int(log.event[i]),
             float(log.time[i])) for i in mine]


def _assert_trace(log, patient: int, expected: list[tuple[str, int, float]]) -> None:
    got = _rows(log, patient)
    assert [(s, e) for s, e, _ in got] == [(s, e) for s, e, _ in expected], f"patient {patient}"
    np.testing.assert_allclose([t for _, _, t in got], [t for _, _, t in expected],
                               atol=1e-9, err_msg=f"patient {patient}")


def _starts(log, stage_name: str) -> dict[int, float]:
    """patient -> START time at the stage."""
    s = [st.name for st in log.stages].index(stage_name)
    rows = (log.stage == s) & (log.event == START)
    return dict(zip(log.patient[rows].tolist(), log.time[rows].tolist(), strict=False))


# --- cancel_if_next_full -------------------------------------------------------------

CANCEL = """
name: cancel
horizon_days: 30
resources:
  theatre: {capacity: 1}
  beds: {capacity: 1}
arrivals:
  - {pathway: blocker, rate_per_day: 1}
  - {pathway: surgery, rate_per_day: 2}
  - {pathway: theatre_only, rate_per_day: 3}
pathways:
  blocker:
    stages:
      bed_only: {resource: beds, duration: {dist: fixed, value: 3.0}}
  surgery:
    stages:
      operation:
        resource: theatre
        duration: {dist: fixed, value: 1.0}
        cancel_if_next_full: {rebook_days: {dist: fixed, value: 4.0}}
        next: stay
      stay: {resource: beds, duration: {dist: fixed, value: 0.9}}
  theatre_only:
    stages:
      op_plain: {resource: theatre, duration: {dist: fixed, value: 3.0}}
"""
# The trace, by hand (theatre and one bed; operations 1 day, stays 0.9, rebooked 4 later):
#  0.5 B takes the bed until 3.5.
#  1.0 S1: theatre free, bed taken -> cancelled; the theatre sits idle for the lost slot
#      (until 2.0); S1 back on the list at 5.0.
#  1.5 S2 queues behind the lost slot; 2.0 served: bed still taken -> cancelled; theatre
#      idle until 3.0; back at 6.0.
#  4.0 T (no bed needed) operates until 7.0.  4.5 S3 queues.
#  5.0 and 6.0: S1 and S2 rejoin, keeping their places (joined 1.0 and 1.5) ahead of S3.
#  7.0 S1 operates, its bed held from now; 8.0 the operation ends, the bed stay starts at
#      once. The theatre serves S2 at 8.0, but the only bed is S1's -> cancelled again,
#      theatre idle until 9.0, S2 back at 12.0.
#  8.9 the bed is free. 9.0 S3 operates (bed held), stay 10.0-10.9.
# 12.0 S2 operates (bed free), stay 13.0-13.9.
B, S1, S2, T, S3 = 0, 1, 2, 3, 4  # patient ids, in order of arrival
CANCEL_SCRIPT = {1: [0.5], 2: [1.0, 1.5, 4.5], 3: [4.0]}


def test_an_operation_without_a_free_bed_is_cancelled_rebooked_and_done(scripted):
    scripted(CANCEL_SCRIPT)
    log = simulate_replication(_model(CANCEL), 0, 0)
    names = [s.name for s in log.stages]
    op = names.index("surgery.operation")
    theatre = [r.name for r in log.resources].index("theatre")

    c = log.cancellations
    assert list(zip(c.patient.tolist(), c.time.tolist(), strict=True)) == [
        (S1, 1.0), (S2, 2.0), (S2, 8.0)]
    assert (c.stage == op).all() and (c.resource == theatre).all()

    assert _starts(log, "surgery.operation") == pytest.approx({S1: 7.0, S3: 9.0, S2: 12.0})
    assert _starts(log, "surgery.stay") == pytest.approx({S1: 8.0, S3: 10.0, S2: 13.0})
    assert _starts(log, "theatre_only.op_plain") == pytest.approx({T: 4.0})
    assert _starts(log, "blocker.bed_only") == pytest.approx({B: 0.5})
    # A cancelled attempt leaves no START or END; the stay follows the operation at once.
    _assert_trace(log, S1, [("", ARRIVE, 1.0), ("surgery.operation", QUEUE, 5.0),
                            ("surgery.operation", START, 7.0), ("surgery.operation", END, 8.0),
                            ("surgery.stay", QUEUE, 8.0), ("surgery.stay", START, 8.0),
                            ("surgery.stay", END, 8.9), ("", EXIT, 8.9)])
    _assert_trace(log, S3, [("", ARRIVE, 4.5), ("surgery.operation", QUEUE, 4.5),
                            ("surgery.operation", START, 9.0), ("surgery.operation", END, 10.0),
                            ("surgery.stay", QUEUE, 10.0), ("surgery.stay", START, 10.0),
                            ("surgery.stay", END, 10.9), ("", EXIT, 10.9)])
    # The theatre never runs two things at once, lost slots included: no START falls
    # inside [1, 3) or [8, 9), when it sat idle for cancelled operations.
    theatre_starts = log.time[(log.resource == theatre) & (log.event == START)]
    assert not np.any(((theatre_starts >= 1) & (theatre_starts < 3))
                      | ((theatre_starts >= 8) & (theatre_starts < 9)))


def test_the_lost_slot_delays_the_next_patient_on_the_theatre_list(scripted):
    """A patient who needs no bed, queued behind a cancelled operation, starts when the
    lost slot would have ended, not when the operation was cancelled."""
    scripted({1: [0.5], 2: [1.0], 3: [1.2]})
    log = simulate_replication(_model(CANCEL), 0, 0)
    # B (bed to 3.5), S1 cancelled at 1.0 (slot to 2.0), T queued at 1.2 starts at 2.0.
    assert log.cancellations.time.tolist() == [1.0]
    assert _starts(log, "theatre_only.op_plain") == pytest.approx({2: 2.0})
    # S1 rejoins at 5.0: T is done at 5.0 (the theatre frees and S1 joins at one instant).
    assert _starts(log, "surgery.operation") == pytest.approx({1: 5.0})


PLENTY = """
name: plenty
horizon_days: 400
resources:
  theatre: {capacity: 2}
  beds: {capacity: 500}
arrivals:
  - {pathway: surgery, rate_per_day: 3}
pathways:
  surgery:
    stages:
      clinic: {duration: {dist: exponential, mean: 2}, next: operation}
      operation:
        resource: theatre
        duration: {dist: exponential, mean: 0.5}
        CANCEL
        next: stay
      stay: {resource: beds, duration: {dist: exponential, mean: 4}}
"""


def test_with_ample_beds_nothing_is_cancelled_and_the_log_is_unchanged():
    """Poisson arrivals and random durations; 500 beds for ~12 occupied on average, so a
    bed is always free: the option must change nothing but which bed is used."""
    holding = simulate_replication(_model(PLENTY.replace(
        "CANCEL", "cancel_if_next_full: {rebook_days: {dist: fixed, value: 7}}")), 3, 0)
    plain = simulate_replication(_model(PLENTY.replace("CANCEL", "")), 3, 0)
    assert len(holding.cancellations.time) == 0
    assert len(plain) == len(holding) > 5000
    for column in ("patient", "stage", "event", "time", "resource"):
        np.testing.assert_array_equal(holding.column(column), plain.column(column))
    theatre = holding.resource == 0
    np.testing.assert_array_equal(holding.unit[theatre], plain.unit[theatre])
    # The stay starts the instant the operation ends (the bed was held for it).
    names = [s.name for s in holding.stages]
    op_end = (holding.stage == names.index("surgery.operation")) & (holding.event == END)
    stay_start = (holding.stage == names.index("surgery.stay")) & (holding.event == START)
    ends = dict(zip(holding.patient[op_end].tolist(), holding.time[op_end].tolist(), strict=False))
    starts = dict(zip(holding.patient[stay_start].tolist(), holding.time[stay_start].tolist(),
                      strict=True))
    assert starts == ends


# --- keep_until_next_starts ----------------------------------------------------------

KEEP = """
name: keep
horizon_days: 11.8
resources:
  beds: {capacity: 1}
  community: {capacity: 1}
arrivals:
  - {pathway: community_only, rate_per_day: 1}
  - {pathway: acute, rate_per_day: 2}
  - {pathway: solo, rate_per_day: 3}
pathways:
  community_only:
    stages:
      visits: {resource: community, duration: {dist: fixed, value: 5.0}}
  acute:
    stages:
      stay: {resource: beds, duration: {dist: fixed, value: 1.0},
             keep_until_next_starts: true, next: support}
      support: {resource: community, duration: {dist: fixed, value: 2.0}}
  solo:
    stages:
      short_stay: {resource: beds, duration: {dist: fixed, value: 0.5},
                   keep_until_next_starts: true}
"""
# By hand (one bed, one community team):
#  0.5 C0 has the community team until 5.5.
#  1.0 P in bed, medically fit at 2.0, waits for the team: bed kept until 5.5.
#  1.5 Q waits for the bed; gets it at 5.5 as P's support starts; fit at 6.5, team busy
#      with P until 7.5: bed kept 6.5-7.5, support 7.5-9.5.
#  7.6 a solo stay (next: exit) 7.6-8.1: nothing to wait for, so not kept.
#  9.0 R in bed, fit at 10.0, team free: support starts at once (kept 0 days), to 12.0.
# 10.5 S in bed, fit at 11.5, team busy beyond the horizon (11.8): still kept.
C0, P, Q, SOLO, R, S = range(6)
KEEP_SCRIPT = {1: [0.5], 2: [1.0, 1.5, 9.0, 10.5], 3: [7.6]}


def test_a_bed_is_kept_until_discharge_support_starts(scripted):
    scripted(KEEP_SCRIPT)
    log = simulate_replication(_model(KEEP), 0, 0)
    _assert_trace(log, P, [("", ARRIVE, 1.0), ("acute.stay", QUEUE, 1.0),
                           ("acute.stay", START, 1.0), ("acute.support", QUEUE, 2.0),
                           ("acute.stay", END, 5.5), ("acute.support", START, 5.5),
                           ("acute.support", END, 7.5), ("", EXIT, 7.5)])
    _assert_trace(log, Q, [("", ARRIVE, 1.5), ("acute.stay", QUEUE, 1.5),
                           ("acute.stay", START, 5.5), ("acute.support", QUEUE, 6.5),
                           ("acute.stay", END, 7.5), ("acute.support", START, 7.5),
                           ("acute.support", END, 9.5), ("", EXIT, 9.5)])
    _assert_trace(log, SOLO, [("", ARRIVE, 7.6), ("solo.short_stay", QUEUE, 7.6),
                              ("solo.short_stay", START, 7.6), ("solo.short_stay", END, 8.1),
                              ("", EXIT, 8.1)])
    _assert_trace(log, R, [("", ARRIVE, 9.0), ("acute.stay", QUEUE, 9.0),
                           ("acute.stay", START, 9.0), ("acute.support", QUEUE, 10.0),
                           ("acute.stay", END, 10.0), ("acute.support", START, 10.0)])
    _assert_trace(log, S, [("", ARRIVE, 10.5), ("acute.stay", QUEUE, 10.5),
                           ("acute.stay", START, 10.5), ("acute.support", QUEUE, 11.5)])

    held = log.held
    stay = [s.name for s in log.stages].index("acute.stay")
    assert held.patient.tolist() == [P, Q, R, S]
    assert (held.stage == stay).all() and (held.resource == 0).all()
    np.testing.assert_allclose(held.ready, [2.0, 6.5, 10.0, 11.5])
    np.testing.assert_allclose(held.released, [5.5, 7.5, 10.0, INF])
    # The delayed discharge is exactly the wait for the community team.
    np.testing.assert_allclose((held.released - held.ready)[:3], [3.5, 1.0, 0.0])


def test_keeping_a_resource_until_a_delay_stage_starts_keeps_it_for_no_time(scripted):
    """A delay stage starts the moment it is reached, so the bed goes at service end."""
    text = KEEP.replace("support: {resource: community,", "support: {")
    scripted({1: [0.5], 2: [1.0, 1.5]})
    log = simulate_replication(_model(text), 0, 0)
    np.testing.assert_allclose(log.held.ready, [2.0, 3.0])
    np.testing.assert_allclose(log.held.released, [2.0, 3.0])
    assert _starts(log, "acute.stay") == pytest.approx({P: 1.0, Q: 2.0})


def test_without_keeping_the_bed_is_freed_at_service_end(scripted):
    """The same trace without the option: Q has the bed at 2.0, not 5.5."""
    scripted(KEEP_SCRIPT)
    text = KEEP.replace("keep_until_next_starts: true", "keep_until_next_starts: false")
    log = simulate_replication(_model(text), 0, 0)
    assert log.held is None
    assert _starts(log, "acute.stay") == pytest.approx({P: 1.0, Q: 2.0, R: 9.0, S: 10.5})
    assert _starts(log, "acute.support") == pytest.approx({P: 5.5, Q: 7.5, R: 10.0})


# --- against queueing theory ---------------------------------------------------------

def _t_interval(values, level: float = 0.999) -> tuple[float, float]:
    from scipy import stats
    values = np.asarray(values, dtype=float)
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return values.mean() - half, values.mean() + half


def _erlang_b(servers: int, load: float) -> float:
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


LOSS = """
name: loss
horizon_days: 1000
resources:
  theatre: {capacity: 100}
  beds: {capacity: 5}
arrivals:
  - {pathway: surgery, rate_per_day: 2}
pathways:
  surgery:
    stages:
      operation:
        resource: theatre
        duration: {dist: fixed, value: 1.0}
        cancel_if_next_full: {rebook_days: {dist: fixed, value: 1.0e+6}}
        next: stay
      stay: {resource: beds, duration: {dist: exponential, mean: 2.0}}
"""


def test_share_of_operations_cancelled_is_the_erlang_loss_of_the_beds():
    """Theatres never queue and a cancelled patient is rebooked beyond the horizon, so
    the beds are an M/G/5/5 loss system whose customers hold a bed from the start of
    the operation to the end of the stay (1 + 2 days on average): by PASTA and
    insensitivity, the share cancelled is Erlang B(5, 2 x 3) = 0.3604. (Were the bed
    taken only when the operation ends, it would be B(5, 2 x 2) = 0.1991.)"""
    model = _model(LOSS)
    shares = []
    for replication in range(10):
        log = simulate_replication(model, 11, replication)
        arrived = np.count_nonzero((log.event == ARRIVE) & (log.time > 20))
        cancelled = np.count_nonzero(log.cancellations.time > 20)
        shares.append(cancelled / arrived)
    low, high = _t_interval(shares)
    assert low < _erlang_b(5, 2 * 3.0) < high
    assert high - low < 0.1  # narrow enough to tell 0.36 from 0.20


QUEUE_FOR_SUPPORT = """
name: support
horizon_days: 5000
resources:
  beds: {capacity: 300}
  community: {capacity: 1}
arrivals:
  - {pathway: acute, rate_per_day: 1}
pathways:
  acute:
    stages:
      stay: {resource: beds, duration: {dist: exponential, mean: 1.0},
             keep_until_next_starts: true, next: support}
      support: {resource: community, duration: {dist: exponential, mean: 0.5}}
"""


def test_delayed_discharge_is_the_wait_for_support_in_an_mm1_queue():
    """Ample beds (M/M/inf: their departures are Poisson, Burke) feed a single community
    team with exponential visits: an M/M/1 queue with rho = 0.5, whose mean wait is
    rho / (mu - lambda) = 0.5 days. Each patient's delayed discharge is that wait."""
    model = _model(QUEUE_FOR_SUPPORT)
    means = []
    for replication in range(10):
        log = simulate_replication(model, 5, replication)
        held = log.held
        support = [s.name for s in log.stages].index("acute.support")
        queued = (log.stage == support) & (log.event == QUEUE)
        started = (log.stage == support) & (log.event == START)
        joined = dict(zip(log.patient[queued].tolist(), log.time[queued].tolist(), strict=False))
        begun = dict(zip(log.patient[started].tolist(), log.time[started].tolist(), strict=False))
        done = np.isfinite(held.released)
        # Ready when support is asked for; released when it starts: the queue wait.
        np.testing.assert_array_equal(held.ready, [joined[p] for p in held.patient.tolist()])
        np.testing.assert_array_equal(held.released[done],
                                      [begun[p] for p in held.patient[done].tolist()])
        kept = (held.ready > 50) & done
        means.append(float(np.mean(held.released[kept] - held.ready[kept])))
    low, high = _t_interval(means)
    assert low < 0.5 < high
    assert high - low < 0.25


# --- known gap ---------------------------------------------------------------------

ACROSS_ORGANISATIONS = """
name: across
horizon_days: 300
practices: {file: parts/practices.csv}
organisations:
  surgical: {sites: {theatres: {x_km: 0, y_km: 0}}}
  medical: {sites: {wards: {x_km: 0, y_km: 1}}}
resources:
  theatre: {organisation: surgical, site: theatres, kind: theatre, capacity: 5}
  scanner: {organisation: medical, site: wards, kind: diagnostics, capacity: 5}
  ward: {organisation: medical, site: wards, kind: beds, capacity: 3}
pathways:
  elective:
    referrals_per_1000_per_year: 20
    stages:
      scan: {kind: diagnostics, duration: {dist: fixed, value: 0.01}, next: surgery}
      surgery:
        kind: theatre
        duration: {dist: fixed, value: 0.1}
        cancel_if_next_full: {rebook_days: {dist: fixed, value: 7}}
        next: stay
      stay: {kind: beds, duration: {dist: exponential, mean: 1.0}}
handoff:
  between_organisations: {delay_days: 0.5, record_missing: 1.0, repeat_test: 1.0}
  repeat_test: {kind: diagnostics, duration: {dist: fixed, value: 0.3}}
"""


def test_the_bed_held_for_an_operation_waits_through_a_repeat_test():
    at = Path(__file__).parents[1] / "config" / "malformed" / "across.yaml"
    log = simulate_replication(compile_config(load_config_text(ACROSS_ORGANISATIONS, at).config),
                               1, 0)
    stay = [s.name for s in log.stages].index("elective.stay")
    queued = (log.stage == stay) & (log.event == QUEUE)
    started = (log.stage == stay) & (log.event == START)
    joined = dict(zip(log.patient[queued].tolist(), log.time[queued].tolist(), strict=False))
    begun = dict(zip(log.patient[started].tolist(), log.time[started].tolist(), strict=False))
    assert len(begun) > 100 and len(log.cancellations.time) > 0
    assert all(begun[p] == joined[p] for p in begun), "a patient with a held bed queued for one"
