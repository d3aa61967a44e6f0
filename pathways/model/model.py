"""The compiled Model: an immutable plan the engine runs without touching config.

Stages, resources and arrival streams are numbered; routing is a tuple of target
indices with cumulative probabilities; durations are block samplers. All checks
happened before this point (config lint), none happen later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pathways.model.calendar import WeeklyCalendar
from pathways.model.distributions import Sampler

EXIT = -1  # routing target meaning "leave the system"
NO_RESOURCE = -1  # a stage that is a pure delay


@dataclass(frozen=True)
class CompiledStage:
    name: str  # "pathway.stage", unique in the model
    pathway: int
    resource: int  # NO_RESOURCE for a delay
    queue_priority: int  # lower is served first; 0 on FIFO resources
    sampler: Sampler
    mean_duration_days: float
    targets: tuple[int, ...]  # stage indices or EXIT
    cumulative_probabilities: tuple[float, ...]  # same length, last is 1.0
    rtt_stop: str | None = None  # "admitted" / "non_admitted": RTT clock stops at its start


@dataclass(frozen=True)
class CompiledResource:
    name: str
    capacity: int
    calendar: WeeklyCalendar | None  # None: always open


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
    arrivals: tuple[CompiledArrival, ...]
    config_hash: str
    merged_config: dict = field(repr=False, default_factory=dict)
    warnings: tuple = ()

    def stage_index(self, qualified_name: str) -> int:
        """Index of a stage by its "pathway.stage" name."""
        for i, stage in enumerate(self.stages):
            if stage.name == qualified_name:
                return i
        raise KeyError(f"no stage {qualified_name!r}")
