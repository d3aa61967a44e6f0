"""All-cause emergency admissions of the registered population: the chronic cohorts'
admissions and the rest of the population's (``emergencies`` in the configuration),
counted where they take a bed.

System row (stage ""):

emergency_admissions_per_1000_population_per_year
    Starts, in the window [warmup_days, horizon_days], of the stages that take an
    emergency admission's bed (each chronic condition's admission stage, and the
    population emergencies' one), per 1,000 registered patients a year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import NONE, START, EventLog

from .handoffs import long_frame

EMERGENCY_METRICS: tuple[str, ...] = ("emergency_admissions_per_1000_population_per_year",)


def has_emergencies(log: EventLog) -> bool:
    """Whether the log has any emergency admissions to count (and a population)."""
    return bool(log.practices) and (
        log.chronic is not None or log.emergency_admission_stage != NONE)


def emergency_kpis(log: EventLog) -> pd.DataFrame:
    """The EMERGENCY_METRICS rows of one replication (none without emergencies)."""
    if not has_emergencies(log):
        return long_frame([], [], [])
    stages = [] if log.chronic is None else [c.admission_stage for c in log.chronic.conditions]
    if log.emergency_admission_stage != NONE:
        stages.append(log.emergency_admission_stage)
    lo, hi = float(log.warmup_days), float(log.horizon_days)
    inside = (log.time >= lo) & (log.time <= hi)
    admitted = np.sum((log.event == START) & inside & np.isin(log.stage, stages))
    population = sum(p.list_size for p in log.practices)
    years = (hi - lo) / 365.0
    rate = 1000.0 * admitted / (population * years) if years > 0 else float("nan")
    return long_frame([""], list(EMERGENCY_METRICS), [rate])
