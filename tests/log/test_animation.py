"""The animation's frames (pathways.log.animation) on a hand-built log whose positions
are known: who waits where, who is in service, in which order, and what a cap hides."""

import numpy as np
import pytest

from pathways.log import ARRIVE, END, EXIT, NONE, QUEUE, START, EventLog, StageInfo
from pathways.log.animation import (
    ANIMATION_COLUMNS,
    IN_SERVICE,
    WAITING,
    animation_frames,
    frame_times_days,
)

# (patient, stage, event, time): stage 0 is "clinic.a", stage 1 "clinic.b"; warm-up 1 day.
EVENTS = [
    (1, NONE, ARRIVE, 0.5), (1, 0, QUEUE, 0.5),
    (2, NONE, ARRIVE, 0.8), (2, 0, QUEUE, 0.8),
    (3, NONE, ARRIVE, 1.2), (3, 0, QUEUE, 1.2),
    (1, 0, START, 1.5),
    (1, 0, END, 2.5), (1, 1, QUEUE, 2.5), (2, 0, START, 2.5),  # 2: in service to the end
    (3, NONE, EXIT, 3.2),  # removed from the list untreated
    (1, 1, START, 3.5), (1, 1, END, 3.6), (1, NONE, EXIT, 3.6),
]


def hand_built_log(horizon_days: float = 10.0) -> EventLog:
    patient, stage, event, time = (np.array(column) for column in zip(*EVENTS, strict=False))
    n = len(time)
    return EventLog(
        patient=patient.astype(np.int64), pathway=np.zeros(n, np.int16),
        stage=stage.astype(np.int16), resource=np.full(n, NONE, np.int16),
        unit=np.full(n, NONE, np.int32), event=event.astype(np.int8),
        time=time.astype(np.float64), replication=np.zeros(n, np.int32),
        pathways=("clinic",),
        stages=(StageInfo("clinic.a", 0, NONE), StageInfo("clinic.b", 0, NONE)),
        resources=(), horizon_days=horizon_days, warmup_days=1.0)


def positions(frames, frame):
    """{(stage, state): [patients in position order]} at one frame."""
    rows = frames[frames["frame"] == frame].sort_values("position")
    return {key: list(group["patient"]) for key, group in rows.groupby(["stage", "state"])}


def test_each_frame_places_every_patient_present_in_queue_order():
    frames = animation_frames(hand_built_log(), window_days=4.0, step_days=1.0, first_days=0.0)
    assert list(frames.columns) == list(ANIMATION_COLUMNS)
    assert sorted(frames["time_days"].unique()) == [1.0, 2.0, 3.0, 4.0]
    assert positions(frames, 0) == {("a", WAITING): [1, 2]}
    assert positions(frames, 1) == {("a", WAITING): [2, 3], ("a", IN_SERVICE): [1]}
    assert positions(frames, 2) == {("a", WAITING): [3], ("a", IN_SERVICE): [2],
                                    ("b", WAITING): [1]}
    assert positions(frames, 3) == {("a", IN_SERVICE): [2]}  # 1 has left, 3 was removed
    assert set(frames["pathway"]) == {"clinic"}
    assert (frames["hidden_patients"] == 0).all()


def test_a_cap_draws_the_front_of_each_place_and_counts_the_rest():
    frames = animation_frames(hand_built_log(), window_days=4.0, step_days=1.0, max_dots=1,
                              first_days=0.0)
    assert positions(frames, 1) == {("a", WAITING): [2], ("a", IN_SERVICE): [1]}
    second = frames[frames["frame"] == 1].set_index("state")["hidden_patients"]
    assert second.to_dict() == {WAITING: 1, IN_SERVICE: 0}


def test_frames_start_at_the_end_of_the_warm_up_and_stop_before_the_horizon():
    assert frame_times_days(hand_built_log(horizon_days=2.2), 28.0, 0.5, 0.0).tolist() == [
        1.0, 1.5, 2.0]
    assert frame_times_days(hand_built_log(horizon_days=4.0)).tolist() == [1.5, 2.5, 3.5]
    assert animation_frames(hand_built_log(horizon_days=1.0)).empty


def test_the_log_is_left_as_it_was():
    log = hand_built_log()
    before = {name: getattr(log, name).copy() for name in ("patient", "stage", "event", "time")}
    animation_frames(log)
    for name, column in before.items():
        np.testing.assert_array_equal(getattr(log, name), column)


# A clinic that cannot keep up: its queue grows past any cap within days.
BUSY_CLINIC = """
name: busy
horizon_days: 60
warmup_days: 10
resources:
  clinicians: {capacity: 2}
arrivals:
  - {pathway: clinic, rate_per_day: 6}
pathways:
  clinic:
    start: consult
    stages:
      consult: {resource: clinicians, duration: {dist: exponential, mean: 0.5}, next: exit}
"""


@pytest.mark.parametrize("step_days", [0.5, 1.0])
def test_a_real_replication_draws_at_most_the_cap_per_place(tmp_path, step_days):
    import pathways
    from pathways.engine import simulate_replication

    config = tmp_path / "busy.yaml"
    config.write_text(BUSY_CLINIC)
    frames = animation_frames(simulate_replication(pathways.load(config), 0, 0),
                              step_days=step_days, max_dots=3)
    per_place = frames.groupby(["frame", "stage", "state"])
    assert per_place["position"].max().max() == 2
    full = per_place.filter(lambda place: (place["hidden_patients"] > 0).any())
    assert not full.empty and (full.groupby(["frame", "stage", "state"]).size() == 3).all()
