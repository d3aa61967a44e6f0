"""Compile a validated configuration into a Model of arrays and tuples."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import replace

from pathways.config.derived import (
    contract_of,
    practice_clinics,
    resource_kinds,
    resource_line,
)
from pathways.config.loader import LoadedConfig
from pathways.config.schema import Config, PracticeClinic, Resource, Stage, WaitingList
from pathways.model.arrivals import weekly_rates_per_day
from pathways.model.calendar import WeeklyCalendar
from pathways.model.chronic import (
    REVIEW_PRIORITY,
    chronic_stage_priorities,
    provider_ordered_reviews,
)
from pathways.model.distributions import compile_distribution
from pathways.model.economy import compile_economy
from pathways.model.emergencies import emergency_stage_priorities
from pathways.model.model import (
    EXIT,
    NO_RESOURCE,
    CompiledArrival,
    CompiledPool,
    CompiledResource,
    CompiledStage,
    ManagedList,
    Model,
)
from pathways.model.money import compile_money

DAYS_PER_WEEK = 7.0
DAYS_PER_MONTH = 30.44


def config_hash(config: Config) -> str:
    """SHA-256 of the validated configuration (extends merged, CSV files read) in
    canonical JSON: independent of file layout, sensitive to every value used."""
    canonical = json.dumps(config.model_dump(mode="json"), sort_keys=True,
                           separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _calendar(resource: Resource | PracticeClinic, config: Config) -> WeeklyCalendar | None:
    """The resource's calendar as a WeeklyCalendar, or None when always open."""
    calendar = config.calendar_of(resource)
    return None if calendar is None else WeeklyCalendar(calendar.open_intervals_days())


def _qualified(pathway: str, stage: str) -> str:
    return f"{pathway}.{stage}"


def _routing(stage: Stage, pathway: str,
             stage_index: dict[str, int]) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """Targets and cumulative probabilities for a stage's ``next``."""
    targets, cumulative, total = [], [], 0.0
    for name, probability in stage.routing().items():
        if probability <= 0:
            continue
        total += probability
        targets.append(EXIT if name == "exit" else stage_index[_qualified(pathway, name)])
        cumulative.append(total)
    cumulative[-1] = 1.0  # lint allows a 1e-9 slack; the last target takes it
    return tuple(targets), tuple(cumulative)


REPEAT_TEST_STAGE = "handoff_repeat_test"


def _pools(config: Config, resources: tuple[CompiledResource, ...]
           ) -> tuple[tuple[CompiledPool, ...], tuple[int, ...]]:
    """Queues and the servers behind them. Under pooled allocation, resources of one
    kind held by one organisation (or by anyone, when pooling across all) serve a
    single list, each server keeping its own calendar; otherwise every resource has
    its own queue."""
    pooled = config.is_economy and config.allocation.pooled
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, (name, spec) in enumerate(config.resources.items()):
        key: tuple[str, ...]
        if pooled and spec.kind is not None and spec.organisation is not None:
            owner = config.organisations[spec.organisation].owner or spec.organisation
            scope = owner if config.allocation.pool_across == "organisation" else "*"
            key = ("pool", scope, spec.kind)
        else:
            key = ("resource", name)
        groups.setdefault(key, []).append(index)
    for index in range(len(config.resources), len(resources)):  # a practice's own list
        groups[("resource", resources[index].name)] = [index]
    pools: list[CompiledPool] = []
    resource_pool = [0] * len(resources)
    for members in groups.values():
        for member in members:
            resource_pool[member] = len(pools)
        units = [(r, u) for r in members for u in range(resources[r].capacity)]
        share_of = {r: _added_sessions_share(config, resources[r].name) for r in members}
        shares = [share_of[r] for r, _ in units]
        review_priorities = {_review_priority(config, resources[r].name) for r in members}
        block_paid = [_block_paid_for_elective_work(config, resources[r].name) for r in members]
        pools.append(CompiledPool(
            name="+".join(resources[r].name for r in members),
            unit_resource=tuple(r for r, _ in units),
            unit_local=tuple(u for _, u in units),
            unit_calendar=tuple(resources[r].calendar for r, _ in units),
            added_sessions_share=sum(shares) / len(shares) if shares else 1.0,
            review_priority=review_priorities.pop() if len(review_priorities) == 1 else 0,
            per_case_first=(bool(config.fundholding.practices)
                            or config.commissioner_choice.rival is not None) and all(block_paid),
        ))
    return tuple(pools), tuple(resource_pool)


def _review_priority(config: Config, resource: str) -> int:
    """Where reviews are queued by their provider's contract: the review priority of
    the resource's organisation's elective contract (paid per elective unit, elective
    patients first; a pool of mixed contracts: fifo, 0); a practice's own clinic is
    paid by activity."""
    spec = config.resources.get(resource)
    if spec is None or spec.organisation is None:
        return REVIEW_PRIORITY["activity"]
    return REVIEW_PRIORITY[contract_of(config, spec.organisation)[0]]


def _block_paid_for_elective_work(config: Config, resource: str) -> bool:
    """Whether the resource's organisation is paid a block sum for elective work, so
    that a fundholder's patient or a rival commissioner's member brings it income the
    home commissioner's patients do not."""
    spec = config.resources.get(resource)
    return spec is not None and spec.organisation is not None \
        and contract_of(config, spec.organisation)[0] == "block"


def _added_sessions_share(config: Config, resource: str) -> float:
    """The share of the supply response the contract of a resource's organisation
    for the list's service line allows (a pool's is the mean over its servers); 1 for
    a resource no organisation holds (a plain network, a practice's own clinic)."""
    spec = config.resources.get(resource)
    if spec is None or spec.organisation is None:
        return 1.0
    contract, _ = contract_of(config, spec.organisation, resource_line(config, resource))
    return getattr(config.contracts.added_sessions_share, contract)


def compile_config(config: Config) -> Model:
    """Number everything, compile samplers, calendars, routing and arrival rates."""
    resource_names = list(config.resources)
    resource_index = {name: i for i, name in enumerate(resource_names)}
    kinds = sorted(resource_kinds(config))
    pathway_names = list(config.pathways)
    stage_index = {
        _qualified(p, s): i
        for i, (p, s) in enumerate(
            (p, s) for p, pathway in config.pathways.items() for s in pathway.stages
        )
    }
    resources = tuple(
        CompiledResource(name, res.capacity, _calendar(res, config), res.slots_per_session)
        for name, res in config.resources.items()
    ) + tuple(  # after the configured ones: every practice's clinics
        CompiledResource(name, servers, _calendar(clinic, config))
        for name, _, clinic, servers in practice_clinics(config)
    )
    priority_kinds = {r.kind for r in config.resources.values() if r.queue == "priority"}
    chronic_priority = {**chronic_stage_priorities(config),
                        **emergency_stage_priorities(config)}
    stages = []
    for p_index, (p_name, pathway) in enumerate(config.pathways.items()):
        for s_name, stage in pathway.stages.items():
            r = NO_RESOURCE if stage.resource is None else resource_index[stage.resource]
            on_priority_queue = (
                (stage.resource is not None
                 and config.resources[stage.resource].queue == "priority")
                or (stage.kind is not None and stage.kind in priority_kinds))
            targets, cumulative = _routing(stage, p_name, stage_index)
            name = _qualified(p_name, s_name)
            cancel = stage.cancel_if_next_full
            stages.append(CompiledStage(
                name=name,
                pathway=p_index,
                resource=r,
                queue_priority=chronic_priority.get(
                    name, stage.priority if on_priority_queue else 0),
                sampler=compile_distribution(stage.duration),
                targets=targets,
                cumulative_probabilities=cumulative,
                rtt_stop=stage.rtt_stop,
                kind=NO_RESOURCE if stage.kind is None else kinds.index(stage.kind),
                rebook_sampler=None if cancel is None else compile_distribution(cancel.rebook_days),
                keep_until_next_starts=stage.keep_until_next_starts,
                lead_days=stage.lead_days,
            ))
    repeat_stage = [NO_RESOURCE] * len(pathway_names)
    if config.is_economy and config.handoff.repeats_possible:
        repeat = config.handoff.repeat_test
        for p_index, p_name in enumerate(pathway_names):
            # Only a pathway that uses tests of that kind can need one repeated.
            if any(st.kind == repeat.kind for st in config.pathways[p_name].stages.values()):
                repeat_stage[p_index] = len(stages)
                stages.append(CompiledStage(
                    name=_qualified(p_name, REPEAT_TEST_STAGE), pathway=p_index,
                    resource=NO_RESOURCE, queue_priority=0,
                    sampler=compile_distribution(repeat.duration),
                    # returns to where it was going
                    targets=(EXIT,), cumulative_probabilities=(1.0,),
                    kind=kinds.index(repeat.kind)))
    arrivals: list[CompiledArrival] = []
    seen: Counter[str] = Counter()
    for arrival in config.arrivals:
        pathway = config.pathways[arrival.pathway]
        start = arrival.start or pathway.start_stage
        target = _qualified(arrival.pathway, start)
        seen[target] += 1
        arrivals.append(CompiledArrival(
            # Named by where it enters (and which of the streams entering there it is),
            # not by list position, so reordering or adding streams keeps its numbers.
            name=f"{target}#{seen[target]}",
            pathway=pathway_names.index(arrival.pathway),
            start_stage=stage_index[_qualified(arrival.pathway, start)],
            hourly_rates_per_day=weekly_rates_per_day(
                arrival.rate_per_day, arrival.hour_of_day_factors, arrival.day_of_week_factors),
        ))
    pools, resource_pool = _pools(config, resources)
    economy = None if not config.is_economy else compile_economy(
        config, stage_index, resource_names, tuple(repeat_stage))
    return Model(
        name=config.name,
        horizon_days=float(config.horizon_days),
        warmup_days=float(config.warmup_days),
        pathways=tuple(pathway_names),
        stages=tuple(stages),
        resources=resources,
        pools=pools,
        resource_pool=resource_pool,
        arrivals=tuple(arrivals),
        config_hash=config_hash(config),
        config=config,
        economy=economy,
        managed_list=_managed_list(config.waiting_list),
        provider_ordered_stages=frozenset(stage_index[name]
                                          for name in provider_ordered_reviews(config)),
        money=None if economy is None else compile_money(
            config, [s.name for s in stages], list(economy.resource_kind),
            list(economy.organisations)),
    )


def _managed_list(waiting_list: WaitingList) -> ManagedList:
    """The waiting-list management in days and per day."""
    supply, demand = waiting_list.supply, waiting_list.demand
    return ManagedList(
        max_extra_share=supply.max_extra_share,
        trigger_wait_days=supply.trigger_wait_weeks * DAYS_PER_WEEK,
        cap_wait_days=supply.cap_wait_weeks * DAYS_PER_WEEK,
        response_delay_days=supply.delay_days,
        review_every_days=supply.review_every_days,
        elasticity=demand.elasticity,
        reference_wait_days=demand.reference_wait_weeks * DAYS_PER_WEEK,
        removal_rate_per_day=waiting_list.removals.monthly_rate / DAYS_PER_MONTH,
        did_not_attend_share=waiting_list.did_not_attend_share,
        booked_in_turn_share=waiting_list.booked_in_turn_share,
    )


def compile_loaded(loaded: LoadedConfig) -> Model:
    """Compile a ``LoadedConfig``, keeping its warnings."""
    return replace(compile_config(loaded.config),
                   warnings=tuple(issue.format() for issue in loaded.warnings))
