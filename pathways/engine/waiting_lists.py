"""The servers and waiting lists of every pool.

A pool is a set of interchangeable units (the clinics of a resource, or of several
resources pooled into one list): a stack of free units and a list, a heap of entries
keyed by (priority, place in time). A pool's units share one weekly calendar (or none),
or each keeps its own ("mixed": a pooled list across sites with different sessions);
a closed pool wakes at the next opening of one of its free units. A managed list also
loses patients untreated (validation removals) and, where booking is partly out of
turn, serves some patients at random from those of the head's priority.
"""

from __future__ import annotations

import heapq
from heapq import heappop, heappush
from typing import Protocol

import numpy as np

from pathways.engine.economy_rules import FUNDED_RANK, RANKS, EconomyRules
from pathways.engine.replication import Replication
from pathways.engine.streams import Draws, stream
from pathways.model.distributions import Sampler
from pathways.model.model import NO_RESOURCE

#: A list's removal dates are pruned of patients no longer listed when they outnumber
#: those listed this many times over (amortised: each pruning at least halves the heap).
STALE_REMOVALS = 4
#: ...counting this many more as listed, so that short lists are not pruned day after day.
REMOVALS_ALWAYS_KEPT = 1024
#: (priority, place, patient, stage, joined, nominal resource, queue sequence number)
Entry = tuple[int, int, int, int, float, int, int]


class StartService(Protocol):
    """start(patient, stage, joined, queued, now, pool, unit, later): serve a patient
    taken off a list (on ``unit`` where one is held or booked for them)."""

    def __call__(self, patient: int, s: int, joined: float, queued: int, now: float, q: int,
                 unit: int | None = None, later: float = 0.0) -> None: ...


class WaitingLists:
    """The units and lists of every pool of one replication."""

    # Slots, not a __dict__: more than 30 attributes would leave CPython's shared-key
    # instance dicts, and these are read at every event.
    __slots__ = ("rep", "rules", "after", "mixed", "calendars", "unit_calendars", "always_open",
                 "unit_resource", "unit_local", "free_units", "queues", "bookable", "wake_at",
                 "reserved", "repeat_stages", "list_size", "stage_priority",
                 "by_contract", "pool_review_priority", "ranks", "per_case_first",
                 "offers_on", "waiting", "stage_pathway", "rtt_pathway",
                 "removal_on", "removal_days", "treated", "listed", "removals_due",
                 "removed", "turn_draws", "start")

    def __init__(self, rep: Replication, rules: EconomyRules | None, list_size: list[int],
                 offers_on: bool):
        model = rep.model
        self.rep, self.rules, self.after = rep, rules, rep.after
        pools = model.pools
        self.mixed = [q.mixed_calendars for q in pools]
        self.calendars = [q.calendar for q in pools]
        self.unit_calendars = [q.unit_calendar for q in pools]
        # No calendar at all: never closed (asked at every service end, so not a call)
        self.always_open = [not q.mixed_calendars and q.calendar is None for q in pools]
        self.unit_resource = [q.unit_resource for q in pools]
        self.unit_local = [q.unit_local for q in pools]
        self.free_units = [list(range(len(q.unit_resource) - 1, -1, -1)) for q in pools]
        self.queues: list[list[Entry]] = [[] for _ in pools]
        # Bookable capacity: a pool's list is booked into the sessions of its resources.
        self.bookable = [all(model.resources[r].bookable for r in q.unit_resource)
                         for q in pools]
        self.wake_at = [np.inf] * len(pools)  # the earliest wake-up already scheduled
        # A unit held for a patient's next stage (the bed from the start of the
        # operation) is theirs when they join its list, unless for a repeat test first.
        self.reserved: dict[int, tuple[int, int]] = {}  # patient -> (pool, unit)
        self.repeat_stages: frozenset[int] = frozenset() if rules is None else rules.repeat_stages
        self.list_size = list_size  # patients on each pool's list, read by the supply response
        # A list's order: the stage's priority (or the provider's contract's, for reviews
        # it orders), split by the patient's rank where urgency or deprivation counts.
        self.stage_priority = [s.queue_priority for s in model.stages]
        self.by_contract = model.provider_ordered_stages
        self.pool_review_priority = [q.review_priority for q in pools]
        self.ranks = None if rules is None or not rules.ranking else rules.rank
        self.per_case_first = [q.per_case_first for q in pools]
        self.offers_on = offers_on
        self.waiting: dict[int, tuple[int, Entry]] = {}  # patient -> (pool, entry), for offers
        managed = model.managed_list
        self.stage_pathway = [s.pathway for s in model.stages]
        self.rtt_pathway = {s.pathway for s in model.stages if s.rtt_stop is not None}
        self.removal_on = managed.removal_rate_per_day > 0 and any(self.bookable)
        self.removal_days = Draws(
            stream(rep.seed, rep.replication, "removals", "lists"),
            Sampler("exponential", (1.0 / managed.removal_rate_per_day,))
            if managed.removal_rate_per_day > 0 else None)
        self.treated: set[int] = set()  # patients whose RTT clock has stopped
        self.listed: dict[int, int] = {}  # patient -> order of joining, while removable
        self.removals_due: list[tuple] = []  # (when, order, patient, pool, stage, nominal)
        self.removed: set[int] = set()  # removed untreated; their entries are skipped
        self.turn_draws = Draws(stream(rep.seed, rep.replication, "booking_order", "slots"))
        self.start: StartService  # set by the journeys, which serve what a list gives up

    # --- units ---------------------------------------------------------------------

    def take_unit(self, q: int, now: float) -> int:
        free = self.free_units[q]
        return free.pop(self.open_free_unit(q, now)) if self.mixed[q] else free.pop()

    def open_free_unit(self, q: int, now: float) -> int:
        """Position in free_units[q] of a free server whose calendar is open now (-1: none)."""
        free, calendars = self.free_units[q], self.unit_calendars[q]
        for position in range(len(free) - 1, -1, -1):
            calendar = calendars[free[position]]
            if calendar is None or calendar.is_open(now):
                return position
        return -1

    def closed(self, q: int, now: float) -> bool:
        """True when no free server of q may start now; then make sure q wakes at the
        next opening of one of them."""
        if self.mixed[q]:
            free = self.free_units[q]
            if not free:
                return True  # a service end will serve the queue
            if self.open_free_unit(q, now) >= 0:
                return False
            calendars = (self.unit_calendars[q][u] for u in free)  # all set: none is open
            opens = min(c.next_open(now) for c in calendars if c is not None)
        else:
            calendar = self.calendars[q]
            if calendar is None:
                return False
            opens = calendar.next_open(now)
            if opens == now:
                return False
        if opens < self.wake_at[q]:
            self.wake_at[q] = opens
            self.after(opens - now, self.session_opens, (q, opens))
        return True

    def free_unit(self, q: int, unit: int, now: float) -> None:
        self.free_units[q].append(unit)
        if self.queues[q] and (self.always_open[q] or not self.closed(q, now)):
            self.serve_queue(q, now)

    def slot_freed(self, info: tuple[int, int]) -> None:
        q, unit = info
        self.free_unit(q, unit, self.rep.now)

    def session_opens(self, info: tuple[int, float]) -> None:
        # Compared with the opening it was scheduled for, not with the clock: now - the
        # delay + the delay can round a hair below the opening.
        q, opens = info
        now = self.rep.now
        if self.wake_at[q] == opens:
            self.wake_at[q] = np.inf
        if not self.closed(q, now):
            self.serve_queue(q, now)

    # --- lists ---------------------------------------------------------------------

    def join_list(self, patient: int, s: int, q: int, nominal: int, joined: float, now: float,
                  queued: int, place: int | None) -> None:
        """Start stage s at once on a free unit (or the one held for it), or wait on pool
        q's list (a bookable list always waits for its next session). ``joined`` is when
        the stage was reached (the lead time runs from it); the wait is counted from
        there. No wake-up is needed for a patient left waiting: every unit is busy (a
        service end will serve the list), closed() has scheduled the opening, or the next
        session books it. The sequence number ``queued`` doubles as the FIFO tie-break
        within a priority, unless the patient keeps an earlier ``place``."""
        reserved = self.reserved
        if reserved and patient in reserved and s not in self.repeat_stages:
            held_pool, unit = reserved.pop(patient)
            if held_pool == q:
                self.start(patient, s, joined, queued, now, q, unit)
                return
            self.free_unit(held_pool, unit, now)
        if q == NO_RESOURCE or (not self.bookable[q] and self.free_units[q]
                                and not self.queues[q]
                                and (self.always_open[q] or not self.closed(q, now))):
            self.start(patient, s, joined, queued, now, q)
            return
        priority = self.stage_priority[s]
        if self.by_contract and s in self.by_contract:
            priority = self.pool_review_priority[q]
        ranks = self.ranks
        if ranks is not None:  # within each stage priority: urgent, funded, protected
            rank = ranks[patient]
            if not self.per_case_first[q]:
                rank |= FUNDED_RANK
            priority = RANKS * priority + rank
        entry = (priority, queued if place is None else place, patient, s, joined, nominal,
                 queued)
        heappush(self.queues[q], entry)
        self.list_size[q] += 1
        if self.offers_on:
            self.waiting[patient] = (q, entry)
        if self.removal_on and self.bookable[q] and self.stage_pathway[s] in self.rtt_pathway \
                and patient not in self.treated:
            self.listed[patient] = queued
            heappush(self.removals_due, (now + self.removal_days.next(), queued, patient,
                                         q, s, nominal))

    def remove_due(self, _info: None) -> None:
        """Once a day: patients whose removal fell due since the last look leave their
        list untreated, if still waiting on it (not booked, not moved); the RTT clock
        stops, but not as a completed pathway. (Removal dates wait in a heap of their
        own, not as events: most patients are booked long before theirs. They hold no
        reference to the list entry, so a booked patient's entry is freed at once.)"""
        rep = self.rep
        now = rep.now
        due, listed = self.removals_due, self.listed
        while due and due[0][0] <= now:
            _, queued, patient, q, s, nominal = heappop(due)
            if listed.get(patient) != queued:
                continue
            del listed[patient]
            self.removed.add(patient)
            self.list_size[q] -= 1
            if self.offers_on:
                del self.waiting[patient]
            rep.records.removed.extend((patient, now, s, nominal))
            if self.rules is not None:
                self.rules.removed(patient)
            rep.records.exited.extend((patient, self.stage_pathway[s], now, next(rep.sequence)))
        if len(due) > STALE_REMOVALS * (len(listed) + REMOVALS_ALWAYS_KEPT):
            self._drop_stale_removals()
        self.after(1.0, self.remove_due, None)

    def _drop_stale_removals(self) -> None:
        """Forget the removal dates of patients no longer on a list (booked or moved
        long before theirs): they would only be skipped when they fell due, and kept
        every patient ever listed in the heap, which grew with the population served
        and slowed each push and pop. The dates kept come off in the same order (each
        is keyed by its own sequence number), so nothing that happens changes."""
        listed = self.listed
        live = [entry for entry in self.removals_due if listed.get(entry[2]) == entry[1]]
        heapq.heapify(live)
        self.removals_due = live

    def move_off(self, patient: int) -> Entry:
        """Take a waiting patient off their list (moved to another provider's)."""
        q, entry = self.waiting.pop(patient)
        queue = self.queues[q]
        queue.remove(entry)
        heapq.heapify(queue)
        self.list_size[q] -= 1
        self.listed.pop(patient, None)
        return entry

    def serve_queue(self, q: int, now: float) -> None:
        queue, free, mixed = self.queues[q], self.free_units[q], self.mixed[q]
        while queue and free and not (mixed and self.closed(q, now)):
            patient, s, joined, queued = self.take_from_list(q)
            if patient is not None:
                self.start(patient, s, joined, queued, now, q)

    def take_from_list(self, q: int, in_turn: bool = True
                       ) -> tuple[int | None, int, float, int]:
        """The head of pool q's list, taken off it (None for an entry already removed);
        not ``in_turn``, a patient drawn at random from those of the head's priority."""
        queue = self.queues[q]
        if in_turn or len(queue) < 2:
            entry = heappop(queue)
        else:
            entry = self.out_of_turn(queue)
        _, _, patient, s, joined, _, queued = entry
        if patient in self.removed:
            return None, s, joined, queued
        self.list_size[q] -= 1
        if self.offers_on:
            del self.waiting[patient]
        if self.removal_on:
            self.listed.pop(patient, None)
        return patient, s, joined, queued

    def out_of_turn(self, queue: list[Entry]) -> Entry:
        """A random entry of the list, if it shares the head's priority (else the head),
        taken off the heap in O(log n): the last entry takes its place and is sifted."""
        i = int(self.turn_draws.next() * len(queue))
        if queue[i][0] != queue[0][0]:
            return heappop(queue)
        entry, last = queue[i], queue.pop()
        if i < len(queue):
            queue[i] = last
            # heapq's own re-heapify of one slot (private, not in its type stubs)
            heapq._siftup(queue, i)  # type: ignore[attr-defined]
            heapq._siftdown(queue, 0, i)  # type: ignore[attr-defined]
        return entry

    def still_waiting(self, records_waiting: list) -> None:
        """Log who is still on a list at the horizon: joined, never started."""
        for queue in self.queues:
            for _, _, patient, s, joined, nominal, queued in queue:
                if patient not in self.removed:
                    records_waiting.extend((patient, s, nominal, joined, queued))

