"""Allocation policies: one class per name the config admits, behind one interface."""

import typing
from types import SimpleNamespace

import numpy as np
import pytest

from pathways.config.schema import Allocation
from pathways.engine.allocation import (
    POLICIES,
    AllocationPolicy,
    Choice,
    Nearest,
    Pooled,
    ShortestWait,
    allocation_policy,
)
from pathways.engine.economy_rules import EconomyRules


def test_every_policy_the_config_admits_is_registered_and_nothing_else():
    admitted = set(typing.get_args(Allocation.model_fields["policy"].annotation))
    assert set(POLICIES) == admitted


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_a_policy_is_looked_up_by_its_name(name):
    policy = allocation_policy(name)
    assert isinstance(policy, AllocationPolicy)
    assert policy.name == name


def test_what_the_economy_needs_to_know_of_each_policy():
    """Choice and the shortest wait read published waits; a pooled list has no other
    provider's list to offer a waiting patient."""
    assert {p.name for p in POLICIES.values() if p.reads_published_waits} == {
        Choice.name, ShortestWait.name}
    assert {p.name for p in POLICIES.values() if p.pooled} == {Pooled.name}
    assert issubclass(Pooled, Nearest)  # referred as to the nearest site


def test_an_unknown_policy_is_not_looked_up():
    with pytest.raises(KeyError):
        allocation_policy("cheapest")


PATIENT, STAGE, NOW = 5, 2, 30.0


class _Rules:
    """What a policy reads of the economy's rules, on four sites and two practices:
    the rules' own nearest-site look-ups over a distance table written by hand."""

    nearest = EconomyRules.nearest
    nearest_open = EconomyRules.nearest_open
    open_sites = EconomyRules.open_sites

    def __init__(self, practice: int, *, candidates=(0, 1, 2, 3), closed=(),
                 waits_weeks=(0.0, 0.0, 0.0, 0.0), known=None, taste=(0.0,) * 4):
        distance_km = np.array([[1.0, 2.0, 9.0, 9.0],   # practice 0: site 0, then 1
                                [7.0, 8.0, 3.0, 0.5]])  # practice 1: site 3, then 2
        self.economy = SimpleNamespace(distance_km=distance_km,
                                       choice_candidates={STAGE: np.array(candidates)})
        self.practice = {PATIENT: practice}
        self.closed_sites = set(closed)
        self.nearest_site: dict = {}
        self.waits_weeks = np.array(waits_weeks)
        self.known = known
        self.taste = {PATIENT: np.array(taste)}

    def seen_waits_weeks(self, patient: int, stage: int, now: float) -> np.ndarray:
        assert (patient, stage, now) == (PATIENT, STAGE, NOW)
        return self.waits_weeks

    def known_utility(self, patient: int, stage: int, now: float) -> np.ndarray:
        assert (patient, stage, now) == (PATIENT, STAGE, NOW)
        return np.array(self.known)


def _choose(policy: str, rules: _Rules) -> int:
    return allocation_policy(policy).choose(rules, PATIENT, STAGE, NOW)


@pytest.mark.parametrize("policy", ["nearest", "pooled"])
def test_the_nearest_site_unless_closed_then_the_nearest_open_one(policy):
    assert _choose(policy, _Rules(0)) == 0
    assert _choose(policy, _Rules(1)) == 3
    assert _choose(policy, _Rules(0, closed={0})) == 1
    assert _choose(policy, _Rules(1, closed={3})) == 2
    assert _choose(policy, _Rules(1, closed={0, 1})) == 3  # its nearest is open


def test_the_shortest_wait_then_the_nearest_of_equal_waits():
    waits = (4.0, 2.0, 2.0, 1.0)
    assert _choose("shortest_wait", _Rules(1, waits_weeks=waits)) == 3
    assert _choose("shortest_wait", _Rules(1, waits_weeks=waits, closed={3})) == 2  # 3 km
    assert _choose("shortest_wait", _Rules(0, waits_weeks=waits, closed={3})) == 1  # 2 km
    # only the stage's candidates: site 3 does not offer it
    assert _choose("shortest_wait", _Rules(1, waits_weeks=waits, candidates=(0, 1, 2))) == 2
    # equal waits everywhere: the nearest
    assert _choose("shortest_wait", _Rules(1)) == 3
    assert _choose("shortest_wait", _Rules(0)) == 0


def test_choice_takes_the_candidate_of_highest_utility_with_the_patients_taste():
    """Utilities are of the candidates (sites 1, 2, 3); tastes are of every site."""
    rules = _Rules(0, candidates=(1, 2, 3), known=(0.0, 1.0, 0.5))
    assert _choose("choice", rules) == 2
    rules = _Rules(0, candidates=(1, 2, 3), known=(0.0, 1.0, 0.5), taste=(9.0, 0.0, 0.0, 0.6))
    assert _choose("choice", rules) == 3  # 1.1 against 1.0; site 0 is no candidate
