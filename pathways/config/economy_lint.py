"""Checks of a health economy's names: practices, organisations, sites, kinds, providers.

Stages that name a `kind` are served by whichever resource of that kind the
allocation policy picks for a patient, so the kind must exist, and referral pathways
need practices to refer from and at least one provider to go to. Chronic cohorts live
on practices' lists too, and their reviews and admissions start pathways the way
referrals do. Stages that hold a resource beyond their own service (the next stage's
bed from the start of an operation, or their own until the next stage starts) are
checked here as well, in any network, since what they hold must exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import product

from pathways.config.derived import (
    COMMISSIONER_TYPE,
    choice_stage,
    contract_of,
    first_kind,
    paying_body,
    practice_kinds,
    practice_names,
    provider_sites,
    resource_kinds,
    run_by_commissioner,
)
from pathways.config.errors import FieldPath, Finding, name_list, unknown_name
from pathways.config.schema import EXIT, SERVICE_LINES, Chronic, Config, Practices, Stage


def _unknown(what: str, name: str, known: Iterable[str], path: FieldPath,
             among: str = "") -> list[Finding]:
    """unknown_name with the known names listed ("sites of 'trust'": among=" of 'trust'")."""
    names = sorted(known)
    plural = what[:-1] + "ies" if what.endswith("y") and what[-2:-1] not in "aeiou" else what + "s"
    allowed = f"{plural}{among}: {name_list(names)}" if names else f"no {plural}{among} are defined"
    return unknown_name(what, name, names, path, allowed)


def check_economy(config: Config) -> Iterator[Finding]:
    yield from _check_referral_management(config)
    yield from _check_market_entry(config)
    yield from _check_patients_arrive(config)
    yield from _check_owners(config)
    yield from _check_contracts(config)
    yield from _check_fundholding(config)
    yield from _check_commissioner_choice(config)
    yield from _check_money(config)
    yield from _check_resources(config)
    yield from _check_stages(config)
    yield from _check_pathways(config)
    yield from _check_practice_clinics(config)
    yield from _check_allocation(config)
    yield from _check_chronic(config)
    yield from _check_emergencies(config)
    yield from _check_held_resources(config)


def _check_referral_management(config: Config) -> Iterator[Finding]:
    service = config.referral_management
    for index, name in enumerate(service.pathways):
        path = ("referral_management", "pathways", index)
        yield from _unknown("pathway", name, config.pathways, path)
        pathway = config.pathways.get(name)
        if pathway is not None and pathway.referrals_per_1000_per_year is None:
            yield Finding(path, f"only GP referrals are managed, and {name!r} has no "
                          "referrals_per_1000_per_year")
    if service.alternative_kind is not None:
        yield from _unknown("resource kind", service.alternative_kind, resource_kinds(config),
                            ("referral_management", "alternative_kind"))
    for index, name in enumerate(service.practices):
        yield from _unknown("practice", name, practice_names(config),
                            ("referral_management", "practices", index))


def _check_market_entry(config: Config) -> Iterator[Finding]:
    entrants = config.market_entry.entrants
    for index, name in enumerate(entrants):
        path = ("market_entry", "entrants", index)
        yield from _unknown("organisation", name, config.organisations, path)
        if name in config.organisations and not any(
                r.organisation == name and r.kind is not None for r in config.resources.values()):
            yield Finding(path, f"{name!r} holds no resource of a kind patients are "
                          "allocated to, so it would have nothing to enter with")
    if entrants and config.allocation.pooled:
        yield Finding(("market_entry", "entrants"), "an entrant takes patients by allocation "
                      "to its own sites, which a pooled list does not do: use another policy")


def _check_patients_arrive(config: Config) -> Iterator[Finding]:
    if not config.arrivals and config.chronic is None and not any(
            p.referrals_per_1000_per_year for p in config.pathways.values()):
        yield Finding(("arrivals",), "no patients would ever arrive: give arrivals, or "
                      "referrals_per_1000_per_year on a pathway with practices, or "
                      "chronic conditions")
    if config.is_economy and config.arrivals:
        yield Finding(("arrivals",), "in a health economy patients are referred by practices "
                      "(referrals_per_1000_per_year on a pathway); arrivals with no practice "
                      "cannot be allocated to a provider")
    if config.practices is not None and config.practices.organisation is not None:
        yield from _unknown("organisation", config.practices.organisation,
                            config.organisations, ("practices", "organisation"))
    if config.practices is not None:
        yield from _check_unique_organisation_names(config, config.practices)


def _check_unique_organisation_names(config: Config, practices: Practices) -> Iterator[Finding]:
    """Practices are organisations too (unless one holds them all), so their names must
    differ from each other and from the organisations'."""
    names = set(config.organisations)
    own = practices.organisation is None
    seen: set[str] = set()  # a set: searching the list so far made 100,000 practices quadratic
    for index, name in enumerate(practice_names(config)):
        if name in seen or (own and name in names):
            yield Finding(("practices", "rows", index, "name"),
                          f"the name {name!r} is used twice: practices and organisations "
                          "need names of their own")
        seen.add(name)


def _check_owners(config: Config) -> Iterator[Finding]:
    for name, organisation in config.organisations.items():
        if organisation.owner is None:
            continue
        path = ("organisations", name, "owner")
        yield from _unknown("organisation", organisation.owner, config.organisations, path)
        owner = config.organisations.get(organisation.owner)
        if owner is not None and (owner.owner is not None or organisation.owner == name):
            yield Finding(path, "the owner must be a top-level organisation: "
                          f"{organisation.owner!r} is itself owned" if owner.owner is not None
                          else "an organisation cannot own itself")


def _check_contracts(config: Config) -> Iterator[Finding]:
    contracts = config.contracts
    for name in contracts.providers:
        yield from _unknown("organisation", name, config.organisations,
                            ("contracts", "providers", name))
    for name in contracts.block_sums_per_year:
        yield from _unknown("organisation", name, config.organisations,
                            ("contracts", "block_sums_per_year", name))
    commissioners = [n for n, o in config.organisations.items() if o.type == COMMISSIONER_TYPE]
    for name in commissioners[1:]:
        yield Finding(("organisations", name, "type"),
                      f"there is one commissioner, and {commissioners[0]!r} is it already")
    for name in contracts.providers:
        if name in config.organisations and run_by_commissioner(config, name):
            yield Finding(("contracts", "providers", name),
                          "the commissioner's own services are funded from its budget, not "
                          "bought by contract")
    checked = set()  # each paying body once (an owner and the providers it owns)
    for name, line in product(config.organisations, SERVICE_LINES):
        contract, path = contract_of(config, name, line)
        body = paying_body(config, name)
        if (body, contract) in checked:
            continue
        checked.add((body, contract))
        if contract == "block" and config.money is not None \
                and body not in contracts.block_sums_per_year \
                and not run_by_commissioner(config, name):
            yield Finding(path, f"a block contract is a fixed annual sum: give {body!r} one "
                          f"in contracts.block_sums_per_year")
        if contract == "capitated":
            yield from _check_capitated(config, name, path)


def _check_fundholding(config: Config) -> Iterator[Finding]:
    spec = config.fundholding
    if not spec.practices:
        return
    if config.practices is None:
        yield Finding(("fundholding", "practices"), "fundholding is held by GP practices, and "
                      "this configuration has none (practices)")
        return
    for i, name in enumerate(spec.practices):
        yield from _unknown("practice", name, practice_names(config),
                            ("fundholding", "practices", i))
    body = config.practices.organisation
    if body is not None and body in config.organisations \
            and contract_of(config, body)[0] == "capitated":
        yield Finding(("fundholding", "practices"),
                      f"the practices are registered with {body!r}, which holds a capitated "
                      "budget for all their care: a practice cannot also hold a fund for it")
    if config.money is not None and spec.fund_per_head_per_year is None:
        yield Finding(("fundholding",), "a fund is money: give fund_per_head_per_year")


RESERVED_PARTIES = ("commissioner", "fundholders", "practices")  # the money parties' names


def _check_commissioner_choice(config: Config) -> Iterator[Finding]:
    spec = config.commissioner_choice
    if spec.rival is None:
        return
    taken = {*config.organisations, *practice_names(config), *RESERVED_PARTIES}
    if spec.rival in taken:
        yield Finding(("commissioner_choice", "rival"),
                      f"the rival commissioner needs a name of its own: {spec.rival!r} is "
                      "taken (an organisation, a practice or a party of the money flow)")
    if config.practices is None:
        yield Finding(("commissioner_choice", "rival"), "patients choose a commissioner from "
                      "practices' lists, and this configuration has none (practices)")
    if config.money is not None and spec.capitation_per_head_per_year is None:
        yield Finding(("commissioner_choice",), "a rival commissioner is paid per member: "
                      "give capitation_per_head_per_year")


def _check_capitated(config: Config, name: str, path: FieldPath) -> Iterator[Finding]:
    body = paying_body(config, name)
    registered = config.practices is not None and config.practices.organisation == body
    if not registered:
        yield Finding(path, f"a capitated budget is for a registered population, and no "
                      f"practice is registered with {body!r} (practices.organisation)")
    if config.money is not None and config.money.capitation_per_head_per_year is None:
        yield Finding(path, "a capitated budget needs money.capitation_per_head_per_year")


def _check_money(config: Config) -> Iterator[Finding]:
    prices = {} if config.money is None else config.money.prices
    for pathway_name, pathway in config.pathways.items():
        for stage_name, stage in pathway.stages.items():
            if stage.currency is not None and stage.currency not in prices:
                yield from _unknown("currency", stage.currency, prices,
                                    ("pathways", pathway_name, "stages", stage_name, "currency"),
                                    among=" in money.prices")
    if config.money is None:
        return
    kinds = resource_kinds(config)
    bookable = {r.kind for r in config.resources.values() if r.slots_per_session is not None}
    servers = (kinds - {r.kind for r in config.resources.values()}) | {
        r.kind for r in config.resources.values() if r.slots_per_session is None}
    for field, held, other in (("slot_cost_by_kind", bookable, "server_day_cost_by_kind"),
                               ("server_day_cost_by_kind", servers, "slot_cost_by_kind")):
        for kind in getattr(config.money, field):
            path = ("money", field, kind)
            if kind not in kinds:
                yield from _unknown("resource kind", kind, kinds, path)
            elif kind not in held:
                yield Finding(path, f"no resource of kind {kind!r} is "
                              f"{'bookable' if held is bookable else 'a server'}, so this "
                              f"cost would count nothing: give it in money.{other}")


def _check_resources(config: Config) -> Iterator[Finding]:
    for name, resource in config.resources.items():
        path = ("resources", name)
        if resource.organisation is not None:
            yield from _unknown("organisation", resource.organisation, config.organisations,
                                (*path, "organisation"))
            owner = config.organisations.get(resource.organisation)
            if owner is not None and resource.site is not None:
                yield from _unknown("site", resource.site, owner.sites, (*path, "site"),
                                    among=f" of {resource.organisation!r}")
        if resource.kind is not None and (resource.organisation is None or resource.site is None):
            yield Finding((*path, "kind"), "a resource with a kind needs an organisation and a "
                          "site, so that patients can be allocated to it")


def _check_stages(config: Config) -> Iterator[Finding]:
    kinds = resource_kinds(config)
    for pathway_name, pathway in config.pathways.items():
        for stage_name, stage in pathway.stages.items():
            if stage.kind is None:
                continue
            path = ("pathways", pathway_name, "stages", stage_name, "kind")
            if not config.is_economy:
                yield Finding(path, "a stage that names a kind of resource needs practices "
                              "(a health economy) to allocate patients from")
            yield from _unknown("resource kind", stage.kind, kinds, path)


def _check_pathways(config: Config) -> Iterator[Finding]:
    for name, pathway in config.pathways.items():
        path = ("pathways", name)
        if pathway.referrals_per_1000_per_year is not None and not config.is_economy:
            yield Finding((*path, "referrals_per_1000_per_year"),
                          "referrals come from practices: add a 'practices' section")
        for index, provider in enumerate(pathway.providers or []):
            yield from _unknown("organisation", provider, config.organisations,
                                (*path, "providers", index))
        kind = first_kind(config, name)
        if pathway.referrals_per_1000_per_year is not None and config.is_economy and kind is None:
            yield Finding((*path, "referrals_per_1000_per_year"),
                          "referred patients need a stage that names a kind of resource: "
                          "that is where their provider is chosen")
        if kind in resource_kinds(config) - practice_kinds(config) and \
                not provider_sites(config, name):
            yield Finding(path, f"no provider has a site with a resource of kind {kind!r}, "
                          "so patients of this pathway could not be allocated")


def _check_practice_clinics(config: Config) -> Iterator[Finding]:
    """A practice clinic serves its own practice's chronic reviews: its kind must be
    its own, and only a condition's review pathway may name it."""
    held = practice_kinds(config)
    if not held or config.practices is None:
        return
    kinds = {r.kind for r in config.resources.values()}
    for name, clinic in config.practices.clinics.items():
        if clinic.kind in kinds:
            yield Finding(("practices", "clinics", name, "kind"),
                          f"kind {clinic.kind!r} is also a resource's kind: a practice clinic "
                          "needs a kind of its own, so that a review goes to the patient's "
                          "own practice")
    reviews = set() if config.chronic is None else {
        c.review_pathway for c in config.chronic.conditions.values()}
    for pathway_name, pathway in config.pathways.items():
        if pathway_name in reviews:
            continue
        for stage_name, stage in pathway.stages.items():
            if stage.kind in held:
                yield Finding(("pathways", pathway_name, "stages", stage_name, "kind"),
                              f"kind {stage.kind!r} is held by every practice for its own "
                              "patients' chronic reviews: only a chronic condition's "
                              "review_pathway can name it")


def _check_allocation(config: Config) -> Iterator[Finding]:
    stages = {stage for pathway in config.pathways.values() for stage in pathway.stages}
    for index, stage in enumerate(config.allocation.rechoose_at):
        yield from _unknown("stage", stage, stages, ("allocation", "rechoose_at", index))
    if config.is_economy and config.handoff.repeats_possible:
        yield from _unknown("resource kind", config.handoff.repeat_test.kind,
                            resource_kinds(config), ("handoff", "repeat_test", "kind"))


def _check_chronic(config: Config) -> Iterator[Finding]:
    """Chronic patients are drawn from practices' lists and enter their review and
    admission pathways at the start, with a provider allocated at a stage that names a
    kind, as referred patients are; a pathway started by both would be counted twice."""
    if config.chronic is None:
        return
    if not config.is_economy:
        yield Finding(("chronic",), "chronic patients come from practices' lists: add a "
                      "'practices' section")
    for condition_name, condition in config.chronic.conditions.items():
        own = condition.prevalence_multiplier_by_quintile
        highest = max(own or config.need.prevalence_multiplier_by_quintile)
        if condition.prevalence * highest > 1:
            yield Finding(("chronic", "conditions", condition_name,
                           "prevalence_multiplier_by_quintile") if own
                          else ("need", "prevalence_multiplier_by_quintile"),
                          f"{condition_name}'s prevalence {condition.prevalence:g} x "
                          f"{highest:g} is more than everyone on a list")
        for field in ("review_pathway", "admission_pathway"):
            path = ("chronic", "conditions", condition_name, field)
            name = getattr(condition, field)
            yield from _unknown("pathway", name, config.pathways, path)
            pathway = config.pathways.get(name)
            if pathway is None:
                continue
            if pathway.referrals_per_1000_per_year is not None:
                yield Finding(path, f"pathway {name!r} is started by referrals "
                              "(referrals_per_1000_per_year); a chronic condition's pathway "
                              "must be started by the chronic cohort alone")
            if config.is_economy and first_kind(config, name) is None:
                yield Finding(path, f"pathway {name!r} needs a stage that names a kind of "
                              "resource: that is where a chronic patient's provider is allocated")
    yield from _check_case_management(config, config.chronic)
    yield from _check_multimorbidity(config.chronic)


def _check_multimorbidity(chronic: Chronic) -> Iterator[Finding]:
    """Each pair of `chronic.multimorbidity` names two different conditions, once: a
    pair given both ways would say two things about one link."""
    conditions = chronic.conditions
    seen: set[frozenset[str]] = set()
    for first, shares in chronic.multimorbidity.items():
        path = ("chronic", "multimorbidity", first)
        yield from _unknown("chronic condition", first, conditions, path)
        for second in shares:
            yield from _unknown("chronic condition", second, conditions, (*path, second))
            pair = frozenset((first, second))
            if first == second:
                yield Finding((*path, second), f"{first!r} is paired with itself: a "
                              "multimorbid patient has two different conditions")
            elif pair in seen:
                yield Finding((*path, second), f"the pair {second!r}, {first!r} is given "
                              "twice: give each pair once, under either condition")
            seen.add(pair)


def _check_emergencies(config: Config) -> Iterator[Finding]:
    """Population emergencies come from practices' lists and start their pathway at its
    first stage with a kind, at the practice's nearest provider of it."""
    spec = config.emergencies
    if spec.admissions_per_1000_per_year <= 0 or spec.pathway is None:
        return
    path = ("emergencies", "pathway")
    if not config.is_economy:
        yield Finding(path, "emergency admissions come from practices' lists: add a "
                      "'practices' section")
        return
    yield from _unknown("pathway", spec.pathway, config.pathways, path)
    pathway = config.pathways.get(spec.pathway)
    if pathway is None:
        return
    if choice_stage(config, spec.pathway) is None:
        yield Finding(path, f"{spec.pathway!r} has no stage with a kind of resource to admit "
                      "patients to")
    if pathway.referrals_per_1000_per_year is not None:
        yield Finding(path, f"{spec.pathway!r} is a referral pathway: emergencies need a "
                      "pathway of their own")
    for index, service in enumerate(spec.avoidance):
        yield from _check_avoidance(config, service.pathway,
                                    ("emergencies", "avoidance", index, "pathway"))


def _check_avoidance(config: Config, name: str, path: FieldPath) -> Iterator[Finding]:
    """An avoidance service takes a patient only onto a free unit, now: its first kind
    must be servers (not booked sessions) at one of its providers at least."""
    yield from _unknown("pathway", name, config.pathways, path)
    pathway = config.pathways.get(name)
    if pathway is None:
        return
    kind = first_kind(config, name)
    if pathway.referrals_per_1000_per_year is not None or kind is None:
        yield Finding(path, f"pathway {name!r} must be started by emergencies alone (no "
                      "referrals_per_1000_per_year) and name a kind of resource")
        return
    resources = [r for r in config.resources.values() if r.kind == kind and (
        pathway.providers is None or r.organisation in pathway.providers)]
    if not resources:
        yield Finding(path, f"pathway {name!r} starts on kind {kind!r}, but none of its "
                      "providers has a resource of that kind")
    elif any(r.slots_per_session is not None for r in resources):
        yield Finding(path, f"kind {kind!r} is booked in sessions (slots_per_session): an "
                      "avoidance service must be able to take a patient at once, on a "
                      "free server")


def _check_case_management(config: Config, chronic: Chronic) -> Iterator[Finding]:
    management = chronic.case_management
    for index, condition in enumerate(management.conditions):
        yield from _unknown("chronic condition", condition, chronic.conditions,
                            ("chronic", "case_management", "conditions", index))
    name = management.contact_pathway
    if name is None:
        return
    path = ("chronic", "case_management", "contact_pathway")
    yield from _unknown("pathway", name, config.pathways, path)
    pathway = config.pathways.get(name)
    if pathway is not None and (pathway.referrals_per_1000_per_year is not None
                                or first_kind(config, name) is None):
        yield Finding(path, f"pathway {name!r} must be started by case managers alone (no "
                      "referrals_per_1000_per_year) and name a kind of resource")


def _holds(stage: Stage) -> bool:
    return stage.resource is not None or stage.kind is not None


def _check_held_resources(config: Config) -> Iterator[Finding]:
    """A stage can only hold what it uses: its own resource (keep_until_next_starts), or
    the resource of the one stage that surely follows it (cancel_if_next_full), booked
    at the stage's start, so that stage's provider cannot be chosen again later."""
    for pathway_name, pathway in config.pathways.items():
        for stage_name, stage in pathway.stages.items():
            path = ("pathways", pathway_name, "stages", stage_name)
            if stage.keep_until_next_starts and not _holds(stage):
                yield Finding((*path, "keep_until_next_starts"), "the stage has no resource or "
                              "kind, so there is nothing to keep until the next stage starts")
            if stage.cancel_if_next_full is not None:
                yield from _check_cancellation(config, pathway_name, stage,
                                               (*path, "cancel_if_next_full"))


def _check_cancellation(config: Config, pathway_name: str, stage: Stage,
                        path: FieldPath) -> Iterator[Finding]:
    """The stage and the one stage after it must both hold something (probabilities
    other than 1 are reported by the routing check)."""
    if not _holds(stage):
        yield Finding(path, "a stage cancelled when the next stage's resource is full needs "
                      "a resource or kind of its own")
    routing = stage.routing()
    target = next(iter(routing), EXIT)
    if len(routing) != 1 or target == EXIT:
        yield Finding(path, "the stage's next must be exactly one stage, not 'exit' (a stage "
                      "name, or one stage with probability 1): the stage whose resource is "
                      "held from this stage's start")
        return
    following = config.pathways[pathway_name].stages.get(target)
    if following is None:
        return  # an unknown stage name, reported with the routing
    if not _holds(following):
        yield Finding(path, f"the next stage {target!r} has no resource or kind, so there is "
                      "nothing to hold from this stage's start")
    if target in config.allocation.rechoose_at:
        yield Finding(path, f"the next stage {target!r} is in allocation.rechoose_at: its "
                      "provider is chosen only when it starts, so its resource cannot be "
                      "held from this stage's start")
