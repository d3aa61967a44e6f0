"""Where journeys begin: the model's arrival streams and GP referrals (each arrival
schedules the next of its stream), and in a health economy the journeys from a
practice's list that nobody chooses (chronic reviews and contacts, emergency
admissions)."""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush

import numpy as np

from pathways.engine.economy_rules import EconomyRules
from pathways.engine.journeys import Journeys
from pathways.engine.replication import Replication
from pathways.engine.waiting_lists import WaitingLists
from pathways.log.assemble import record_columns
from pathways.log.event_log import EmergencyTable
from pathways.model.arrivals import ArrivalClock
from pathways.model.emergencies import AvoidanceRoute, PopulationEmergencies
from pathways.model.model import NO_RESOURCE

#: registered(patient): told a new journey's patient id before its first stage starts
Registered = Callable[[int], None]


class Arrivals:
    """The arrival streams (``clocks``: the model's arrivals, then the economy's
    referrals) of one replication. A referred patient still waiting ``offer_after_days``
    later is offered a faster provider, where the Patient Choice rule applies."""

    def __init__(self, rep: Replication, clocks: list[ArrivalClock], journeys: Journeys,
                 rules: EconomyRules | None, offer_faster_provider: Callable[[int], None] | None,
                 offer_after_days: float | None):
        self.rep, self.clocks, self.journeys, self.rules = rep, clocks, journeys, rules
        self.pending_times: list[list[float]] = [[] for _ in clocks]
        self.arrivals = rep.model.arrivals
        self.n_plain = len(self.arrivals)
        self.referrals = () if rules is None else rules.economy.referrals
        self.offer_faster_provider = offer_faster_provider
        self.offer_after_days = offer_after_days
        self._arrives = self.arrives  # bound once, not a new bound method per arrival

    def start(self) -> None:
        for k in range(len(self.clocks)):
            self.schedule(k, 0.0)

    def schedule(self, k: int, now: float) -> None:
        """The next arrival of stream k (none past the horizon)."""
        times = self.pending_times[k]
        if not times:
            times.extend(self.clocks[k].next_block()[::-1].tolist())
        at = times.pop()
        rep = self.rep
        if at < rep.horizon_days:  # rep.after(at - now, ...), inlined: one per arrival
            heappush(rep.calendar, (now + (at - now), next(rep.order), self._arrives, k))

    def arrives(self, k: int) -> None:
        rep = self.rep
        now = rep.now
        patient = next(rep.patient_ids)
        if k < self.n_plain:
            pathway, first = self.arrivals[k].pathway, self.arrivals[k].start_stage
        else:
            rules = self.rules
            assert rules is not None, "referral streams exist only in a health economy"
            referral = self.referrals[k - self.n_plain]
            pathway, referred = referral.pathway, rules.refer(patient, k - self.n_plain, now)
            if referred is None:  # the GP did not refer: the local wait is too long
                self.schedule(k, now)
                return
            first = referred
        rep.records.arrived.extend((patient, pathway, now, next(rep.sequence)))
        if self.offer_faster_provider is not None and self.offer_after_days is not None \
                and k >= self.n_plain:
            rep.after(self.offer_after_days, self.offer_faster_provider, patient)
        self.journeys.join(patient, first, now)
        self.schedule(k, now)


class PracticeJourneys:
    """Journeys from a practice's list that nobody chooses."""

    def __init__(self, rep: Replication, rules: EconomyRules, journeys: Journeys):
        self.rep, self.rules, self.journeys = rep, rules, journeys
        self.economy = rules.economy
        self.stage_kind = [s.kind for s in rep.model.stages]
        self.resource_pool = rep.model.resource_pool
        self.patient_ids, self.sequence = rep.patient_ids, rep.sequence
        self.add_arrival = rep.records.arrived.extend

    def begin(self, practice: int, pathway: int, first: int, site: int, emergency: bool,
              now: float, registered: Registered | None = None) -> None:
        """A journey (a chronic review or contact, an emergency admission). An emergency
        goes straight to the hospital's resource (no referral from the practice to wait
        for), and a contact at the patient's own practice is no transfer.
        ``registered(patient)`` is told the patient's id before the first stage starts."""
        economy = self.economy
        patient = next(self.patient_ids)
        self.add_arrival((patient, pathway, now, next(self.sequence)))
        contact = economy.pathway_choice_stage[pathway]  # its first stage with a kind
        nominal = NO_RESOURCE
        if emergency or site == self.rules.practice_site[practice]:
            nominal = self.rules.nominal_resource[self.stage_kind[contact]][site]
        self.rules.enrol(patient, practice, site, nominal)
        if registered is not None:
            registered(patient)
        if nominal != NO_RESOURCE and first == contact:
            self.journeys.enter(patient, first, self.resource_pool[nominal], nominal, now)
        else:  # through the stages before it (from the provider itself, if direct)
            self.journeys.join(patient, first, now)


class EmergencyAdmissions:
    """Where each of the population's emergencies goes: to the avoidance service it is
    referred to where that has a unit free at the practice's nearest site, else to a
    bed at its nearest hospital."""

    def __init__(self, spec: PopulationEmergencies, practice_journeys: PracticeJourneys,
                 lists: WaitingLists):
        self.spec, self.practice_journeys, self.lists = spec, practice_journeys, lists
        self.admitted: list[float] = []  # patient, practice, time, avoidance service

    def admit(self, practice: int, now: float, service: int) -> None:
        """An emergency from the practice's list, referred to avoidance ``service``
        (-1: none)."""
        route: PopulationEmergencies | AvoidanceRoute = self.spec
        if service >= 0:
            route = self.spec.avoidance[service]
            site = int(route.site[practice])
            journeys = self.practice_journeys
            kind = journeys.stage_kind[route.contact_stage]
            q = journeys.resource_pool[journeys.rules.nominal_resource[kind][site]]
            if not self.lists.free_units[q] or self.lists.closed(q, now):
                route, service = self.spec, -1
        admitted = self.admitted
        self.practice_journeys.begin(
            practice, route.pathway, route.start_stage, int(route.site[practice]), True, now,
            lambda patient: admitted.extend((patient, practice, now, service)))

    def table(self) -> EmergencyTable:
        a = record_columns(self.admitted, 4)
        return EmergencyTable(
            patient=a[0].astype(np.int64), practice=a[1].astype(np.int32), time=a[2],
            service=a[3].astype(np.int16))
