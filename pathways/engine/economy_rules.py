"""The rules of a health economy that the engine consults between contacts.

Who the patient is (practice, navigator), which provider they go to (allocation by
nearest, shortest published wait, choice by multinomial logit, or a pooled list),
what the wait they see is (a lagged snapshot), and what a transfer between
consecutive contacts costs (delay, missing record, repeat test). Patient attributes,
including each patient's idiosyncratic taste for every site (Gumbel noise, which
makes argmax of utility an exact logit draw), are drawn when the patient is
referred, from streams keyed by pathway: the same patients, with the same tastes,
arrive in every scenario of a replication.
"""

from __future__ import annotations

import numpy as np

from pathways.engine.allocation import allocation_policy
from pathways.engine.commissioners import RivalCommissioner
from pathways.engine.published_waits import PublishedWaits
from pathways.engine.streams import BLOCK, Draws, stream
from pathways.log.assemble import Flat, record_columns
from pathways.log.event_log import NONE, HandoffTable, OfferTable, PatientTable, PublishedTable
from pathways.model.economy import Economy, HandoffRule
from pathways.model.model import Model

#: A patient's rank within a stage priority (lower first) adds these (and 1 unless
#: from a protected quintile); ranks span 0..RANKS-1.
URGENT_RANK, FUNDED_RANK, RANKS = 4, 2, 8
#: a referred patient's practice, navigator flag, urgency, GP's decision draw, tastes
_Attributes = tuple[int, bool, bool, float, np.ndarray]
DAYS_PER_WEEK = 7.0


class EconomyRules:
    """Allocation, published waits and handoffs for one replication."""

    # Slots, not a __dict__: more than 30 attributes would leave CPython's shared-key
    # instance dicts, and these are read at every event.
    __slots__ = ("economy", "policy", "stage_kind", "repeats_at", "repeat_stages", "n_sites",
                 "attribute_rngs", "decision_rngs", "attribute_blocks",
                 "handoff_uniform", "delays", "offer_rng", "offer_tastes",
                 "elasticity", "reference_wait_days", "offering", "rival",
                 "publishing", "fundholding", "ranking", "rank",
                 "protected_practice", "published", "allocated", "offers",
                 "practice", "navigator", "taste", "site", "no_taste",
                 "nearest_site", "distances_km", "utility_cache", "fixed_utility",
                 "resource_site", "resource_organisation", "practice_site",
                 "practice_organisation", "nominal_resource", "closed_sites",
                 "market_version", "last_organisation", "last_resource", "per_patient", "patients",
                 "handoffs")

    def __init__(self, model: Model, seed: int, replication: int):
        if model.economy is None:
            raise ValueError(f"model {model.name!r} is not a health economy")
        economy: Economy = model.economy
        self.economy = economy
        self.policy = allocation_policy(economy.policy)
        self.stage_kind = [s.kind for s in model.stages]
        self.repeats_at = [economy.repeat_stage[s.pathway] != NONE for s in model.stages]
        self.repeat_stages = frozenset(economy.repeat_stage) - {NONE}  # repeat tests
        self.n_sites = len(economy.sites)
        self.attribute_rngs = [stream(seed, replication, "patients", r.name)
                               for r in economy.referrals]
        self.decision_rngs = [stream(seed, replication, "referral_decisions", r.name)
                              for r in economy.referrals]
        self.attribute_blocks: list[list[_Attributes]] = [[] for _ in economy.referrals]
        self.handoff_uniform = Draws(stream(seed, replication, "handoffs", "uniform"))
        self.delays = {
            rule_name: Draws(stream(seed, replication, "handoffs", rule_name),
                             rule.delay_sampler)
            for rule_name, rule in (("within", economy.within_organisation),
                                    ("between", economy.between_organisations))}
        self.offer_rng = stream(seed, replication, "offers", "patient_choice")
        self.offer_tastes: list[np.ndarray] = []
        # Choice and the shortest published wait look at published waits, and so do
        # GPs whose referrals fall as waits rise, and patients offered a faster provider.
        managed = model.managed_list
        self.elasticity = managed.elasticity
        self.reference_wait_days = managed.reference_wait_days
        self.offering = (economy.patient_choice_threshold_days is not None
                         and not self.policy.pooled)
        # Patients choosing a commissioner compare its members' waits at each refresh.
        self.rival = None if economy.rival is None else RivalCommissioner(
            economy.rival, economy.wait_window_days, seed, replication)
        self.publishing = (self.policy.reads_published_waits or self.elasticity < 0
                           or self.offering or self.rival is not None)
        # A list's order within a stage priority: urgent before routine, then (where
        # the provider is paid per case only for them) fundholders' patients, then
        # protected deprivation quintiles first.
        self.fundholding = economy.practice_fundholding.tolist()
        self.ranking = bool(economy.priority_quintiles) or any(self.fundholding) or any(
            r.urgent_share > 0 for r in economy.referrals) or self.rival is not None
        # Fixed at referral: URGENT_RANK unless urgent, + FUNDED_RANK unless a
        # fundholder's elective patient, + 1 unless from a protected quintile.
        self.rank: dict[int, int] = {}
        self.protected_practice = [q in economy.priority_quintiles
                                   for q in economy.practice_quintile.tolist()]
        # Published: the stages patients or GPs choose at (a referral's first
        # appointment, a stage chosen again), not chronic reviews nobody chooses.
        chosen_at = {economy.pathway_choice_stage[r.pathway] for r in economy.referrals}
        chosen_at |= economy.rechoose_stages
        self.published = PublishedWaits(
            {st: economy.choice_candidates[st] for st in sorted(chosen_at - {NONE})},
            self.n_sites, economy.wait_window_days, economy.published_wait_measure)
        self.allocated: dict[int, tuple[int, int, float]] = {}  # patient -> stage, site, since
        self.offers: list[float] = []  # patient, time, stage, from site, to site
        self.practice: dict[int, int] = {}
        self.navigator: dict[int, bool] = {}
        self.taste: dict[int, np.ndarray] = {}  # Gumbel noise per site
        self.site: dict[int, int] = {}
        self.no_taste = np.zeros(self.n_sites)
        self.nearest_site: dict[tuple[int, int], int] = {}
        self.distances_km: dict[tuple[int, int], float] = {}  # (practice, site) -> km
        self.utility_cache: dict[tuple, np.ndarray] = {}
        # The utility of distance and the site's constant never changes: computed once
        # per practice and stage (from coordinates), not at every published snapshot.
        self.fixed_utility: dict[tuple[int, int], np.ndarray] = {}
        # Looked up at every contact: Python lists index faster than numpy arrays.
        self.resource_site = economy.resource_site
        self.resource_organisation = economy.resource_organisation
        self.practice_site = economy.practice_site.tolist()
        self.practice_organisation = economy.practice_organisation.tolist()
        self.nominal_resource = economy.nominal_resource.tolist()  # [kind][site]
        # Sites of providers not (or no longer) in the market take no new patients.
        market = economy.market
        self.closed_sites: set[int] = set() if market is None else {
            s for entrant in market.entrants for s in entrant.sites}
        self.market_version = 0
        self.last_organisation: dict[int, int] = {}
        self.last_resource: dict[int, int] = {}
        # Everything kept per patient, forgotten together when they leave
        self.per_patient: tuple[dict, ...] = (
            self.practice, self.rank, self.navigator, self.taste, self.site,
            self.last_organisation, self.last_resource)
        self.patients = Flat()  # patient, pathway, practice, navigator, site, km, nearest
        # patient, time, from, to, between, delay, missing, repeat, stage
        self.handoffs = Flat()

    # --- who is referred, and where to -------------------------------------------

    def refer(self, patient: int, referral: int, now: float) -> int | None:
        """Register a referred patient, allocate a provider; returns the start stage, or
        None when the GP does not refer after all (the provider's published wait is
        long and demand responds to it)."""
        economy = self.economy
        stream_spec = economy.referrals[referral]
        block = self.attribute_blocks[referral]
        if not block:
            block.extend(self._attributes(referral)[::-1])
        practice, navigated, urgent, refer_draw, taste = block.pop()
        choice_stage = economy.pathway_choice_stage[stream_spec.pathway]
        if self.elasticity < 0 and not urgent and not self._referred(
                practice, choice_stage, refer_draw, now):
            return None
        member = self.rival is not None and self.rival.register(patient, choice_stage, now)
        self.rank[patient] = ((0 if urgent else URGENT_RANK)
                              + (0 if stream_spec.elective
                                 and (member or self.fundholding[practice]) else FUNDED_RANK)
                              + (0 if self.protected_practice[practice] else 1))
        self.practice[patient] = practice
        self.navigator[patient] = navigated
        self.taste[patient] = taste
        self.last_organisation[patient] = self.practice_organisation[practice]
        self.last_resource[patient] = NONE
        site = self.policy.choose(self, patient, choice_stage, now)
        self.site[patient] = site
        self._allocate(patient, choice_stage, site, now)
        self.patients.extend((patient, stream_spec.pathway, practice, self.navigator[patient],
                              site, self.distance_km(practice, site),
                              self.nearest(practice, choice_stage)))
        if practice in stream_spec.unmanaged_practices:
            return stream_spec.unmanaged_start_stage
        return stream_spec.start_stage

    def _allocate(self, patient: int, stage: int, site: int, since: float) -> None:
        """The patient now waits for ``stage`` at ``site``, counted since ``since``."""
        if self.publishing and stage in self.published.waiting:
            self.left_list(patient)
            self.allocated[patient] = (stage, site, since)
            self.published.join(stage, site)

    def left_list(self, patient: int) -> None:
        """The patient no longer waits where they were allocated (removed untreated)."""
        allocation = self.allocated.pop(patient, None)
        if allocation is not None:
            self.published.leave(allocation[0], allocation[1])

    def enrol(self, patient: int, practice: int, site: int, resource: int) -> None:
        """Register a chronic episode (a review, an emergency admission): no choice, the
        site is the practice's local one. With ``resource`` (an emergency) the patient
        arrives there directly, not through a transfer from the practice."""
        self.practice[patient] = practice
        self.rank[patient] = (URGENT_RANK + FUNDED_RANK
                              + (0 if self.protected_practice[practice] else 1))
        self.navigator[patient] = False
        self.taste[patient] = self.no_taste
        self.site[patient] = site
        self.last_resource[patient] = resource
        self.last_organisation[patient] = int(
            self.practice_organisation[practice] if resource == NONE
            else self.resource_organisation[resource])

    def _attributes(self, referral: int) -> list[_Attributes]:
        """The next BLOCK referred patients' practice, navigator flag, urgency, the
        uniform that decides whether a deterred GP refers, and tastes (Gumbel noise per
        site), drawn together from the referral stream's attribute stream."""
        draws = self.attribute_rngs[referral].random((BLOCK, 2 + self.n_sites))
        later = self.decision_rngs[referral].random((BLOCK, 2))  # urgency, GP's decision
        spec = self.economy.referrals[referral]
        share = spec.practice_cumulative_share
        practices = np.minimum(np.searchsorted(share, draws[:, 0], side="right"), len(share) - 1)
        navigated = draws[:, 1] < self.economy.navigator_share
        urgent = later[:, 0] < spec.urgent_share
        tastes = -np.log(-np.log(np.clip(draws[:, 2:], 1e-300, 1.0 - 1e-16)))
        return list(zip(practices.tolist(), navigated.tolist(), urgent.tolist(),
                        later[:, 1].tolist(), tastes, strict=False))

    def _referred(self, practice: int, stage: int, draw: float, now: float) -> bool:
        """Whether the GP refers, given the local wait: the published wait of the
        practice's nearest provider of the pathway. All referrals go ahead up to the
        reference wait, then (wait / reference) ** elasticity of them."""
        site = self.nearest(practice, stage)
        wait_days = float(self.published.seen(stage, now, self.economy.information_lag_days)[site])
        if wait_days <= self.reference_wait_days:
            return True
        return draw < (wait_days / self.reference_wait_days) ** self.elasticity

    def distance_km(self, practice: int, site: int) -> float:
        """The practice's distance to the site (computed once a pair: it is logged at
        every referral)."""
        key = (practice, site)
        distance = self.distances_km.get(key)
        if distance is None:
            distance = self.distances_km[key] = float(self.economy.distance_km[practice, site])
        return distance

    def nearest(self, practice: int, stage: int) -> int:
        """The site nearest the practice that offers the stage (looked up once a pair:
        it is asked at every referral)."""
        key = (practice, stage)
        site = self.nearest_site.get(key)
        if site is None:
            candidates = self.economy.choice_candidates[stage]
            site = int(candidates[np.argmin(self.economy.distance_km[practice, candidates])])
            self.nearest_site[key] = site
        return site

    def seen_waits_weeks(self, patient: int, stage: int, now: float) -> np.ndarray:
        """Published waits at every site as this patient sees them (navigated patients
        see fresher ones)."""
        economy = self.economy
        lag = (economy.navigator_lag_days if self.navigator[patient]
               else economy.information_lag_days)
        return self.published.seen(stage, now, lag) / DAYS_PER_WEEK

    def known_utility(self, patient: int, stage: int, now: float) -> np.ndarray:
        """The logit utility of each candidate before the patient's own tastes: the
        same for every patient of a practice (with or without a navigator) until the
        next published snapshot, so computed once for them all."""
        economy = self.economy
        navigated = self.navigator[patient]
        lag = economy.navigator_lag_days if navigated else economy.information_lag_days
        practice = self.practice[patient]
        key = (practice, navigated, stage, self.published.snapshot_index(now, lag),
               self.market_version)
        known = self.utility_cache.get(key)
        if known is None:
            candidates = economy.choice_candidates[stage]
            waits_weeks = self.seen_waits_weeks(patient, stage, now)
            weight = economy.wait_weeks_coefficient * (
                economy.navigator_wait_multiplier if navigated else 1.0)
            fixed = self.fixed_utility.get((practice, stage))
            if fixed is None:
                fixed = self.fixed_utility[practice, stage] = np.asarray(
                    economy.utility_fixed[practice, candidates])
            known = fixed + weight * waits_weeks[candidates]
            if self.closed_sites:  # a closed provider is never chosen
                known[np.isin(candidates, list(self.closed_sites))] = -np.inf
            self.utility_cache[key] = known
        return known

    def open_sites(self, candidates: np.ndarray) -> np.ndarray:
        if not self.closed_sites:
            return candidates
        return candidates[~np.isin(candidates, list(self.closed_sites))]

    def nearest_open(self, practice: int, stage: int) -> int:
        candidates = self.open_sites(self.economy.choice_candidates[stage])
        return int(candidates[np.argmin(self.economy.distance_km[practice, candidates])])

    def set_open(self, sites: frozenset[int], is_open: bool) -> None:
        """A provider enters the market (its sites take patients) or leaves it."""
        if is_open:
            self.closed_sites -= sites
        else:
            self.closed_sites |= sites
        self.market_version += 1
        self.utility_cache.clear()

    def _fresh_taste(self) -> np.ndarray:
        """New Gumbel noise over the sites: an offer is a new decision, not a replay of
        the first one (with the first tastes, only the small change in published waits
        could ever move anyone)."""
        if not self.offer_tastes:
            self.offer_tastes.extend(self.offer_rng.gumbel(size=(BLOCK, self.n_sites)))
        return self.offer_tastes.pop()

    def offer(self, patient: int, stage: int, now: float) -> tuple[int, float] | None:
        """The Patient Choice rule for a patient waiting at ``stage`` (whoever chose the
        provider first: the patient, or the GP sending them to the nearest): among the
        providers whose published wait is shorter than their own provider's by the
        margin, and their own, they choose by the same logit. A move is a handoff
        between the two providers' organisations; returns (resource, delay in days), or
        None to stay. (Under a pooled list the organisation books any of its sites, so
        there is no other provider's list to offer.)"""
        if not self.offering or stage not in self.published.waiting:
            return None
        candidates = self.economy.choice_candidates[stage]
        current = self.site[patient]
        waits = self.seen_waits_weeks(patient, stage, now)
        margin = self.economy.patient_choice_margin_days / DAYS_PER_WEEK
        shorter = (waits[candidates] < waits[current]) & (
            waits[current] - waits[candidates] >= margin)
        offered = shorter | (candidates == current)
        if self.closed_sites:
            offered &= ~np.isin(candidates, list(self.closed_sites)) | (candidates == current)
        if offered.sum() == 1:
            return None
        utility = self.known_utility(patient, stage, now) + self._fresh_taste()[candidates]
        chosen = int(candidates[np.argmax(np.where(offered, utility, -np.inf))])
        self.offers.extend((patient, now, stage, current, chosen))
        if chosen == current:
            return None
        kind = self.stage_kind[stage]
        leaving = self.nominal_resource[kind][current]
        resource = self.nominal_resource[kind][chosen]
        self.site[patient] = chosen
        allocation = self.allocated.get(patient)
        if allocation is not None and allocation[0] == stage:  # their wait goes with them
            self._allocate(patient, stage, chosen, allocation[2])
        self.last_organisation[patient] = self.resource_organisation[leaving]
        delay, _ = self._handoff(patient, self.resource_organisation[resource], stage,
                                 now, can_repeat=False)
        self.last_resource[patient] = resource
        return resource, delay

    def resource_for(self, patient: int, stage: int, now: float) -> int:
        """The resource of the stage's kind that serves this patient (choosing again
        first where the model says patients choose at this stage)."""
        if stage in self.economy.rechoose_stages:
            self.site[patient] = self.policy.choose(self, patient, stage, now)
            self._allocate(patient, stage, self.site[patient], now)
        return self.nominal_resource[self.stage_kind[stage]][self.site[patient]]

    def repeat_resource(self, resource: int) -> int:
        """The diagnostic resource for a repeat test at the receiving provider."""
        site = self.resource_site[resource]
        return self.nominal_resource[self.economy.repeat_kind][site]


    # --- waits as published ------------------------------------------------------

    def started(self, patient: int, stage: int, resource: int, now: float) -> None:
        """A contact began at ``resource``. Under a pooled list this may be another site
        than the one the transfer into the stage was judged against (the server is only
        known now): the next transfer is judged from where the patient really was. A
        patient served at another site of the organisation holding the list is not
        charged a second transfer: one organisation's list shares its records."""
        self.last_resource[patient] = resource
        self.last_organisation[patient] = self.resource_organisation[resource]
        if self.rival is not None:
            self.rival.started(patient, stage, now)
        allocation = self.allocated.get(patient)
        if allocation is not None and allocation[0] == stage:
            del self.allocated[patient]
            _, site, since = allocation
            self.published.record(stage, site, now, now - since)

    def publish(self, now: float) -> None:
        self.published.publish(now)
        if self.rival is not None:
            self.rival.review(now)
        self.utility_cache.clear()  # recomputed for the snapshots patients now see

    # --- transfers between contacts ----------------------------------------------

    def transfer(self, patient: int, resource: int, stage: int, now: float) -> tuple[float, bool]:
        """Move to a contact at ``resource``: (delay in days, repeat test needed).

        Moving between resources at one site of one organisation (clinic to theatre
        to ward) is not a transfer: the record is already there."""
        last = self.last_resource[patient]
        if last != NONE and self.resource_site[resource] == self.resource_site[last] \
                and self.resource_organisation[resource] == self.resource_organisation[last]:
            self.last_resource[patient] = resource
            return 0.0, False
        to_organisation = self.resource_organisation[resource]
        delay, repeat = self._handoff(patient, to_organisation, stage, now,
                                      can_repeat=self.repeats_at[stage])
        self.last_resource[patient] = resource
        return delay, repeat

    def discharge(self, patient: int, now: float) -> None:
        """Back to the GP practice: a transfer too (nothing follows it in the model),
        unless the last contact was at the practice itself. A patient discharged before
        the stage they were allocated to (sent elsewhere by a referral management
        service) no longer waits for it."""
        self.left_list(patient)
        last = self.last_resource.get(patient, NONE)
        if patient in self.practice and last != NONE:
            practice = self.practice[patient]
            if not self.resource_site[last] == self.practice_site[practice] != NONE:
                self._handoff(patient, self.practice_organisation[practice], NONE, now,
                              can_repeat=False)
        self._forget(patient)

    def removed(self, patient: int) -> None:
        """The patient left their list untreated (a validation removal): gone."""
        self.left_list(patient)
        self._forget(patient)

    def _forget(self, patient: int) -> None:
        """A patient who has left holds nothing more here (their referral is in the
        patients table), so what is kept per patient grows with the patients in the
        system, not with every patient ever seen: at a million registered that is
        hundreds of megabytes and slower look-ups in ever larger dictionaries."""
        for per_patient in self.per_patient:
            per_patient.pop(patient, None)

    def _handoff(self, patient: int, to_organisation: int, stage: int, now: float,
                 can_repeat: bool) -> tuple[float, bool]:
        from_organisation = self.last_organisation[patient]
        between = to_organisation != from_organisation
        rule: HandoffRule = (self.economy.between_organisations if between
                             else self.economy.within_organisation)
        delay = max(0.0, self.delays["between" if between else "within"].next())
        missing = self.handoff_uniform.next() < rule.record_missing
        repeat = can_repeat and missing and self.handoff_uniform.next() < rule.repeat_test
        self.handoffs.extend((patient, now, from_organisation, to_organisation, between, delay,
                              missing, repeat, stage))
        self.last_organisation[patient] = to_organisation
        return delay, repeat

    # --- what the log keeps --------------------------------------------------------

    def published_table(self) -> PublishedTable | None:
        if not self.publishing:
            return None
        r = record_columns(self.published.rows, 6)
        economy = self.economy
        return PublishedTable(
            time=r[0], stage=r[1].astype(np.int16), site=r[2].astype(np.int32),
            wait_days=r[3], seen=r[4].astype(np.int32), waiting=r[5].astype(np.int32),
            policy=self.policy.name, wait_weeks_coefficient=economy.wait_weeks_coefficient,
            navigator_wait_multiplier=economy.navigator_wait_multiplier)

    def offer_table(self) -> OfferTable | None:
        if not self.offering:
            return None
        o = record_columns(self.offers, 5)
        return OfferTable(patient=o[0].astype(np.int64), time=o[1], stage=o[2].astype(np.int16),
                          from_site=o[3].astype(np.int32), to_site=o[4].astype(np.int32))

    def tables(self) -> tuple[PatientTable, HandoffTable]:
        p = record_columns(self.patients, 7)
        h = record_columns(self.handoffs, 9)
        patients = PatientTable(
            patient=p[0].astype(np.int64), pathway=p[1].astype(np.int16),
            practice=p[2].astype(np.int32), navigator=p[3].astype(bool),
            referred_site=p[4].astype(np.int32), distance_km=p[5],
            nearest_site=p[6].astype(np.int32),
            rival=None if self.rival is None else np.isin(
                p[0].astype(np.int64), np.fromiter(self.rival.members, np.int64)))
        handoffs = HandoffTable(
            patient=h[0].astype(np.int64), time=h[1], from_organisation=h[2].astype(np.int16),
            to_organisation=h[3].astype(np.int16), between_organisations=h[4].astype(bool),
            delay_days=h[5], record_missing=h[6].astype(bool), repeat_test=h[7].astype(bool),
            to_stage=h[8].astype(np.int16))
        return patients, handoffs
