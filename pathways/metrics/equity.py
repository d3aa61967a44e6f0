"""Equity of one replication: patient-level metrics split by the deprivation quintile
of the patient's practice and by travel-distance band. The definitions are in the
package docstring."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
import pandas as pd

from pathways.log.event_log import NONE, EventLog, PatientTable

from . import grouped
from .handoffs import completed_patients, long_frame
from .rtt import DAYS_PER_WEEK, TARGET_DAYS, RttClocks, has_rtt, rtt_clocks
from .visits import Stays, Visits, build, dense_index, total_waits

#: Metrics of every group.
EQUITY_BASE_METRICS: tuple[str, ...] = ("patients_per_day", "time_in_system_mean", "wait_mean",
                                         "distance_km_mean")
#: Added when a stage of the log stops RTT clocks.
EQUITY_RTT_METRICS: tuple[str, ...] = (
    "rtt_completed_within_18_weeks_share",
    "rtt_admitted_median_weeks",
    "rtt_non_admitted_median_weeks",
)
#: Added when the log has a handoff table.
EQUITY_HANDOFF_METRICS: tuple[str, ...] = ("handoffs_per_pathway",)
EQUITY_METRICS: tuple[str, ...] = EQUITY_BASE_METRICS + EQUITY_RTT_METRICS + EQUITY_HANDOFF_METRICS

QUINTILES: tuple[int, ...] = (1, 2, 3, 4, 5)
DEPRIVATION_PREFIX = "deprivation_quintile:"
DISTANCE_PREFIX = "distance_km:"
PRACTICE_GROUPS: tuple[str, ...] = ("practice_group:fundholding", "practice_group:other")
COMMISSIONER_GROUPS: tuple[str, ...] = ("commissioner:home", "commissioner:rival")
DISTANCE_BANDS_KM: tuple[float, ...] = (0.0, 5.0, 10.0, 20.0, math.inf)


def _km(x: float) -> str:
    """A band edge as written in a level name: 5.0 -> "5", 2.5 -> "2.5"."""
    return np.format_float_positional(float(x), trim="-")


def check_bands(edges) -> np.ndarray:
    """Band edges as a float array: at least two, strictly increasing, finite but for an
    infinite last one."""
    e = np.asarray(edges, dtype=np.float64)
    if e.ndim != 1 or len(e) < 2:
        raise ValueError(f"distance_bands_km needs at least two edges, got {list(edges)}")
    if np.isnan(e).any() or not np.isfinite(e[:-1]).all() or e[-1] == -np.inf:
        raise ValueError(f"distance_bands_km edges must be finite numbers (the last may be "
                         f"inf), got {list(edges)}")
    if not np.all(np.diff(e) > 0):
        raise ValueError(f"distance_bands_km edges must increase strictly, got {list(edges)}")
    return e


def distance_band_labels(edges=DISTANCE_BANDS_KM) -> tuple[str, ...]:
    """Level names of the bands [lo, hi): "distance_km:0-5", ..., "distance_km:20+" for
    a band with no upper edge (inf)."""
    e = check_bands(edges)
    return tuple(DISTANCE_PREFIX + (f"{_km(lo)}+" if math.isinf(hi) else f"{_km(lo)}-{_km(hi)}")
                 for lo, hi in pairwise(e))


def distance_band(distance_km: np.ndarray, edges=DISTANCE_BANDS_KM) -> np.ndarray:
    """Band index of each distance: band i holds edges[i] <= d < edges[i+1] (so 5.0 km is
    in 5-10); NONE for NaN or a distance outside all bands."""
    e = check_bands(edges)
    d = np.asarray(distance_km, dtype=np.float64)
    band = np.searchsorted(e, d, side="right") - 1
    ok = ~np.isnan(d) & (band >= 0) & (band < len(e) - 1)
    return np.where(ok, band, NONE).astype(np.int64)


def _patients(log: EventLog) -> PatientTable:
    """The log's patient table, checked for equal-length columns."""
    table = log.patients
    if table is None:
        raise ValueError("event log has no patient table (not a health economy)")
    n = len(table.patient)
    columns = ("pathway", "practice", "navigator", "referred_site", "distance_km")
    bad = [c for c in columns if len(getattr(table, c)) != n]
    if bad:
        raise ValueError(f"patient table columns {', '.join(bad)} are not the length of "
                         f"its patient column ({n})")
    return table


def deprivation_group(log: EventLog, table: PatientTable) -> np.ndarray:
    """Quintile - 1 (0..4) of each patient's practice; NONE for a patient with none."""
    return quintile_group(log, table.practice, "patient table")


def quintile_group(log: EventLog, practice: np.ndarray, what: str) -> np.ndarray:
    """Quintile - 1 (0..4) of each practice code; NONE for practice NONE. ``what`` names
    the table the codes come from, for the error when one names no practice."""
    quintile = np.array([p.deprivation_quintile for p in log.practices] + [NONE],
                        dtype=np.int64)  # the trailing NONE serves practice NONE (-1)
    bad = quintile[:-1][~np.isin(quintile[:-1], QUINTILES)]
    if len(bad):
        raise ValueError(f"practice deprivation_quintile must be 1..5, got {int(bad[0])}")
    practice = np.asarray(practice, dtype=np.int64)
    wrong = practice[(practice < NONE) | (practice >= len(log.practices))]
    if len(wrong):
        raise ValueError(f"{what} names practice {int(wrong[0])} but the log has "
                         f"{len(log.practices)} practices")
    q = quintile[practice]
    return np.where(q == NONE, NONE, q - 1)


def fundholding_group(log: EventLog, table: PatientTable) -> np.ndarray:
    """0 for a patient of a fundholding practice, 1 for another's (PRACTICE_GROUPS)."""
    other = np.array([not p.fundholding for p in log.practices], dtype=np.int64)
    return other[np.asarray(table.practice, dtype=np.int64)]


class _Rows:
    """Finds the row of a patient id in the patient table (ids sorted once)."""

    def __init__(self, keys: np.ndarray):
        keys = np.asarray(keys, dtype=np.int64)
        self.order = np.argsort(keys, kind="stable")
        self.sorted = keys[self.order]
        if len(keys) > 1 and not np.all(self.sorted[1:] > self.sorted[:-1]):
            raise ValueError("patient table lists a patient more than once")

    def __call__(self, ids: np.ndarray) -> np.ndarray:
        """Row of each id; NONE where an id is not in the table."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(self.sorted) == 0:
            return np.full(len(ids), NONE, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.sorted, ids), len(self.sorted) - 1)
        return np.where(self.sorted[pos] == ids, self.order[pos], NONE)


def _take(values: np.ndarray, index: np.ndarray, fill) -> np.ndarray:
    """values[index], fill where index is NONE (keeps an integer dtype for an integer fill)."""
    values = np.asarray(values)
    if len(values) == 0:
        return np.full(len(index), fill, dtype=np.result_type(values.dtype, np.asarray(fill)))
    return np.where(index != NONE, values[np.where(index != NONE, index, 0)], fill)


def _mean_by(groups: np.ndarray, values: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """Mean per group of the masked items that have a group (NaN for an empty group)."""
    m = mask & (groups != NONE)
    return grouped.mean(groups[m], values[m], n)


def _median_by(groups: np.ndarray, values: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    m = mask & (groups != NONE)
    return grouped.quantiles(groups[m], values[m], n, (0.5,))[:, 0]


@dataclass(frozen=True)
class _ClocksDone:
    """Per RTT clock completed in the window: its patient's row of the patient table,
    its stop - referral (days) and whether it stopped on admission."""

    row: np.ndarray
    wait_days: np.ndarray
    admitted: np.ndarray


@dataclass(frozen=True)
class _HandoffRows:
    """Rows of the patient table: per between-organisation handoff counted (``handoff``)
    and per pathway completed in the window (``completed``)."""

    handoff: np.ndarray
    completed: np.ndarray


@dataclass(frozen=True)
class _Facts:
    """What the group metrics need, worked out once per log. A row: a row of the
    patient table (NONE for a patient not in it)."""

    length: float
    referred_in: np.ndarray  # per table row: ARRIVE in the window
    done: np.ndarray  # per table row: referred in the window and left by the horizon
    time_in_system: np.ndarray  # per table row: EXIT - ARRIVE
    wait: np.ndarray  # per table row: total queueing time
    distance_km: np.ndarray  # per table row: to the site referred to
    clocks: _ClocksDone | None = None  # None: the log has no RTT clocks
    handoffs: _HandoffRows | None = None  # None: the log has no handoff table


def _facts(log: EventLog, table: PatientTable, visits: tuple[Visits, Stays] | None,
           clocks: RttClocks | None) -> _Facts:
    lo, hi = float(log.warmup_days), float(log.horizon_days)
    v, s = build(log) if visits is None else visits
    row_of = _Rows(table.patient)
    dense = dense_index(log.patient, table.patient)
    arrive = _take(s.arrive, dense, np.inf)
    leave = _take(s.exit, dense, np.inf)
    referred_in = (arrive >= lo) & (arrive <= hi)
    facts = _Facts(length=hi - lo, referred_in=referred_in, done=referred_in & (leave <= hi),
                   time_in_system=leave - arrive,
                   wait=_take(total_waits(v, len(s)), dense, np.nan),
                   distance_km=np.asarray(table.distance_km, dtype=np.float64))
    if has_rtt(log):
        clocks = rtt_clocks(log) if clocks is None else clocks
        completed = (clocks.stopped >= lo) & (clocks.stopped <= hi) & ~clocks.removed
        facts = replace(facts, clocks=_ClocksDone(
            row=row_of(clocks.patient[completed]),
            wait_days=(clocks.stopped - clocks.referred)[completed],
            admitted=clocks.admitted[completed]))
    if log.handoffs is not None:
        ids = completed_patients(log)
        patient = np.asarray(log.handoffs.patient, dtype=np.int64)
        counted = np.asarray(log.handoffs.between_organisations, dtype=bool) & np.isin(patient, ids)
        facts = replace(facts, handoffs=_HandoffRows(handoff=row_of(patient[counted]),
                                                     completed=row_of(ids)))
    return facts


def _group_metrics(f: _Facts, groups: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """EQUITY_METRICS (those that apply to the log) per group, arrays of length n.

    ``groups``: the group of each row of the patient table (NONE for none).
    """
    counted = groups[f.referred_in & (groups != NONE)]
    out = {
        "patients_per_day": (grouped.count(counted, n) / f.length if f.length > 0
                             else np.full(n, np.nan)),
        "time_in_system_mean": _mean_by(groups, f.time_in_system, f.done, n),
        "wait_mean": _mean_by(groups, f.wait, f.done, n),
        "distance_km_mean": _mean_by(groups, f.distance_km, f.referred_in, n),
    }
    if f.clocks is not None:
        g = _take(groups, f.clocks.row, NONE)
        every = np.ones(len(g), dtype=bool)
        wait_days, admitted = f.clocks.wait_days, f.clocks.admitted
        out["rtt_completed_within_18_weeks_share"] = _mean_by(
            g, (wait_days <= TARGET_DAYS).astype(np.float64), every, n)
        out["rtt_admitted_median_weeks"] = _median_by(
            g, wait_days, admitted, n) / DAYS_PER_WEEK
        out["rtt_non_admitted_median_weeks"] = _median_by(
            g, wait_days, ~admitted, n) / DAYS_PER_WEEK
    if f.handoffs is not None:
        h = _take(groups, f.handoffs.handoff, NONE)
        c = _take(groups, f.handoffs.completed, NONE)
        handoffs = grouped.count(h[h != NONE], n)
        pathways = grouped.count(c[c != NONE], n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["handoffs_per_pathway"] = np.where(pathways > 0, handoffs / pathways, np.nan)
    return out


def equity_kpis(log: EventLog, distance_bands_km=DISTANCE_BANDS_KM, *,
                visits: tuple[Visits, Stays] | None = None,
                clocks: RttClocks | None = None) -> pd.DataFrame:
    """Patient-level metrics per deprivation quintile and per distance band, as kpis rows.

    Levels: "deprivation_quintile:1" ... ":5" (all five, empty or not), then one
    "distance_km:<lo>-<hi>" per band of ``distance_bands_km`` (band edges; a band holds
    lo <= distance < hi, the last is "<lo>+" when its upper edge is inf), then where
    any practice holds a fund "practice_group:fundholding" and ":other", and where
    patients choose their commissioner "commissioner:home" and ":rival". Each level has
    the EQUITY_METRICS that apply to the log, in that order: the RTT ones only when a
    stage stops RTT clocks, handoffs_per_pathway only with a handoff table. No rows for
    a log without a patient table. ``visits``: ``build_visits(log)`` where the caller
    has it already (it is built otherwise); ``clocks``: its ``rtt_clocks``, likewise.
    """
    labels = distance_band_labels(distance_bands_km)
    if log.patients is None:
        return long_frame([], [], [])
    table = _patients(log)
    groupings = [
        (tuple(f"{DEPRIVATION_PREFIX}{q}" for q in QUINTILES), deprivation_group(log, table)),
        (labels, distance_band(table.distance_km, distance_bands_km)),
    ]
    if any(p.fundholding for p in log.practices):
        groupings.append((PRACTICE_GROUPS, fundholding_group(log, table)))
    if table.rival is not None:  # 0 the home commissioner's patients, 1 the rival's
        groupings.append((COMMISSIONER_GROUPS, np.asarray(table.rival, dtype=np.int64)))
    wanted = EQUITY_BASE_METRICS
    if has_rtt(log):
        wanted += EQUITY_RTT_METRICS
    if log.handoffs is not None:
        wanted += EQUITY_HANDOFF_METRICS
    stages, metrics, values = [], [], []
    facts = _facts(log, table, visits, clocks)
    for names, groups in groupings:
        table_of = _group_metrics(facts, groups, len(names))
        for i, name in enumerate(names):
            for m in wanted:
                stages.append(name)
                metrics.append(m)
                values.append(float(table_of[m][i]))
    return long_frame(stages, metrics, values)
