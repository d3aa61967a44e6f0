"""The whole population's emergency admissions: a seasonal Poisson stream over the
patch (drawn by thinning at the season's peak rate), each from a practice drawn in
proportion to its need-weighted list, and each referred, with the avoidance services'
shares, to one of them (which takes it only with a unit free). Draws come in blocks
(tens of thousands of candidates a replication)."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from pathways.engine.replication import Schedule
from pathways.engine.streams import BLOCK, stream
from pathways.model.emergencies import PopulationEmergencies


class EmergencyArrivals:
    """Schedules each emergency and hands it to ``admit(practice, now, service)``:
    service k of ``spec.avoidance``, or -1 (none: straight to a bed)."""

    def __init__(self, spec: PopulationEmergencies, seed: int, replication: int,
                 schedule: Schedule, clock: Callable[[], float],
                 admit: Callable[[int, float, int], None]):
        self.spec, self.schedule, self.clock, self.admit = spec, schedule, clock, admit
        self.rng = stream(seed, replication, "emergencies", "population")
        self.avoidance_rng = stream(seed, replication, "emergencies", "avoidance")
        self.peak = spec.season.peak
        self.bound = spec.admissions_per_day * self.peak
        self.share = spec.practice_cumulative_share.tolist()
        self.gaps: list[float] = []  # days between candidates, at the peak rate
        self.uniforms: list[float] = []  # pairs: keep the candidate?, which practice
        self.services: list[float] = []

    def start(self) -> None:
        if self.bound > 0:
            self.schedule(self._gap(), self._candidate, None)

    def _gap(self) -> float:
        if not self.gaps:
            self.gaps = self.rng.exponential(1.0 / self.bound, BLOCK).tolist()
        return self.gaps.pop()

    def _candidate(self, _info: None) -> None:
        """A candidate at the peak rate, kept with the season's share of it."""
        uniforms = self.uniforms
        if not uniforms:
            uniforms.extend(self.rng.random(2 * BLOCK).tolist())
        keep, where = uniforms.pop(), uniforms.pop()
        now = self.clock()
        if keep * self.peak < self.spec.season.factor(now):
            share = self.share
            practice = min(bisect.bisect_right(share, where), len(share) - 1)
            self.admit(practice, now, self._service())
        self.schedule(self._gap(), self._candidate, None)

    def _service(self) -> int:
        """The avoidance service this emergency is referred to (-1: none)."""
        bounds = self.spec.avoidance_cumulative_share
        if not bounds:
            return -1
        if not self.services:
            self.services = self.avoidance_rng.random(BLOCK).tolist()
        u = self.services.pop()
        return next((k for k, bound in enumerate(bounds) if u < bound), -1)
