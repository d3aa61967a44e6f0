"""The engine: one replication of a compiled Model on a discrete-event calendar.

This is the hot path. The parts of a replication, each in a module of its own, share
one clock and calendar (pathways.engine.replication): patients arrive
(pathways.engine.arrivals), move through their stages (pathways.engine.journeys), wait
on the lists of pools of servers (pathways.engine.waiting_lists), are booked into
sessions (pathways.engine.booking) and, in a health economy, are allocated a provider
and transferred between contacts by its rules (pathways.engine.economy_rules,
pathways.engine.allocation, pathways.engine.transfers). Patients are callbacks on a heap,
not generator processes, and queues are pools of servers: a free-unit stack plus a heap
keyed by (priority, arrival order). That avoids the request/release events, generator
switches and event objects of idiomatic SimPy, which is where most of its time goes
(the benchmarks still measure it against bare SimPy and Ciw on the same networks).
Random numbers are drawn in blocks from one stream per purpose. Every log row is
recorded as a few numbers in a flat list; the event log is assembled with numpy after
the run. This module wires the parts together, starts them in a fixed order (which
fixes the order of events at equal times) and collects the log.
"""

from __future__ import annotations

import numpy as np

from pathways.engine.arrivals import Arrivals, EmergencyAdmissions, PracticeJourneys
from pathways.engine.booking import Booking
from pathways.engine.chronic import ChronicCohort
from pathways.engine.economy_rules import EconomyRules
from pathways.engine.emergencies import EmergencyArrivals
from pathways.engine.journeys import Journeys
from pathways.engine.market import MarketEntrants
from pathways.engine.published_waits import WaitRefresh
from pathways.engine.replication import Replication
from pathways.engine.sessions import Sessions, removal_table
from pathways.engine.streams import BLOCK, stream
from pathways.engine.transfers import Transfers
from pathways.engine.waiting_lists import WaitingLists
from pathways.log.assemble import assemble_event_log, record_columns
from pathways.log.event_log import (
    CancellationTable,
    EventLog,
    HeldTable,
    MoneyInfo,
    PracticeInfo,
    ResourceInfo,
    SiteInfo,
    StageInfo,
)
from pathways.model.arrivals import ArrivalClock, weekly_rates_per_day
from pathways.model.model import Model


def simulate_replication(model: Model, seed: int, replication: int) -> EventLog:
    """Run one replication and return its event log."""
    rep = Replication(model, seed, replication)
    rules = None if model.economy is None else EconomyRules(model, seed, replication)
    if rules is not None:
        rep.flats += [rules.patients, rules.handoffs]
    sessions = Sessions(model, rep.records)
    offer_after_days = None if rules is None else rules.economy.patient_choice_threshold_days
    lists = WaitingLists(rep, rules, sessions.listed, offers_on=offer_after_days is not None)
    journeys = Journeys(rep, rules, lists)
    cohort = refresh = emergencies = admissions = market = None
    offer_faster_provider = None
    if rules is not None:
        economy = rules.economy
        transfers = Transfers(rep, rules, journeys, lists)
        journeys.join = transfers.join
        offer_faster_provider = transfers.offer_faster_provider
        practice_journeys = PracticeJourneys(rep, rules, journeys)
        if economy.chronic is not None:
            cohort = ChronicCohort(economy.chronic, economy, seed, replication, rep.after,
                                   rep.clock, practice_journeys.begin)
            journeys.track_reviews(
                frozenset(c.review_stage for c in economy.chronic.conditions), cohort.reviewed)
        if rules.publishing:
            refresh = WaitRefresh(rep, rules, economy.publish_every_days)
        if economy.emergencies is not None:
            admissions = EmergencyAdmissions(economy.emergencies, practice_journeys, lists)
            emergencies = EmergencyArrivals(economy.emergencies, seed, replication, rep.after,
                                            rep.clock, admissions.admit)
        if economy.market is not None:
            market = MarketEntrants(economy, rules, sessions.listed, model.resource_pool,
                                    rep.after, rep.clock)
    arrivals = Arrivals(rep, _arrival_clocks(model, rules, seed, replication), journeys, rules,
                        offer_faster_provider, offer_after_days)
    booking = Booking(rep, sessions, lists, journeys, market)

    # Started in this order, which orders their first events at equal times.
    if cohort is not None:
        cohort.populate()
    arrivals.start()
    if refresh is not None:
        refresh.start()
    booking.schedule_sessions()
    if lists.removal_on:
        rep.after(1.0, lists.remove_due, None)
    if emergencies is not None:
        emergencies.start()
    if market is not None:
        market.start()
    booking.schedule_reviews()
    rep.run()

    records = rep.records
    lists.still_waiting(records.waiting)
    journeys.still_held(records.held)
    meta = _log_meta(model, rules)
    if journeys.cancellable:
        c = record_columns(records.cancelled, 4)
        meta["cancellations"] = CancellationTable(
            patient=c[0].astype(np.int64), time=c[1], stage=c[2].astype(np.int16),
            resource=c[3].astype(np.int16))
    if journeys.holding:
        h = record_columns(records.held, 5)
        meta["held"] = HeldTable(
            patient=h[0].astype(np.int64), stage=h[1].astype(np.int16),
            resource=h[2].astype(np.int16), ready=h[3], released=h[4])
    if cohort is not None:
        meta["chronic"] = cohort.table()
    if lists.removal_on:
        meta["removals"] = removal_table(records.removed)
    if booking.dna_on:
        meta["missed"] = removal_table(records.missed)
    if any(lists.bookable):
        meta["sessions"] = sessions.table()
    if market is not None:
        meta["market"] = market.table()
    if admissions is not None:
        meta["emergencies"] = admissions.table()
    return assemble_event_log(records, stage_pathway=np.asarray(journeys.stage_pathway),
                              replication=replication, **meta)


def _arrival_clocks(model: Model, rules: EconomyRules | None, seed: int,
                    replication: int) -> list[ArrivalClock]:
    """The arrival streams: the model's arrivals, then the economy's GP referrals."""
    referrals = () if rules is None else rules.economy.referrals
    sources = [(a.hourly_rates_per_day, "arrivals", a.name) for a in model.arrivals] + [
        (weekly_rates_per_day(r.rate_per_day), "referrals", r.name) for r in referrals]
    return [ArrivalClock(rates, stream(seed, replication, purpose, name), BLOCK)
            for rates, purpose, name in sources]


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
    if rules is None:
        meta["resources"] = tuple(
            ResourceInfo(r.name, r.capacity, None if r.calendar is None else r.calendar.intervals,
                         slots_per_session=r.slots_per_session)
            for r in model.resources)
        return meta
    economy = rules.economy
    meta["resources"] = tuple(
        ResourceInfo(r.name, r.capacity, None if r.calendar is None else r.calendar.intervals,
                     economy.resource_organisation[i], economy.resource_site[i],
                     economy.resource_kind[i], r.slots_per_session)
        for i, r in enumerate(model.resources))
    meta["organisations"] = economy.organisations
    meta["sites"] = tuple(
        SiteInfo(name, int(org), float(x), float(y))
        for name, org, (x, y) in zip(economy.sites, economy.site_organisation,
                                     economy.site_xy_km, strict=False))
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
