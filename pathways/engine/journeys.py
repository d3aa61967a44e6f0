"""Patients moving through the stages of their pathways: onto a list (after a stage's
administrative lead time), into service on a unit, and on to the next stage by the
routing probabilities, or out.

Patients are not generator processes but callbacks: one event per service end, per
lead time and per delay. Durations and routing draws come in blocks from one stream per
stage. Two stages may hold two resources at once: a stage that needs the next stage's
unit free as it starts (an operation and its bed: cancelled and rebooked if none), and
a stage that keeps its unit until the next stage starts (a bed while discharge is
arranged).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from heapq import heappush

from pathways.engine.economy_rules import EconomyRules
from pathways.engine.replication import Replication
from pathways.engine.streams import BLOCK, Draws, stream
from pathways.engine.waiting_lists import WaitingLists
from pathways.model.model import EXIT, NO_RESOURCE

BY_KIND = -2  # a stage whose pool is chosen per patient
#: (patient, stage, pool, unit, resource, local unit), when its service ends
Service = tuple[int, int, int, int, int, int]


def _no_review(patient: int, now: float) -> None:
    """No chronic cohort: a review stage's start concerns nobody."""


class Journeys:
    """Where each patient is on their pathway, and what happens at each stage's ends."""

    # Slots, not a __dict__: more than 30 attributes would leave CPython's shared-key
    # instance dicts, and these are read at every event.
    __slots__ = ("rep", "rules", "lists", "calendar", "order", "sequence", "add_start", "add_end",
                 "add_exit", "resource_pool", "stage_pool", "stage_resource",
                 "stage_pathway", "lead_days", "samplers", "duration_rngs",
                 "duration_buffers", "routing_rngs", "routing_buffers", "routes",
                 "cancellable", "rebook_days", "keeps", "holding", "held",
                 "repeat_stages", "resumes", "review_stages", "reviewed",
                 "removal_on", "treated", "stops_clock", "unit_resource",
                 "unit_local", "bookable", "free_units", "mixed", "take_unit", "closed",
                 "free_unit", "join_list", "join", "_service_ended")

    def __init__(self, rep: Replication, rules: EconomyRules | None, lists: WaitingLists):
        model = rep.model
        self.rep, self.rules, self.lists = rep, rules, lists
        self.calendar, self.order, self.sequence = rep.calendar, rep.order, rep.sequence
        records = rep.records
        self.add_start, self.add_end = records.started.extend, records.ended.extend
        self.add_exit = records.exited.extend
        stages = model.stages
        self.resource_pool = model.resource_pool
        self.stage_pool = [
            BY_KIND if s.kind != NO_RESOURCE
            else NO_RESOURCE if s.resource == NO_RESOURCE else model.resource_pool[s.resource]
            for s in stages]
        self.stage_resource = [s.resource for s in stages]
        self.stage_pathway = [s.pathway for s in stages]
        self.lead_days = [s.lead_days for s in stages]
        seed, replication = rep.seed, rep.replication
        self.samplers = [s.sampler for s in stages]
        self.duration_rngs = [stream(seed, replication, "duration", s.name) for s in stages]
        self.duration_buffers: list[list[float]] = [[] for _ in stages]
        self.routing_rngs = [stream(seed, replication, "routing", s.name) for s in stages]
        self.routing_buffers: list[list[float]] = [[] for _ in stages]
        self.routes = [  # a single target needs no draw
            (s.targets, None if len(s.targets) == 1 else s.cumulative_probabilities)
            for s in stages]
        # Holding two resources (see the module's docstring)
        self.cancellable = {i for i, s in enumerate(stages) if s.rebook_sampler is not None}
        self.rebook_days = {i: Draws(stream(seed, replication, "rebook", stages[i].name),
                                     stages[i].rebook_sampler) for i in self.cancellable}
        self.keeps = [s.keep_until_next_starts for s in stages]
        self.holding = any(self.keeps)
        self.held: dict[int, tuple] = {}  # patient -> (stage, pool, unit, resource, local, ready)
        # A repeat test at the receiving provider, then the stage it was for
        self.repeat_stages = lists.repeat_stages
        self.resumes: dict[int, tuple[int, int, int]] = {}  # patient -> (stage, pool, resource)
        self.review_stages: frozenset[int] = frozenset()
        self.reviewed: Callable[[int, float], None] = _no_review
        self.removal_on, self.treated = lists.removal_on, lists.treated
        self.stops_clock = [s.rtt_stop is not None for s in stages]
        self.unit_resource, self.unit_local = lists.unit_resource, lists.unit_local
        self.bookable, self.free_units, self.mixed = lists.bookable, lists.free_units, lists.mixed
        self.take_unit, self.closed, self.free_unit = lists.take_unit, lists.closed, lists.free_unit
        self.join_list = lists.join_list
        #: join(patient, stage, now): on to a stage (through a transfer, in an economy)
        self.join: Callable[[int, int, float], None] = self.join_network
        lists.start = self.start
        # Bound once: the calendar holds it for every service, not a new bound method each.
        self._service_ended = self.service_ended

    def track_reviews(self, review_stages: frozenset[int],
                      reviewed: Callable[[int, float], None]) -> None:
        """Tell ``reviewed(patient, now)`` when a stage of ``review_stages`` starts."""
        self.review_stages, self.reviewed = review_stages, reviewed

    # --- a stage's start and end ---------------------------------------------------

    def start(self, patient: int, s: int, joined: float, queued: int, now: float, q: int,
              unit: int | None = None, later: float = 0.0) -> None:
        """Start stage s on a free unit of pool q (or on ``unit``, held or booked for
        it), ``later`` days from ``now`` (the clock): a slot booked later in a session
        that starts now (the bed it needs is checked as the list is drawn up)."""
        if q == NO_RESOURCE:
            unit, resource, local = NO_RESOURCE, NO_RESOURCE, NO_RESOURCE
        else:
            if unit is None:  # take_unit(), its common case inlined: the last free unit
                unit = self.take_unit(q, now) if self.mixed[q] else self.free_units[q].pop()
            resource, local = self.unit_resource[q][unit], self.unit_local[q][unit]
        durations = self.duration_buffers[s]
        if not durations:
            durations.extend(self.samplers[s](self.duration_rngs[s], BLOCK).tolist())
        duration = durations.pop()
        if s in self.cancellable and not self.reserve_next(patient, s, now):
            self.cancel(patient, s, q, unit, resource, queued, duration, now + later)
            return
        if self.holding and patient in self.held:
            self.release(patient, now)
        if self.removal_on and self.stops_clock[s]:
            self.treated.add(patient)
        begins = now + later
        self.add_start((patient, s, resource, local, joined, queued, begins, next(self.sequence)))
        rules = self.rules
        if rules is not None and resource != NO_RESOURCE:
            rules.started(patient, s, resource, begins)
            if s in self.review_stages:
                self.reviewed(patient, begins)
        # rep.after(), inlined: the most frequent event
        heappush(self.calendar, (now + (later + duration), next(self.order),
                                 self._service_ended, (patient, s, q, unit, resource, local)))

    def service_ended(self, info: Service) -> None:
        patient, s, q, unit, resource, local = info
        now = self.rep.now
        if s in self.repeat_stages:
            self.finish(patient, s, q, unit, resource, local, now)
            target, q, nominal = self.resumes.pop(patient)
            self.enter(patient, target, q, nominal, now)
            return
        target = self.next_stage(s)
        if self.keeps[s] and target != EXIT and q != NO_RESOURCE:
            self.held[patient] = (s, q, unit, resource, local, now)
        else:
            self.finish(patient, s, q, unit, resource, local, now)
        if target == EXIT:
            self.add_exit((patient, self.stage_pathway[s], now, next(self.sequence)))
            if self.rules is not None:
                self.rules.discharge(patient, now)
        else:
            self.join(patient, target, now)

    def next_stage(self, s: int) -> int:
        targets, cumulative = self.routes[s]
        if cumulative is None:
            return targets[0]
        buffer = self.routing_buffers[s]
        if not buffer:
            buffer.extend(self.routing_rngs[s].random(BLOCK).tolist())
        u = buffer.pop()
        for target, bound in zip(targets, cumulative, strict=False):
            if u < bound:
                return target
        return targets[-1]

    def finish(self, patient: int, s: int, q: int, unit: int, resource: int, local: int,
               now: float) -> None:
        self.add_end((patient, s, resource, local, now, next(self.sequence)))
        if q != NO_RESOURCE and not self.bookable[q]:
            self.free_unit(q, unit, now)

    # --- onto a list -----------------------------------------------------------------

    def join_network(self, patient: int, s: int, now: float) -> None:
        """Move on to stage s of a plain network: straight into its queue."""
        self.enter(patient, s, self.stage_pool[s], self.stage_resource[s], now)

    def enter(self, patient: int, s: int, q: int, nominal: int, now: float,
              place: int | None = None) -> None:
        """Join the queue of pool q (or start at once) for stage s, after the stage's
        administrative lead time. A patient moved from another provider's list, or
        rebooked after a cancellation, joins this one now with no new lead time and
        keeps their place in time: ``place``, the order in which they first joined."""
        lead_days = self.lead_days[s]
        if lead_days > 0 and place is None:
            self.after_lead(patient, s, q, nominal, now, now + lead_days)
        else:
            self.join_list(patient, s, q, nominal, now, now, next(self.sequence), place)

    def after_lead(self, patient: int, s: int, q: int, nominal: int, joined: float,
                   listed_at: float) -> None:
        """Join the list at ``listed_at``, when the lead time since ``joined`` is over."""
        self.rep.after(listed_at - self.rep.now, self.lead_done, (patient, s, q, nominal, joined))

    def lead_done(self, info: tuple[int, int, int, int, float]) -> None:
        """The lead time since ``joined`` is over: on to the list (in order of time on
        it, which for one stage is the order of reaching the stage)."""
        patient, s, q, nominal, joined = info
        self.join_list(patient, s, q, nominal, joined, self.rep.now, next(self.sequence), None)

    def delay_over(self, info: tuple[int, int, int, int, int | None]) -> None:
        """A transfer's or a rebooking's delay is over: on to the list, at ``place``."""
        patient, s, q, nominal, place = info
        self.enter(patient, s, q, nominal, self.rep.now, place)

    # --- holding two resources -------------------------------------------------------

    def reserve_next(self, patient: int, s: int, now: float) -> bool:
        """Hold a unit of the next stage's resource from now on (the bed from the start
        of the operation); False when none is free (a free unit with patients queued
        for it is closed: they would otherwise have been served)."""
        target = self.routes[s][0][0]
        q = self.stage_pool[target]
        if q == BY_KIND:
            rules = self.rules
            assert rules is not None, "a stage is chosen by kind only in a health economy"
            q = self.resource_pool[rules.resource_for(patient, target, now)]
        if not self.free_units[q] or self.closed(q, now):
            return False
        self.lists.reserved[patient] = (q, self.take_unit(q, now))
        return True

    def cancel(self, patient: int, s: int, q: int, unit: int, resource: int, queued: int,
               duration: float, when: float) -> None:
        """Cancelled on the day (``when``): the slot is lost (the server stays idle for
        it) and the patient rejoins the list after the rebooking delay, keeping their
        place."""
        rep = self.rep
        rep.records.cancelled.extend((patient, when, s, resource))
        if q != NO_RESOURCE and not self.bookable[q]:  # a booked slot is simply lost
            rep.after(duration, self.lists.slot_freed, (q, unit))
        rep.after(when - rep.now + self.rebook_days[s].next(), self.delay_over,
                  (patient, s, q, resource, queued))

    def release(self, patient: int, now: float) -> None:
        """The patient's next stage starts: the unit kept since ``ready`` is freed."""
        s, q, unit, resource, local, ready = self.held.pop(patient)
        self.rep.records.held.extend((patient, s, resource, ready, now))
        self.finish(patient, s, q, unit, resource, local, now)

    def still_held(self, records_held: list) -> None:
        """Log the units still kept at the horizon (never released)."""
        for patient, (s, _, _, resource, _, ready) in self.held.items():
            records_held.extend((patient, s, resource, ready, math.inf))
