"""Distances from practices to sites, and the choice utility that depends on them,
computed when asked for rather than stored as a practice x site matrix.

Where practices run clinics, every practice is a site too, so a stored matrix grows
with the square of the practices: 10,000 practices took 5.5 GB before a replication
started, and 100,000 asked for 149 GiB. The engine only ever asks for one practice's
distances to a handful of candidate sites (or, at setup, every practice's to a few
provider sites), so these tables keep the coordinates (memory linear in practices and
sites) and compute exactly the same numbers on demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SiteDistances:
    """``table[origins, destinations]``: km from points (practices) to points (sites),
    indexed like an array of shape (origins, destinations) by integers, integer arrays
    or slices."""

    from_xy_km: np.ndarray  # [origin, 2]
    to_xy_km: np.ndarray  # [destination, 2]

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.from_xy_km), len(self.to_xy_km))

    def __getitem__(self, index: tuple) -> np.ndarray | float:
        origins, destinations = index
        from_xy = self.from_xy_km[origins]
        to_xy = self.to_xy_km[destinations]
        if from_xy.ndim == 2 and to_xy.ndim == 2:  # rows x columns, like an array
            from_xy = from_xy[:, None, :]
        return np.linalg.norm(from_xy - to_xy, axis=-1)


@dataclass(frozen=True)
class ChoiceUtility:
    """``table[practices, sites]``: the part of a site's choice utility that does not
    change, Gutacker et al.'s distance polynomial plus the site's constant (provider
    type, quality), indexed like SiteDistances."""

    distances: SiteDistances
    per_km: tuple[float, float, float]  # coefficients of km, km^2, km^3
    site_constant: np.ndarray  # [site]

    @property
    def shape(self) -> tuple[int, int]:
        return self.distances.shape

    def __getitem__(self, index: tuple) -> np.ndarray | float:
        distance = self.distances[index]
        km, km2, km3 = self.per_km
        return (km * distance + km2 * distance**2 + km3 * distance**3
                + self.site_constant[index[1]])
