"""Where each patient is at regular instants: the frames of an animation of one replication.

vidigi's approach (an animation library for DES event logs): turn the event log into
snapshots, each placing every patient present at a stage, waiting or in service, ranked
by when they got there, drawing at most ``step_snapshot_max`` per place and counting the
rest. Here each of a patient's events starts a state that lasts until their next event:
QUEUE is waiting at its stage, START is in service there, and ARRIVE, END and EXIT are
at no stage (arriving, between stages, gone). Pure and run after the engine on its log:
nothing random, nothing changed, so results are the same with or without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pathways.log.event_log import QUEUE, START, EventLog

WAITING, IN_SERVICE = "waiting", "in service"
#: Four weeks from the end of the warm-up, once a day at noon (clinics in session, beds
#: occupied): 28 frames, small enough for the report and quick for a browser to draw.
WINDOW_DAYS = 28.0
STEP_DAYS = 1.0
NOON_DAYS = 0.5
#: Most patients drawn per stage and state in one frame (vidigi's step_snapshot_max).
MAX_DOTS = 20
ANIMATION_COLUMNS = ("frame", "time_days", "pathway", "stage", "stage_index", "state",
                     "position", "patient", "hidden_patients")


@dataclass(frozen=True)
class _Stays:
    """Each stay of a patient in one place: waiting for, or in service at, a stage,
    from ``start_days`` until ``end_days`` (inf: still there at the horizon)."""

    patient: np.ndarray
    stage: np.ndarray
    in_service: np.ndarray
    start_days: np.ndarray
    end_days: np.ndarray


def frame_times_days(log: EventLog, window_days: float = WINDOW_DAYS,
                     step_days: float = STEP_DAYS, first_days: float = NOON_DAYS
                     ) -> np.ndarray:
    """Every ``step_days`` for ``window_days`` from ``first_days`` after the end of the
    warm-up, before the horizon: the weeks the results are measured over, not the
    warm-up's empty start."""
    times = log.warmup_days + first_days + np.arange(0.0, window_days, step_days)
    return times[times < log.horizon_days]


def animation_frames(log: EventLog, window_days: float = WINDOW_DAYS,
                     step_days: float = STEP_DAYS, max_dots: int = MAX_DOTS,
                     first_days: float = NOON_DAYS) -> pd.DataFrame:
    """One row per patient drawn in a frame (ANIMATION_COLUMNS): its stage, state and
    ``position`` in the place (0: there longest, the front of a queue); the first
    ``max_dots`` of a place are drawn, and every row of a place says how many were not
    (``hidden_patients``), so a figure can write "+N more". A frame nobody is in has
    no rows."""
    times = frame_times_days(log, window_days, step_days, first_days)
    stays = _stays(log, times)
    parts = [_snapshot(stays, time, max_dots) for time in times]
    empty = (np.empty(0, np.int64),) * 3
    rows, position, hidden = (np.concatenate(column) for column in zip(empty, *parts, strict=False))
    frame = np.repeat(np.arange(len(times), dtype=np.int16), [len(p[0]) for p in parts])
    stage = stays.stage[rows]
    pathway_names = np.array([log.pathways[s.pathway] for s in log.stages], object)
    stage_names = np.array([_short_name(s.name, log.pathways[s.pathway])
                            for s in log.stages], object)
    return pd.DataFrame({
        "frame": frame,
        "time_days": times[frame],
        "pathway": pathway_names[stage],
        "stage": stage_names[stage],
        "stage_index": stage.astype(np.int16),
        "state": np.where(stays.in_service[rows], IN_SERVICE, WAITING).astype(object),
        "position": position.astype(np.int16),
        "patient": stays.patient[rows],
        "hidden_patients": hidden.astype(np.int32),
    }, columns=list(ANIMATION_COLUMNS))


def _stays(log: EventLog, times: np.ndarray) -> _Stays:
    """Stays that overlap the frames: each QUEUE or START row until the patient's next row."""
    by_patient = np.argsort(log.patient, kind="stable")  # keeps time order per patient
    patient, time = log.patient[by_patient], log.time[by_patient]
    end = np.full(len(time), np.inf)
    end[:-1] = np.where(patient[1:] == patient[:-1], time[1:], np.inf)
    event = log.event[by_patient]
    placed = (event == QUEUE) | (event == START)
    if len(times):
        placed &= (time <= times[-1]) & (end > times[0])
    return _Stays(patient[placed], log.stage[by_patient][placed].astype(np.int64),
                  event[placed] == START, time[placed], end[placed])


def _snapshot(stays: _Stays, time_days: float, max_dots: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stays drawn at ``time_days`` (indices), their positions in their place, and
    each one's count of patients in its place left undrawn."""
    here = np.nonzero((stays.start_days <= time_days) & (time_days < stays.end_days))[0]
    order = here[np.lexsort((stays.patient[here], stays.start_days[here],
                             stays.in_service[here], stays.stage[here]))]
    place = stays.stage[order] * 2 + stays.in_service[order]
    first = np.ones(len(order), bool)
    first[1:] = place[1:] != place[:-1]
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    position = np.arange(len(order)) - starts[group]
    hidden = np.maximum(np.diff(np.append(starts, len(order))) - max_dots, 0)[group]
    drawn = position < max_dots
    return order[drawn], position[drawn], hidden[drawn]


def _short_name(stage: str, pathway: str) -> str:
    """A stage's name without its pathway's ("orthopaedics.surgery" -> "surgery")."""
    prefix = f"{pathway}."
    return stage[len(prefix):] if stage.startswith(prefix) else stage
