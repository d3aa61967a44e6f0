"""Time series from the event log: how many wait where, week by week.

``waiting_list`` is the RTT waiting list: the incomplete pathways (RTT clocks running:
referred, i.e. received by the provider, at or before t and not stopped at or before
t; a removal from a list stops a clock) of each provider (see ``providers``), so its
levels add up to ``rtt_incomplete``, the whole list. ``resource_queue`` is a
resource's own list: the patients who have joined its queue by t and not started
service by t. Snapshots are taken every ``every_days``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import QUEUE, START, EventLog
from pathways.metrics.choice import choice_share_series, published_series
from pathways.metrics.providers import provider_waiting_lists
from pathways.metrics.rtt import DAYS_PER_WEEK, _snapshots, has_rtt, rtt_clocks, snapshot_times

SERIES_COLUMNS = ["time_days", "series", "level", "value"]


def waiting_list_by_resource(log: EventLog, every_days: float = DAYS_PER_WEEK,
                             from_days: float | None = None) -> pd.DataFrame:
    """Columns time_days, resource, waiting: one row per snapshot and resource (resources
    in log order, each with all its snapshots), from ``from_days`` (default: the end of
    the warm-up)."""
    times = snapshot_times(log, every_days, from_days)
    n_res, n_times = len(log.resources), len(times)
    event, time = np.asarray(log.event), np.asarray(log.time, dtype=np.float64)
    resource = np.asarray(log.resource, dtype=np.int64)

    def by_snapshot(code: int) -> np.ndarray:
        """(resource, snapshot): rows of ``code`` at or before the snapshot."""
        at = (event == code) & (resource >= 0) & (resource < n_res)
        first = np.searchsorted(times, time[at], side="left")  # first snapshot counting it
        cells = np.bincount(resource[at] * (n_times + 1) + first,
                            minlength=n_res * (n_times + 1)).reshape(n_res, n_times + 1)
        return np.cumsum(cells[:, :n_times], axis=1)

    waiting = by_snapshot(QUEUE) - by_snapshot(START)
    return pd.DataFrame({"time_days": np.tile(times, n_res),
                         "resource": np.repeat([r.name for r in log.resources], n_times),
                         "waiting": waiting.ravel()})


def timeseries(log: EventLog, every_days: float = DAYS_PER_WEEK) -> pd.DataFrame:
    """Long form (time_days, series, level, value), weekly from day 0 (the warm-up is
    included, so that it can be seen and checked, MSER-5). With RTT clocks:
    "waiting_list" per provider (level: its name), then "rtt_incomplete" and
    "rtt_incomplete_within_18_weeks_share" (level "": the whole system); in a health
    economy that publishes waits, "published_wait_weeks" at each publication (level
    "<site>:<pathway>", the wait of the pathway's first appointment there); in a
    health economy, "choice_share" per week (level "<site>:<pathway>": the share of the
    pathway's referrals in the week sent there); then always "resource_queue" per
    resource (level: its name)."""
    frames = []
    if has_rtt(log):
        clocks = rtt_clocks(log)
        lists = provider_waiting_lists(log, every_days, from_days=0.0, clocks=clocks)
        frames.append(pd.DataFrame({"time_days": lists["time_days"], "series": "waiting_list",
                                    "level": lists["level"],
                                    "value": lists["waiting"].astype(float)}))
        snapshots = _snapshots(clocks, snapshot_times(log, every_days, from_days=0.0))
        for series, column in (("rtt_incomplete", "waiting_list"),
                               ("rtt_incomplete_within_18_weeks_share", "within_18_weeks_share")):
            frames.append(pd.DataFrame({"time_days": snapshots["time_days"], "series": series,
                                        "level": "", "value": snapshots[column].astype(float)}))
    if log.published is not None:
        published = published_series(log)
        frames.append(pd.DataFrame({"time_days": published["time_days"],
                                    "series": "published_wait_weeks",
                                    "level": published["level"],
                                    "value": published["wait_weeks"]}))
    if log.patients is not None:
        shares = choice_share_series(log, every_days)
        frames.append(pd.DataFrame({"time_days": shares["time_days"], "series": "choice_share",
                                    "level": shares["level"], "value": shares["share"]}))
    queues = waiting_list_by_resource(log, every_days, from_days=0.0)
    frames.append(pd.DataFrame({"time_days": queues["time_days"], "series": "resource_queue",
                                "level": queues["resource"],
                                "value": queues["waiting"].astype(float)}))
    return pd.concat(frames, ignore_index=True)[SERIES_COLUMNS]


def list_series(series: pd.DataFrame) -> pd.DataFrame:
    """The rows of stored series (``timeseries`` output, any extra columns kept) that
    count who is waiting: the RTT waiting list where there are RTT clocks, else every
    resource's own list. Their levels add up to the whole list."""
    lists = series[series["series"] == "waiting_list"]
    return lists if not lists.empty else series[series["series"] == "resource_queue"]
