"""Referral-to-treatment (RTT) clocks of one replication: completed pathways and weekly
snapshots of incomplete ones. The definitions are in the package docstring."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pathways.log.event_log import ARRIVE, EXIT, START, EventLog

from .rtt_time import rtt_time_shares
from .visits import Stays, Visits, check_one_replication, dense_index, dense_patients
from .wait_quantiles import RTT_DISTRIBUTIONS

DAYS_PER_WEEK = 7.0
TARGET_DAYS = 18 * DAYS_PER_WEEK  # the 18-week standard
WAIT_QUANTILES = (0.5, 0.92, 0.95)

RTT_METRICS: tuple[str, ...] = (
    "rtt_admitted_median_weeks",
    "rtt_admitted_p92_weeks",
    "rtt_admitted_p95_weeks",
    "rtt_non_admitted_median_weeks",
    "rtt_non_admitted_p92_weeks",
    "rtt_non_admitted_p95_weeks",
    "rtt_completed_within_18_weeks_share",
    "rtt_admitted_share",
    "rtt_incomplete_median_weeks",
    "rtt_incomplete_within_18_weeks_share",
    "rtt_waiting_list_mean",
    "referral_transfer_days_mean",
    "rtt_removed_share",
    "rtt_time_share_queue",
    "rtt_time_share_admin",
    "rtt_time_share_handoff",
    "rtt_time_share_service",
    "rtt_admitted_median_from_referral_weeks",
    "rtt_non_admitted_median_from_referral_weeks",
)

_STOP_CODES = {None: 0, "admitted": 1, "non_admitted": 2}


@dataclass(frozen=True)
class RttClocks:
    """One RTT clock per patient on a pathway with an ``rtt_stop`` stage, in the order of
    their ARRIVE rows."""

    patient: np.ndarray  # int64 patient id, as in the log
    referred: np.ndarray  # float64 clock start: the provider received the referral
    stopped: np.ndarray  # float64 clock stop, +inf if still running at the horizon
    admitted: np.ndarray  # bool: stopped by starting an "admitted" stage
    removed: np.ndarray  # bool: stopped by removal from a list untreated (not completed)
    transfer_days: np.ndarray  # float64: GP-to-provider transfer before the clock started

    def __len__(self) -> int:
        return len(self.referred)


def has_rtt(log: EventLog) -> bool:
    """Whether any stage of the log stops an RTT clock (else there are no RTT metrics)."""
    return any(s.rtt_stop is not None for s in log.stages)


def rtt_clocks(log: EventLog) -> RttClocks:
    """The RTT clock of every patient on an RTT pathway (see the package docstring)."""
    check_one_replication(log)
    patient, n_patients = dense_patients(log.patient)
    event, time = np.asarray(log.event), np.asarray(log.time, dtype=np.float64)
    # stop code per stage; a trailing 0 serves the NONE (-1) stage of arrive/exit rows
    code = np.array([_STOP_CODES[s.rtt_stop] for s in log.stages] + [0], dtype=np.int8)
    stop_code = code[np.asarray(log.stage, dtype=np.int64)]

    treated = np.flatnonzero((event == START) & (stop_code > 0))
    treated = treated[np.argsort(time[treated], kind="stable")]
    _, first = np.unique(patient[treated], return_index=True)  # each patient's first
    treated = treated[first]
    stopped = np.full(n_patients, np.inf)
    admitted = np.zeros(n_patients, dtype=bool)
    stopped[patient[treated]] = time[treated]
    admitted[patient[treated]] = stop_code[treated] == _STOP_CODES["admitted"]
    removed = np.zeros(n_patients, dtype=bool)
    if log.removals is not None and len(log.removals.patient):
        removed[dense_index(log.patient, log.removals.patient)] = True
    exits = np.flatnonzero(event == EXIT)
    discharged = exits[np.isinf(stopped[patient[exits]])]  # left untreated: a clock stop
    stopped[patient[discharged]] = time[discharged]

    rtt_pathways = sorted({s.pathway for s in log.stages if s.rtt_stop is not None})
    arrivals = np.flatnonzero((event == ARRIVE) & np.isin(log.pathway, rtt_pathways))
    p = patient[arrivals]
    ids = np.asarray(log.patient, dtype=np.int64)[arrivals]
    transfer = _referral_transfer_days(log, ids, time[arrivals])
    return RttClocks(patient=ids, referred=time[arrivals] + transfer, stopped=stopped[p],
                     admitted=admitted[p], removed=removed[p], transfer_days=transfer)


def _referral_transfer_days(log: EventLog, ids: np.ndarray, arrived: np.ndarray) -> np.ndarray:
    """The delay of each patient's transfer from the GP practice to the provider: the
    patient's first transfer, made at the moment of referral (0 where there is none,
    as on a plain network). The RTT clock starts when it ends."""
    transfer = np.zeros(len(ids))
    handoffs = log.handoffs
    if handoffs is None or not len(handoffs.patient) or not len(ids):
        return transfer
    order = np.lexsort((handoffs.time, handoffs.patient))
    first = order[np.r_[True, handoffs.patient[order][1:] != handoffs.patient[order][:-1]]]
    where = np.searchsorted(handoffs.patient[first], ids)
    where = np.minimum(where, len(first) - 1)
    row = first[where]
    at_referral = (handoffs.patient[row] == ids) & (handoffs.time[row] == arrived)
    transfer[at_referral] = handoffs.delay_days[row[at_referral]]
    return transfer


def snapshot_times(log: EventLog, every_days: float = DAYS_PER_WEEK,
                   from_days: float | None = None) -> np.ndarray:
    """from_days (default warmup_days), + every_days, ... up to horizon_days (inclusive)."""
    if not every_days > 0:
        raise ValueError(f"every_days must be positive, got {every_days}")
    lo = float(log.warmup_days if from_days is None else from_days)
    hi = float(log.horizon_days)
    return lo + every_days * np.arange(int((hi - lo) // every_days) + 1)


def _snapshots(clocks: RttClocks, times: np.ndarray) -> pd.DataFrame:
    """Incomplete pathways at each time: referred at or before it, stopped after it."""
    live = clocks.stopped > times[0]  # clocks stopped before the first snapshot never count
    order = np.argsort(clocks.referred[live], kind="stable")
    referred, stopped = clocks.referred[live][order], clocks.stopped[live][order]
    n_referred = np.searchsorted(referred, times, side="right")
    size = np.zeros(len(times), dtype=np.int64)
    within, median = np.full(len(times), np.nan), np.full(len(times), np.nan)
    for k, (t, n) in enumerate(zip(times, n_referred, strict=False)):  # one pass per snapshot
        waits = t - referred[:n][stopped[:n] > t]
        size[k] = len(waits)
        if len(waits):
            within[k] = np.count_nonzero(waits <= TARGET_DAYS) / len(waits)
            median[k] = np.median(waits) / DAYS_PER_WEEK
    return pd.DataFrame({"time_days": times, "waiting_list": size,
                         "within_18_weeks_share": within, "median_weeks": median})


def incomplete_snapshots(log: EventLog, every_days: float = DAYS_PER_WEEK,
                         from_days: float | None = None) -> pd.DataFrame:
    """The incomplete-pathway list at from_days (default warmup_days) + k x every_days up
    to the horizon.

    Columns: time_days, waiting_list (clocks running), within_18_weeks_share (of those,
    the share waiting 18 weeks or less; NaN for an empty list) and median_weeks (their
    median wait so far; NaN for an empty list).
    """
    return _snapshots(rtt_clocks(log), snapshot_times(log, every_days, from_days))


def _quantile_weeks(days: np.ndarray) -> list[float]:
    if len(days) == 0:
        return [np.nan] * len(WAIT_QUANTILES)
    return (np.quantile(days, WAIT_QUANTILES) / DAYS_PER_WEEK).tolist()


def _mean(x) -> float:
    """Mean of the non-NaN values; NaN if there are none."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    return float(np.mean(x)) if len(x) else np.nan


def _ended(log: EventLog, clocks: RttClocks) -> np.ndarray:
    """Clocks stopped in the window [warmup_days, horizon_days], removals included."""
    return (clocks.stopped >= float(log.warmup_days)) & (clocks.stopped <= float(log.horizon_days))


def rtt_wait_samples(log: EventLog, clocks: RttClocks) -> dict[str, np.ndarray]:
    """The waits (weeks) of the admitted and of the non-admitted pathways completed in
    the window, by RTT_DISTRIBUTIONS name: the samples of the median and percentiles."""
    done = _ended(log, clocks) & ~clocks.removed
    weeks = (clocks.stopped - clocks.referred)[done] / DAYS_PER_WEEK
    admitted = clocks.admitted[done]
    return dict(zip(RTT_DISTRIBUTIONS, (weeks[admitted], weeks[~admitted]), strict=True))


def rtt_kpis(log: EventLog, clocks: RttClocks | None = None, *,
             visits: tuple[Visits, Stays] | None = None) -> pd.DataFrame:
    """The RTT_METRICS of one replication's log as rows (stage "", metric, value);
    ``clocks``: its ``rtt_clocks``, and ``visits``: its ``build(log)``, where already
    worked out."""
    clocks = rtt_clocks(log) if clocks is None else clocks
    ended = _ended(log, clocks)
    done = ended & ~clocks.removed
    wait = (clocks.stopped - clocks.referred)[done]
    with_transfer = wait + clocks.transfer_days[done]  # from the GP's referral
    admitted = clocks.admitted[done]
    snaps = _snapshots(clocks, snapshot_times(log))
    values = [
        *_quantile_weeks(wait[admitted]),
        *_quantile_weeks(wait[~admitted]),
        _mean(wait <= TARGET_DAYS),
        _mean(admitted),
        _mean(snaps["median_weeks"]),
        _mean(snaps["within_18_weeks_share"]),
        _mean(snaps["waiting_list"]),
        _mean(clocks.transfer_days[done]),
        _mean(clocks.removed[ended]),
        *rtt_time_shares(log, clocks, done, visits),
        *_quantile_weeks(with_transfer[admitted])[:1],
        *_quantile_weeks(with_transfer[~admitted])[:1],
    ]  # in RTT_METRICS order
    return pd.DataFrame({"stage": pd.Series([""] * len(RTT_METRICS), dtype=object),
                         "metric": pd.Series(RTT_METRICS, dtype=object),
                         "value": np.asarray(values, dtype=np.float64)})
