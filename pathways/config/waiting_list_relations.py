"""Waiting-list relations (Fong et al. 2022; the NHS-R package NHSRwaitinglist), and
what they say about every provider's bookable lists before anything is simulated.

Each relation is a one-line function of rates a week and waits in weeks, its formula
in the docstring; Fong et al.'s worked example (an ENT waiting list) is their test.
`provider_relations` applies them to each provider and pathway whose first
appointment is booked into slots. A provider is named as the simulator names it: the
accountable organisation (the owner, where there is one), or a resource that no
organisation holds.

* demand: first appointments a week at the provider, from resource_demand (each
  practice's patients at its nearest provider: an approximation under choice);
* capacity: the provider's slots a week of that kind, shared among everything booked
  into them in proportion to demand, counted in slots taken (every pathway's first and
  later appointments, missed appointments included), and stated as the first
  appointments a week this pathway's share gives. So every pathway on one list has
  that list's load.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from pathways.config.lint import resource_capacities, stops_clock, visit_cost
from pathways.config.resource_demand import (
    allocation_note,
    list_names,
    provider_of,
    resource_visits,
)
from pathways.config.schema import Config

TARGET_WEEKS = 18.0  # the referral-to-treatment standard
FACTOR = 4.0  # NHSRwaitinglist's default: a list meeting its target averages target / 4
RELIEF_WEEKS = 26.0  # NHSRwaitinglist's default time to bring a list back to target
RELIEF_THRESHOLD = 2.0  # relief capacity is called for once a list is twice its target size
DAYS_PER_WEEK = 7.0


def queue_load(demand: float, capacity: float) -> float:
    """load = demand / capacity: at 1 or more the list grows without limit."""
    return demand / capacity


def target_mean_wait(target: float, factor: float = FACTOR) -> float:
    """target mean wait = target / factor: with waits spread as they are on real lists,
    a mean of a quarter of the target keeps nearly all waits within it."""
    return target / factor


def target_queue_size(demand: float, target: float, factor: float = FACTOR) -> float:
    """target queue size = demand x target / factor (Little's law at the target mean wait)."""
    return demand * target / factor


def relief_capacity(demand: float, queue_size: float, target_queue: float,
                    weeks: float = RELIEF_WEEKS) -> float:
    """relief capacity = demand + (queue size - target queue size) / weeks: what brings
    a list back to its target size in `weeks`."""
    return demand + (queue_size - target_queue) / weeks


def target_capacity(demand: float, target: float, factor: float = FACTOR,
                    cv_demand: float = 1.0, cv_capacity: float = 1.0) -> float:
    """target capacity = demand + ((cv_demand^2 + cv_capacity^2) / 2) x factor / target
    (Kingman's formula): what keeps the mean wait at target / factor."""
    return demand + (cv_demand**2 + cv_capacity**2) / 2.0 * factor / target


def waiting_list_pressure(mean_wait: float, target: float) -> float:
    """pressure = 2 x mean wait / target: above 1, the list waits longer than its
    target allows."""
    return 2.0 * mean_wait / target


@dataclass(frozen=True)
class ListRelations:
    """One provider's list of first appointments for one pathway (or for several
    together, see `combined`), in patients a week."""

    provider: str
    pathway: str
    demand_per_week: float  # first appointments asked for a week
    capacity_per_week: float  # first appointments the provider's share of slots gives
    rtt: bool  # the pathway stops a referral-to-treatment clock
    target_weeks: float = TARGET_WEEKS
    factor: float = FACTOR

    @property
    def load(self) -> float:
        return queue_load(self.demand_per_week, self.capacity_per_week)

    @property
    def target_mean_wait(self) -> float:
        return target_mean_wait(self.target_weeks, self.factor)

    @property
    def target_queue(self) -> float:
        return target_queue_size(self.demand_per_week, self.target_weeks, self.factor)

    @property
    def target_capacity(self) -> float:
        """With a coefficient of variation of 1 for demand and capacity."""
        return target_capacity(self.demand_per_week, self.target_weeks, self.factor)

    def relief_capacity(self, queue_size: float | None = None) -> float:
        """For a list of `queue_size` patients; by default one of RELIEF_THRESHOLD times
        its target size, where relief capacity is first called for."""
        queue = RELIEF_THRESHOLD * self.target_queue if queue_size is None else queue_size
        return relief_capacity(self.demand_per_week, queue, self.target_queue)

    def pressure(self, queue_size: float) -> float:
        """For a list of `queue_size` patients, whose mean wait is queue size / demand
        (Little's law)."""
        return waiting_list_pressure(queue_size / self.demand_per_week, self.target_weeks)


def provider_relations(config: Config, target_weeks: float = TARGET_WEEKS,
                       factor: float = FACTOR) -> list[ListRelations]:
    """Every provider's bookable lists of first appointments, per pathway that reaches
    them, by provider (in the order the configuration first names them), then pathway.
    A list's slots are shared among all it serves in proportion to the slots each
    takes; a provider with several lists (sites) adds up its shares. Assumes `config`
    passed lint."""
    lists, capacities = list_names(config), resource_capacities(config)
    slots: dict[str, float] = defaultdict(float)
    for name, resource in config.resources.items():
        if resource.slots_per_session is not None:
            slots[lists[name]] += capacities[name] * DAYS_PER_WEEK
    first_stage = {p: _first_appointment(config, p) for p in config.pathways}
    taken: dict[str, float] = defaultdict(float)
    firsts: dict[tuple[str, str, str], float] = defaultdict(float)  # provider, pathway, list
    for (resource_name, p, s), visits in resource_visits(config).items():
        listed = lists[resource_name]
        if listed not in slots:
            continue
        weekly = visits * DAYS_PER_WEEK
        taken[listed] += weekly * visit_cost(config, p, config.pathways[p].stages[s])
        if s == first_stage[p]:
            firsts[(provider_of(config, resource_name), p, listed)] += weekly
    demand: dict[tuple[str, str], float] = defaultdict(float)
    capacity: dict[tuple[str, str], float] = defaultdict(float)
    for (provider, p, name), weekly in firsts.items():
        demand[(provider, p)] += weekly
        capacity[(provider, p)] += slots[name] * weekly / taken[name]
    order = list(dict.fromkeys(provider_of(config, name) for name in config.resources))
    pathways = list(config.pathways)
    return [ListRelations(provider, p, demand[(provider, p)], capacity[(provider, p)],
                          stops_clock(config, p), target_weeks, factor)
            for provider, p in sorted(demand, key=lambda key: (order.index(key[0]),
                                                               pathways.index(key[1])))]


def column_notes(config: Config) -> list[str]:
    """What the columns of `provider_relations` mean, for people (check, report)."""
    where = f" ({allocation_note(config)})" if config.is_economy else ""
    return [f"demand: first appointments a week at the provider{where}.",
            ("capacity: the provider's slots a week of that kind, shared among the pathways in "
            "proportion to demand, counted in slots taken (first and later appointments, "
            "missed ones included), as first appointments: every pathway on one list has "
            "that list's load."),
            (f"relief capacity: brings a list of {RELIEF_THRESHOLD:g} x its target size back to "
            f"target in {RELIEF_WEEKS:g} weeks; target capacity: keeps the target mean wait, "
            "with a coefficient of variation of 1 for demand and for capacity.")]


def combined(rows: list[ListRelations], pathway: str) -> ListRelations:
    """Several lists of one provider as one (say, all its RTT pathways): demand and
    capacity added up."""
    return replace(rows[0], pathway=pathway,
                   demand_per_week=sum(r.demand_per_week for r in rows),
                   capacity_per_week=sum(r.capacity_per_week for r in rows),
                   rtt=all(r.rtt for r in rows))


def _first_appointment(config: Config, pathway: str) -> str | None:
    """The pathway's first stage, in listed order, that uses a resource or a kind."""
    stages = config.pathways[pathway].stages
    return next((name for name, stage in stages.items()
                 if stage.resource is not None or stage.kind is not None), None)
