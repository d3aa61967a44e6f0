"""All-cause emergency admissions of the registered population: the chronic cohorts'
admissions and the rest of the population's (``emergencies`` in the configuration),
counted where they take a bed; what avoids them, what holds beds after them, and
winter against summer.

System rows (stage ""), in this order:

emergency_admissions_per_1000_population_per_year
    Starts, in the window [warmup_days, horizon_days], of the stages that take an
    emergency admission's bed (each chronic condition's admission stage, and the
    population emergencies' one), per 1,000 registered patients a year.
emergencies_avoided_per_1000_population_per_year
    (with population emergencies) Emergencies in the window taken by an avoidance
    service instead of a bed, per 1,000 registered patients a year.
delayed_discharge_bed_days_per_day
    (with a held table) Days, inside the window, that patients kept a unit after their
    stay there ended, waiting for the next stage (reablement, a step-down bed) to
    start, per day of window: the beds blocked on an average day.
rtt_completed_winter_to_summer_ratio, rtt_median_weeks_winter, rtt_median_weeks_summer
    (with RTT clocks) Pathways completed (clocks stopped by treatment) a winter day
    over a summer day; the median RTT wait, in weeks, of the pathways completed in
    winter (December to February) and in summer (June to August).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import NONE, START, EventLog

from .handoffs import long_frame
from .rtt import DAYS_PER_WEEK, RttClocks, has_rtt, rtt_clocks
from .seasons import DAYS_PER_YEAR, SUMMER_DAYS, WINTER_DAYS, in_season, winter_to_summer

EMERGENCY_METRICS: tuple[str, ...] = (
    "emergency_admissions_per_1000_population_per_year",
    "emergencies_avoided_per_1000_population_per_year",
    "delayed_discharge_bed_days_per_day",
    "rtt_completed_winter_to_summer_ratio",
    "rtt_median_weeks_winter",
    "rtt_median_weeks_summer",
)


def has_emergencies(log: EventLog) -> bool:
    """Whether the log has any emergency admissions to count (and a population)."""
    return bool(log.practices) and (
        log.chronic is not None or log.emergency_admission_stage != NONE)


def emergency_kpis(log: EventLog, clocks: RttClocks | None = None) -> pd.DataFrame:
    """The EMERGENCY_METRICS rows of one replication that apply (none without
    emergencies); ``clocks``: its ``rtt_clocks``, where already worked out."""
    if not has_emergencies(log):
        return long_frame([], [], [])
    stages = [] if log.chronic is None else [c.admission_stage for c in log.chronic.conditions]
    if log.emergency_admission_stage != NONE:
        stages.append(log.emergency_admission_stage)
    lo, hi = float(log.warmup_days), float(log.horizon_days)
    length = hi - lo
    inside = (log.time >= lo) & (log.time <= hi)
    admitted = np.sum((log.event == START) & inside & np.isin(log.stage, stages))
    per_1000_a_year = (1000.0 * DAYS_PER_YEAR / (sum(p.list_size for p in log.practices)
                                                 * length)) if length > 0 else float("nan")
    values = {"emergency_admissions_per_1000_population_per_year": admitted * per_1000_a_year}
    if log.emergencies is not None:
        table = log.emergencies
        time = np.asarray(table.time, dtype=np.float64)
        avoided = (np.asarray(table.service) >= 0) & (time >= lo) & (time <= hi)
        values["emergencies_avoided_per_1000_population_per_year"] = (
            np.count_nonzero(avoided) * per_1000_a_year)
    if log.held is not None:
        ready = np.maximum(np.asarray(log.held.ready, dtype=np.float64), lo)
        released = np.minimum(np.asarray(log.held.released, dtype=np.float64), hi)
        values["delayed_discharge_bed_days_per_day"] = (
            float(np.sum(np.clip(released - ready, 0.0, None))) / length
            if length > 0 else float("nan"))
    if has_rtt(log):
        values.update(_seasons(rtt_clocks(log) if clocks is None else clocks, lo, hi))
    metrics = [m for m in EMERGENCY_METRICS if m in values]
    return long_frame([""] * len(metrics), metrics, [values[m] for m in metrics])


def _seasons(clocks: RttClocks, lo: float, hi: float) -> dict[str, float]:
    """Completed pathways a winter day over a summer day, and each season's median wait."""
    done = ~clocks.removed & (clocks.stopped >= lo) & (clocks.stopped <= hi)
    stopped = clocks.stopped[done]
    weeks = (stopped - clocks.referred[done]) / DAYS_PER_WEEK

    def median(season: tuple[float, float]) -> float:
        chosen = weeks[in_season(stopped, season)]
        return float(np.median(chosen)) if chosen.size else float("nan")

    return {"rtt_completed_winter_to_summer_ratio": winter_to_summer(stopped, lo, hi),
            "rtt_median_weeks_winter": median(WINTER_DAYS),
            "rtt_median_weeks_summer": median(SUMMER_DAYS)}
