"""Time series from the event log: how many are waiting where, week by week.

The waiting list of a resource at time t is the number of patients who have joined
its queue by t and not started service by t. Snapshots are taken every
``every_days`` from the end of the warm-up to the horizon.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import QUEUE, START, EventLog


def snapshot_days(log: EventLog, every_days: float = 7.0) -> np.ndarray:
    return np.arange(log.warmup_days, log.horizon_days + 1e-9, every_days)


def waiting_list_by_resource(log: EventLog, every_days: float = 7.0) -> pd.DataFrame:
    """Columns time_days, resource, waiting: one row per snapshot and resource."""
    times = snapshot_days(log, every_days)
    frames = []
    for index, resource in enumerate(log.resources):
        at = log.resource == index
        joined = np.sort(log.time[at & (log.event == QUEUE)])
        started = np.sort(log.time[at & (log.event == START)])
        waiting = (np.searchsorted(joined, times, side="right")
                   - np.searchsorted(started, times, side="right"))
        frames.append(pd.DataFrame({"time_days": times, "resource": resource.name,
                                    "waiting": waiting}))
    return pd.concat(frames, ignore_index=True)
