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

from pathways.log.event_log import END, NONE, QUEUE, START, EventLog
from pathways.metrics.choice import choice_share_series, published_series
from pathways.metrics.providers import provider_waiting_lists
from pathways.metrics.rtt import DAYS_PER_WEEK, _snapshots, has_rtt, rtt_clocks, snapshot_times

SERIES_COLUMNS = ["time_days", "series", "level", "value"]
#: The occupancy series, and its level of one kind over every organisation: "all:<kind>".
OCCUPANCY, ALL_PREFIX = "occupancy", "all:"


def _by_snapshot(log: EventLog, times: np.ndarray, code: int) -> np.ndarray:
    """(resource, snapshot): the log's rows of event ``code`` at each resource at or
    before each snapshot."""
    n_res, n_times = len(log.resources), len(times)
    event, time = np.asarray(log.event), np.asarray(log.time, dtype=np.float64)
    resource = np.asarray(log.resource, dtype=np.int64)
    at = (event == code) & (resource >= 0) & (resource < n_res)
    first = np.searchsorted(times, time[at], side="left")  # first snapshot counting it
    cells = np.bincount(resource[at] * (n_times + 1) + first,
                        minlength=n_res * (n_times + 1)).reshape(n_res, n_times + 1)
    return np.cumsum(cells[:, :n_times], axis=1)


def waiting_list_by_resource(log: EventLog, every_days: float = DAYS_PER_WEEK,
                             from_days: float | None = None) -> pd.DataFrame:
    """Columns time_days, resource, waiting: one row per snapshot and resource (resources
    in log order, each with all its snapshots), from ``from_days`` (default: the end of
    the warm-up)."""
    times = snapshot_times(log, every_days, from_days)
    waiting = _by_snapshot(log, times, QUEUE) - _by_snapshot(log, times, START)
    return pd.DataFrame({"time_days": np.tile(times, len(log.resources)),
                         "resource": np.repeat([r.name for r in log.resources], len(times)),
                         "waiting": waiting.ravel()})


def occupancy(log: EventLog, every_days: float = DAYS_PER_WEEK,
              from_days: float | None = None) -> pd.DataFrame:
    """Columns time_days, level, occupancy: the share of units in use at each snapshot
    (a unit kept after its stay while the next stage is awaited counts as in use), of
    the servers that are always open (beds, reablement, rapid response: not clinics
    with hours, not booked sessions), grouped per "<organisation>:<kind>" in a health
    economy (per resource name otherwise), groups in order of their first resource, then
    per "all:<kind>" over every organisation (in a health economy)."""
    times = snapshot_times(log, every_days, from_days)
    servers = [i for i, r in enumerate(log.resources)
               if r.open_intervals_days is None and r.slots_per_session is None
               and r.capacity > 0]
    names = [r.name if r.organisation == NONE else f"{log.organisations[r.organisation]}:{r.kind}"
             for r in log.resources]
    in_use = _by_snapshot(log, times, START) - _by_snapshot(log, times, END)
    frames = []
    levels = {name: [i for i in servers if names[i] == name]
              for name in dict.fromkeys(names[i] for i in servers)}
    if log.organisations:
        kinds = dict.fromkeys(log.resources[i].kind for i in servers)
        levels.update({f"{ALL_PREFIX}{kind}": [i for i in servers if log.resources[i].kind == kind]
                       for kind in kinds})
    for level, group in levels.items():
        units = sum(log.resources[i].capacity for i in group)
        frames.append(pd.DataFrame({"time_days": times, "level": level,
                                    "occupancy": in_use[group].sum(axis=0) / units}))
    if not frames:
        return pd.DataFrame({"time_days": pd.Series(dtype=float),
                             "level": pd.Series(dtype=object),
                             "occupancy": pd.Series(dtype=float)})
    return pd.concat(frames, ignore_index=True)


def timeseries(log: EventLog, every_days: float = DAYS_PER_WEEK) -> pd.DataFrame:
    """Long form (time_days, series, level, value), weekly from day 0 (the warm-up is
    included, so that it can be seen and checked, MSER-5). With RTT clocks:
    "waiting_list" per provider (level: its name), then "rtt_incomplete" and
    "rtt_incomplete_within_18_weeks_share" (level "": the whole system); in a health
    economy that publishes waits, "published_wait_weeks" at each publication (level
    "<site>:<pathway>", the wait of the pathway's first appointment there); in a
    health economy, "choice_share" per week (level "<site>:<pathway>": the share of the
    pathway's referrals in the week sent there); then "occupancy" (level: a group of
    always-open servers, see ``occupancy``; none without them); then always
    "resource_queue" per resource (level: its name)."""
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
    used = occupancy(log, every_days, from_days=0.0)
    frames.append(pd.DataFrame({"time_days": used["time_days"], "series": OCCUPANCY,
                                "level": used["level"], "value": used["occupancy"]}))
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
