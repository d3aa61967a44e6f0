"""Facts derived from a configuration: who refers how much, which kinds of resource
exist, where a pathway's provider is chosen and which sites offer it, who pays whom.

The model (pathways.model) is built from them and the checks (lint, economy_lint,
budget, resource_demand) reason with them, so both read the same facts from here.
Facts that are costly (a pass over every practice or resource) or asked for again and
again (per pathway, per practice) are computed once per configuration object
(`per_config`); the rest are cheap lookups, computed when asked.
"""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Callable, Hashable
from typing import Concatenate, NamedTuple, ParamSpec, TypeVar, cast

from pathways.config.errors import FieldPath
from pathways.config.schema import (
    Config,
    ContractSpec,
    LineContracts,
    PracticeClinic,
    Practices,
)

COMMISSIONER_TYPE = "commissioner"  # the organisation that is the commissioner itself

SiteKey = tuple[str, str]  # (organisation, site)

P = ParamSpec("P")
T = TypeVar("T")

_FACTS: dict[int, dict[Hashable, object]] = {}
"""Facts computed so far, by id of their configuration; an entry goes with its config."""


def _facts_of(config: Config) -> dict[Hashable, object]:
    key = id(config)
    facts = _FACTS.get(key)
    if facts is None:
        facts = _FACTS[key] = {}
        weakref.finalize(config, _FACTS.pop, key, None)  # before the id can be reused
    return facts


def per_config(compute: Callable[Concatenate[Config, P], T]) -> Callable[Concatenate[Config, P], T]:
    """Computes a fact once per configuration object and arguments. A configuration is
    frozen, and a changed one (`model_copy`) is a new object, so a kept fact is never
    stale. What it returns is shared: facts are immutable (tuples, frozensets)."""

    @functools.wraps(compute)
    def cached(config: Config, /, *args: P.args, **kwargs: P.kwargs) -> T:
        facts = _facts_of(config)
        key = (compute, args, tuple(kwargs.items()))
        if key not in facts:
            facts[key] = compute(config, *args, **kwargs)
        return cast(T, facts[key])

    return cached


# --- practices and kinds of resource -----------------------------------------------------


class ClinicResource(NamedTuple):
    """One practice's resource for one of the clinics every practice runs."""

    name: str  # "practice:clinic"
    practice_index: int
    clinic: PracticeClinic
    servers: int


def economy_practices(config: Config) -> Practices:
    """The practices of a health economy, which everything that places patients by
    practice needs (a configuration that passed lint has them wherever it is asked)."""
    if config.practices is None:
        raise ValueError("only a health economy (a configuration with practices) places "
                         "patients by practice")
    return config.practices


@per_config
def practice_names(config: Config) -> tuple[str, ...]:
    """The practices' names, in the practices file's order (none without practices)."""
    return () if config.practices is None else tuple(row.name for row in config.practices.rows)


@per_config
def practice_kinds(config: Config) -> frozenset[str]:
    """Kinds of resource every practice holds for its own patients."""
    if config.practices is None:
        return frozenset()
    return frozenset(clinic.kind for clinic in config.practices.clinics.values())


@per_config
def resource_kinds(config: Config) -> frozenset[str]:
    """Every kind of resource: the resources' and the practices' clinics'."""
    return (frozenset(r.kind for r in config.resources.values() if r.kind is not None)
            | practice_kinds(config))


@per_config
def practice_clinics(config: Config) -> tuple[ClinicResource, ...]:
    """Every practice's clinics, practice by practice: servers_per_1000 x list size /
    1000 rounded up, so that no practice has less capacity per patient than asked for."""
    if config.practices is None:
        return ()
    return tuple(ClinicResource(f"{row.name}:{name}", index, clinic,
                                math.ceil(clinic.servers_per_1000 * row.list_size / 1000.0 - 1e-9))
                 for index, row in enumerate(config.practices.rows)
                 for name, clinic in config.practices.clinics.items())


# --- who needs care --------------------------------------------------------------------


@per_config
def prevalence_weights(config: Config, condition: str) -> tuple[float, ...]:
    """Each practice's weight in a chronic cohort: its list size x its deprivation
    quintile's prevalence multiplier for the condition (registered patients at the
    condition's base prevalence and incidence who would hold as many)."""
    if config.chronic is None or config.practices is None:
        return ()
    by_quintile = (config.chronic.conditions[condition].prevalence_multiplier_by_quintile
                   or config.need.prevalence_multiplier_by_quintile)
    return tuple(row.list_size * by_quintile[row.deprivation_quintile - 1]
                 for row in config.practices.rows)


@per_config
def referral_weights(config: Config) -> tuple[float, ...]:
    """Each practice's weight in referrals: its list size x its own referral factor x
    its deprivation quintile's need multiplier (registered patients at the pathways'
    base rate who would send as many)."""
    if config.practices is None:
        return ()
    by_quintile = config.need.referral_multiplier_by_quintile
    return tuple(row.list_size * row.referral_factor * by_quintile[row.deprivation_quintile - 1]
                 for row in config.practices.rows)


@per_config
def referrals_per_day(config: Config, pathway_name: str) -> float:
    """Referrals a day into a pathway from every practice's list."""
    rate = config.pathways[pathway_name].referrals_per_1000_per_year
    if rate is None or config.practices is None:
        return 0.0
    return sum(referral_weights(config)) / 1000.0 * rate / 365.0


@per_config
def chronic_starts_per_day(config: Config, pathway_name: str) -> float:
    """Long-run chronic journeys a day starting on a pathway: reviews (cohort size /
    review interval) and emergency admissions (cohort size x base admission rate,
    with case management where provided; the season averages out, overdue reviews
    are left out)."""
    if config.chronic is None or config.practices is None:
        return 0.0
    management = config.chronic.case_management
    multiplier = management.rate_multiplier if management.provided else 1.0
    rate = 0.0
    for name, condition in config.chronic.conditions.items():
        persons = sum(prevalence_weights(config, name)) * condition.prevalence
        if condition.review_pathway == pathway_name:
            rate += persons / condition.review_interval_days
        if condition.admission_pathway == pathway_name:
            rate += persons * condition.admissions_per_year / 365.0 * multiplier
    return rate


@per_config
def emergency_starts_per_day(config: Config, pathway_name: str) -> float:
    """Population emergencies a day starting on a pathway (the season averages out;
    avoidance services, which take some only when a unit is free, are left out)."""
    spec = config.emergencies
    if spec.pathway != pathway_name or config.practices is None:
        return 0.0
    weights = sum(row.list_size * spec.multiplier_by_quintile[row.deprivation_quintile - 1]
                  for row in config.practices.rows)
    return weights / 1000.0 * spec.admissions_per_1000_per_year / 365.0


# --- where patients go -----------------------------------------------------------------


def choice_stage(config: Config, pathway_name: str) -> str | None:
    """The first stage, in listed order, that names a kind: where a patient's provider
    is chosen at referral."""
    stages = config.pathways[pathway_name].stages
    return next((name for name, stage in stages.items() if stage.kind), None)


def first_kind(config: Config, pathway_name: str) -> str | None:
    """The kind of resource of the pathway's choice stage."""
    stage = choice_stage(config, pathway_name)
    return None if stage is None else config.pathways[pathway_name].stages[stage].kind


@per_config
def provider_sites(config: Config, pathway_name: str,
                   kind: str | None = None) -> tuple[SiteKey, ...]:
    """(organisation, site) pairs of the pathway's providers with a resource of
    ``kind`` (default: the kind of its choice stage, i.e. where a referral can go),
    sorted. A resource with no organisation or site is nobody's (lint reports it)."""
    pathway = config.pathways[pathway_name]
    kind = kind or first_kind(config, pathway_name)
    allowed = set(pathway.providers) if pathway.providers is not None else None
    found = {
        (r.organisation, r.site) for r in config.resources.values()
        if r.kind == kind and r.organisation is not None and r.site is not None
        and (allowed is None or r.organisation in allowed)
    }
    return tuple(sorted(found))


# --- who pays whom ---------------------------------------------------------------------


def paying_body(config: Config, organisation: str) -> str:
    """The organisation a contract pays: the owner of an owned one."""
    return config.organisations[organisation].owner or organisation


def run_by_commissioner(config: Config, organisation: str) -> bool:
    """Whether the organisation is the commissioner (type commissioner) or owned by it."""
    body = config.organisations.get(paying_body(config, organisation))
    return body is not None and body.type == COMMISSIONER_TYPE


def contract_of(config: Config, organisation: str,
                line: str = "elective") -> tuple[str, FieldPath]:
    """The contract an organisation is paid by for a service line (SERVICE_LINES), and
    where it is set: its own, else its owner's, else the default. The commissioner's own
    services are funded like a block contract (an added session is a cost)."""
    if run_by_commissioner(config, organisation):
        body = paying_body(config, organisation)
        return "block", ("organisations", body, "type")
    providers = config.contracts.providers
    for name in (organisation, config.organisations[organisation].owner):
        if name is not None and name in providers:
            return _line(providers[name], line, ("contracts", "providers", name))
    return _line(config.contracts.default, line, ("contracts", "default"))


def _line(spec: ContractSpec, line: str, path: FieldPath) -> tuple[str, FieldPath]:
    if isinstance(spec, LineContracts):
        return getattr(spec, line), (*path, line)
    return spec, path


@per_config
def _elective_uses(config: Config) -> tuple[frozenset[str], frozenset[str]]:
    """The resources named, and the kinds named, by stages of pathways that run an RTT
    clock."""
    stages = [stage for pathway in config.pathways.values()
              if any(stage.rtt_stop is not None for stage in pathway.stages.values())
              for stage in pathway.stages.values()]
    return (frozenset(s.resource for s in stages if s.resource is not None),
            frozenset(s.kind for s in stages if s.kind is not None))


def resource_line(config: Config, resource: str) -> str:
    """The service line a resource's list belongs to: elective when any stage of a
    pathway that runs an RTT clock can use it (by name or by kind), else non_elective."""
    resources, kinds = _elective_uses(config)
    kind = config.resources[resource].kind
    return "elective" if resource in resources or kind in kinds else "non_elective"
