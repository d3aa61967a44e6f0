"""Build small EventLogs by hand for metrics tests."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from pathways.log.event_log import (
    ARRIVE,
    END,
    EXIT,
    NONE,
    QUEUE,
    START,
    CancellationTable,
    ChronicConditionInfo,
    ChronicTable,
    EventLog,
    HandoffTable,
    HeldTable,
    PatientTable,
    PracticeInfo,
    ResourceInfo,
    StageInfo,
)

#: Mon-Fri 09:00-17:00, days on the log clock (0 = Monday 00:00).
WEEKDAYS_9_TO_5 = tuple((d + 9 / 24, d + 17 / 24) for d in range(5))


def make_log(rows, stages, resources, horizon, warmup=0.0, replication=0, sort=True):
    """An EventLog from (patient, stage, event, time) tuples.

    ``stages``: list of (name, resource index or None); ``resources``: list of
    (name, capacity) or (name, capacity, open_intervals). ``stage`` is a stage index,
    or None on ARRIVE/EXIT rows. Rows must be listed in the order things happen to
    each patient; they are stably sorted by time (ties keep that order).
    """
    stage_infos = tuple(StageInfo(name, 0, NONE if r is None else r) for name, r in stages)
    res_infos = tuple(ResourceInfo(*r) for r in resources)
    patient = np.array([r[0] for r in rows], dtype=np.int64)
    stage = np.array([NONE if r[1] is None else r[1] for r in rows], dtype=np.int16)
    event = np.array([r[2] for r in rows], dtype=np.int8)
    time = np.array([r[3] for r in rows], dtype=np.float64)
    stage_res = np.array([s.resource for s in stage_infos] + [NONE], dtype=np.int16)
    resource = np.where(stage == NONE, NONE, stage_res[stage]).astype(np.int16)
    resource[(event == ARRIVE) | (event == EXIT)] = NONE
    unit = np.where(resource == NONE, NONE, 0).astype(np.int16)
    order = np.argsort(time, kind="stable") if sort else np.arange(len(time))
    return EventLog(
        patient=patient[order], pathway=np.zeros(len(order), dtype=np.int16),
        stage=stage[order], resource=resource[order], unit=unit[order],
        event=event[order], time=time[order],
        replication=np.full(len(order), replication, dtype=np.int32),
        pathways=("clinic",), stages=stage_infos, resources=res_infos,
        horizon_days=float(horizon), warmup_days=float(warmup),
    )


def patient_rows(patient, arrive, visits, exit_time=None):
    """Rows of one patient: visits are (stage, queue, start or None, end or None)."""
    rows = [(patient, None, ARRIVE, arrive)]
    for stage, q, s, e in visits:
        rows.append((patient, stage, QUEUE, q))
        if s is not None:
            rows.append((patient, stage, START, s))
        if e is not None:
            rows.append((patient, stage, END, e))
    if exit_time is not None:
        rows.append((patient, None, EXIT, exit_time))
    return rows


def values(frame):
    """{(stage, metric): value} of a kpis frame."""
    return {(s, m): v for s, m, v in frame.itertuples(index=False)}


# --- health economy tables ------------------------------------------------------------


def patient_table(rows):
    """A PatientTable from (patient, practice, distance_km) tuples (pathway 0, no
    navigator, no referred site)."""
    n = len(rows)
    return PatientTable(
        patient=np.array([r[0] for r in rows], dtype=np.int64),
        pathway=np.zeros(n, dtype=np.int16),
        practice=np.array([r[1] for r in rows], dtype=np.int32),
        navigator=np.zeros(n, dtype=bool),
        referred_site=np.full(n, NONE, dtype=np.int32),
        distance_km=np.array([r[2] for r in rows], dtype=np.float64),
    )


def handoff_table(rows):
    """A HandoffTable from (patient, time, from_org, to_org, delay_days, record_missing,
    repeat_test) tuples, optionally with an eighth item to_stage (default NONE, a
    discharge); between_organisations is from_org != to_org."""
    def col(i, dtype, default=None):
        return np.array([r[i] if len(r) > i else default for r in rows], dtype=dtype)

    src, dst = col(2, np.int16), col(3, np.int16)
    return HandoffTable(
        patient=col(0, np.int64), time=col(1, np.float64),
        from_organisation=src, to_organisation=dst, between_organisations=src != dst,
        delay_days=col(4, np.float64), record_missing=col(5, bool), repeat_test=col(6, bool),
        to_stage=col(7, np.int16, NONE),
    )


def with_economy(log, organisations, practices, resource_organisations=(),
                 patients=None, handoffs=None):
    """The log as a health economy: ``organisations`` names; ``practices`` as
    (name, deprivation_quintile, organisation index); resource i held by
    ``resource_organisations[i]``; ``patients`` and ``handoffs`` as rows for
    patient_table and handoff_table (None: no table)."""
    resources = tuple(replace(r, organisation=o)
                      for r, o in zip(log.resources, resource_organisations, strict=False))
    resources += log.resources[len(resources):]
    return replace(
        log,
        resources=resources,
        organisations=tuple(organisations),
        practices=tuple(PracticeInfo(name, 1000, 0.0, 0.0, q, org)
                        for name, q, org in practices),
        patients=None if patients is None else patient_table(patients),
        handoffs=None if handoffs is None else handoff_table(handoffs),
    )


def with_pathways(log, names, stage_pathways, rtt_stops=None):
    """The log with pathways ``names``: stage i on pathway ``stage_pathways[i]`` (and
    ``rtt_stop`` ``rtt_stops[i]`` if given); every row of a patient, ARRIVE and EXIT
    included, on the pathway of the first stage that patient visits (0 if none)."""
    stops = rtt_stops if rtt_stops is not None else [s.rtt_stop for s in log.stages]
    stages = tuple(replace(s, pathway=p, rtt_stop=k)
                   for s, p, k in zip(log.stages, stage_pathways, stops, strict=False))
    first = {}
    for patient, stage in zip(log.patient.tolist(), log.stage.tolist(), strict=False):
        if stage != NONE:
            first.setdefault(patient, stage_pathways[stage])
    pathway = np.array([first.get(p, 0) for p in log.patient.tolist()], dtype=np.int16)
    return replace(log, pathways=tuple(names), stages=stages, pathway=pathway)


# --- chronic cohorts, held resources and cancellations ---------------------------------


def chronic_table(conditions, persons, episodes):
    """A ChronicTable: ``conditions`` as ChronicConditionInfo or (name, review_pathway,
    review_stage, admission_pathway, admission_stage, review_interval_days,
    overdue_after_days) tuples; ``persons`` as (person, condition, practice, entered,
    left); ``episodes`` as (patient, person, admission)."""
    def col(rows, i, dtype):
        return np.array([r[i] for r in rows], dtype=dtype)

    return ChronicTable(
        conditions=tuple(c if isinstance(c, ChronicConditionInfo) else ChronicConditionInfo(*c)
                         for c in conditions),
        person=col(persons, 0, np.int64), condition=col(persons, 1, np.int16),
        practice=col(persons, 2, np.int32), entered=col(persons, 3, np.float64),
        left=col(persons, 4, np.float64),
        episode_patient=col(episodes, 0, np.int64), episode_person=col(episodes, 1, np.int64),
        episode_admission=col(episodes, 2, bool),
    )


def held_table(rows):
    """A HeldTable from (patient, stage, resource, ready, released) tuples."""
    def col(i, dtype):
        return np.array([r[i] for r in rows], dtype=dtype)

    return HeldTable(patient=col(0, np.int64), stage=col(1, np.int16),
                     resource=col(2, np.int16), ready=col(3, np.float64),
                     released=col(4, np.float64))


def cancellation_table(rows):
    """A CancellationTable from (patient, time, stage, resource) tuples."""
    def col(i, dtype):
        return np.array([r[i] for r in rows], dtype=dtype)

    return CancellationTable(patient=col(0, np.int64), time=col(1, np.float64),
                             stage=col(2, np.int16), resource=col(3, np.int16))


def with_chronic(log, chronic=None, held=None, cancellations=None):
    """The log with a chronic table (``chronic``: (conditions, persons, episodes) for
    chronic_table), a held table and a cancellation table (rows for held_table and
    cancellation_table); None: no such table."""
    return replace(
        log,
        chronic=None if chronic is None else chronic_table(*chronic),
        held=None if held is None else held_table(held),
        cancellations=None if cancellations is None else cancellation_table(cancellations),
    )
