"""Each resource's own demand, and the offered load of every list.

`lint.offered_loads` adds up a kind's work and capacity, so one provider can be past
saturation while its kind's total is below 1. Here every practice's patients are
followed to the resources that serve them, as the engine serves them under `nearest`
allocation (pathways.model.economy, pathways.model.chronic):

* a pathway starts at the practice's nearest site of the pathway's providers that has
  the kind of its choice stage (referrals: list size x referral rate; chronic journeys:
  the practice's cohort), or at the practice's own clinic for a kind every practice
  holds;
* a stage that names a kind is served by the resource of that kind at that site, else
  the nearest of the same (accountable) organisation, else the nearest of any; a stage
  in allocation.rechoose_at at the practice's nearest site offering its kind (the
  stages after it are left at the first site, an approximation);
* visits per patient come from the pathway's traffic equations (lint.stage_arrival_rates).

Under `choice` and `shortest_wait` this is an approximation (patients who choose a
provider other than their nearest are not followed); under `pooled` allocation the
resources of one kind that an organisation (its owner) holds serve one list, so their
demand and capacity are added up. Repeat tests after handoffs are left out. In a
plain network every stage names its resource, and the demand is exact.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from pathways.config.derived import (
    economy_practices,
    first_kind,
    practice_clinics,
    practice_kinds,
    provider_sites,
    referral_weights,
)
from pathways.config.errors import FieldPath
from pathways.config.lint import resource_capacities, stage_arrival_rates, visit_cost
from pathways.config.schema import Config, PracticeRow, Stage

SiteKey = tuple[str, str]  # (organisation, site), or (PRACTICE_SITE, practice name)
PRACTICE_SITE = "practice"
Flows = dict[tuple[str, str, str], float]  # (resource, pathway, stage) -> visits a day


@dataclass(frozen=True)
class Site:
    organisation: str  # the accountable organisation: the owner, where there is one
    x_km: float
    y_km: float


@dataclass(frozen=True)
class Placed:
    """A resource with a kind, where it sits."""

    name: str
    kind: str
    site: SiteKey


@dataclass(frozen=True)
class Geography:
    """Every site and the resources with a kind, in the engine's order (the
    configuration's resources, then every practice's clinics): the order breaks ties
    between equally near resources."""

    sites: dict[SiteKey, Site]
    placed: tuple[Placed, ...]

    @cached_property
    def placed_by(self) -> dict[tuple, list[Placed]]:
        """The placed resources, in order, by ("kind", kind), by ("site", kind, site)
        and by ("organisation", kind, organisation): indexed once, not searched per
        site (with clinics in every practice there are as many sites as practices)."""
        index: dict[tuple, list[Placed]] = defaultdict(list)
        for placed in self.placed:
            index[("kind", placed.kind)].append(placed)
            index[("site", placed.kind, placed.site)].append(placed)
            index[("organisation", placed.kind, self.sites[placed.site].organisation)].append(
                placed)
        return dict(index)

    @cached_property
    def serving(self) -> dict[tuple[str, SiteKey], str]:
        """serving_resource's answers so far, by (kind, site)."""
        return {}


@dataclass(frozen=True)
class ListLoad:
    """One list: a resource's own, or under pooled allocation a pool's."""

    name: str  # the resource's, or for a pool "<organisation>:<kind>" ("all:<kind>")
    resources: tuple[str, ...]  # the resources serving the list
    path: FieldPath  # where its (first) resource is configured
    work_per_day: float  # server-days, or slots taken, a day
    capacity_per_day: float  # server-days, or slots, a day
    bookable: bool
    allocated: bool  # served by kind, so its demand depends on the allocation policy

    @property
    def load(self) -> float:
        return self.work_per_day / self.capacity_per_day

    @property
    def label(self) -> str:
        """The list as a message names it."""
        if len(self.resources) == 1:
            return f"resource {self.name!r}"
        names = ", ".join(repr(name) for name in self.resources)
        return f"the pooled list {self.name!r} (resources {names})"


def accountable(config: Config, organisation: str) -> str:
    """The organisation that counts for boundaries and pooled lists: its owner, if any."""
    return config.organisations[organisation].owner or organisation


def provider_of(config: Config, resource: str) -> str:
    """The provider a resource belongs to, as the simulator names providers: its
    accountable organisation, or the resource itself where no organisation holds it."""
    organisation = config.resources[resource].organisation
    return resource if organisation is None else accountable(config, organisation)


def geography(config: Config) -> Geography:
    """The economy's sites (a practice's own site where practices run clinics) and
    where each resource with a kind sits."""
    sites = {(org, name): Site(accountable(config, org), site.x_km, site.y_km)
             for org, o in config.organisations.items() for name, site in o.sites.items()}
    placed = [Placed(name, r.kind, (r.organisation, r.site))
              for name, r in config.resources.items()
              if r.kind is not None and r.organisation is not None and r.site is not None]
    for name, index, clinic, _ in practice_clinics(config):
        practices = economy_practices(config)
        row = practices.rows[index]
        key = (PRACTICE_SITE, row.name)
        # held by the practices' organisation, else the practice itself, as the engine has it
        sites[key] = Site(practices.organisation or row.name, row.x_km, row.y_km)
        placed.append(Placed(name, clinic.kind, key))
    return Geography(sites, tuple(placed))


def _km(a: Site | PracticeRow, b: Site) -> float:
    return math.hypot(a.x_km - b.x_km, a.y_km - b.y_km)


def nearest_site(geo: Geography, row: PracticeRow, candidates: Sequence[SiteKey]) -> SiteKey:
    """The candidate site nearest the practice (the first of equally near ones)."""
    return min(candidates, key=lambda key: _km(row, geo.sites[key]))


def serving_resource(geo: Geography, kind: str, site: SiteKey) -> str:
    """The resource of `kind` serving a patient allocated to `site`: one at the site,
    else the nearest of the site's organisation, else the nearest of any."""
    if (kind, site) in geo.serving:
        return geo.serving[(kind, site)]
    here = geo.sites[site]
    for tier in (geo.placed_by.get(("site", kind, site), []),
                 geo.placed_by.get(("organisation", kind, here.organisation), []),
                 geo.placed_by.get(("kind", kind), [])):
        if tier:
            name = min(tier, key=lambda p: _km(geo.sites[p.site], here)).name
            geo.serving[(kind, site)] = name
            return name
    raise ValueError(f"no resource of kind {kind!r}: the config has not passed lint")


def entry_site(config: Config, geo: Geography, pathway: str, index: int) -> SiteKey:
    """Where practice `index`'s patients of `pathway` are allocated: its own site for a
    kind every practice holds, else its nearest site offering the pathway."""
    row = economy_practices(config).rows[index]
    if first_kind(config, pathway) in practice_kinds(config):
        return (PRACTICE_SITE, row.name)
    return nearest_site(geo, row, provider_sites(config, pathway))


def resource_visits(config: Config) -> Flows:
    """Visits a day to every stage at every resource, {(resource, pathway, stage):
    visits}, as the module docstring describes."""
    rates = stage_arrival_rates(config)
    if config.practices is None:
        return {(stage.resource, p, s): rates[p][s] for p, pathway in config.pathways.items()
                for s, stage in pathway.stages.items() if stage.resource is not None}
    geo = geography(config)
    rows = config.practices.rows
    weights = referral_weights(config)
    flows: Flows = defaultdict(float)
    total_weight = sum(weights)
    for p, pathway in config.pathways.items():
        if not any(rates[p].values()):
            continue
        for index, row in enumerate(rows):
            share = weights[index] / total_weight
            site = entry_site(config, geo, p, index)
            for s, stage in pathway.stages.items():
                resource = _stage_resource(config, geo, p, s, stage, site, row)
                if resource is not None:
                    flows[(resource, p, s)] += rates[p][s] * share
    return dict(flows)


def _stage_resource(config: Config, geo: Geography, pathway: str, name: str, stage: Stage,
                    site: SiteKey, row: PracticeRow) -> str | None:
    """The resource serving `stage` for a patient of `row` allocated to `site`."""
    if stage.kind is None:
        return stage.resource
    if name in config.allocation.rechoose_at:
        site = nearest_site(geo, row, provider_sites(config, pathway, stage.kind))
    return serving_resource(geo, stage.kind, site)


def resource_work(config: Config) -> dict[str, float]:
    """Work arriving a day at every resource (server-days, or slots taken)."""
    work = dict.fromkeys(resource_capacities(config), 0.0)
    for (resource, p, s), visits in resource_visits(config).items():
        work[resource] += visits * visit_cost(config, p, config.pathways[p].stages[s])
    return work


def list_loads(config: Config) -> list[ListLoad]:
    """The offered load of every list: each resource's, or under pooled allocation
    each pool's (the resources of one kind that an organisation, or with
    pool_across: all anyone, holds), practice clinics last."""
    work, capacity = resource_work(config), resource_capacities(config)
    loads = []
    for name, members, path in _lists(config):
        first = config.resources.get(members[0])
        loads.append(ListLoad(
            name=name, resources=members, path=path,
            work_per_day=math.fsum(work[name] for name in members),
            capacity_per_day=math.fsum(capacity[name] for name in members),
            bookable=first is not None and first.slots_per_session is not None,
            allocated=first is not None and first.kind is not None))
    return loads


def list_names(config: Config) -> dict[str, str]:
    """The list each resource serves: its own, or its pool's (ListLoad.name)."""
    return {member: name for name, members, _ in _lists(config) for member in members}


def _lists(config: Config) -> list[tuple[str, tuple[str, ...], FieldPath]]:
    """(name, resources, path) of each list, grouped as pathways.model.compile pools
    resources."""
    pooled = config.is_economy and config.allocation.pooled
    groups: dict[str, list[str]] = {}
    for name, resource in config.resources.items():
        if pooled and resource.kind is not None and resource.organisation is not None:
            scope = (accountable(config, resource.organisation)
                     if config.allocation.pool_across == "organisation" else "all")
            groups.setdefault(f"{scope}:{resource.kind}", []).append(name)
        else:
            groups[name] = [name]
    lists: list[tuple[str, tuple[str, ...], FieldPath]] = [
        (name if len(members) > 1 else members[0], tuple(members), ("resources", members[0]))
        for name, members in groups.items()]
    lists += [(name, (name,), ("practices", "clinics", name.rpartition(":")[2]))
              for name, _, _, _ in practice_clinics(config)]
    return lists


def allocation_note(config: Config) -> str:
    """How demand reached a resource with a kind, for messages about its load."""
    note = "each practice's patients sent to its nearest provider of the pathway"
    if config.allocation.policy in ("choice", "shortest_wait"):
        note += f", an approximation under {config.allocation.policy} allocation"
    return note
