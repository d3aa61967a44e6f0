"""Compile chronic care: cohorts per condition, review schedules, exacerbation rates.

Everything is turned into numbers and arrays the engine reads without the config:
per condition its prevalence, incidence and leaving rates, the pathways a review and
an emergency admission follow, the site every practice's patients go to for each,
and the bound on the exacerbation hazard that thinning draws candidates at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pathways.config import schema
from pathways.config.derived import (
    choice_stage,
    economy_practices,
    first_kind,
    practice_kinds,
    prevalence_weights,
    provider_sites,
)
from pathways.config.schema import Config
from pathways.model.season import DAYS_PER_YEAR, Season
from pathways.model.site_distances import SiteDistances


def _no_sites() -> np.ndarray:
    """No practice's site: for a part of a condition's care that no one provides."""
    return np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class ChronicCondition:
    name: str
    prevalence: float  # in a practice whose quintile's multiplier is 1
    practice_need: np.ndarray = field(repr=False)  # per practice: prevalence multiplier
    incidence_per_day: float  # new diagnoses a day over the whole patch
    leave_rate_per_day: float  # per person: keeps the cohort's size stationary
    review_pathway: int
    review_start_stage: int
    review_stage: int  # the stage whose start is the review
    review_interval_days: float
    review_site: np.ndarray = field(repr=False)  # per practice
    admission_pathway: int = -1
    admission_start_stage: int = -1
    admission_stage: int = -1  # the stage whose start takes the bed
    admission_site: np.ndarray = field(default_factory=_no_sites, repr=False)  # per practice
    exacerbations_per_day: float = 0.0  # base rate per person
    # Case management's proactive contacts (none where the condition is not managed)
    contacts_per_day: float = 0.0  # per person
    contact_pathway: int = -1
    contact_start_stage: int = -1
    contact_site: np.ndarray = field(default_factory=_no_sites, repr=False)  # per practice


@dataclass(frozen=True)
class Multimorbidity:
    """A pair of conditions one patient may have: ``share`` of ``first``'s single
    persons are linked to a single person of ``second`` at the same practice."""
    first: int  # condition index
    second: int
    share: float
    combined: np.ndarray = field(repr=False)  # per practice: one organisation reviews both


@dataclass(frozen=True)
class Chronic:
    conditions: tuple[ChronicCondition, ...]
    case_management: float  # rate multiplier applied (1.0 where not provided)
    case_management_bound: float  # max(1, the configured multiplier), provided or not
    overdue_after_days: float
    overdue_step: float
    overdue_per_week: float
    overdue_cap: float
    season: Season
    multimorbidity: tuple[Multimorbidity, ...] = ()

    @property
    def max_overdue_factor(self) -> float:
        """The largest factor an overdue review can put on the hazard."""
        if self.overdue_per_week == 1.0:
            return min(self.overdue_cap, self.overdue_step)
        return self.overdue_cap

    def hazard_factor(self, now: float, due: float) -> float:
        """The exacerbation rate relative to the base: season, overdue review, case
        management."""
        season = self.season.factor(now)
        overdue_days = now - due - self.overdue_after_days
        overdue = 1.0 if overdue_days <= 0 else min(
            self.overdue_cap, self.overdue_step * self.overdue_per_week ** (overdue_days / 7.0))
        return float(season * overdue * self.case_management)

    @property
    def hazard_bound(self) -> float:
        """A bound on hazard_factor. Case management enters through its configured
        multiplier whether or not a model provides it, so candidate times are the same
        in models that differ only in providing it (common random numbers)."""
        return self.season.peak * self.max_overdue_factor * self.case_management_bound


def nearest_provider_site(config: Config, pathway: str, site_index: dict,
                          distance_km: SiteDistances, practice_site: np.ndarray) -> np.ndarray:
    """Per practice, the nearest site of the pathway's providers that has a resource of
    the kind of its first kind stage (no choice: reviews and emergencies go local), or
    the practice itself where the kind is one every practice holds."""
    if first_kind(config, pathway) in practice_kinds(config):
        return practice_site
    candidates = np.array([site_index[pair] for pair in provider_sites(config, pathway)],
                          dtype=np.int64)
    return candidates[np.argmin(distance_km[:, candidates], axis=1)]


def contact_stage(config: Config, pathway: str) -> str:
    """The first stage, in listed order, that names a kind: the review, or the bed."""
    stage = choice_stage(config, pathway)
    if stage is None:
        raise ValueError(f"pathway {pathway!r} has no stage with a kind: the config has not "
                         "passed lint")
    return stage


def compile_chronic(config: Config, stage_index: dict[str, int], site_index: dict,
                    distance_km: SiteDistances, practice_site: np.ndarray,
                    site_organisation: np.ndarray) -> Chronic | None:
    spec = config.chronic
    if spec is None:
        return None

    pathway_names = list(config.pathways)
    list_size = np.array([row.list_size for row in economy_practices(config).rows],
                         dtype=float)
    conditions = []
    for name, c in spec.conditions.items():
        weights = np.array(prevalence_weights(config, name), dtype=float)
        registered = weights.sum()  # at the base prevalence
        review, admission = config.pathways[c.review_pathway], config.pathways[c.admission_pathway]
        incidence_per_year = c.incidence_per_1000_per_year / 1000.0
        conditions.append(ChronicCondition(
            name=name,
            prevalence=c.prevalence,
            practice_need=weights / list_size,
            incidence_per_day=registered * incidence_per_year / DAYS_PER_YEAR,
            leave_rate_per_day=incidence_per_year / c.prevalence / DAYS_PER_YEAR,
            review_pathway=pathway_names.index(c.review_pathway),
            review_start_stage=stage_index[f"{c.review_pathway}.{review.start_stage}"],
            review_stage=stage_index[
                f"{c.review_pathway}.{contact_stage(config, c.review_pathway)}"],
            review_interval_days=c.review_interval_days,
            review_site=nearest_provider_site(config, c.review_pathway, site_index,
                                              distance_km, practice_site),
            admission_pathway=pathway_names.index(c.admission_pathway),
            admission_start_stage=stage_index[f"{c.admission_pathway}.{admission.start_stage}"],
            admission_stage=stage_index[
                f"{c.admission_pathway}.{contact_stage(config, c.admission_pathway)}"],
            admission_site=nearest_provider_site(config, c.admission_pathway, site_index,
                                                 distance_km, practice_site),
            exacerbations_per_day=c.admissions_per_year / DAYS_PER_YEAR,
            **_contacts(config, spec, name, pathway_names, stage_index, site_index, distance_km,
                        practice_site),
        ))
    cm = spec.case_management
    return Chronic(
        conditions=tuple(conditions),
        case_management=cm.rate_multiplier if cm.provided else 1.0,
        case_management_bound=max(1.0, cm.rate_multiplier),
        overdue_after_days=spec.overdue.after_days,
        overdue_step=spec.overdue.step,
        overdue_per_week=spec.overdue.per_week,
        overdue_cap=spec.overdue.cap,
        season=Season.from_config(spec.seasonality),
        multimorbidity=_multimorbidity(spec, conditions, site_organisation),
    )


def _multimorbidity(spec: schema.Chronic, conditions: list[ChronicCondition],
                    site_organisation: np.ndarray) -> tuple[Multimorbidity, ...]:
    """The pairs in the order listed, each with the practices whose patients have both
    reviews from one organisation (that of each condition's review site)."""
    names = list(spec.conditions)
    pairs = []
    for first, shares in spec.multimorbidity.items():
        a = names.index(first)
        for second, share in shares.items():
            b = names.index(second)
            pairs.append(Multimorbidity(
                first=a, second=b, share=share,
                combined=(site_organisation[conditions[a].review_site]
                          == site_organisation[conditions[b].review_site])))
    return tuple(pairs)


#: Queue priority of chronic stages by contract (elective stages have 0; lower first).
REVIEW_PRIORITY = {"activity": 1, "block": -1, "capitated": -1, "fifo": 0}
MANAGED_REVIEW_PRIORITY = -1  # a case manager books and chases the review
EMERGENCY_PRIORITY = -2  # emergency admissions are never queued behind planned work


def case_managed(spec: schema.Chronic, condition: str) -> bool:
    """Whether a model provides case management for the condition."""
    management = spec.case_management
    return management.provided and (not management.conditions
                                    or condition in management.conditions)


def _contacts(config: Config, spec: schema.Chronic, condition: str, pathway_names: list[str],
              stage_index: dict, site_index: dict, distance_km: SiteDistances,
              practice_site: np.ndarray) -> dict:
    """The proactive contacts of a managed condition (none where it is not managed)."""
    management = spec.case_management
    pathway = management.contact_pathway  # given wherever contacts are (CaseManagement)
    if not case_managed(spec, condition) or management.contacts_per_year <= 0 \
            or pathway is None:
        return {}
    start = config.pathways[pathway].start_stage
    return {
        "contacts_per_day": management.contacts_per_year / DAYS_PER_YEAR,
        "contact_pathway": pathway_names.index(pathway),
        "contact_start_stage": stage_index[f"{pathway}.{start}"],
        "contact_site": nearest_provider_site(config, pathway, site_index, distance_km,
                                              practice_site),
    }


def provider_ordered_reviews(config: Config) -> set[str]:
    """The review stages ("pathway.stage") queued as each provider's contract says
    (`chronic.contract: by_provider`; a case-managed review keeps its own priority)."""
    spec = config.chronic
    if spec is None or spec.contract != "by_provider":
        return set()
    return {f"{c.review_pathway}.{stage}" for name, c in spec.conditions.items()
            if not case_managed(spec, name) for stage in config.pathways[c.review_pathway].stages}


def chronic_stage_priorities(config: Config) -> dict[str, int]:
    """Queue priority of every stage of the chronic pathways ("pathway.stage" -> p); a
    review ordered by its provider's contract is 0 here (fifo) and set per queue."""
    spec = config.chronic
    if spec is None:
        return {}
    priorities = {}
    for name, c in spec.conditions.items():
        review = MANAGED_REVIEW_PRIORITY if case_managed(spec, name) \
            else REVIEW_PRIORITY.get(spec.contract, 0)
        for pathway, priority in ((c.review_pathway, review),
                                  (c.admission_pathway, EMERGENCY_PRIORITY)):
            for stage in config.pathways[pathway].stages:
                priorities[f"{pathway}.{stage}"] = priority
    return priorities
