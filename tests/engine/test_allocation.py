"""Allocation policies: one class per name the config admits, behind one interface."""

import typing

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
