"""Emergency admissions of the whole registered population, compiled into arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pathways.model.chronic import (
    DAYS_PER_YEAR,
    EMERGENCY_PRIORITY,
    contact_stage,
    nearest_provider_site,
    season_factor,
)


@dataclass(frozen=True)
class PopulationEmergencies:
    pathway: int
    start_stage: int
    admission_stage: int  # the stage whose start takes the bed
    site: np.ndarray = field(repr=False)  # per practice: its nearest provider's site
    practice_cumulative_share: np.ndarray = field(repr=False)  # where admissions come from
    admissions_per_day: float = 0.0  # over the patch, at the season's mean
    winter_peak: float = 0.0
    peak_day_of_year: float = 15.0

    def season(self, now: float) -> float:
        """The rate relative to its mean on day ``now`` (day 0 is 1 January)."""
        return float(season_factor(now, self.winter_peak, self.peak_day_of_year))


def compile_emergencies(config, stage_index: dict[str, int], site_index: dict,
                        distance_km: np.ndarray,
                        practice_site: np.ndarray) -> PopulationEmergencies | None:
    spec = config.emergencies
    if spec.admissions_per_1000_per_year <= 0 or spec.pathway is None:
        return None
    rows = config.practices.rows
    weights = np.array([row.list_size * spec.multiplier_by_quintile[row.deprivation_quintile - 1]
                        for row in rows], dtype=float)
    pathway = config.pathways[spec.pathway]
    return PopulationEmergencies(
        pathway=list(config.pathways).index(spec.pathway),
        start_stage=stage_index[f"{spec.pathway}.{pathway.start_stage}"],
        admission_stage=stage_index[f"{spec.pathway}.{contact_stage(config, spec.pathway)}"],
        site=nearest_provider_site(config, spec.pathway, site_index, distance_km, practice_site),
        practice_cumulative_share=np.cumsum(weights) / weights.sum(),
        admissions_per_day=weights.sum() / 1000.0 * spec.admissions_per_1000_per_year
        / DAYS_PER_YEAR,
        winter_peak=spec.seasonality.winter_peak,
        peak_day_of_year=spec.seasonality.peak_day_of_year,
    )


def emergency_stage_priorities(config) -> dict[str, int]:
    """Queue priority of the population emergencies' stages: ahead of planned work."""
    spec = config.emergencies
    if spec.admissions_per_1000_per_year <= 0 or spec.pathway is None:
        return {}
    return {f"{spec.pathway}.{stage}": EMERGENCY_PRIORITY
            for stage in config.pathways[spec.pathway].stages}
