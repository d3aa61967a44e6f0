"""The engine: one replication of a compiled Model on a discrete-event calendar.

This is the hot path. The future-event list is a plain heap of (time, order, callback,
info) tuples; patients are not generator processes but callbacks (one event per
arrival, per service end, per session, per calendar wake-up and per handoff delay),
and queues are pools of servers: a free-unit stack plus a heap keyed by (priority,
arrival order). That avoids the request/release events, generator switches and event
objects of idiomatic SimPy, which is where most of its time goes (the benchmarks still
measure it against bare SimPy and Ciw on the same networks). Random numbers are drawn
in blocks from one stream per purpose. Every log row is recorded as a few numbers in a
flat list, with a global sequence number saying in which order things happened (so
rows at the same instant, such as one patient's service ending and the next one's
starting, keep their true order); the event log is assembled with numpy after the run.
In a health economy, the rules of pathways.engine.economy_rules say which provider
serves a patient and what each transfer between contacts costs.
"""

from __future__ import annotations

import gc
import heapq
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from pathways.engine.chronic import ChronicCohort
from pathways.engine.economy_rules import FUNDED_RANK, RANKS, EconomyRules
from pathways.engine.emergencies import EmergencyArrivals
from pathways.engine.market import MarketEntrants
from pathways.engine.sessions import Sessions, removal_table
from pathways.engine.streams import stream
from pathways.log.assemble import Records, assemble_event_log
from pathways.log.event_log import (
    CancellationTable,
    EmergencyTable,
    EventLog,
    HeldTable,
    MoneyInfo,
    PracticeInfo,
    ResourceInfo,
    SiteInfo,
    StageInfo,
)
from pathways.model.arrivals import ArrivalClock, weekly_rates_per_day
from pathways.model.model import EXIT, NO_RESOURCE, Model

BLOCK = 2048  # random numbers drawn per refill
BY_KIND = -2  # a stage whose pool is chosen per patient


def simulate_replication(model: Model, seed: int, replication: int) -> EventLog:
    """Run one replication and return its event log."""
    horizon = model.horizon_days
    # The future-event list: a heap of (time, order, callback, info). Events at one
    # time happen in the order they were scheduled.
    calendar: list[tuple] = []
    order = itertools.count()
    clock_days = 0.0  # the time of the event being handled
    rules = None if model.economy is None else EconomyRules(model, seed, replication)

    n_stages = len(model.stages)
    records = Records()  # flat record lists (cheaper to fill and convert than tuples)
    stage_pool = [
        BY_KIND if s.kind != NO_RESOURCE
        else NO_RESOURCE if s.resource == NO_RESOURCE else model.resource_pool[s.resource]
        for s in model.stages
    ]
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
    repeat_stages = set() if rules is None else set(model.economy.repeat_stage) - {NO_RESOURCE}
    resumes: dict[int, tuple] = {}  # patient -> (stage, pool, resource) after a repeat test
    offer_after = None if rules is None else model.economy.patient_choice_threshold_days
    offers_on = offer_after is not None
    waiting: dict[int, tuple] = {}  # patient -> (pool, queue entry), kept only for offers
    # Holding two resources: a stage that needs the next stage's unit free as it starts
    # (an operation and its bed: cancelled and rebooked if none), and a stage that keeps
    # its unit until the next stage starts (a bed while discharge is arranged).
    cancellable = {i for i, st in enumerate(model.stages) if st.rebook_sampler is not None}
    rebook_rngs = {i: stream(seed, replication, "rebook", model.stages[i].name)
                   for i in cancellable}
    rebook_buffers: dict[int, list[float]] = {i: [] for i in cancellable}
    reserved: dict[int, tuple[int, int]] = {}  # patient -> (pool, unit) held for the next stage
    keeps = [st.keep_until_next_starts for st in model.stages]
    holding = any(keeps)
    held: dict[int, tuple] = {}  # patient -> (stage, pool, unit, resource, local, ready)
    chronic = None if rules is None else model.economy.chronic
    review_stages = frozenset(() if chronic is None else
                              (c.review_stage for c in chronic.conditions))
    lead = [s.lead_days for s in model.stages]
    ranked = rules is not None and rules.ranking  # urgency or deprivation splits a priority
    by_contract = model.provider_ordered_stages  # reviews queued as the provider's contract says
    pool_review_priority = [q.review_priority for q in model.pools]
    ranks = None if rules is None else rules.rank
    per_case_first = [q.per_case_first for q in model.pools]

    # A pool's servers share one calendar (or none), or each keeps its own ("mixed",
    # pooled lists across sites with different sessions).
    mixed = [q.mixed_calendars for q in model.pools]
    calendars = [q.calendar for q in model.pools]
    unit_calendars = [q.unit_calendar for q in model.pools]
    unit_resource = [q.unit_resource for q in model.pools]
    unit_local = [q.unit_local for q in model.pools]
    free_units = [list(range(len(q.unit_resource) - 1, -1, -1)) for q in model.pools]
    queues: list[list] = [[] for _ in model.pools]
    # Bookable capacity: a pool's list is booked into the sessions of its resources.
    bookable = [all(model.resources[r].bookable for r in q.unit_resource) for q in model.pools]
    sessions = Sessions(model, records)
    list_size = sessions.listed  # patients on each pool's list, read by the supply response
    managed = model.managed_list
    removal_on = managed.removal_rate_per_day > 0 and any(bookable)
    removal_rng = stream(seed, replication, "removals", "lists")
    removal_buffer: list[float] = []
    rtt_pathway = {s.pathway for s in model.stages if s.rtt_stop is not None}
    stops_clock = [s.rtt_stop is not None for s in model.stages]
    treated: set[int] = set()  # patients whose RTT clock has stopped
    listed: dict[int, int] = {}  # patient -> order of joining, while removable from a list
    removals_due: list[tuple] = []  # (when, order, patient, pool, stage, nominal): a heap
    removed: set[int] = set()  # removed untreated; their entries are skipped when popped
    in_turn_share = managed.booked_in_turn_share
    all_in_turn = in_turn_share >= 1
    turn_rng = stream(seed, replication, "booking_order", "slots")
    turn_buffer: list[float] = []
    dna_share = managed.did_not_attend_share
    dna_on = dna_share > 0 and any(bookable)
    dna_rng = stream(seed, replication, "did_not_attend", "slots")
    dna_buffer: list[float] = []
    wake_at = [np.inf] * len(model.pools)  # the earliest wake-up already scheduled
    sequence = itertools.count()  # the order in which things happen

    add_start, add_end = records.started.extend, records.ended.extend
    add_arrival, add_exit = records.arrived.extend, records.exited.extend
    heappush, heappop = heapq.heappush, heapq.heappop

    def after(delay: float, callback, info) -> None:
        """Call ``callback(info)`` ``delay`` days from now."""
        heappush(calendar, (clock_days + delay, next(order), callback, info))

    def next_stage(s: int) -> int:
        targets, cumulative = routes[s]
        if cumulative is None:
            return targets
        buffer = routing_buffers[s]
        if not buffer:
            buffer.extend(routing_rngs[s].random(BLOCK).tolist())
        u = buffer.pop()
        for target, bound in zip(targets, cumulative, strict=False):
            if u < bound:
                return target
        return targets[-1]

    def start(patient: int, s: int, joined: float, queued: int, now: float, q: int,
              unit: int | None = None, later: float = 0.0) -> None:
        """Start stage s on a free unit of pool q (or on ``unit``, held or booked for
        it), ``later`` days from now: a slot booked later in a session that starts now
        (the bed it needs is checked as the list is drawn up)."""
        if q == NO_RESOURCE:
            unit, resource, local = NO_RESOURCE, NO_RESOURCE, NO_RESOURCE
        else:
            if unit is None:
                unit = take_unit(q, now)
            resource, local = unit_resource[q][unit], unit_local[q][unit]
        durations = duration_buffers[s]
        if not durations:
            durations.extend(samplers[s](duration_rngs[s], BLOCK).tolist())
        duration = durations.pop()
        if s in cancellable and not reserve_next(patient, s, now):
            cancel(patient, s, q, unit, resource, queued, duration, now + later)
            return
        if holding and patient in held:
            release(patient, now)
        if removal_on and stops_clock[s]:
            treated.add(patient)
        begins = now + later
        add_start((patient, s, resource, local, joined, queued, begins, next(sequence)))
        if rules is not None and resource != NO_RESOURCE:
            rules.started(patient, s, resource, begins)
            if s in review_stages:
                cohort.reviewed(patient, begins)
        # after(), inlined: the most frequent event
        heappush(calendar, (clock_days + (later + duration), next(order), service_ended,
                            (patient, s, q, unit, resource, local)))

    def take_unit(q: int, now: float) -> int:
        return free_units[q].pop(open_free_unit(q, now)) if mixed[q] else free_units[q].pop()

    def reserve_next(patient: int, s: int, now: float) -> bool:
        """Hold a unit of the next stage's resource from now on (the bed from the start
        of the operation); False when none is free (a free unit with patients queued
        for it is closed: they would otherwise have been served)."""
        target = routes[s][0]
        q = stage_pool[target]
        if q == BY_KIND:
            q = model.resource_pool[rules.resource_for(patient, target, now)]
        if not free_units[q] or closed(q, now):
            return False
        reserved[patient] = (q, take_unit(q, now))
        return True

    def cancel(patient: int, s: int, q: int, unit: int, resource: int, queued: int,
               duration: float, when: float) -> None:
        """Cancelled on the day (``when``): the slot is lost (the server stays idle for
        it) and the patient rejoins the list after the rebooking delay, keeping their
        place."""
        records.cancelled.extend((patient, when, s, resource))
        if q != NO_RESOURCE and not bookable[q]:  # a booked slot is simply lost
            after(duration, slot_freed, (q, unit))
        buffer = rebook_buffers[s]
        if not buffer:
            buffer.extend(model.stages[s].rebook_sampler(rebook_rngs[s], BLOCK).tolist())
        after(when - clock_days + buffer.pop(), transfer_done,
              (patient, s, q, resource, queued))

    def free_unit(q: int, unit: int, now: float) -> None:
        free_units[q].append(unit)
        if queues[q] and not closed(q, now):
            serve_queue(q, now)

    def slot_freed(info) -> None:
        q, unit = info
        free_unit(q, unit, clock_days)

    def finish(patient: int, s: int, q: int, unit: int, resource: int, local: int,
               now: float) -> None:
        add_end((patient, s, resource, local, now, next(sequence)))
        if q != NO_RESOURCE and not bookable[q]:
            free_unit(q, unit, now)

    def release(patient: int, now: float) -> None:
        """The patient's next stage starts: the unit kept since ``ready`` is freed."""
        s, q, unit, resource, local, ready = held.pop(patient)
        records.held.extend((patient, s, resource, ready, now))
        finish(patient, s, q, unit, resource, local, now)

    def open_free_unit(q: int, now: float) -> int:
        """Position in free_units[q] of a free server whose calendar is open now (-1: none)."""
        for position in range(len(free_units[q]) - 1, -1, -1):
            calendar = unit_calendars[q][free_units[q][position]]
            if calendar is None or calendar.is_open(now):
                return position
        return -1

    def closed(q: int, now: float) -> bool:
        """True when no free server of q may start now; then make sure q wakes at the
        next opening of one of them."""
        if mixed[q]:
            if not free_units[q]:
                return True  # a service end will serve the queue
            if open_free_unit(q, now) >= 0:
                return False
            opens = min(unit_calendars[q][u].next_open(now) for u in free_units[q])
        else:
            calendar = calendars[q]
            if calendar is None:
                return False
            opens = calendar.next_open(now)
            if opens == now:
                return False
        if opens < wake_at[q]:
            wake_at[q] = opens
            after(opens - now, session_opens, (q, opens))
        return True

    def enter(patient: int, s: int, q: int, nominal: int, now: float,
              place: int | None = None) -> None:
        """Join the queue of pool q (or start at once) for stage s, after the stage's
        administrative lead time. A patient moved from another provider's list, or
        rebooked after a cancellation, joins this one now with no new lead time and
        keeps their place in time: ``place``, the order in which they first joined."""
        if lead[s] > 0 and place is None:
            after_lead(patient, s, q, nominal, now, now + lead[s])
        else:
            join_list(patient, s, q, nominal, now, now, next(sequence), place)

    def after_lead(patient: int, s: int, q: int, nominal: int, joined: float,
                   listed_at: float) -> None:
        """Join the list at ``listed_at``, when the lead time since ``joined`` is over."""
        after(listed_at - clock_days, lead_done, (patient, s, q, nominal, joined))

    def lead_done(info) -> None:
        """The lead time since ``joined`` is over: on to the list (in order of time on
        it, which for one stage is the order of reaching the stage)."""
        patient, s, q, nominal, joined = info
        join_list(patient, s, q, nominal, joined, clock_days, next(sequence), None)

    def join_list(patient: int, s: int, q: int, nominal: int, joined: float, now: float,
                  queued: int, place: int | None) -> None:
        """Start at once on a free server, or wait on the list (a bookable list always
        waits for its next session). ``joined`` is when the stage was reached (the
        lead time runs from it); the wait is counted from there."""
        if reserved and patient in reserved and s not in repeat_stages:  # a unit held for s
            held_pool, unit = reserved.pop(patient)
            if held_pool == q:
                start(patient, s, joined, queued, now, q, unit)
                return
            free_unit(held_pool, unit, now)
        if q == NO_RESOURCE or (not bookable[q] and free_units[q] and not queues[q]
                                and not closed(q, now)):
            start(patient, s, joined, queued, now, q)
            return
        # No wake-up needed here: every unit is busy (a service end will serve the
        # queue), closed() has scheduled the opening, or the next session books it.
        # The sequence number doubles as the FIFO tie-break within a priority.
        priority = stage_priority[s]
        if by_contract and s in by_contract:
            priority = pool_review_priority[q]
        if ranked:  # within each stage priority: urgent, funded (where it pays), protected
            rank = ranks[patient]
            if not per_case_first[q]:
                rank |= FUNDED_RANK
            priority = RANKS * priority + rank
        entry = (priority, queued if place is None else place, patient, s, joined, nominal,
                 queued)
        heappush(queues[q], entry)
        list_size[q] += 1
        if offers_on:
            waiting[patient] = (q, entry)
        if removal_on and bookable[q] and stage_pathway[s] in rtt_pathway \
                and patient not in treated:
            listed[patient] = queued
            if not removal_buffer:
                removal_buffer.extend(removal_rng.exponential(
                    1.0 / managed.removal_rate_per_day, BLOCK).tolist())
            heappush(removals_due, (now + removal_buffer.pop(), queued, patient, q, s, nominal))

    def remove_due(info) -> None:
        """Once a day: patients whose removal fell due since the last look leave their
        list untreated, if still waiting on it (not booked, not moved); the RTT clock
        stops, but not as a completed pathway. (Removal dates wait in a heap of their
        own, not as events: most patients are booked long before theirs. They hold no
        reference to the list entry, so a booked patient's entry is freed at once.)"""
        now = clock_days
        while removals_due and removals_due[0][0] <= now:
            _, queued, patient, q, s, nominal = heappop(removals_due)
            if listed.get(patient) != queued:
                continue
            del listed[patient]
            removed.add(patient)
            list_size[q] -= 1
            if offers_on:
                del waiting[patient]
            records.removed.extend((patient, now, s, nominal))
            if rules is not None:
                rules.left_list(patient)
            add_exit((patient, stage_pathway[s], now, next(sequence)))
        after(1.0, remove_due, None)

    def join_network(patient: int, s: int, now: float) -> None:
        """Move on to stage s of a plain network: straight into its queue."""
        enter(patient, s, stage_pool[s], stage_resource[s], now)

    def join_economy(patient: int, s: int, now: float) -> None:
        """Move on to stage s in a health economy, through the transfer it may involve."""
        q = stage_pool[s]
        nominal = stage_resource[s]
        if q == BY_KIND:
            nominal = rules.resource_for(patient, s, now)
            q = model.resource_pool[nominal]
        if nominal == NO_RESOURCE:
            enter(patient, s, q, nominal, now)
            return
        delay, repeat = rules.transfer(patient, nominal, s, now)
        if repeat:  # a repeat test at the receiving provider first, then stage s
            resumes[patient] = (s, q, nominal)
            nominal = rules.repeat_resource(nominal)
            s, q = model.economy.repeat_stage[stage_pathway[s]], model.resource_pool[nominal]
        if delay > 0 and lead[s] > 0:  # the transfer and the lead time as one wait
            after_lead(patient, s, q, nominal, now + delay, now + delay + lead[s])
        elif delay > 0:
            after(delay, transfer_done, (patient, s, q, nominal, None))
        else:
            enter(patient, s, q, nominal, now)

    join = join_network if rules is None else join_economy

    def transfer_done(info) -> None:
        patient, s, q, nominal, place = info
        enter(patient, s, q, nominal, clock_days, place)

    def offer_faster_provider(info) -> None:
        """The Patient Choice rule: a patient still on a list at the threshold is
        offered providers with shorter published waits, and may move (a handoff)."""
        patient = info
        if patient not in waiting:
            return
        q, entry = waiting[patient]
        _, place, _, s, _, _, _ = entry
        now = clock_days
        moved = rules.offer(patient, s, now)
        if moved is None:
            return
        nominal, delay = moved
        queues[q].remove(entry)
        heapq.heapify(queues[q])
        del waiting[patient]
        list_size[q] -= 1
        listed.pop(patient, None)
        after(delay, transfer_done, (patient, s, model.resource_pool[nominal], nominal,
                                             place))

    def serve_queue(q: int, now: float) -> None:
        queue, free = queues[q], free_units[q]
        while queue and free and not (mixed[q] and closed(q, now)):
            patient, s, joined, queued = take_from_list(q)
            if patient is not None:
                start(patient, s, joined, queued, now, q)

    def take_from_list(q: int, in_turn: bool = True) -> tuple:
        """The head of pool q's list, taken off it (None for an entry already removed);
        not ``in_turn``, a patient drawn at random from those of the head's priority."""
        queue = queues[q]
        if in_turn or len(queue) < 2:
            entry = heappop(queue)
        else:
            entry = out_of_turn(queue)
        _, _, patient, s, joined, _, queued = entry
        if patient in removed:
            return None, s, joined, queued
        list_size[q] -= 1
        if offers_on:
            del waiting[patient]
        if removal_on:
            listed.pop(patient, None)
        return patient, s, joined, queued

    def out_of_turn(queue: list) -> tuple:
        """A random entry of the list, if it shares the head's priority (else the head),
        taken off the heap in O(log n): the last entry takes its place and is sifted."""
        i = int(turn_draw() * len(queue))
        if queue[i][0] != queue[0][0]:
            return heappop(queue)
        entry, last = queue[i], queue.pop()
        if i < len(queue):
            queue[i] = last
            heapq._siftup(queue, i)  # heapq's own re-heapify of one slot
            heapq._siftdown(queue, 0, i)
        return entry

    def session_starts(info) -> None:
        """A session of a bookable resource: its slots are booked from the head of the
        list, one after another through the session (across its parallel clinics)."""
        r, at, ends = info
        now = clock_days
        q = model.resource_pool[r]
        slots = 0 if market is not None and r in market.closed_resources \
            else sessions.slots_now(r, q)
        per_unit = -(-slots // sessions.capacity[r]) if slots else 1
        step = (ends - at) / per_unit
        booked = 0
        queue = queues[q]
        while booked < slots and queue:
            in_turn = all_in_turn or turn_draw() < in_turn_share
            patient, s, joined, queued = take_from_list(q, in_turn)
            if patient is None:
                continue
            unit = sessions.first_unit[r] + booked % sessions.capacity[r]
            later = at + (booked // sessions.capacity[r]) * step - now
            booked += 1
            if dna_on and stage_pathway[s] in rtt_pathway:
                if not dna_buffer:
                    dna_buffer.extend(dna_rng.random(BLOCK).tolist())
                if dna_buffer.pop() < dna_share:
                    missed(patient, s, q, unit, joined, now + later)
                    continue
            start(patient, s, joined, queued, now, q, unit, later)
        sessions.held(r, q, at, slots, booked)
        if market is not None:
            market.session_held(r, at, slots, booked)
        following = sessions.next_session(r, ends)
        if following[0] < horizon:
            after(following[0] - now, session_starts, (r, *following))

    def turn_draw() -> float:
        if not turn_buffer:
            turn_buffer.extend(turn_rng.random(BLOCK).tolist())
        return turn_buffer.pop()

    def missed(patient: int, s: int, q: int, unit: int, joined: float, when: float) -> None:
        """The patient did not attend the slot booked for ``when``: the slot is lost and
        they go back on the list, behind those already on it."""
        resource = unit_resource[q][unit]
        records.missed.extend((patient, when, s, resource))
        join_list(patient, s, q, resource, joined, clock_days, next(sequence), None)

    def review_list(info) -> None:
        """The provider looks at its list and decides how many sessions to add."""
        q = info
        share = sessions.response(q)
        if managed.response_delay_days > 0:
            after(managed.response_delay_days, response_starts, (q, share))
        else:
            sessions.extra_share[q] = share
        after(managed.review_every_days, review_list, q)

    def response_starts(info) -> None:
        q, share = info
        sessions.extra_share[q] = share

    def service_ended(info) -> None:
        patient, s, q, unit, resource, local = info
        now = clock_days
        if s in repeat_stages:
            finish(patient, s, q, unit, resource, local, now)
            target, q, nominal = resumes.pop(patient)
            enter(patient, target, q, nominal, now)
            return
        target = next_stage(s)
        if keeps[s] and target != EXIT and q != NO_RESOURCE:
            held[patient] = (s, q, unit, resource, local, now)
        else:
            finish(patient, s, q, unit, resource, local, now)
        if target == EXIT:
            add_exit((patient, stage_pathway[s], now, next(sequence)))
            if rules is not None:
                rules.discharge(patient, now)
        else:
            join(patient, target, now)

    def session_opens(info) -> None:
        # Compared with the opening it was scheduled for, not with the clock: now - the
        # delay + the delay can round a hair below the opening.
        q, opens = info
        if wake_at[q] == opens:
            wake_at[q] = np.inf
        if not closed(q, clock_days):
            serve_queue(q, clock_days)

    patient_ids = itertools.count()
    referrals = () if rules is None else model.economy.referrals
    sources = [(a.hourly_rates_per_day, "arrivals", a.name) for a in model.arrivals] + [
        (weekly_rates_per_day(r.rate_per_day), "referrals", r.name) for r in referrals]
    clocks = [ArrivalClock(rates, stream(seed, replication, purpose, name), BLOCK)
              for rates, purpose, name in sources]
    pending_times: list[list[float]] = [[] for _ in sources]
    n_plain = len(model.arrivals)

    def schedule_arrival(k: int, now: float) -> None:
        times = pending_times[k]
        if not times:
            times.extend(clocks[k].next_block()[::-1].tolist())
        at = times.pop()
        if at < horizon:
            after(at - now, patient_arrives, k)

    def patient_arrives(info) -> None:
        k = info
        now = clock_days
        patient = next(patient_ids)
        if k < n_plain:
            pathway, first = model.arrivals[k].pathway, model.arrivals[k].start_stage
        else:
            pathway, first = referrals[k - n_plain].pathway, rules.refer(patient, k - n_plain, now)
            if first is None:  # the GP did not refer: the local wait is too long
                schedule_arrival(k, now)
                return
        add_arrival((patient, pathway, now, next(sequence)))
        if offers_on and k >= n_plain:
            after(offer_after, offer_faster_provider, patient)
        join(patient, first, now)
        schedule_arrival(k, now)

    def begin_journey(practice: int, pathway: int, first: int, site: int, emergency: bool,
                      now: float, registered=None) -> None:
        """A journey from a practice's list that nobody chooses (a chronic review or
        contact, an emergency admission). An emergency goes straight to the hospital's
        resource (no referral from the practice to wait for), and a contact at the
        patient's own practice is no transfer. ``registered(patient)`` is told the
        patient's id before the first stage starts."""
        patient = next(patient_ids)
        add_arrival((patient, pathway, now, next(sequence)))
        contact = model.economy.pathway_choice_stage[pathway]  # its first stage with a kind
        nominal = NO_RESOURCE
        if emergency or site == model.economy.practice_site[practice]:
            nominal = int(model.economy.nominal_resource[model.stages[contact].kind, site])
        rules.enrol(patient, practice, site, nominal)
        if registered is not None:
            registered(patient)
        if nominal != NO_RESOURCE and first == contact:
            enter(patient, first, model.resource_pool[nominal], nominal, now)
        else:  # through the stages before it (from the provider itself, if direct)
            join(patient, first, now)

    def begin_episode(person: int, pathway: int, first: int, site: int, emergency: bool,
                      now: float, proactive: bool) -> None:
        """A chronic patient's review falls due, they are admitted as an emergency, or a
        case manager contacts them. A proactive contact is not an episode of the
        cohort's table (neither review nor admission)."""
        begin_journey(cohort.practice[person], pathway, first, site, emergency, now,
                      None if proactive else
                      (lambda patient: cohort.episode(patient, person, emergency)))

    def admit_emergency(practice: int, now: float, service: int) -> None:
        """An emergency from the practice's list: taken by avoidance ``service`` where
        it has a unit free at the practice's nearest site, else admitted at its nearest
        hospital."""
        route = emergencies
        if service >= 0:
            route = emergencies.avoidance[service]
            site = int(route.site[practice])
            kind = model.stages[route.contact_stage].kind
            q = model.resource_pool[model.economy.nominal_resource[kind, site]]
            if not free_units[q] or closed(q, now):
                route, service = emergencies, -1
        begin_journey(practice, route.pathway, route.start_stage, int(route.site[practice]),
                      True, now, lambda patient: admitted.extend((patient, practice, now,
                                                                  service)))

    def publish_waits(info) -> None:
        rules.publish(clock_days)
        after(model.economy.publish_every_days, publish_waits, None)

    cohort = None
    if chronic is not None:
        cohort = ChronicCohort(chronic, model.economy, seed, replication,
                               after, lambda: clock_days,
                               begin_episode)
        cohort.populate()
    for k in range(len(sources)):
        schedule_arrival(k, 0.0)
    if rules is not None and rules.publishing:
        after(model.economy.publish_every_days, publish_waits, None)
    for r, (at, ends) in sessions.first_sessions():
        if at < horizon:
            after(at, session_starts, (r, at, ends))
    if removal_on:
        after(1.0, remove_due, None)
    emergencies = None if rules is None else model.economy.emergencies
    admitted: list = []  # patient, practice, time, avoidance service of each emergency
    if emergencies is not None:
        EmergencyArrivals(emergencies, seed, replication, after, lambda: clock_days,
                          admit_emergency).start()
    market = None if rules is None or model.economy.market is None else MarketEntrants(
        model.economy, rules, list_size, model.resource_pool, after, lambda: clock_days)
    if market is not None:
        market.start()
    if managed.max_extra_share > 0:
        for q in range(len(model.pools)):
            if bookable[q]:
                after(managed.review_every_days, review_list, q)
    with _collector_paused():
        while calendar and calendar[0][0] < horizon:
            clock_days, _, handle, details = heappop(calendar)
            handle(details)

    for queue in queues:  # still waiting at the horizon: joined, never started
        for _, _, patient, s, joined, nominal, queued in queue:
            if patient not in removed:
                records.waiting.extend((patient, s, nominal, joined, queued))
    for patient, (s, _, _, resource, _, ready) in held.items():  # still kept at the horizon
        records.held.extend((patient, s, resource, ready, np.inf))

    meta = _log_meta(model, rules)
    if cancellable:
        c = np.array(records.cancelled, dtype=np.float64).reshape(-1, 4).T
        meta["cancellations"] = CancellationTable(
            patient=c[0].astype(np.int64), time=c[1], stage=c[2].astype(np.int16),
            resource=c[3].astype(np.int16))
    if holding:
        h = np.array(records.held, dtype=np.float64).reshape(-1, 5).T
        meta["held"] = HeldTable(
            patient=h[0].astype(np.int64), stage=h[1].astype(np.int16),
            resource=h[2].astype(np.int16), ready=h[3], released=h[4])
    if cohort is not None:
        meta["chronic"] = cohort.table()
    if removal_on:
        meta["removals"] = removal_table(records.removed)
    if dna_on:
        meta["missed"] = removal_table(records.missed)
    if any(bookable):
        meta["sessions"] = sessions.table()
    if market is not None:
        meta["market"] = market.table()
    if emergencies is not None:
        a = np.array(admitted, dtype=np.float64).reshape(-1, 4).T
        meta["emergencies"] = EmergencyTable(
            patient=a[0].astype(np.int64), practice=a[1].astype(np.int32), time=a[2],
            service=a[3].astype(np.int16))
    return assemble_event_log(
        records, stage_pathway=np.asarray(stage_pathway), replication=replication, **meta)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the calendar runs. The engine makes
    no reference cycles per event, but it keeps hundreds of thousands of small tuples
    alive (lists, log rows), which the collector would walk again and again: about a
    twentieth of a replication's time. Memory is freed by reference counting as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _log_meta(model: Model, rules: EconomyRules | None) -> dict:
    """The name tables and static facts the log carries, so metrics need nothing else."""
    meta = {
        "horizon_days": model.horizon_days,
        "warmup_days": model.warmup_days,
        "scenario": model.name,
        "pathways": model.pathways,
        "stages": tuple(StageInfo(s.name, s.pathway, s.resource, s.rtt_stop, s.lead_days)
                        for s in model.stages),
    }
    economy = model.economy
    if economy is None:
        meta["resources"] = tuple(
            ResourceInfo(r.name, r.capacity, None if r.calendar is None else r.calendar.intervals,
                         slots_per_session=r.slots_per_session)
            for r in model.resources)
        return meta
    meta["resources"] = tuple(
        ResourceInfo(r.name, r.capacity, None if r.calendar is None else r.calendar.intervals,
                     economy.resource_organisation[i], economy.resource_site[i],
                     economy.resource_kind[i], r.slots_per_session)
        for i, r in enumerate(model.resources))
    meta["organisations"] = economy.organisations
    meta["sites"] = tuple(
        SiteInfo(name, int(org), float(x), float(y))
        for name, org, (x, y) in zip(economy.sites, economy.site_organisation, economy.site_xy_km, strict=False))
    meta["practices"] = tuple(
        PracticeInfo(name, int(size), float(x), float(y), int(quintile), int(org), bool(fund))
        for name, size, (x, y), quintile, org, fund in zip(
            economy.practices, economy.practice_list_size, economy.practice_xy_km,
            economy.practice_quintile, economy.practice_organisation,
            economy.practice_fundholding, strict=False))
    meta["patients"], meta["handoffs"] = rules.tables()
    meta["published"], meta["offers"] = rules.published_table(), rules.offer_table()
    if rules.rival is not None:
        meta["commissioners"] = rules.rival.table()
    if economy.emergencies is not None:
        meta["emergency_admission_stage"] = economy.emergencies.admission_stage
    meta["money"] = None if model.money is None else MoneyInfo(**model.money)
    return meta
