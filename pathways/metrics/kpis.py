"""KPIs of one replication: one row per (level, metric). See the package docstring."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import NONE, EventLog

from . import grouped
from .allocation import allocation_kpis
from .calendar import capacity_days
from .choice import choice_kpis
from .chronic import chronic_kpis
from .emergencies import emergency_kpis, has_emergencies
from .equity import equity_kpis
from .handoffs import handoff_kpis, handoff_matrix_kpis, long_frame
from .market import market_kpis
from .money import money_kpis
from .pathway_visits import kind_rows, visits_per_pathway
from .providers import provider_kpis
from .rtt import has_rtt, rtt_clocks, rtt_kpis, rtt_wait_samples
from .visits import Stays, Visits, build, total_waits
from .wait_quantiles import QUEUE_DISTRIBUTIONS, quantile_rows

METRICS: tuple[str, ...] = (
    "arrivals_per_day",
    "throughput_per_day",
    "wait_mean",
    "wait_median",
    "wait_p90",
    "wait_p95",
    "sojourn_mean",
    "time_in_system_mean",
    "time_in_system_median",
    "time_in_system_p95",
    "queue_length_mean",
    "number_present_mean",
    "utilisation",
)
#: Metrics reported for the whole system (stage == "").
SYSTEM_METRICS: tuple[str, ...] = tuple(m for m in METRICS if m != "sojourn_mean")
#: Metrics reported for a stage or a resource ("utilisation" only where there is a resource).
VISIT_METRICS: tuple[str, ...] = tuple(m for m in METRICS if not m.startswith("time_in_system"))

RESOURCE_PREFIX = "resource:"
WAIT_QUANTILES = (0.5, 0.9, 0.95)


def _per_day(x, length: float):
    """A count or integral per day of window; NaN for an empty window."""
    return np.asarray(x, dtype=float) / length if length > 0 else np.full(np.shape(x), np.nan)


def _ratio(num, den):
    """num / den, NaN where den is not positive."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _in(t: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return (t >= lo) & (t <= hi)


def visit_metrics(v: Visits, groups: np.ndarray, n_groups: int,
                  lo: float, hi: float) -> dict[str, np.ndarray]:
    """Visit-level metrics per group over the window [lo, hi] (busy time, not utilisation).

    Returns arrays of length n_groups for every VISIT_METRICS name except utilisation,
    plus "busy_days": service time inside the window.
    """
    length = hi - lo
    queued_in = _in(v.queue, lo, hi)
    started = queued_in & (v.start <= hi)
    ended = queued_in & (v.end <= hi)
    wait = v.start[started] - v.queue[started]
    q = grouped.quantiles(groups[started], wait, n_groups, WAIT_QUANTILES)
    return {
        "arrivals_per_day": _per_day(grouped.count(groups[queued_in], n_groups), length),
        "throughput_per_day": _per_day(grouped.count(groups[_in(v.end, lo, hi)], n_groups), length),
        "wait_mean": grouped.mean(groups[started], wait, n_groups),
        "wait_median": q[:, 0],
        "wait_p90": q[:, 1],
        "wait_p95": q[:, 2],
        "sojourn_mean": grouped.mean(groups[ended], v.end[ended] - v.queue[ended], n_groups),
        "queue_length_mean": _per_day(
            grouped.total(groups, grouped.overlap(v.queue, v.start, lo, hi), n_groups), length),
        "number_present_mean": _per_day(
            grouped.total(groups, grouped.overlap(v.queue, v.end, lo, hi), n_groups), length),
        "busy_days": grouped.total(groups, grouped.overlap(v.start, v.end, lo, hi), n_groups),
    }


def completed_stays(v: Visits, s: Stays, lo: float, hi: float) -> dict[str, np.ndarray]:
    """Each patient's total queueing time and time in the system (days), by
    QUEUE_DISTRIBUTIONS name, of the patients who arrived in the window [lo, hi] and
    left before the horizon: the samples of the system's wait and time-in-system
    statistics."""
    done = _in(s.arrive, lo, hi) & (s.exit <= hi)
    samples = (total_waits(v, len(s))[done], s.exit[done] - s.arrive[done])
    return dict(zip(QUEUE_DISTRIBUTIONS, samples, strict=True))


def system_metrics(v: Visits, s: Stays, lo: float, hi: float, busy_days: float,
                   capacity_days: float, stays: dict[str, np.ndarray]) -> dict[str, float]:
    """Whole-system metrics over the window [lo, hi]; ``stays``: completed_stays."""
    length = hi - lo
    arrived_in = _in(s.arrive, lo, hi)
    total_wait, in_system = (stays[name] for name in QUEUE_DISTRIBUTIONS)

    def stats(x, qs):
        if len(x) == 0:
            return [np.nan] * (1 + len(qs))
        return [float(np.mean(x)), *np.quantile(x, qs).tolist()]

    wait = stats(total_wait, WAIT_QUANTILES)
    tis = stats(in_system, (0.5, 0.95))
    return {
        "arrivals_per_day": float(_per_day(np.count_nonzero(arrived_in), length)),
        "throughput_per_day": float(_per_day(np.count_nonzero(_in(s.exit, lo, hi)), length)),
        "wait_mean": wait[0],
        "wait_median": wait[1],
        "wait_p90": wait[2],
        "wait_p95": wait[3],
        "time_in_system_mean": tis[0],
        "time_in_system_median": tis[1],
        "time_in_system_p95": tis[2],
        "queue_length_mean": float(
            _per_day(grouped.overlap(v.queue, v.start, lo, hi).sum(), length)),
        "number_present_mean": float(
            _per_day(grouped.overlap(s.arrive, s.exit, lo, hi).sum(), length)),
        "utilisation": float(_ratio(busy_days, capacity_days)),
    }


def kpis(log: EventLog) -> pd.DataFrame:
    """The KPIs of one replication's event log as a long DataFrame.

    Columns ``stage`` (str: "" for the whole system, a stage name, or
    "resource:<name>"), ``metric`` (str, one of METRICS) and ``value`` (float, NaN where
    there is no data). Rows: the system, then stages, then resources in log order;
    metrics in METRICS order; then the quantiles of each patient's total queueing time
    and time in the system ("quantile:<p>", ``quantile_rows``); then, only if a stage of
    the log stops RTT clocks, the ``rtt_kpis`` rows (stage "", RTT_METRICS order) and the
    quantiles of the completed pathways' RTT waits; then, only if the log has a handoff
    table, the ``handoff_kpis`` rows (stage "") and the ``handoff_matrix_kpis`` rows
    ("handoff:<from>-><to>"); then, only if it has a patient table, the
    ``visits_per_pathway`` row (stage "", only if a stage stops RTT clocks) and the
    ``kind_rows`` ("kind:<kind>", pathways.metrics.pathway_visits), the
    ``allocation_kpis`` rows (stage ""), the ``choice_kpis`` rows (stage "") and the
    ``equity_kpis`` rows
    ("deprivation_quintile:<q>", "distance_km:<band>", "practice_group:<group>" where
    practices hold funds, "commissioner:<home|rival>" where patients choose one) and,
    only if a stage also stops
    RTT clocks, the ``provider_kpis`` rows ("provider:<name>", PROVIDER_METRICS order);
    then, only if it has a chronic or a cancellation table, the ``chronic_kpis`` rows
    (stage "", "condition:<name>", "deprivation_quintile:<q>"); then, only if it has
    practices and emergency admissions (a chronic table or population emergencies), the
    ``emergency_kpis`` row (stage ""); then, only if it has
    money (``money`` in the configuration), the ``money_kpis`` rows (stage "",
    "provider:<name>", "flow:<payer>-><payee>"); then, only if it has a market table, the
    ``market_kpis`` rows (stage ""). A log without those tables gives exactly the rows
    it gave before they existed. The window is
    [log.warmup_days, log.horizon_days].
    """
    lo, hi = float(log.warmup_days), float(log.horizon_days)
    v, s = build(log)
    n_stages, n_res = len(log.stages), len(log.resources)

    cap = capacity_days(log, lo, hi)
    by_stage = visit_metrics(v, v.stage, n_stages, lo, hi)
    with_res = v.resource != NONE
    by_res = visit_metrics(v.subset(with_res), v.resource[with_res], n_res, lo, hi)
    by_res["utilisation"] = _ratio(by_res["busy_days"], cap)
    # a stage's share: its own busy time over its resource's capacity-time
    stage_cap = np.array([cap[st.resource] if st.resource != NONE else np.nan
                          for st in log.stages], dtype=float)
    by_stage["utilisation"] = _ratio(by_stage["busy_days"], stage_cap)
    stays = completed_stays(v, s, lo, hi)
    system = system_metrics(v, s, lo, hi, float(by_res["busy_days"].sum()), float(cap.sum()),
                            stays)

    names, metrics, values = [], [], []

    def emit(name, table, index, wanted):
        for m in wanted:
            names.append(name)
            metrics.append(m)
            values.append(float(table[m] if index is None else table[m][index]))

    emit("", system, None, SYSTEM_METRICS)
    no_util = tuple(m for m in VISIT_METRICS if m != "utilisation")
    for i, st in enumerate(log.stages):
        emit(st.name, by_stage, i, VISIT_METRICS if st.resource != NONE else no_util)
    for r, res in enumerate(log.resources):
        emit(RESOURCE_PREFIX + res.name, by_res, r, VISIT_METRICS)
    frame = pd.DataFrame({"stage": pd.Series(names, dtype=object),
                          "metric": pd.Series(metrics, dtype=object),
                          "value": np.asarray(values, dtype=np.float64)})
    frames = [frame, quantile_rows(stays)]
    clocks = rtt_clocks(log) if has_rtt(log) else None
    if clocks is not None:
        frames += [rtt_kpis(log, clocks, visits=(v, s)),
                   quantile_rows(rtt_wait_samples(log, clocks))]
    if log.handoffs is not None:
        frames += [handoff_kpis(log), handoff_matrix_kpis(log)]
    if log.patients is not None:
        if clocks is not None:
            frames.append(long_frame([""], ["visits_per_pathway"], [visits_per_pathway(log)]))
        frames.append(kind_rows(log, by_res["busy_days"], cap))
        frames += [allocation_kpis(log), choice_kpis(log, clocks),
                   equity_kpis(log, visits=(v, s), clocks=clocks)]
        if clocks is not None:
            frames.append(provider_kpis(log, clocks))
    if log.chronic is not None or log.cancellations is not None:
        frames.append(chronic_kpis(log, visits=(v, s), clocks=clocks))
    if has_emergencies(log):
        frames.append(emergency_kpis(log, clocks))
    if log.money is not None:
        frames.append(money_kpis(log, v, clocks))
    if log.market is not None:
        frames.append(market_kpis(log))
    return pd.concat(frames, ignore_index=True)
