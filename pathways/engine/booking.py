"""Booking bookable capacity: at each session's start its slots are booked from the pool's
list, one after another through the session (across its parallel clinics); a booked
patient may not attend, and the provider reviews its lists and adds sessions (the
supply response of pathways.engine.sessions)."""

from __future__ import annotations

from pathways.engine.journeys import Journeys
from pathways.engine.market import MarketEntrants
from pathways.engine.replication import Replication
from pathways.engine.sessions import Sessions
from pathways.engine.streams import Draws, stream
from pathways.engine.waiting_lists import WaitingLists


class Booking:
    """The sessions of one replication and what is booked into them."""

    def __init__(self, rep: Replication, sessions: Sessions, lists: WaitingLists,
                 journeys: Journeys, market: MarketEntrants | None):
        model = rep.model
        self.rep, self.sessions, self.lists, self.journeys = rep, sessions, lists, journeys
        self.market = market
        self.managed = managed = model.managed_list
        self.in_turn_share = managed.booked_in_turn_share
        self.all_in_turn = self.in_turn_share >= 1
        self.dna_share = managed.did_not_attend_share
        self.dna_on = self.dna_share > 0 and any(lists.bookable)
        self.dna_draws = Draws(stream(rep.seed, rep.replication, "did_not_attend", "slots"))
        self.stage_pathway, self.rtt_pathway = lists.stage_pathway, lists.rtt_pathway

    def schedule_sessions(self) -> None:
        """Every bookable resource's first session (each schedules the next)."""
        for r, (at, ends) in self.sessions.first_sessions():
            if at < self.rep.horizon_days:
                self.rep.after(at, self.session_starts, (r, at, ends))

    def schedule_reviews(self) -> None:
        """The provider's first look at each bookable list, where it may respond."""
        if self.managed.max_extra_share > 0:
            for q, bookable in enumerate(self.lists.bookable):
                if bookable:
                    self.rep.after(self.managed.review_every_days, self.review_list, q)

    def session_starts(self, info: tuple[int, float, float]) -> None:
        """A session of a bookable resource: its slots are booked from the head of the
        list, one after another through the session (across its parallel clinics)."""
        r, at, ends = info
        rep, sessions, lists, market = self.rep, self.sessions, self.lists, self.market
        now = rep.now
        q = rep.model.resource_pool[r]
        slots = 0 if market is not None and r in market.closed_resources \
            else sessions.slots_now(r, q)
        capacity = sessions.capacity[r]
        per_unit = -(-slots // capacity) if slots else 1
        step = (ends - at) / per_unit
        booked = 0
        queue = lists.queues[q]
        all_in_turn, in_turn_share, turn_draw = (self.all_in_turn, self.in_turn_share,
                                                 lists.turn_draws.next)
        take_from_list, start = lists.take_from_list, self.journeys.start
        while booked < slots and queue:
            in_turn = all_in_turn or turn_draw() < in_turn_share
            patient, s, joined, queued = take_from_list(q, in_turn)
            if patient is None:
                continue
            unit = sessions.first_unit[r] + booked % capacity
            later = at + (booked // capacity) * step - now
            booked += 1
            if self.dna_on and self.stage_pathway[s] in self.rtt_pathway \
                    and self.dna_draws.next() < self.dna_share:
                self.missed(patient, s, q, unit, joined, now + later)
                continue
            start(patient, s, joined, queued, now, q, unit, later)
        sessions.held(r, q, at, slots, booked)
        if market is not None:
            market.session_held(r, at, slots, booked)
        following = sessions.next_session(r, ends)
        if following[0] < rep.horizon_days:
            rep.after(following[0] - now, self.session_starts, (r, *following))

    def missed(self, patient: int, s: int, q: int, unit: int, joined: float,
               when: float) -> None:
        """The patient did not attend the slot booked for ``when``: the slot is lost and
        they go back on the list, behind those already on it."""
        rep = self.rep
        resource = self.lists.unit_resource[q][unit]
        rep.records.missed.extend((patient, when, s, resource))
        self.lists.join_list(patient, s, q, resource, joined, rep.now, next(rep.sequence), None)

    def review_list(self, q: int) -> None:
        """The provider looks at its list and decides how many sessions to add."""
        share = self.sessions.response(q)
        if self.managed.response_delay_days > 0:
            self.rep.after(self.managed.response_delay_days, self.response_starts, (q, share))
        else:
            self.sessions.extra_share[q] = share
        self.rep.after(self.managed.review_every_days, self.review_list, q)

    def response_starts(self, info: tuple[int, float]) -> None:
        q, share = info
        self.sessions.extra_share[q] = share
