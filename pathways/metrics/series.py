"""Time series from the event log: how many wait where, week by week.

The waiting list of a resource at time t is the number of patients who have joined
its queue by t and not started service by t. A provider's list is the sum over the
resources its organisation holds (in a plain network, each resource is a provider).
Snapshots are taken every ``every_days`` from the end of the warm-up to the horizon.
With RTT clocks, the incomplete-pathway list and its share within 18 weeks are
series too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import QUEUE, START, EventLog
from pathways.metrics.rtt import DAYS_PER_WEEK, has_rtt, incomplete_snapshots, snapshot_times

SERIES_COLUMNS = ["time_days", "series", "level", "value"]


def waiting_list_by_resource(log: EventLog, every_days: float = DAYS_PER_WEEK,
                             from_days: float | None = None) -> pd.DataFrame:
    """Columns time_days, resource, waiting: one row per snapshot and resource, from
    ``from_days`` (default: the end of the warm-up)."""
    times = snapshot_times(log, every_days, from_days)
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


def _provider(log: EventLog, resource_index: int) -> str:
    organisation = log.resources[resource_index].organisation
    return log.organisations[organisation] if organisation >= 0 else \
        log.resources[resource_index].name


def timeseries(log: EventLog, every_days: float = DAYS_PER_WEEK) -> pd.DataFrame:
    """Long form (time_days, series, level, value): "waiting_list" per provider, and
    with RTT clocks "rtt_incomplete" and "rtt_incomplete_within_18_weeks_share", weekly
    from day 0: the warm-up is included, so that it can be seen and checked (MSER-5)."""
    by_resource = waiting_list_by_resource(log, every_days, from_days=0.0)
    providers = {r.name: _provider(log, i) for i, r in enumerate(log.resources)}
    by_resource["level"] = by_resource["resource"].map(providers)
    lists = (by_resource.groupby(["time_days", "level"], sort=False)["waiting"].sum()
             .reset_index().rename(columns={"waiting": "value"}))
    lists.insert(1, "series", "waiting_list")
    frames = [lists[SERIES_COLUMNS].astype({"value": float})]
    if has_rtt(log):
        snapshots = incomplete_snapshots(log, every_days, from_days=0.0)
        for series, column in (("rtt_incomplete", "waiting_list"),
                               ("rtt_incomplete_within_18_weeks_share", "within_18_weeks_share")):
            frames.append(pd.DataFrame({"time_days": snapshots["time_days"], "series": series,
                                        "level": "", "value": snapshots[column].astype(float)}))
    return pd.concat(frames, ignore_index=True)
