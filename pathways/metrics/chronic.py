"""Chronic conditions and cancelled operations of one replication: the chronic cohorts'
patient-years, emergency admissions, bed use, delayed discharge, overdue reviews and
handoffs, per condition and per deprivation quintile; cancelled elective operations and
the RTT waits of the patients they hit. The definitions are in the package docstring."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pathways.log.event_log import (
    ARRIVE,
    END,
    NONE,
    QUEUE,
    START,
    CancellationTable,
    ChronicTable,
    EventLog,
    HeldTable,
    required,
)

from . import grouped
from .equity import DEPRIVATION_PREFIX, QUINTILES, quintile_group
from .handoffs import long_frame
from .rtt import DAYS_PER_WEEK, RttClocks, has_rtt, rtt_clocks
from .seasons import DAYS_PER_YEAR, winter_to_summer
from .visits import Stays, Visits, build, check_one_replication, dense_index

HOURS_PER_DAY = 24.0
PER_PATIENT_YEARS = 1000.0  # "per 1,000 patient-years"

#: Level of one chronic condition in ``kpis``: "condition:<name>".
CONDITION_PREFIX = "condition:"

#: Metrics of every chronic level (system, condition, deprivation quintile) when the log
#: has a chronic table.
CHRONIC_BASE_METRICS: tuple[str, ...] = (
    "chronic_patient_years",
    "emergency_admissions_per_1000_patient_years",
    "emergency_bed_days_per_1000_patient_years",
    "emergency_bed_wait_hours_mean",
)
#: Added when the log also has a held-resource table.
CHRONIC_HELD_METRICS: tuple[str, ...] = (
    "delayed_discharge_days_per_1000_patient_years",
    "delayed_discharge_days_mean",
)
CHRONIC_REVIEW_METRICS: tuple[str, ...] = ("reviews_overdue_share", "review_days_overdue_mean")
#: Added when the log also has a handoff table.
CHRONIC_HANDOFF_METRICS: tuple[str, ...] = ("handoffs_per_chronic_patient_year",)
#: Added when the chronic table links persons (multimorbidity).
CHRONIC_MULTIMORBIDITY_METRICS: tuple[str, ...] = ("reviews_combined_share",)
CHRONIC_METRICS: tuple[str, ...] = (CHRONIC_BASE_METRICS + CHRONIC_HELD_METRICS
                                    + CHRONIC_REVIEW_METRICS + CHRONIC_HANDOFF_METRICS
                                    + CHRONIC_MULTIMORBIDITY_METRICS)

#: When the log has a cancellation table: the system level gets all four (the RTT
#: ones only when a stage stops RTT clocks), each deprivation quintile the first (only
#: when the log has a patient table).
CANCELLATION_METRICS: tuple[str, ...] = (
    "cancelled_operations_per_year",
    "cancelled_operations_winter_to_summer_ratio",
    "rtt_admitted_mean_weeks_cancelled",
    "rtt_admitted_mean_weeks_not_cancelled",
)

# --- lookups and checks ----------------------------------------------------------------


class _Lookup:
    """Finds the row of an id in an id column (ids must be unique): through a table
    indexed by id where the ids are compact, else by binary search of the sorted ids."""

    def __init__(self, keys: np.ndarray, what: str):
        keys = np.asarray(keys, dtype=np.int64)
        self.table = None
        if len(keys) and int(keys.max()) - int(keys.min()) < 2 * len(keys) + 1024:
            self.lo = int(keys.min())
            self.table = np.full(int(keys.max()) - self.lo + 1, NONE, dtype=np.int64)
            self.table[keys - self.lo] = np.arange(len(keys))
            if np.count_nonzero(self.table != NONE) == len(keys):
                return
            self.table = None  # a repeated id: found and named below
        self.order = np.argsort(keys, kind="stable")
        self.sorted = keys[self.order]
        if len(keys) > 1 and not np.all(self.sorted[1:] > self.sorted[:-1]):
            dup = self.sorted[1:][self.sorted[1:] == self.sorted[:-1]][0]
            raise ValueError(f"{what} lists {int(dup)} more than once")

    def __call__(self, ids: np.ndarray) -> np.ndarray:
        """Row of each id; NONE where an id is not in the column."""
        ids = np.asarray(ids, dtype=np.int64)
        if self.table is not None:
            at = ids - self.lo
            inside = (at >= 0) & (at < len(self.table))
            return np.where(inside, self.table[np.where(inside, at, 0)], NONE)
        if len(self.sorted) == 0:
            return np.full(len(ids), NONE, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.sorted, ids), len(self.sorted) - 1)
        return np.where(self.sorted[pos] == ids, self.order[pos], NONE)


def _same_length(table, first: str, columns: tuple[str, ...], what: str) -> None:
    n = len(getattr(table, first))
    bad = [c for c in columns if len(getattr(table, c)) != n]
    if bad:
        raise ValueError(f"{what} columns {', '.join(bad)} are not the length of its "
                         f"{first} column ({n})")


def _check_chronic(log: EventLog) -> ChronicTable:
    table = required(log.chronic, "chronic table")
    _same_length(table, "person", ("condition", "practice", "entered", "left"),
                 "chronic table")
    _same_length(table, "episode_patient", ("episode_person", "episode_admission"),
                 "chronic table")
    condition = np.asarray(table.condition, dtype=np.int64)
    wrong = condition[(condition < 0) | (condition >= len(table.conditions))]
    if len(wrong):
        raise ValueError(f"chronic table names condition {int(wrong[0])} but lists "
                         f"{len(table.conditions)} conditions")
    n_stages = len(log.stages)
    for c in table.conditions:
        for stage in (c.review_stage, c.admission_stage):
            if not 0 <= stage < n_stages:
                raise ValueError(f"chronic condition {c.name!r} names stage {stage} but "
                                 f"the log has {n_stages} stages")
    return table


def _in(t: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return (t >= lo) & (t <= hi)


# --- the chronic facts, worked out once per log ----------------------------------------


@dataclass(frozen=True)
class _Facts:
    """Item-level facts; every ``*_person`` array holds the row in the chronic table's
    person columns of the person each item belongs to."""

    patient_years: np.ndarray  # per person: [entered, left) inside the window, years
    admission_person: np.ndarray  # per admission episode arriving in the window
    bed_person: np.ndarray  # per admission-stage visit
    bed_days: np.ndarray  # its START..END inside the window
    wait_person: np.ndarray  # per admission-stage visit queued in the window, started
    wait_hours: np.ndarray  # its START - QUEUE, hours
    review_person: np.ndarray  # per review due in [warmup, horizon - overdue_after]
    review_overdue: np.ndarray  # bool: started after due + overdue_after, or never
    review_days_overdue: np.ndarray
    held_person: np.ndarray | None = None  # per held row counted (None: no held table)
    held_days: np.ndarray | None = None
    handoff_person: np.ndarray | None = None  # per handoff counted (None: no table)
    linked_review_person: np.ndarray | None = None  # per review of a linked person (None: no links)
    linked_review_combined: np.ndarray | None = None  # bool: it reviewed the partner too


def _episode_visits(log: EventLog, stages: np.ndarray,
                    episodes: _Lookup) -> tuple[Visits, Stays, np.ndarray]:
    """Visits at the given stages and ARRIVEs of the episodes, paired from only those rows
    of the log (far fewer than the whole log), with the patient column they index: each
    row's episode (its row in the chronic table's episode columns) as the patient id."""
    event, stage = np.asarray(log.event), np.asarray(log.stage)
    rows = np.flatnonzero((event == ARRIVE)
                          | (((event == QUEUE) | (event == START) | (event == END))
                             & np.isin(stage, stages)))
    episode = episodes(np.asarray(log.patient)[rows])
    rows, episode = rows[episode != NONE], episode[episode != NONE]
    sub = replace(log, patient=episode,
                  **{name: np.asarray(getattr(log, name))[rows]
                     for name in ("pathway", "stage", "resource", "unit", "event", "time",
                                  "replication")})
    v, s = build(sub)
    return v, s, sub.patient


def _chronic_facts(log: EventLog, visits: tuple[Visits, Stays] | None) -> _Facts:
    lo, hi = float(log.warmup_days), float(log.horizon_days)
    table = _check_chronic(log)
    conditions = table.conditions
    review_stage = np.array([c.review_stage for c in conditions], dtype=np.int64)
    admission_stage = np.array([c.admission_stage for c in conditions], dtype=np.int64)
    overdue_after = np.array([c.overdue_after_days for c in conditions], dtype=np.float64)

    person_condition = np.asarray(table.condition, dtype=np.int64)
    patient_years = grouped.overlap(np.asarray(table.entered, dtype=np.float64),
                                    np.asarray(table.left, dtype=np.float64),
                                    lo, hi) / DAYS_PER_YEAR

    # episodes: their person, condition and what they are
    episodes = _Lookup(table.episode_patient, "chronic table episode_patient")
    ep_person = _Lookup(table.person, "chronic table person")(table.episode_person)
    if np.any(ep_person == NONE):
        missing = np.asarray(table.episode_person)[ep_person == NONE][0]
        raise ValueError(f"chronic table has an episode of person {int(missing)}, who is "
                         "not in its person columns")
    ep_condition = person_condition[ep_person]
    ep_admission = np.asarray(table.episode_admission, dtype=bool)
    n_ep = len(ep_person)

    if visits is None:  # pair only the rows needed, episodes numbered by their row
        v, s, patient_column = _episode_visits(
            log, np.unique(np.concatenate([review_stage, admission_stage])), episodes)
        slot = dense_index(patient_column, np.arange(n_ep))
    else:
        (v, s), patient_column = visits, log.patient
        slot = dense_index(patient_column, table.episode_patient)  # episode -> Stays slot
    known = slot != NONE
    ep_arrive = np.full(n_ep, np.inf)
    ep_arrive[known] = s.arrive[slot[known]]
    episode_of_slot = np.full(len(s), NONE, dtype=np.int64)
    episode_of_slot[slot[known]] = np.flatnonzero(known)

    # visits of episodes at their condition's admission or review stage
    vi = np.flatnonzero(episode_of_slot[v.patient] != NONE)
    ve = episode_of_slot[v.patient[vi]]
    at_bed = ep_admission[ve] & (v.stage[vi] == admission_stage[ep_condition[ve]])
    at_review = ~ep_admission[ve] & (v.stage[vi] == review_stage[ep_condition[ve]])

    bed, bed_ep = vi[at_bed], ve[at_bed]
    queue, start, end = v.queue[bed], v.start[bed], v.end[bed]
    waited = _in(queue, lo, hi) & (start <= hi)

    first_review = np.full(n_ep, np.inf)
    np.minimum.at(first_review, ve[at_review], v.start[vi[at_review]])

    arrived_in = _in(ep_arrive, lo, hi)
    admitted = np.flatnonzero(ep_admission & arrived_in)

    grace = overdue_after[ep_condition]
    due = ep_arrive
    counted = np.flatnonzero(~ep_admission & (due >= lo) & (due <= hi - grace))
    late = np.minimum(first_review[counted], hi) - due[counted] - grace[counted]

    facts = _Facts(
        patient_years=patient_years,
        admission_person=ep_person[admitted],
        bed_person=ep_person[bed_ep],
        bed_days=grouped.overlap(start, end, lo, hi),
        wait_person=ep_person[bed_ep[waited]],
        wait_hours=(start[waited] - queue[waited]) * HOURS_PER_DAY,
        review_person=ep_person[counted],
        review_overdue=first_review[counted] > due[counted] + grace[counted],
        review_days_overdue=np.maximum(late, 0.0),
    )
    if log.held is not None:
        held = _check_held(log.held)
        ep = episodes(held.patient)
        row = np.flatnonzero(ep != NONE)
        ep = ep[row]
        ready = np.asarray(held.ready, dtype=np.float64)[row]
        keep = (ep_admission[ep]
                & (np.asarray(held.stage, dtype=np.int64)[row]
                   == admission_stage[ep_condition[ep]])
                & _in(ready, lo, hi))
        released = np.asarray(held.released, dtype=np.float64)[row][keep]
        facts = replace(facts, held_person=ep_person[ep[keep]],
                        held_days=np.minimum(released, hi) - ready[keep])
    if table.linked is not None and np.any(np.asarray(table.linked) >= 0):
        _same_length(table, "person", ("linked",), "chronic table")
        _same_length(table, "episode_patient", ("episode_combined",), "chronic table")
        linked = np.asarray(table.linked, dtype=np.int64)[ep_person] >= 0
        reviews = np.flatnonzero(~ep_admission & linked & arrived_in)
        facts = replace(facts, linked_review_person=ep_person[reviews],
                        linked_review_combined=np.asarray(table.episode_combined)[reviews] >= 0)
    if log.handoffs is not None:
        h = log.handoffs
        _same_length(h, "patient", ("time", "between_organisations"), "handoff table")
        ep = episodes(h.patient)
        keep = ((ep != NONE) & np.asarray(h.between_organisations, dtype=bool)
                & _in(np.asarray(h.time, dtype=np.float64), lo, hi))
        facts = replace(facts, handoff_person=ep_person[ep[keep]])
    return facts


def _check_held(table: HeldTable) -> HeldTable:
    _same_length(table, "patient", ("stage", "resource", "ready", "released"), "held table")
    return table


def _per(num: np.ndarray, den: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """scale x num / den, NaN where den is not positive."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, scale * num / np.where(den > 0, den, 1.0), np.nan)


def _chronic_metrics(f: _Facts, person_group: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """CHRONIC_METRICS (those that apply) per group, arrays of length n.

    ``person_group``: the group of each person (NONE for none); items of a person in no
    group count nowhere.
    """
    def of(person):
        g = person_group[person]
        return g, g != NONE

    def count(person):
        g, ok = of(person)
        return grouped.count(g[ok], n)

    def total(person, x):
        g, ok = of(person)
        return grouped.total(g[ok], x[ok], n)

    def mean(person, x):
        g, ok = of(person)
        return grouped.mean(g[ok], x[ok], n)

    years = total(np.arange(len(person_group)), f.patient_years)
    out = {
        "chronic_patient_years": years,
        "emergency_admissions_per_1000_patient_years": _per(
            count(f.admission_person), years, PER_PATIENT_YEARS),
        "emergency_bed_days_per_1000_patient_years": _per(
            total(f.bed_person, f.bed_days), years, PER_PATIENT_YEARS),
        "emergency_bed_wait_hours_mean": mean(f.wait_person, f.wait_hours),
        "reviews_overdue_share": mean(f.review_person, f.review_overdue.astype(np.float64)),
        "review_days_overdue_mean": mean(f.review_person, f.review_days_overdue),
    }
    if f.held_person is not None:
        out["delayed_discharge_days_per_1000_patient_years"] = _per(
            total(f.held_person, f.held_days), years, PER_PATIENT_YEARS)
        out["delayed_discharge_days_mean"] = mean(f.held_person, f.held_days)
    if f.handoff_person is not None:
        out["handoffs_per_chronic_patient_year"] = _per(count(f.handoff_person), years)
    if f.linked_review_person is not None and f.linked_review_combined is not None:
        out["reviews_combined_share"] = mean(f.linked_review_person,
                                             f.linked_review_combined.astype(np.float64))
    return out


# --- cancellations ---------------------------------------------------------------------


def _check_cancellations(table: CancellationTable) -> CancellationTable:
    _same_length(table, "patient", ("time", "stage", "resource"), "cancellation table")
    return table


def _cancellation_metrics(log: EventLog, clocks: RttClocks | None
                          ) -> tuple[dict[str, float], np.ndarray | None]:
    """System values (CANCELLATION_METRICS that apply) and cancelled operations per year
    per quintile (None without a patient table)."""
    lo, hi = float(log.warmup_days), float(log.horizon_days)
    table = _check_cancellations(required(log.cancellations, "cancellation table"))
    length = hi - lo
    patient = np.asarray(table.patient, dtype=np.int64)
    in_window = _in(np.asarray(table.time, dtype=np.float64), lo, hi)
    per_year = DAYS_PER_YEAR / length if length > 0 else np.nan
    times = np.asarray(table.time, dtype=np.float64)[in_window]
    system = {"cancelled_operations_per_year": np.count_nonzero(in_window) * per_year,
              "cancelled_operations_winter_to_summer_ratio": winter_to_summer(times, lo, hi)}
    if has_rtt(log):
        clocks = rtt_clocks(log) if clocks is None else clocks
        done = clocks.admitted & _in(clocks.stopped, lo, hi)
        weeks = (clocks.stopped - clocks.referred)[done] / DAYS_PER_WEEK
        hit = np.isin(clocks.patient[done], patient)
        system["rtt_admitted_mean_weeks_cancelled"] = (
            float(np.mean(weeks[hit])) if hit.any() else np.nan)
        system["rtt_admitted_mean_weeks_not_cancelled"] = (
            float(np.mean(weeks[~hit])) if (~hit).any() else np.nan)
    by_quintile = None
    if log.patients is not None:
        patients = log.patients
        rows = _Lookup(patients.patient, "patient table")(patient[in_window])
        rows = rows[rows != NONE]
        q = quintile_group(log, np.asarray(patients.practice)[rows], "patient table")
        by_quintile = grouped.count(q[q != NONE], len(QUINTILES)) * per_year
    return system, by_quintile


# --- rows ------------------------------------------------------------------------------


def chronic_kpis(log: EventLog, *, visits: tuple[Visits, Stays] | None = None,
                 clocks: RttClocks | None = None) -> pd.DataFrame:
    """Chronic-condition and cancellation metrics of one replication as kpis rows.

    Levels, in this order: the system (stage ""), each condition of the chronic table
    ("condition:<name>", in its order), then "deprivation_quintile:1" ... ":5" (all
    five, empty or not). Each level has, in this order, the CHRONIC_METRICS that apply
    (only with a chronic table; the delayed-discharge ones only with a held table,
    handoffs_per_chronic_patient_year only with a handoff table,
    reviews_combined_share only when the chronic table links persons), then the
    CANCELLATION_METRICS that apply (only with a cancellation table: all three at the
    system level, the RTT ones only when a stage stops RTT clocks; a quintile gets
    cancelled_operations_per_year only with a patient table; a condition none). No rows
    when the log has neither a chronic nor a cancellation table. ``visits``:
    ``build_visits(log)`` where the caller has it already (otherwise only the rows the
    metrics need are paired); ``clocks``: its ``rtt_clocks``, likewise.
    """
    if log.chronic is None and log.cancellations is None:
        return long_frame([], [], [])
    check_one_replication(log)
    quintile_names = [f"{DEPRIVATION_PREFIX}{q}" for q in QUINTILES]
    levels: list[tuple[str, dict[str, float]]] = [("", {})]
    if log.chronic is not None:
        levels += [(CONDITION_PREFIX + c.name, {}) for c in log.chronic.conditions]
    levels += [(name, {}) for name in quintile_names]

    if log.chronic is not None:
        facts = _chronic_facts(log, visits)
        table = log.chronic
        n_persons = len(table.person)
        n_cond = len(table.conditions)
        groupings = [
            (levels[:1], np.zeros(n_persons, dtype=np.int64)),
            (levels[1:1 + n_cond], np.asarray(table.condition, dtype=np.int64)),
            (levels[1 + n_cond:],
             quintile_group(log, table.practice, "chronic table")),
        ]
        for group_levels, person_group in groupings:
            got = _chronic_metrics(facts, person_group, len(group_levels))
            for i, (_, out) in enumerate(group_levels):
                out.update({m: float(got[m][i]) for m in CHRONIC_METRICS if m in got})

    if log.cancellations is not None:
        system, by_quintile = _cancellation_metrics(log, clocks)
        levels[0][1].update(system)
        if by_quintile is not None:
            for (_, out), value in zip(levels[-len(QUINTILES):], by_quintile, strict=False):
                out["cancelled_operations_per_year"] = float(value)

    stages, metrics, values = [], [], []
    for name, out in levels:
        for m in CHRONIC_METRICS + CANCELLATION_METRICS:
            if m in out:
                stages.append(name)
                metrics.append(m)
                values.append(out[m])
    return long_frame(stages, metrics, values)
