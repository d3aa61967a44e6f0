"""Turn the engine's visit records into the columnar, time-sorted event log.

The engine records each stage visit once, as six consecutive numbers in a flat
list (patient, stage, joined, started, ended, unit); here numpy expands visits into QUEUE/START/END rows, drops what happens at or
after the horizon, adds ARRIVE/EXIT rows, and sorts by time. Ties are broken per
patient by the order things happened to them, so a patient's rows always read
ARRIVE, (QUEUE, START, END)..., EXIT.
"""

from __future__ import annotations

import numpy as np

from pathways.log.event_log import ARRIVE, END, EXIT, NONE, QUEUE, START, EventLog

_LAST = np.iinfo(np.int64).max


def _columns(records: list[float], width: int) -> list[np.ndarray]:
    """Flat records of ``width`` fields as float64 columns (ids exact below 2**53)."""
    return list(np.array(records, dtype=np.float64).reshape(-1, width).T)


def assemble_event_log(visits, arrived, exited, *, stage_pathway, stage_resource,
                       horizon_days: float, replication: int, **meta) -> EventLog:
    """Build an EventLog from visit, arrival and exit records of one replication."""
    v_patient, v_stage, joined, started, ended, v_unit = _columns(visits, 6)
    a_patient, a_pathway, a_time = _columns(arrived, 3)
    x_patient, x_pathway, x_time = _columns(exited, 3)
    v_stage = v_stage.astype(np.int64)
    visit_order = np.arange(len(v_patient), dtype=np.int64) * 4

    did_start = started < horizon_days
    did_end = ended < horizon_days
    parts = [  # (patient, pathway, stage, unit, event, time, tie-break order)
        (a_patient, a_pathway, None, None, ARRIVE, a_time, np.full(len(a_time), -1)),
        (v_patient, None, v_stage, None, QUEUE, joined, visit_order + 1),
        (v_patient[did_start], None, v_stage[did_start], v_unit[did_start], START,
         started[did_start], visit_order[did_start] + 2),
        (v_patient[did_end], None, v_stage[did_end], v_unit[did_end], END,
         ended[did_end], visit_order[did_end] + 3),
        (x_patient, x_pathway, None, None, EXIT, x_time, np.full(len(x_time), _LAST)),
    ]
    patient, pathway, stage, unit, event, time, tie = ([] for _ in range(7))
    for p, pw, st, un, ev, t, order in parts:
        n = len(t)
        has_stage = st is not None
        patient.append(p.astype(np.int64))
        stage.append(st if has_stage else np.full(n, NONE, np.int64))
        pathway.append(stage_pathway[st] if has_stage else pw.astype(np.int64))
        unit.append(un.astype(np.int64) if un is not None else np.full(n, NONE, np.int64))
        event.append(np.full(n, ev, np.int8))
        time.append(t)
        tie.append(order.astype(np.int64))
    patient, pathway, stage, unit, event, time, tie = map(
        np.concatenate, (patient, pathway, stage, unit, event, time, tie))
    sort = np.lexsort((tie, patient, time))
    stage = stage[sort]
    resource = np.where(stage >= 0, stage_resource[np.maximum(stage, 0)], NONE)
    return EventLog(
        patient=patient[sort],
        pathway=pathway[sort].astype(np.int16),
        stage=stage.astype(np.int16),
        resource=resource.astype(np.int16),
        unit=unit[sort].astype(np.int32),
        event=event[sort],
        time=time[sort],
        replication=np.full(len(sort), replication, np.int32),
        horizon_days=horizon_days,
        **meta,
    )
