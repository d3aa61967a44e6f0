"""Engine behaviour: determinism, ordering, calendars, priorities, delays, CRN."""

import numpy as np
import pytest

import pathways
from pathways.engine import simulate_replication
from pathways.log import ARRIVE, END, EXIT, QUEUE, START

CLINIC = """
name: clinic
horizon_days: 400
warmup_days: 50
resources:
  doctors: {capacity: 2}
arrivals:
  - {pathway: visit, rate_per_day: 1.5}
pathways:
  visit:
    stages:
      see: {resource: doctors, duration: {dist: exponential, mean: 1.0},
            next: {test: 0.5, exit: 0.5}}
      test: {duration: {dist: fixed, value: 2.0}, next: {see: 0.3, exit: 0.7}}
"""


def test_same_seed_same_log_different_seed_different(model_from_yaml):
    model = model_from_yaml(CLINIC)
    first, again = simulate_replication(model, 5, 0), simulate_replication(model, 5, 0)
    for column in ("patient", "stage", "event", "time", "unit"):
        assert np.array_equal(first.column(column), again.column(column))
    other = simulate_replication(model, 6, 0)
    assert not np.array_equal(first.time[:50], other.time[:50])
    next_replication = simulate_replication(model, 5, 1)
    assert not np.array_equal(first.time[:50], next_replication.time[:50])


def test_each_patient_reads_arrive_visits_exit(model_from_yaml):
    log = simulate_replication(model_from_yaml(CLINIC), 1, 0)
    assert np.all(np.diff(log.time) >= 0)
    order = np.lexsort((np.arange(len(log)), log.patient))
    patients, events = log.patient[order], log.event[order]
    starts = np.flatnonzero(np.r_[True, patients[1:] != patients[:-1]])
    for begin, end in zip(starts, np.r_[starts[1:], len(patients)], strict=False):
        sequence = events[begin:end]
        assert sequence[0] == ARRIVE
        body = sequence[1:-1] if sequence[-1] == EXIT else sequence[1:]
        complete = len(body) - len(body) % 3
        assert np.all(body[:complete].reshape(-1, 3) == [QUEUE, START, END])
        assert np.all(np.diff(body[complete:]) == 1) and (len(body[complete:]) == 0 or
                                                          body[complete] == QUEUE)
    assert log.time.max() < 400


def test_delay_stage_has_no_wait_and_fixed_duration(model_from_yaml):
    log = simulate_replication(model_from_yaml(CLINIC), 1, 0)
    test_stage = 1
    starts = (log.stage == test_stage) & (log.event == START)
    queues = (log.stage == test_stage) & (log.event == QUEUE)
    np.testing.assert_array_equal(log.time[starts], log.time[queues][: starts.sum()])
    assert np.all(log.resource[log.stage == test_stage] == -1)


def test_capacity_is_never_exceeded(model_from_yaml):
    log = simulate_replication(model_from_yaml(CLINIC), 3, 0)
    on_doctors = log.resource == 0
    change = np.where(log.event[on_doctors] == START, 1, 0) - (log.event[on_doctors] == END)
    busy = np.cumsum(change)
    assert busy.max() == 2 and busy.min() >= 0
    units = log.unit[on_doctors & (log.event == START)]
    assert set(units.tolist()) == {0, 1}


CALENDAR = """
name: calendar
horizon_days: 140
resources:
  clinic: {capacity: 1, calendar: weekdays}
arrivals:
  - {pathway: p, rate_per_day: 2}
pathways:
  p:
    stages:
      s: {resource: clinic, duration: {dist: fixed, value: 0.1}}
"""


def test_nothing_starts_outside_a_session_but_work_finishes(model_from_yaml):
    log = simulate_replication(model_from_yaml(CALENDAR), 0, 0)
    started = log.time[log.event == START]
    clock = started % 7
    day, hour = np.floor(clock), (clock % 1) * 24
    assert np.all(day < 5)
    assert np.all((hour >= 9 - 1e-6) & (hour < 17))
    ended = log.time[log.event == END] % 1 * 24
    assert np.any(ended > 17), "a service started before 17:00 should finish after it"
    assert len(started) > 0.9 * 2 * 140 * 5 / 7  # weekend arrivals are served on Monday


PRIORITY = """
name: priority
horizon_days: 3000
warmup_days: 100
resources:
  desk: {capacity: 1, queue: priority}
arrivals:
  - {pathway: urgent, rate_per_day: 0.3}
  - {pathway: routine, rate_per_day: 0.5}
pathways:
  urgent:
    stages:
      seen: {resource: desk, duration: {dist: exponential, mean: 1.0}, priority: 1}
  routine:
    stages:
      seen: {resource: desk, duration: {dist: exponential, mean: 1.0}, priority: 2}
"""


def test_priority_queue_serves_lower_numbers_first(model_from_yaml):
    result = pathways.simulate(model_from_yaml(PRIORITY), seed=1)
    kpis = result.kpis.set_index(["stage", "metric"])["value"]
    assert kpis["urgent.seen", "wait_mean"] < kpis["routine.seen", "wait_mean"] / 2
    fifo = model_from_yaml(PRIORITY.replace("queue: priority", "queue: fifo"), "fifo.yaml")
    fifo_kpis = pathways.simulate(fifo, seed=1).kpis.set_index(["stage", "metric"])["value"]
    ratio = fifo_kpis["urgent.seen", "wait_mean"] / fifo_kpis["routine.seen", "wait_mean"]
    assert ratio == pytest.approx(1.0, abs=0.2)


def test_adding_a_pathway_leaves_existing_arrivals_unchanged(model_from_yaml):
    """Streams are keyed by name: common random numbers survive model edits."""
    base = simulate_replication(model_from_yaml(CLINIC), 9, 0)
    extended_text = CLINIC.replace("pathways:\n", "pathways:\n  other:\n    stages:\n"
                                   "      o: {duration: {dist: fixed, value: 1}}\n")
    extended_text = extended_text.replace(
        "arrivals:\n", "arrivals:\n  - {pathway: other, rate_per_day: 3}\n")
    extended = simulate_replication(model_from_yaml(extended_text, "extended.yaml"), 9, 0)
    base_arrivals = base.time[base.event == ARRIVE]
    visit = extended.pathways.index("visit")
    extended_arrivals = extended.time[(extended.event == ARRIVE) & (extended.pathway == visit)]
    np.testing.assert_array_equal(base_arrivals, extended_arrivals)


def test_overloaded_queue_is_logged_as_still_waiting(model_from_yaml):
    text = CLINIC.replace("rate_per_day: 1.5", "rate_per_day: 4")
    log = simulate_replication(model_from_yaml(text), 1, 0)
    queued = (log.event == QUEUE).sum()
    assert queued - (log.event == START).sum() > 100  # joined but never started
