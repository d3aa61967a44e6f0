"""The whole population's emergency admissions: a seasonal Poisson stream over the
patch (drawn by thinning at the winter peak's rate), each from a practice drawn in
proportion to its need-weighted list."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pathways.engine.chronic import Schedule
from pathways.engine.streams import stream
from pathways.model.emergencies import PopulationEmergencies


class EmergencyArrivals:
    """Schedules each admission and hands its practice to ``admit(practice, now)``."""

    def __init__(self, spec: PopulationEmergencies, seed: int, replication: int,
                 schedule: Schedule, clock: Callable[[], float],
                 admit: Callable[[int, float], None]):
        self.spec, self.schedule, self.clock, self.admit = spec, schedule, clock, admit
        self.rng = stream(seed, replication, "emergencies", "population")
        self.bound = spec.admissions_per_day * (1.0 + spec.winter_peak)
        self.peak = 1.0 + spec.winter_peak

    def start(self) -> None:
        if self.bound > 0:
            self.schedule(self.rng.exponential(1.0 / self.bound), self._candidate, None)

    def _candidate(self, _info) -> None:
        """A candidate at the peak rate, kept with the season's share of it."""
        now = self.clock()
        rng, spec = self.rng, self.spec
        if rng.random() * self.peak < spec.season(now):
            share = spec.practice_cumulative_share
            practice = min(int(np.searchsorted(share, rng.random(), side="right")),
                           len(share) - 1)
            self.admit(practice, now)
        self.schedule(rng.exponential(1.0 / self.bound), self._candidate, None)
