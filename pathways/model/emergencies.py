"""Emergency admissions of the whole registered population, compiled into arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pathways.config.derived import economy_practices
from pathways.config.schema import Config
from pathways.model.chronic import (
    DAYS_PER_YEAR,
    EMERGENCY_PRIORITY,
    contact_stage,
    nearest_provider_site,
)
from pathways.model.season import Season
from pathways.model.site_distances import SiteDistances


@dataclass(frozen=True)
class AvoidanceRoute:
    """A service that takes an emergency when it has a unit free (rapid response, a
    step-up bed): its pathway, first stage and, per practice, its nearest site."""

    pathway: int
    start_stage: int
    contact_stage: int  # the stage whose start is the service (its first with a kind)
    site: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class PopulationEmergencies:
    pathway: int
    start_stage: int
    admission_stage: int  # the stage whose start takes the bed
    site: np.ndarray = field(repr=False)  # per practice: its nearest provider's site
    practice_cumulative_share: np.ndarray = field(repr=False)  # where admissions come from
    admissions_per_day: float = 0.0  # over the patch, at the season's mean
    season: Season = field(default_factory=Season)
    avoidance: tuple[AvoidanceRoute, ...] = ()
    avoidance_cumulative_share: tuple[float, ...] = ()  # a draw below the k-th: service k


def compile_emergencies(config: Config, stage_index: dict[str, int], site_index: dict,
                        distance_km: SiteDistances,
                        practice_site: np.ndarray) -> PopulationEmergencies | None:
    spec = config.emergencies
    if spec.admissions_per_1000_per_year <= 0 or spec.pathway is None:
        return None
    rows = economy_practices(config).rows
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
        season=Season.from_config(spec.seasonality),
        avoidance=tuple(
            AvoidanceRoute(
                pathway=list(config.pathways).index(service.pathway),
                start_stage=stage_index[
                    f"{service.pathway}.{config.pathways[service.pathway].start_stage}"],
                contact_stage=stage_index[
                    f"{service.pathway}.{contact_stage(config, service.pathway)}"],
                site=nearest_provider_site(config, service.pathway, site_index, distance_km,
                                           practice_site))
            for service in spec.avoidance),
        avoidance_cumulative_share=tuple(
            np.cumsum([service.share for service in spec.avoidance]).tolist()),
    )


def emergency_stage_priorities(config: Config) -> dict[str, int]:
    """Queue priority of the population emergencies' stages (and of the services that
    avoid them): ahead of planned work."""
    spec = config.emergencies
    if spec.admissions_per_1000_per_year <= 0 or spec.pathway is None:
        return {}
    names = [spec.pathway] + [service.pathway for service in spec.avoidance]
    return {f"{name}.{stage}": EMERGENCY_PRIORITY
            for name in names for stage in config.pathways[name].stages}
