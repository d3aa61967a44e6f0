"""Turn the event rows of one replication into visits and stays (one row each).

A *visit* is one patient's pass through one stage: QUEUE, START, END. A *stay* is one
patient's time in the system: ARRIVE to EXIT. Times that never happened (after the
horizon) are ``+inf``, so "started before the horizon" is ``start <= horizon`` and
clipping to the window needs no special case.

Pairing: rows of one (patient, stage) keep their time order under a stable sort, and a
patient's visits never overlap, so the k-th QUEUE, k-th START and k-th END of a
(patient, stage) belong to the same visit (a patient may visit a stage many times).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pathways.log.event_log import ARRIVE, END, EXIT, NONE, QUEUE, START, EventLog


@dataclass(frozen=True)
class Visits:
    """One row per stage visit, ordered by (patient, stage, queue time)."""

    patient: np.ndarray  # int64 dense patient index (see Stays)
    stage: np.ndarray  # int64
    resource: np.ndarray  # int64, NONE for delay stages
    queue: np.ndarray  # float64 QUEUE time
    start: np.ndarray  # float64 START time, +inf if not started
    end: np.ndarray  # float64 END time, +inf if not ended

    def __len__(self) -> int:
        return len(self.queue)

    def subset(self, mask: np.ndarray) -> Visits:
        """The visits where mask is true (same order)."""
        return Visits(self.patient[mask], self.stage[mask], self.resource[mask],
                      self.queue[mask], self.start[mask], self.end[mask])


@dataclass(frozen=True)
class Stays:
    """One slot per dense patient index: ARRIVE and EXIT times (+inf if absent)."""

    arrive: np.ndarray
    exit: np.ndarray

    def __len__(self) -> int:
        return len(self.arrive)


def check_one_replication(log: EventLog) -> None:
    """Metrics work on one replication; a stacked log must be split by the caller."""
    rep = np.asarray(log.replication)
    if len(rep) and not np.all(rep == rep[0]):
        raise ValueError(
            "event log holds several replications; compute metrics per replication "
            "(select the rows of one replication value) and combine with pathways.stats"
        )


def time_order(log: EventLog) -> np.ndarray | None:
    """None if the log is already sorted by time, else the stable order that sorts it."""
    t = np.asarray(log.time)
    if len(t) < 2 or np.all(t[1:] >= t[:-1]):
        return None
    return np.argsort(t, kind="stable")


def _is_compact(patient: np.ndarray) -> tuple[int, int, bool]:
    """(min id, max id, whether dense indices are a plain offset) of a non-empty id column."""
    lo, hi = int(patient.min()), int(patient.max())
    return lo, hi, hi - lo + 1 <= 2 * len(patient) + 1024


def unique_ids(ids: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array: np.unique by sorting. numpy 2's
    np.unique hashes instead, and for the hundreds of thousands of patient ids of a
    large log its table outgrows the processor's cache: 6 to 16 times slower here."""
    ids = np.sort(np.asarray(ids, dtype=np.int64))
    return ids[_first_of_runs(ids)]


def _first_of_runs(sorted_values: np.ndarray) -> np.ndarray:
    """True at the first of each run of equal values of a sorted array."""
    first = np.ones(len(sorted_values), dtype=bool)
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=first[1:])
    return first


def dense_patients(patient: np.ndarray) -> tuple[np.ndarray, int]:
    """Patient ids as dense indices 0..n-1 (an offset when ids are compact)."""
    patient = np.asarray(patient, dtype=np.int64)
    if len(patient) == 0:
        return patient, 0
    lo, hi, compact = _is_compact(patient)
    if compact:
        return patient - lo, hi - lo + 1
    ids, dense = np.unique(patient, return_inverse=True)
    return dense.astype(np.int64), len(ids)


def dense_index(patient: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The dense index that ``dense_patients(patient)`` gives each of ``ids`` (so it
    indexes ``Stays`` and ``Visits.patient`` of that log); NONE for an id it gives no
    slot (where ids are compact, an id inside the range with no row has a slot of its
    own, with +inf times in ``Stays``)."""
    patient = np.asarray(patient, dtype=np.int64)
    ids = np.asarray(ids, dtype=np.int64)
    if len(patient) == 0:
        return np.full(len(ids), NONE, dtype=np.int64)
    lo, hi, compact = _is_compact(patient)
    if compact:
        return np.where((ids >= lo) & (ids <= hi), ids - lo, NONE)
    known = unique_ids(patient)
    pos = np.minimum(np.searchsorted(known, ids), len(known) - 1)
    return np.where(known[pos] == ids, pos, NONE)


def _group_rank(sorted_keys: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal keys of a sorted key array."""
    n = len(sorted_keys)
    pos = np.arange(n)
    if n == 0:
        return pos
    return pos - np.maximum.accumulate(np.where(_first_of_runs(sorted_keys), pos, 0))


def _rows(event, stage, code):
    """Indices of visit rows with one event code, i.e. with a stage."""
    return np.flatnonzero((event == code) & (stage != NONE))


def _match(q_keys: np.ndarray, keys: np.ndarray, what: str) -> np.ndarray:
    """Visit index of each (already key-sorted) START or END row: k-th with k-th QUEUE."""
    visit = np.searchsorted(q_keys, keys, side="left") + _group_rank(keys)
    ok = visit < len(q_keys)
    ok[ok] = q_keys[visit[ok]] == keys[ok]
    if not ok.all():
        raise ValueError(f"event log has a {what} row without a matching QUEUE row "
                         "for the same patient and stage")
    return visit


def total_waits(visits: Visits, n_patients: int) -> np.ndarray:
    """Each dense patient's total queueing time (START - QUEUE) over the visits that
    started; 0 for a patient with none."""
    started = np.isfinite(visits.start)
    return np.bincount(visits.patient[started],
                       weights=visits.start[started] - visits.queue[started],
                       minlength=n_patients)


def build(log: EventLog) -> tuple[Visits, Stays]:
    """Visits and stays of one replication's log."""
    check_one_replication(log)
    order = time_order(log)
    take = (lambda a: np.asarray(a)) if order is None else (lambda a: np.asarray(a)[order])
    event = take(log.event)
    stage = take(log.stage).astype(np.int64)
    time = take(log.time).astype(np.float64)
    patient, n_patients = dense_patients(take(log.patient))

    n_stages = len(log.stages)
    if len(stage) and int(stage.max()) >= n_stages:
        raise ValueError(f"event log names stage {int(stage.max())} but its stage table "
                         f"has {n_stages} stages")
    key = patient * n_stages + stage

    def sorted_rows(code):
        rows = _rows(event, stage, code)
        rows = rows[np.argsort(key[rows], kind="stable")]
        return rows, key[rows]

    q_rows, q_keys = sorted_rows(QUEUE)
    s_rows, s_keys = sorted_rows(START)
    e_rows, e_keys = sorted_rows(END)

    n = len(q_rows)
    start = np.full(n, np.inf)
    end = np.full(n, np.inf)
    start[_match(q_keys, s_keys, "START")] = time[s_rows]
    end[_match(q_keys, e_keys, "END")] = time[e_rows]

    v_stage = stage[q_rows]
    stage_resource = np.array([s.resource for s in log.stages], dtype=np.int64)
    row_resource = take(log.resource)[q_rows].astype(np.int64)
    v_resource = np.where(row_resource != NONE, row_resource, stage_resource[v_stage])
    if len(v_resource) and int(v_resource.max()) >= len(log.resources):
        raise ValueError(f"event log names resource {int(v_resource.max())} but its "
                         f"resource table has {len(log.resources)} resources")

    visits = Visits(patient=patient[q_rows], stage=v_stage, resource=v_resource,
                    queue=time[q_rows], start=start, end=end)

    arrive = np.full(n_patients, np.inf)
    leave = np.full(n_patients, np.inf)
    a_rows = np.flatnonzero(event == ARRIVE)
    x_rows = np.flatnonzero(event == EXIT)
    arrive[patient[a_rows]] = time[a_rows]
    leave[patient[x_rows]] = time[x_rows]
    return visits, Stays(arrive=arrive, exit=leave)
