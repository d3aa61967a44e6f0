"""Allocation policies: which site serves a patient at a stage patients or GPs choose
at (``allocation.policy``). One class per policy behind one interface, registered by
name; the engine looks its policy up once per replication (the config's schema admits
no other names)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

import numpy as np

if TYPE_CHECKING:
    from pathways.engine.economy_rules import EconomyRules


class AllocationPolicy(ABC):
    """How a provider is chosen, and what the rest of the economy needs to know of it."""

    name: ClassVar[str]
    #: patients or GPs choose by published waits, so the economy must publish them
    reads_published_waits: ClassVar[bool] = False
    #: one list per organisation, booked at any of its sites: no other provider's list
    #: to offer a waiting patient
    pooled: ClassVar[bool] = False

    @abstractmethod
    def choose(self, rules: EconomyRules, patient: int, stage: int, now: float) -> int:
        """The site that serves ``patient`` for ``stage``."""


class Nearest(AllocationPolicy):
    """The GP refers to the nearest site offering the stage (the nearest open one)."""

    name = "nearest"

    def choose(self, rules: EconomyRules, patient: int, stage: int, now: float) -> int:
        practice = rules.practice[patient]
        site = rules.nearest(practice, stage)
        return site if site not in rules.closed_sites else rules.nearest_open(practice, stage)


class Pooled(Nearest):
    """Referred as to the nearest site, onto a list the organisation books at any of
    its sites (the pooling itself is compiled into the model's pools)."""

    name = "pooled"
    pooled = True


class ShortestWait(AllocationPolicy):
    """The open site with the shortest published wait as the patient sees it (the
    nearest of equal waits)."""

    name = "shortest_wait"
    reads_published_waits = True

    def choose(self, rules: EconomyRules, patient: int, stage: int, now: float) -> int:
        candidates = rules.open_sites(rules.economy.choice_candidates[stage])
        waits_weeks = rules.seen_waits_weeks(patient, stage, now)
        distances = np.asarray(rules.economy.distance_km[rules.practice[patient], candidates])
        return int(candidates[np.lexsort((distances, waits_weeks[candidates]))[0]])


class Choice(AllocationPolicy):
    """The patient chooses by multinomial logit: the utility of distance, published
    wait and the site's attributes, plus their own taste for each site."""

    name = "choice"
    reads_published_waits = True

    def choose(self, rules: EconomyRules, patient: int, stage: int, now: float) -> int:
        candidates = rules.economy.choice_candidates[stage]
        utility = rules.known_utility(patient, stage, now) + rules.taste[patient][candidates]
        return int(candidates[np.argmax(utility)])


POLICIES: dict[str, type[AllocationPolicy]] = {
    policy.name: policy for policy in (Nearest, Pooled, ShortestWait, Choice)}


def allocation_policy(name: str) -> AllocationPolicy:
    """The policy registered as ``name``."""
    return POLICIES[name]()
