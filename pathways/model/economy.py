"""Compile a health economy: practices, organisations, sites, allocation and handoffs.

Everything the engine needs to place a patient is turned into arrays here: the
distance from every practice to every site and the part of every provider's choice
utility that does not change (distance polynomial, provider type, quality), both
computed on demand from coordinates (pathways.model.site_distances), which
resource of each kind serves a patient allocated to each site, and the samplers of
handoff delays. No outcome is set here: only who owns what, where things are, and
the rules by which patients are allocated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from pathways.config.derived import choice_stage as choice_stage_of
from pathways.config.derived import (
    economy_practices,
    practice_clinics,
    provider_sites,
    referral_weights,
    referrals_per_day,
)
from pathways.config.schema import CommissionerChoice, Config, HandoffParameters
from pathways.model.chronic import DAYS_PER_YEAR, Chronic, compile_chronic
from pathways.model.distributions import DurationSampler, Fixed, compile_distribution
from pathways.model.emergencies import PopulationEmergencies, compile_emergencies
from pathways.model.site_distances import ChoiceUtility, SiteDistances

NO_SITE = -1
PRACTICE_SITE = "practice"  # the "organisation" part of a practice's site name


@dataclass(frozen=True)
class HandoffRule:
    """What a transfer costs: a delay, a chance the record is missing, and then a
    chance that a diagnostic must be repeated."""

    delay_sampler: DurationSampler
    record_missing: float
    repeat_test: float


@dataclass(frozen=True)
class ReferralStream:
    """Referrals into one pathway from all practices (a Poisson stream whose practice
    is drawn in proportion to list size, so each practice refers at its own rate)."""

    name: str
    pathway: int
    start_stage: int
    rate_per_day: float
    practice_cumulative_share: np.ndarray = field(repr=False)
    urgent_share: float = 0.0  # referred urgent: booked ahead of routine on every list
    elective: bool = False  # runs an RTT clock: a fundholder's fund pays for it
    # Referrals from practices a referral management service leaves out start here.
    unmanaged_practices: frozenset[int] = frozenset()
    unmanaged_start_stage: int = -1


@dataclass(frozen=True)
class Economy:
    organisations: tuple[str, ...]
    sites: tuple[str, ...]  # "organisation/site"; "practice/<name>" for practices with clinics
    practice_site: np.ndarray = field(repr=False)  # per practice, its site (-1: runs no clinic)
    site_organisation: np.ndarray
    site_xy_km: np.ndarray = field(repr=False)
    practices: tuple[str, ...]
    practice_list_size: np.ndarray = field(repr=False)
    practice_xy_km: np.ndarray = field(repr=False)
    practice_quintile: np.ndarray = field(repr=False)
    practice_organisation: np.ndarray = field(repr=False)
    practice_fundholding: np.ndarray = field(repr=False)  # bool: holds a fund (elective care)
    distance_km: SiteDistances = field(repr=False)  # [practice, site], computed on demand
    resource_organisation: tuple[int, ...]
    resource_site: tuple[int, ...]
    resource_kind: tuple[str, ...]  # "" where a resource has no kind
    kinds: tuple[str, ...]
    nominal_resource: np.ndarray = field(repr=False)  # [kind, site] -> resource serving it
    referrals: tuple[ReferralStream, ...]
    policy: str
    choice_candidates: dict[int, np.ndarray] = field(repr=False)  # choice stage -> sites
    pathway_choice_stage: tuple[int, ...]  # per pathway: where the provider is chosen (-1)
    rechoose_stages: frozenset[int]
    utility_fixed: ChoiceUtility = field(repr=False)  # [practice, site], on demand
    wait_weeks_coefficient: float
    information_lag_days: float
    publish_every_days: float
    wait_window_days: float
    published_wait_measure: str  # "median_seen" or "list_over_throughput"
    navigator_share: float
    navigator_lag_days: float
    navigator_wait_multiplier: float
    within_organisation: HandoffRule
    between_organisations: HandoffRule
    repeat_stage: tuple[int, ...]  # per pathway, the stage used for a repeat test (-1)
    repeat_kind: int  # the kind of resource a repeat test uses (-1: not in the economy)
    priority_quintiles: frozenset[int]
    patient_choice_threshold_days: float | None  # the Patient Choice rule (None: off)
    patient_choice_margin_days: float  # an offered provider's wait is this much shorter
    chronic: Chronic | None = None  # chronic cohorts, reviews and exacerbations
    market: Market | None = None  # providers that enter and leave
    rival: Rival | None = None  # a competing commissioner patients may choose
    emergencies: PopulationEmergencies | None = None  # the whole population's admissions


@dataclass(frozen=True)
class Rival:
    """A competing commissioner patients may register with (CommissionerChoice)."""

    name: str
    initial_share: float
    switch_per_day: float  # the share of patients reconsidering a day
    margin_days: float


@dataclass(frozen=True)
class Entrant:
    """A provider closed until it enters the market."""

    organisation: int
    sites: frozenset[int]
    resources: frozenset[int]
    stages: tuple[int, ...]  # the choice stages its sites are candidates for


@dataclass(frozen=True)
class Market:
    entrants: tuple[Entrant, ...]
    enter_wait_days: float
    enter_after_days: float
    break_even_booked_share: float
    exit_after_days: float
    review_every_days: float


def _rival(spec: CommissionerChoice) -> Rival | None:
    if spec.rival is None:
        return None
    return Rival(name=spec.rival, initial_share=spec.initial_share,
                 switch_per_day=spec.switch_per_year / DAYS_PER_YEAR,
                 margin_days=7.0 * spec.margin_weeks)


def _unmanaged(config: Config, pathway_name: str, stage_index: dict) -> dict:
    """The practices whose referrals on the pathway skip its referral management, and
    where they start (practice-based commissioning: only the named practices' are
    managed)."""
    from pathways.config.referral_management import unmanaged_start

    start = unmanaged_start(config, pathway_name)
    if start is None:
        return {}
    managed = set(config.referral_management.practices)
    rows = economy_practices(config).rows
    return {"unmanaged_practices": frozenset(i for i, row in enumerate(rows)
                                             if row.name not in managed),
            "unmanaged_start_stage": stage_index[f"{pathway_name}.{start}"]}


def _market(config: Config, org_index: dict[str, int], site_org: np.ndarray,
            resource_org: tuple[int, ...], candidates: dict[int, np.ndarray]) -> Market | None:
    spec = config.market_entry
    if not spec.entrants:
        return None
    entrants = []
    for name in spec.entrants:
        org = org_index[name]
        sites = frozenset(int(s) for s in np.flatnonzero(site_org == org))
        entrants.append(Entrant(
            organisation=org, sites=sites,
            resources=frozenset(r for r, o in enumerate(resource_org) if o == org),
            stages=tuple(st for st, sites_of in sorted(candidates.items())
                         if sites & set(sites_of.tolist()))))
    return Market(entrants=tuple(entrants), enter_wait_days=7.0 * spec.enter_wait_weeks,
                  enter_after_days=spec.enter_after_days,
                  break_even_booked_share=spec.break_even_booked_share,
                  exit_after_days=spec.exit_after_days,
                  review_every_days=spec.review_every_days)


def _nominal_resources(kinds: list[str], resource_kind: list[str | None],
                       resource_site: tuple[int, ...], resource_org: tuple[int, ...],
                       site_org: np.ndarray, site_distance: SiteDistances) -> np.ndarray:
    """[kind, site] -> the resource of the kind serving a patient allocated to the site
    (-1: none): one at the site, else the nearest of the same organisation, else the
    nearest of any; the lowest-numbered of equally near ones."""
    nominal = np.full((len(kinds), site_distance.shape[0]), -1, dtype=np.int64)
    for k, kind in enumerate(kinds):
        candidates = np.array([r for r, rk in enumerate(resource_kind) if rk == kind],
                              dtype=np.int64)
        if not len(candidates):
            continue
        where = np.array([resource_site[r] for r in candidates], dtype=np.int64)
        owner = np.array([resource_org[r] for r in candidates], dtype=np.int64)
        for site in range(site_distance.shape[0]):
            tier = where == site
            if not tier.any():
                tier = owner == site_org[site]
            if not tier.any():
                tier = np.ones(len(candidates), dtype=bool)
            near = site_distance[site, where[tier]]
            nominal[k, site] = candidates[tier][np.argmin(near)]  # first: lowest number
    return nominal


def _handoff_rule(parameters: HandoffParameters) -> HandoffRule:
    delay = parameters.delay_days
    sampler = (Fixed(float(delay)) if isinstance(delay, int | float)
               else compile_distribution(delay))
    return HandoffRule(sampler, parameters.record_missing, parameters.repeat_test)


@dataclass(frozen=True)
class _Sites:
    """The economy's sites: the organisations' own, then (where practices run clinics)
    every practice, each with its accountable organisation and choice constant."""

    names: list[tuple[str, str]]
    index: dict[tuple[str | None, str | None], int]
    xy_km: np.ndarray
    organisation: np.ndarray
    constant: list[float]
    practice_site: np.ndarray


def _sites(config: Config, accountable: dict[str | None, int], rows: list,
           practice_org: np.ndarray, clinics: Sequence) -> _Sites:
    choice = config.choice
    sites = [(org, site) for org, o in config.organisations.items() for site in o.sites]
    index: dict[tuple[str | None, str | None], int] = {pair: i for i, pair in enumerate(sites)}
    xy_km = [(config.organisations[o].sites[s].x_km, config.organisations[o].sites[s].y_km)
             for o, s in sites]
    org_of_site = [accountable[o] for o, _ in sites]
    constant = [choice.provider_type.get(config.organisations[o].type, 0.0)
                + choice.quality * config.organisations[o].quality for o, _ in sites]
    practice_site = np.full(len(rows), NO_SITE, dtype=np.int64)
    if clinics:  # a practice that runs clinics is a site too, its own organisation's
        practice_site[:] = np.arange(len(sites), len(sites) + len(rows))
        sites += [(PRACTICE_SITE, row.name) for row in rows]
        xy_km += [(row.x_km, row.y_km) for row in rows]
        org_of_site += practice_org.tolist()
        constant += [0.0] * len(rows)
    return _Sites(sites, index, np.array(xy_km, dtype=float).reshape(-1, 2),
                  np.array(org_of_site, dtype=np.int64), constant, practice_site)


@dataclass(frozen=True)
class _Referrals:
    """The GP referral streams, each pathway's choice stage, the candidate sites of every
    stage patients choose at, and the stages they choose at again."""

    streams: list[ReferralStream]
    choice_stage: list[int]
    candidates: dict[int, np.ndarray]
    rechoose: set[int]


def _referrals(config: Config, stage_index: dict[str, int],
               site_index: dict[tuple[str | None, str | None], int]) -> _Referrals:
    weights = np.array(referral_weights(config), dtype=float)  # who refers how much
    streams, choice_stage, candidates = [], [], {}

    def sites_offering(p_name: str, kind: str | None = None) -> np.ndarray:
        return np.array([site_index[pair] for pair in provider_sites(config, p_name, kind)],
                        dtype=np.int64)

    for p_index, (p_name, pathway) in enumerate(config.pathways.items()):
        stage = choice_stage_of(config, p_name)
        choice_stage.append(stage_index[f"{p_name}.{stage}"] if stage else -1)
        if stage:
            candidates[stage_index[f"{p_name}.{stage}"]] = sites_offering(p_name)
        if pathway.referrals_per_1000_per_year and stage is not None:
            start = f"{p_name}.{pathway.start_stage}"
            # Named by the stage patients are referred for, not by where they start, so
            # a service in front of it (referral management) keeps the same referrals.
            streams.append(ReferralStream(
                name=f"referrals:{p_name}.{stage}", pathway=p_index,
                start_stage=stage_index[start],
                rate_per_day=referrals_per_day(config, p_name),
                practice_cumulative_share=np.cumsum(weights) / weights.sum(),
                urgent_share=pathway.urgent_share,
                elective=any(st.rtt_stop is not None for st in pathway.stages.values()),
                **_unmanaged(config, p_name, stage_index)))
    rechoose = set()
    for p_name, pathway in config.pathways.items():
        for s_name, st in pathway.stages.items():
            if s_name in config.allocation.rechoose_at and st.kind is not None:
                index = stage_index[f"{p_name}.{s_name}"]
                rechoose.add(index)
                candidates[index] = sites_offering(p_name, st.kind)
    return _Referrals(streams, choice_stage, candidates, rechoose)


def compile_economy(config: Config, stage_index: dict[str, int], resource_names: list[str],
                    repeat_stage: tuple[int, ...]) -> Economy:
    """The economy of a validated, linted config (``config.practices`` is set)."""
    organisations = list(config.organisations)
    choice = config.choice
    org_index = {name: i for i, name in enumerate(organisations)}
    # Boundaries (handoffs, pooled lists) are drawn around the accountable organisation.
    accountable: dict[str | None, int] = {
        name: org_index[o.owner or name] for name, o in config.organisations.items()}
    practices = economy_practices(config)
    rows, own = practices.rows, practices.organisation
    practice_org = np.array([org_index[own] if own else len(organisations) + i
                             for i in range(len(rows))], dtype=np.int64)
    clinics = practice_clinics(config)
    sites = _sites(config, accountable, rows, practice_org, clinics)
    site_index, site_xy, site_org = sites.index, sites.xy_km, sites.organisation
    practice_site = sites.practice_site
    practice_xy = np.array([[row.x_km, row.y_km] for row in rows], dtype=float)
    distance = SiteDistances(practice_xy, site_xy)
    organisations += [] if own else [row.name for row in rows]

    resources = [config.resources[name] for name in resource_names]
    resource_org = tuple(accountable.get(r.organisation, -1) for r in resources) + tuple(
        int(practice_org[p]) for _, p, _, _ in clinics)
    resource_site = tuple(site_index.get((r.organisation, r.site), NO_SITE) for r in resources) \
        + tuple(int(practice_site[p]) for _, p, _, _ in clinics)
    resource_kind = [r.kind for r in resources] + [clinic.kind for _, _, clinic, _ in clinics]
    kinds = sorted({k for k in resource_kind if k is not None})
    nominal = _nominal_resources(kinds, resource_kind, resource_site, resource_org, site_org,
                                 SiteDistances(site_xy, site_xy))
    list_size = np.array([row.list_size for row in rows], dtype=float)
    referrals = _referrals(config, stage_index, site_index)
    candidates = referrals.candidates

    return Economy(
        organisations=tuple(organisations),
        sites=tuple(f"{o}/{s}" for o, s in sites.names),
        practice_site=practice_site,
        site_organisation=site_org,
        site_xy_km=site_xy,
        practices=tuple(row.name for row in rows),
        practice_list_size=list_size.astype(np.int64),
        practice_xy_km=practice_xy,
        practice_quintile=np.array([row.deprivation_quintile for row in rows], dtype=np.int64),
        practice_organisation=practice_org,
        practice_fundholding=np.array([row.name in config.fundholding.practices for row in rows],
                                      dtype=bool),
        distance_km=distance,
        resource_organisation=resource_org,
        resource_site=resource_site,
        resource_kind=tuple(k or "" for k in resource_kind),
        kinds=tuple(kinds),
        nominal_resource=nominal,
        referrals=tuple(referrals.streams),
        policy=config.allocation.policy,
        choice_candidates=candidates,
        pathway_choice_stage=tuple(referrals.choice_stage),
        rechoose_stages=frozenset(referrals.rechoose),
        utility_fixed=ChoiceUtility(distance, (choice.distance_km, choice.distance_km2,
                                               choice.distance_km3),
                                    np.array(sites.constant, dtype=float)),
        wait_weeks_coefficient=choice.wait_weeks,
        information_lag_days=config.published_wait.information_lag_days,
        publish_every_days=config.published_wait.publish_every_days,
        wait_window_days=config.published_wait.window_days,
        published_wait_measure=config.published_wait.measure,
        navigator_share=config.navigators.share,
        navigator_lag_days=config.navigators.information_lag_days,
        navigator_wait_multiplier=config.navigators.wait_weeks_multiplier,
        within_organisation=_handoff_rule(config.handoff.within_organisation),
        between_organisations=_handoff_rule(config.handoff.between_organisations),
        repeat_stage=repeat_stage,
        repeat_kind=kinds.index(config.handoff.repeat_test.kind)
        if config.handoff.repeat_test.kind in kinds else -1,
        priority_quintiles=frozenset(config.equity.priority_deprivation_quintiles),
        patient_choice_threshold_days=None if config.patient_choice.threshold_weeks is None
        else 7.0 * config.patient_choice.threshold_weeks,
        patient_choice_margin_days=7.0 * config.patient_choice.margin_weeks,
        chronic=compile_chronic(config, stage_index, site_index, distance, practice_site,
                                site_org),
        market=_market(config, org_index, site_org, resource_org, candidates),
        rival=_rival(config.commissioner_choice),
        emergencies=compile_emergencies(config, stage_index, site_index, distance, practice_site),
    )
