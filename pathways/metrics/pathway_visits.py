"""What a pathway asks of patients and of capacity: visits per pathway, and capacity
used by kind of resource.

A pathway redesign (pathways.config.stage_edits) changes these first: a one-stop clinic
makes one visit of three, patient-initiated follow-up drops follow-ups, a virtual clinic
moves work from one kind of resource to another. Visits count the stages that hold a
resource (appointments, tests, operations, bed stays), not delays such as results
reporting, over the referral pathways (those whose stages stop an RTT clock) completed
in the window, each with its whole history, as handoffs per pathway are counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import EXIT, NONE, START, EventLog

from .handoffs import long_frame
from .visits import unique_ids

KIND_PREFIX = "kind:"
BUSY_UNITS = "busy_units_mean"
KIND_METRICS = ("utilisation", BUSY_UNITS)


def visits_per_pathway(log: EventLog) -> float:
    """Visits to a resource per referral pathway completed in the window (NaN: none)."""
    referral = [s.pathway for s in log.stages if s.rtt_stop is not None]
    event, time = np.asarray(log.event), np.asarray(log.time, dtype=np.float64)
    patient = np.asarray(log.patient, dtype=np.int64)
    on_referral = np.isin(np.asarray(log.pathway), referral)
    done = (event == EXIT) & on_referral & (time >= log.warmup_days) & (time <= log.horizon_days)
    completed = unique_ids(patient[done])
    if len(completed) == 0:
        return float("nan")
    held = np.asarray(log.resource) != NONE
    visits = (event == START) & held & on_referral & np.isin(patient, completed)
    return float(np.count_nonzero(visits)) / len(completed)


def kind_rows(log: EventLog, busy_days: np.ndarray, capacity_days: np.ndarray) -> pd.DataFrame:
    """Utilisation and mean busy units of each kind of resource (all its resources
    together), as rows "kind:<kind>"; none for resources without a kind."""
    kinds = sorted({r.kind for r in log.resources if r.kind})
    length = float(log.horizon_days) - float(log.warmup_days)
    stage, metric, value = [], [], []
    for kind in kinds:
        mine = np.array([r.kind == kind for r in log.resources])
        busy, capacity = float(busy_days[mine].sum()), float(capacity_days[mine].sum())
        stage += [KIND_PREFIX + kind] * len(KIND_METRICS)
        metric += list(KIND_METRICS)
        value += [busy / capacity if capacity > 0 else np.nan,
                  busy / length if length > 0 else np.nan]
    return long_frame(stage, metric, value)
