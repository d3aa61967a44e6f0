"""The engine: one replication of a compiled Model on a SimPy event calendar.

This is the hot path. SimPy's Environment is the clock and the future-event list;
patients are not generator processes but plain callbacks attached to Timeouts
(one event per arrival, per service end and per calendar wake-up), and resources
are a free-unit stack plus a heap queue keyed by (priority, arrival order). That
avoids the request/release events and generator switches of idiomatic SimPy, which
is where most of its time goes. Random numbers are drawn in blocks from one stream
per purpose. Every log row is recorded as a few numbers in a flat list, with a
global sequence number saying in which order things happened (so rows at the same
instant, such as one patient's service ending and the next one's starting, keep
their true order); the event log is assembled with numpy after the run.
"""

from __future__ import annotations

import heapq
import itertools

import numpy as np
import simpy
from simpy.events import NORMAL, Event

from pathways.engine.streams import stream
from pathways.log.assemble import Records, assemble_event_log
from pathways.log.event_log import EventLog, ResourceInfo, StageInfo
from pathways.model.arrivals import ArrivalClock
from pathways.model.model import EXIT, NO_RESOURCE, Model

BLOCK = 2048  # random numbers drawn per refill


class _Call(Event):
    """A pre-triggered event that calls each of ``callbacks`` with itself at its time.

    Cheaper than ``env.timeout`` plus a closure: one small object, one heap push.
    ``callbacks`` is a shared tuple (SimPy only iterates it), so nothing is allocated
    for it per event.
    """

    _ok = True
    _value = None

    def __init__(self, env: simpy.Environment, delay: float, callbacks: tuple, info) -> None:
        self.env = env
        self.callbacks = callbacks
        self.info = info
        env.schedule(self, NORMAL, delay)


def simulate_replication(model: Model, seed: int, replication: int) -> EventLog:
    """Run one replication and return its event log."""
    env = simpy.Environment()
    horizon = model.horizon_days

    n_stages = len(model.stages)
    stage_resource = [s.resource for s in model.stages]
    stage_priority = [s.queue_priority for s in model.stages]
    stage_pathway = [s.pathway for s in model.stages]
    samplers = [s.sampler for s in model.stages]
    duration_rngs = [stream(seed, replication, "duration", s.name) for s in model.stages]
    routing_rngs = [stream(seed, replication, "routing", s.name) for s in model.stages]
    duration_buffers: list[list[float]] = [[] for _ in range(n_stages)]
    routing_buffers: list[list[float]] = [[] for _ in range(n_stages)]
    routes = [  # a single target needs no draw
        (s.targets[0], None) if len(s.targets) == 1 else (s.targets, s.cumulative_probabilities)
        for s in model.stages
    ]

    calendars = [r.calendar for r in model.resources]
    free_units = [list(range(r.capacity - 1, -1, -1)) for r in model.resources]
    queues: list[list] = [[] for _ in model.resources]
    wake_pending = [False] * len(model.resources)
    sequence = itertools.count()  # the order in which things happen

    # Flat record lists (cheaper to fill and to convert than lists of tuples).
    records = Records()
    add_start, add_end = records.started.extend, records.ended.extend
    add_arrival, add_exit = records.arrived.extend, records.exited.extend
    heappush, heappop = heapq.heappush, heapq.heappop

    def next_stage(s: int) -> int:
        targets, cumulative = routes[s]
        if cumulative is None:
            return targets
        buffer = routing_buffers[s]
        if not buffer:
            buffer.extend(routing_rngs[s].random(BLOCK).tolist())
        u = buffer.pop()
        for target, bound in zip(targets, cumulative):
            if u < bound:
                return target
        return targets[-1]

    def start(patient: int, s: int, joined: float, queued: int, now: float, r: int) -> None:
        unit = free_units[r].pop() if r != NO_RESOURCE else NO_RESOURCE
        durations = duration_buffers[s]
        if not durations:
            durations.extend(samplers[s](duration_rngs[s], BLOCK).tolist())
        add_start((patient, s, unit, joined, queued, now, next(sequence)))
        _Call(env, durations.pop(), on_service_end, (patient, s, unit))

    def closed(r: int, now: float) -> bool:
        """True when r's calendar is shut now; then make sure it wakes at the opening."""
        calendar = calendars[r]
        if calendar is None:
            return False
        opens = calendar.next_open(now)
        if opens == now:
            return False
        if not wake_pending[r]:
            wake_pending[r] = True
            _Call(env, opens - now, on_session_open, r)
        return True

    def join(patient: int, s: int, now: float) -> None:
        r = stage_resource[s]
        queued = next(sequence)
        if r == NO_RESOURCE or (free_units[r] and not queues[r] and not closed(r, now)):
            start(patient, s, now, queued, now, r)
        else:
            # No wake-up needed here: either every unit is busy (a service end will
            # serve the queue) or closed() has already scheduled the opening.
            # The sequence number doubles as the FIFO tie-break within a priority.
            heappush(queues[r], (stage_priority[s], queued, patient, s, now))

    def serve_queue(r: int, now: float) -> None:
        queue, free = queues[r], free_units[r]
        while queue and free:
            _, queued, patient, s, joined = heappop(queue)
            start(patient, s, joined, queued, now, r)

    def service_ended(event: _Call) -> None:
        patient, s, unit = event.info
        now = env._now
        add_end((patient, s, unit, now, next(sequence)))
        r = stage_resource[s]
        if r != NO_RESOURCE:
            free_units[r].append(unit)
            if queues[r] and not closed(r, now):
                serve_queue(r, now)
        target = next_stage(s)
        if target == EXIT:
            add_exit((patient, stage_pathway[s], now, next(sequence)))
        else:
            join(patient, target, now)

    def session_opens(event: _Call) -> None:
        r = event.info
        wake_pending[r] = False
        serve_queue(r, env._now)

    patient_ids = itertools.count()
    clocks = [
        ArrivalClock(a.hourly_rates_per_day, stream(seed, replication, "arrivals", a.name), BLOCK)
        for a in model.arrivals
    ]
    pending_times: list[list[float]] = [[] for _ in model.arrivals]

    def schedule_arrival(k: int, now: float) -> None:
        times = pending_times[k]
        if not times:
            times.extend(clocks[k].next_block()[::-1].tolist())
        at = times.pop()
        if at < horizon:
            _Call(env, at - now, on_arrival, k)

    def patient_arrives(event: _Call) -> None:
        k = event.info
        now = env._now
        arrival = model.arrivals[k]
        patient = next(patient_ids)
        add_arrival((patient, arrival.pathway, now, next(sequence)))
        join(patient, arrival.start_stage, now)
        schedule_arrival(k, now)

    on_service_end = (service_ended,)
    on_session_open = (session_opens,)
    on_arrival = (patient_arrives,)
    for k in range(len(model.arrivals)):
        schedule_arrival(k, 0.0)
    env.run(until=horizon)

    for queue in queues:  # still waiting at the horizon: joined, never started
        for _, queued, patient, s, joined in queue:
            records.waiting.extend((patient, s, joined, queued))

    return assemble_event_log(
        records,
        stage_pathway=np.asarray(stage_pathway),
        stage_resource=np.asarray(stage_resource),
        horizon_days=horizon,
        replication=replication,
        pathways=model.pathways,
        stages=tuple(StageInfo(s.name, s.pathway, s.resource, s.rtt_stop) for s in model.stages),
        resources=tuple(
            ResourceInfo(r.name, r.capacity, None if r.calendar is None else r.calendar.intervals)
            for r in model.resources
        ),
        warmup_days=model.warmup_days,
        scenario=model.name,
    )
