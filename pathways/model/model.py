"""The compiled Model: an immutable plan the engine runs without touching config.

Stages, resources and arrival streams are numbered; routing is a tuple of target
indices with cumulative probabilities; durations are block samplers. All checks
happened before this point (config lint), none happen later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from pathways.model.calendar import WeeklyCalendar
from pathways.model.distributions import DurationSampler
from pathways.model.economy import Economy

if TYPE_CHECKING:
    from pathways.config.schema import Config

EXIT = -1  # routing target meaning "leave the system"
NO_RESOURCE = -1  # a stage that is a pure delay


@dataclass(frozen=True)
class CompiledStage:
    name: str  # "pathway.stage", unique in the model
    pathway: int
    resource: int  # NO_RESOURCE for a delay
    queue_priority: int  # lower is served first; 0 on FIFO resources
    sampler: DurationSampler
    targets: tuple[int, ...]  # stage indices or EXIT
    cumulative_probabilities: tuple[float, ...]  # same length, last is 1.0
    rtt_stop: str | None = None  # "admitted" / "non_admitted": RTT clock stops at its start
    kind: int = NO_RESOURCE  # in an economy: the kind of resource, chosen per patient
    rebook_sampler: DurationSampler | None = None  # cancel_if_next_full: days to the new date
    keep_until_next_starts: bool = False  # hold the unit until the next stage starts
    lead_days: float = 0.0  # fixed administrative lead time before joining the list


@dataclass(frozen=True)
class CompiledResource:
    name: str
    capacity: int
    calendar: WeeklyCalendar | None  # None: always open
    slots_per_session: float | None = None  # bookable: capacity x this many a session

    @property
    def bookable(self) -> bool:
        return self.slots_per_session is not None


@dataclass(frozen=True)
class ManagedList:
    """How lists of bookable capacity are managed (pathways.config.schema.WaitingList),
    in days. A zero share, elasticity or rate switches that part off."""

    max_extra_share: float = 0.0
    trigger_wait_days: float = 0.0
    cap_wait_days: float = 1.0
    response_delay_days: float = 0.0
    review_every_days: float = 7.0
    elasticity: float = 0.0
    reference_wait_days: float = 28.0
    removal_rate_per_day: float = 0.0
    did_not_attend_share: float = 0.0
    booked_in_turn_share: float = 1.0


@dataclass(frozen=True)
class CompiledPool:
    """Servers that share one queue: one resource, or under pooled allocation several
    resources of one kind serving a single list. Each unit knows the resource it
    belongs to, its number there (for the log) and its calendar; ``calendar`` is the
    calendar all units share, or None when they are all always open."""

    name: str
    unit_resource: tuple[int, ...]
    unit_local: tuple[int, ...]
    unit_calendar: tuple[WeeklyCalendar | None, ...]
    added_sessions_share: float = 1.0  # of the supply response, by its providers' contracts
    review_priority: int = 0  # of a review ordered by its provider's contract, queued here
    per_case_first: bool = False  # block-paid for elective work: funds and a rival pay per case

    @property
    def mixed_calendars(self) -> bool:
        return len({None if c is None else c.intervals for c in self.unit_calendar}) > 1

    @property
    def calendar(self) -> WeeklyCalendar | None:
        return self.unit_calendar[0]


@dataclass(frozen=True)
class CompiledArrival:
    name: str  # stable label used to seed this stream
    pathway: int
    start_stage: int
    hourly_rates_per_day: np.ndarray = field(repr=False)  # 168 values, Monday 00:00 first


@dataclass(frozen=True)
class Model:
    name: str
    horizon_days: float
    warmup_days: float
    pathways: tuple[str, ...]
    stages: tuple[CompiledStage, ...]
    resources: tuple[CompiledResource, ...]
    pools: tuple[CompiledPool, ...]
    resource_pool: tuple[int, ...]  # the pool each resource's units serve
    arrivals: tuple[CompiledArrival, ...]
    config_hash: str
    economy: Economy | None = None  # practices, providers, allocation, handoffs
    managed_list: ManagedList = ManagedList()
    money: dict | None = None  # the fields of the log's MoneyInfo (pathways.model.money)
    provider_ordered_stages: frozenset[int] = frozenset()  # reviews queued by contract
    config: Config | None = field(default=None, repr=False, compare=False)
    """The validated configuration it was compiled from (pathways.configure starts there)."""
    warnings: tuple[str, ...] = ()
    """The configuration's warnings, each located (file:line: field: message)."""
