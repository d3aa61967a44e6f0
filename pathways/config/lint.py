"""Checks that need the whole configuration: names that refer to other sections,
routing probabilities, whether patients can reach every stage and leave, and load.

`lint` runs after schema validation. Broken references, routing and flow are errors,
and so is a replication far beyond the event budget (pathways.config.budget);
a resource that cannot keep up (offered load >= 1) or that nothing uses is a warning.
Load is only worked out once the structure is sound, since it depends on it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

import numpy as np

from pathways.config.budget import over_budget
from pathways.config.derived import (
    chronic_starts_per_day,
    emergency_starts_per_day,
    practice_clinics,
    referrals_per_day,
    resource_kinds,
)
from pathways.config.economy_lint import check_economy
from pathways.config.errors import FieldPath, Finding, name_list, unknown_name
from pathways.config.schema import (
    BUILTIN_CALENDARS,
    EXIT,
    Arrival,
    Config,
    Pathway,
    PracticeClinic,
    Resource,
    Stage,
)

PROBABILITY_TOLERANCE = 1e-9


def lint(config: Config) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) about `config`."""
    errors = [*_check_routing(config), *_check_references(config), *check_economy(config),
              *_check_bookable(config)]
    unsound = {_pathway_of(finding.path, config) for finding in errors}
    errors += _check_flow(config, skip=unsound)
    if not errors:
        errors += _check_visits(config)
    if not errors:  # the estimate needs sound routing
        errors += over_budget(config, stage_arrival_rates(config))
    warnings = _unused_resources(config) + ([] if errors else _overloaded_resources(config))
    return errors, warnings


def _stages(config: Config) -> Iterator[tuple[str, Pathway, str, Stage, FieldPath]]:
    for pathway_name, pathway in config.pathways.items():
        for stage_name, stage in pathway.stages.items():
            path = ("pathways", pathway_name, "stages", stage_name)
            yield pathway_name, pathway, stage_name, stage, path


def _pathway_of(path: FieldPath, config: Config) -> str | None:
    """The pathway a finding is about, if any."""
    if path[0] == "pathways":
        return str(path[1])
    if path[0] == "arrivals" and len(path) > 1:
        return config.arrivals[int(path[1])].pathway
    return None


def _next_path(stage: Stage, path: FieldPath, target: str) -> FieldPath:
    """Where a routing target is written: `next` itself, or its key in a mapping."""
    return (*path, "next") if isinstance(stage.next, str) else (*path, "next", target)


# --- routing probabilities -------------------------------------------------------------


def _check_routing(config: Config) -> Iterator[Finding]:
    for _, _, _, stage, path in _stages(config):
        if isinstance(stage.next, str):
            continue
        for target, probability in stage.next.items():
            if not 0 <= probability <= 1:
                message = f"probability must be between 0 and 1, got {probability:g}"
                yield Finding((*path, "next", target), message)
        total = math.fsum(stage.next.values())
        if abs(total - 1) > PROBABILITY_TOLERANCE:
            yield Finding((*path, "next"), f"probabilities sum to {total:.12g}, not 1")


# --- names that refer to other sections ----------------------------------------------


def _stage_choices(pathway_name: str, pathway: Pathway, with_exit: bool) -> str:
    names = f"stage names of pathway {pathway_name!r} ({name_list(pathway.stages)})"
    return f"{names} or 'exit'" if with_exit else names


def _check_references(config: Config) -> Iterator[Finding]:
    yield from _check_stage_references(config)
    yield from _check_arrival_references(config)
    calendars = [*BUILTIN_CALENDARS, *config.calendars]
    allowed = f"built-in calendars ({name_list(BUILTIN_CALENDARS)}) or names under 'calendars'"
    held: list[tuple[FieldPath, Resource | PracticeClinic]] = [
        (("resources", name), resource) for name, resource in config.resources.items()]
    if config.practices is not None:
        held += [(("practices", "clinics", name), clinic)
                 for name, clinic in config.practices.clinics.items()]
    for path, resource in held:
        if isinstance(resource.calendar, str):
            yield from unknown_name("calendar", resource.calendar, calendars, (*path, "calendar"),
                                    allowed)


# --- bookable capacity -----------------------------------------------------------------


def _check_bookable(config: Config) -> Iterator[Finding]:
    """Bookable capacity is sessions on a calendar; a kind of resource is booked or
    served throughout (one list cannot be both); a slot is not a server that a stage
    can keep."""
    for name, resource in config.resources.items():
        if resource.slots_per_session is not None and resource.calendar in (None, "always"):
            yield Finding(("resources", name, "slots_per_session"),
                          "bookable capacity needs sessions: give the resource a calendar "
                          "(each open interval of a day is one session)")
    booked = {r.kind: r.slots_per_session is not None for r in config.resources.values()}
    for name, resource in config.resources.items():
        if resource.kind is not None and (resource.slots_per_session is not None) != booked[
                resource.kind]:
            yield Finding(("resources", name, "slots_per_session"),
                          f"resources of kind {resource.kind!r} must all be bookable (with "
                          "slots_per_session) or all served as servers, not a mix")
    clinic_kinds = set() if config.practices is None else {
        c.kind for c in config.practices.clinics.values()}
    bookable_kinds = _bookable_kinds(config)
    for kind in sorted(clinic_kinds & bookable_kinds):
        yield Finding(("practices", "clinics"), f"practice clinics of kind {kind!r} are "
                      "served as servers, but resources of that kind are bookable")
    bookable = {n for n, r in config.resources.items() if r.slots_per_session is not None}
    for _, _, _, stage, path in _stages(config):
        on_slots = stage.resource in bookable or stage.kind in bookable_kinds
        if on_slots and stage.keep_until_next_starts:
            yield Finding((*path, "keep_until_next_starts"), "a booked slot cannot be kept "
                          "until the next stage starts; only servers (beds) can")


def _check_stage_references(config: Config) -> Iterator[Finding]:
    resources = f"names under 'resources' ({name_list(config.resources)})"
    for pathway_name, pathway in config.pathways.items():
        if pathway.start is not None:
            allowed = _stage_choices(pathway_name, pathway, with_exit=False)
            start_path: FieldPath = ("pathways", pathway_name, "start")
            yield from unknown_name("stage", pathway.start, pathway.stages, start_path, allowed)
    for pathway_name, pathway, _, stage, path in _stages(config):
        targets = [*pathway.stages, EXIT]
        allowed = _stage_choices(pathway_name, pathway, with_exit=True)
        for target in stage.routing():
            yield from unknown_name("stage", target, targets, _next_path(stage, path, target),
                                    allowed)
        if stage.resource is not None:
            resource_path = (*path, "resource")
            yield from unknown_name(
                "resource", stage.resource, config.resources, resource_path, resources
            )


def _check_arrival_references(config: Config) -> Iterator[Finding]:
    pathways = f"names under 'pathways' ({name_list(config.pathways)})"
    for index, arrival in enumerate(config.arrivals):
        path: FieldPath = ("arrivals", index)
        yield from unknown_name(
            "pathway", arrival.pathway, config.pathways, (*path, "pathway"), pathways
        )
        pathway = config.pathways.get(arrival.pathway)
        if pathway is not None and arrival.start is not None:
            allowed = _stage_choices(arrival.pathway, pathway, with_exit=False)
            yield from unknown_name("stage", arrival.start, pathway.stages, (*path, "start"),
                                    allowed)


# --- can patients reach every stage, and leave? --------------------------------------


def _entry_stage(arrival: Arrival, pathway: Pathway) -> str:
    return arrival.start if arrival.start is not None else pathway.start_stage


def _edges(pathway: Pathway) -> dict[str, set[str]]:
    """Stage -> the known stages (or exit) it sends patients to with positive probability."""
    known = {*pathway.stages, EXIT}
    return {
        name: {target for target, p in stage.routing().items() if p > 0 and target in known}
        for name, stage in pathway.stages.items()
    }


def _reachable(edges: dict[str, set[str]], sources: Iterable[str]) -> set[str]:
    seen = set(sources)
    frontier = list(seen)
    while frontier:
        for target in edges.get(frontier.pop(), ()):
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def _reversed(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    backwards: dict[str, set[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            backwards.setdefault(target, set()).add(source)
    return backwards


def _stage_words(names: list[str]) -> str:
    quoted = ", ".join(repr(name) for name in names)
    return f"stage {quoted}" if len(names) == 1 else f"stages {quoted}"


def _check_flow(config: Config, skip: set[str | None]) -> Iterator[Finding]:
    """Unreachable stages and stages patients cannot leave, in pathways not in `skip`
    (those with wrong names or probabilities, where the graph is not yet known)."""
    for name, pathway in config.pathways.items():
        if name in skip:
            continue
        arrivals = [a for a in config.arrivals if a.pathway == name]
        entries = {pathway.start_stage, *(_entry_stage(a, pathway) for a in arrivals)}
        edges = _edges(pathway)
        reached = _reachable(edges, entries)
        unreached = [stage for stage in pathway.stages if stage not in reached]
        if unreached:
            message = (
                f"{_stage_words(unreached)} can never be reached from "
                f"{_stage_words(sorted(entries))}, where patients enter"
            )
            yield Finding(("pathways", name, "stages", unreached[0]), message)
        leaving = _reachable(_reversed(edges), [EXIT])
        trapped = [stage for stage in pathway.stages if stage in reached and stage not in leaving]
        if trapped:
            message = (
                f"patients loop forever: no route from {_stage_words(trapped)} leads to 'exit'"
            )
            yield Finding(("pathways", name, "stages", trapped[0]), message)


# --- load ------------------------------------------------------------------------------


def stage_arrival_rates(config: Config) -> dict[str, dict[str, float]]:
    """Long-run patients per day arriving at each stage, {pathway: {stage: rate}}.

    Solves the traffic equations lambda = a + lambda P per pathway, where a holds the
    arrivals' mean rates at their entry stages and P the routing probabilities.
    Assumes `config` passed lint (as every config from `load_config` has)."""
    return {name: _traffic(config, name, pathway) for name, pathway in config.pathways.items()}


def _traffic(config: Config, name: str, pathway: Pathway) -> dict[str, float]:
    stages = list(pathway.stages)
    index = {stage: i for i, stage in enumerate(stages)}
    external = np.zeros(len(stages))
    external[index[pathway.start_stage]] += (referrals_per_day(config, name)
                                             + chronic_starts_per_day(config, name)
                                             + emergency_starts_per_day(config, name))
    for arrival in config.arrivals:
        if arrival.pathway == name:
            external[index[_entry_stage(arrival, pathway)]] += arrival.mean_rate_per_day()
    rates = np.linalg.solve(_visits_matrix(pathway), external)
    return dict(zip(stages, rates.tolist(), strict=False))


def _visits_matrix(pathway: Pathway) -> np.ndarray:
    """I - P^T, P the routing probabilities between the pathway's stages in their order:
    the traffic equations' matrix."""
    index = {stage: i for i, stage in enumerate(pathway.stages)}
    routing = np.zeros((len(index), len(index)))
    for source, stage in pathway.stages.items():
        for target, probability in stage.routing().items():
            if target in index:
                routing[index[source], index[target]] += probability
    return np.eye(len(index)) - routing.T


def _check_visits(config: Config) -> list[Finding]:
    """Routing that reaches 'exit' only within the probabilities' rounding tolerance
    (`{a: 1.0, exit: 1e-10}`) passes the flow check yet loops for ever: its traffic
    equations have no solution (numpy would raise LinAlgError), so name the loop."""
    findings = []
    for name, pathway in config.pathways.items():
        matrix = _visits_matrix(pathway)
        if np.linalg.matrix_rank(matrix) < len(matrix):
            looping = _looping_stages(matrix, list(pathway.stages))
            message = (f"patients loop forever: {_stage_words(looping)} route among "
                       "themselves with probability 1 (their routes to other stages or "
                       "'exit' are too small to count), so visits per patient are unbounded")
            findings.append(Finding(("pathways", name, "stages", looping[0]), message))
    return findings


def _looping_stages(matrix: np.ndarray, stages: list[str]) -> list[str]:
    """The stages where patients circulate: the support of the null vector of `matrix`
    (a flow that the loop keeps for ever)."""
    _, _, rows = np.linalg.svd(matrix)
    flow = np.abs(rows[-1])
    return [stage for stage, amount in zip(stages, flow, strict=True)
            if amount > 1e-6 * flow.max()]


KIND_PREFIX = "kind:"


def offered_loads(config: Config) -> dict[str, float]:
    """Offered load of each resource: the work arriving per day divided by what it
    offers per day: server-days (capacity x share of the week its calendar is open),
    or, for bookable capacity, slots taken (visit_cost) against slots.
    At 1 or more its queue grows without limit. Work on stages that name a kind is
    shared among that kind's resources by the allocation policy, so it is reported for
    the kind as a whole, as "kind:<kind>" (resource_demand.list_loads follows it to
    each resource). Assumes `config` passed lint."""
    rates = stage_arrival_rates(config)
    work = dict.fromkeys(config.resources, 0.0)
    work.update(dict.fromkeys((KIND_PREFIX + kind for kind in resource_kinds(config)), 0.0))
    for pathway_name, _, stage_name, stage, _ in _stages(config):
        used = stage.resource if stage.kind is None else KIND_PREFIX + stage.kind
        if used is not None:
            work[used] += rates[pathway_name][stage_name] * visit_cost(config, pathway_name, stage)
    capacities = resource_capacities(config)
    capacity = {name: capacities[name] for name, r in config.resources.items() if r.kind is None}
    for name, kind in _resource_kind_names(config):
        key = KIND_PREFIX + kind
        capacity[key] = capacity.get(key, 0.0) + capacities[name]
    return {name: work[name] / capacity[name] for name in capacity}


def visit_cost(config: Config, pathway_name: str, stage: Stage) -> float:
    """What one visit to `stage` takes from its resource: server-days (the mean
    duration), or for bookable capacity slots: one, and more on RTT pathways where
    patients miss booked appointments, since a missed slot is lost and the patient
    books again (1 / (1 - did_not_attend_share) slots per visit)."""
    if not _booked(config, stage):
        return stage.duration.mean_days()
    missed = config.waiting_list.did_not_attend_share if stops_clock(config, pathway_name) else 0.0
    return 1.0 / (1.0 - missed)


def stops_clock(config: Config, pathway_name: str) -> bool:
    """Whether the pathway is an RTT pathway: one of its stages stops the clock."""
    return any(s.rtt_stop is not None for s in config.pathways[pathway_name].stages.values())


def _booked(config: Config, stage: Stage) -> bool:
    """Whether the stage books slots (its resource, or its kind, is bookable)."""
    if stage.resource is not None:
        return config.resources[stage.resource].slots_per_session is not None
    return stage.kind in _bookable_kinds(config)


def _resource_kind_names(config: Config) -> list[tuple[str, str]]:
    """(resource name, kind) of every resource with a kind, practice clinics included."""
    return ([(name, r.kind) for name, r in config.resources.items() if r.kind is not None]
            + [(name, clinic.kind) for name, _, clinic, _ in practice_clinics(config)])


def resource_capacities(config: Config) -> dict[str, float]:
    """What every resource offers a day (capacity_per_day), every practice's clinics
    included, by resource name ("<practice>:<clinic>" for a practice's clinic)."""
    capacities = {name: capacity_per_day(config, r) for name, r in config.resources.items()}
    capacities.update({name: servers * _open_fraction(config, clinic)
                       for name, _, clinic, servers in practice_clinics(config)})
    return capacities


def capacity_per_day(config: Config, resource: Resource) -> float:
    """What a resource offers a day on average: booked slots for bookable capacity
    (capacity x slots_per_session x sessions a week / 7), else server-days (capacity x
    share of the week its calendar is open)."""
    if resource.slots_per_session is None:
        return resource.capacity * _open_fraction(config, resource)
    calendar = config.calendar_of(resource)
    if calendar is None:  # reported by _check_bookable, before anything asks for capacity
        raise ValueError("bookable capacity needs a calendar of sessions")
    sessions_per_week = len(calendar.open_intervals_days())
    return resource.capacity * resource.slots_per_session * sessions_per_week / 7.0


def _open_fraction(config: Config, resource: Resource | PracticeClinic) -> float:
    calendar = config.calendar_of(resource)
    return 1.0 if calendar is None else calendar.open_fraction()


#: Offered load from which a list is warned about though it can keep up: near 1 a
#: queue's length swings widely and takes long to settle (an M/M/1 queue's mean
#: length is load / (1 - load): 19 at 0.95, 9 at 0.9).
NEAR_FULL_LOAD = 0.95
_NEAR_FULL_CONSEQUENCE = ("its queue and waits will swing widely and settle slowly, and "
                          "small changes in demand or capacity move them a lot: allow a long "
                          "warm-up and enough replications")


def _overloaded_resources(config: Config) -> list[Finding]:
    """Kinds, then each resource's own list (a pool's, under pooled allocation), at
    offered load 1 or more, or near it: a kind's total can be below 1 while one
    provider is not. A list held by added sessions is by design, not a warning
    (`pathways check` shows it as such)."""
    # resource_demand imports this module, so it is imported here, when first needed
    from pathways.config.resource_demand import allocation_note, list_loads

    booked = _bookable_kinds(config)
    kinds = [Finding(("resources",), f"resource {name!r} has offered load " + message)
             for name, load in offered_loads(config).items() if name.startswith(KIND_PREFIX)
             and (message := _load_message(config, load, name[len(KIND_PREFIX):] in booked))]
    lists = [Finding(entry.path, f"{entry.label} has offered load " + message)
             for entry in list_loads(config)
             if (message := _load_message(config, entry.load, entry.bookable,
                                          f" ({allocation_note(config)})"
                                          if entry.allocated else ""))]
    return kinds + lists


def _load_message(config: Config, load: float, booked: bool, note: str = "") -> str | None:
    """What a list at ``load`` is warned of, after "has offered load"; None: nothing."""
    if load >= 1 and not held_by_added_sessions(config, load, booked):
        return f"{load:.3g} >= 1{note}: " + _overload_consequence(config, load, booked)
    if NEAR_FULL_LOAD <= load < 1:
        return f"{load:.3g}, near 1{note}: {_NEAR_FULL_CONSEQUENCE}"
    return None


def _bookable_kinds(config: Config) -> set[str]:
    """Kinds whose resources are booked into slots (lint makes a kind all or none)."""
    return {r.kind for r in config.resources.values()
            if r.kind is not None and r.slots_per_session is not None}


def _overload_consequence(config: Config, load: float, booked: bool) -> str:
    """What happens to a list at offered load >= 1 that added sessions cannot hold."""
    supply = config.waiting_list.supply
    if booked and supply.max_extra_share > 0:
        return ("its queue will grow without limit, even with the sessions added (up to "
                f"{supply.max_extra_share:.0%} more slots)")
    return "its queue will grow without limit"


def held_by_added_sessions(config: Config, load: float, booked: bool) -> bool:
    """Whether a list at offered load >= 1 is held by the provider adding sessions: it is
    booked, and the supply response can add more than the excess."""
    return booked and 1 <= load < 1 + config.waiting_list.supply.max_extra_share


def _unused_resources(config: Config) -> list[Finding]:
    used = {stage.resource for _, _, _, stage, _ in _stages(config)}
    kinds = ({stage.kind for _, _, _, stage, _ in _stages(config)}
             | {config.handoff.repeat_test.kind})
    return [
        Finding(("resources", name), f"resource {name!r} is not used by any stage")
        for name, resource in config.resources.items()
        if name not in used and (resource.kind is None or resource.kind not in kinds)
    ]
