"""The levels of summary.csv's stage column a model reports: what a question's `stage:`
may name (pathways.experiment.runner checks it before anything runs)."""

from __future__ import annotations

from pathways.config.derived import practice_clinics, resource_kinds
from pathways.config.schema import Config
from pathways.metrics import (
    CONDITION_PREFIX,
    DEPRIVATION_PREFIX,
    HANDOFF_PREFIX,
    PROVIDER_PREFIX,
    RESOURCE_PREFIX,
    distance_band_labels,
)
from pathways.metrics.equity import COMMISSIONER_GROUPS, PRACTICE_GROUPS, QUINTILES
from pathways.metrics.handoffs import HANDOFF_ARROW
from pathways.metrics.pathway_visits import KIND_PREFIX
from pathways.model.compile import REPEAT_TEST_STAGE

LEVELS = ('"" (the whole system, the default), PATHWAY.STAGE, resource:NAME, '
          "provider:NAME, kind:KIND, condition:NAME, deprivation_quintile:1 to 5, a distance "
          "band such as distance_km:0-5, practice_group:fundholding or :other where "
          "practices hold funds, commissioner:home or :rival where patients choose "
          "their commissioner, or handoff:FROM->TO")
"""What a question's `stage:` may name, for its error."""


def reported_levels(config: Config) -> list[str]:
    """The levels of summary.csv's stage column a model can report, but handoff pairs."""
    stages = [f"{name}.{stage}" for name, pathway in config.pathways.items()
              for stage in (*pathway.stages, REPEAT_TEST_STAGE)]
    resources = [*config.resources, *(name for name, *_ in practice_clinics(config))]
    levels = [*stages, *(RESOURCE_PREFIX + name for name in resources)]
    if config.is_economy:
        levels += [PROVIDER_PREFIX + name for name in (*config.organisations, *resources)]
        levels += [KIND_PREFIX + kind for kind in sorted(resource_kinds(config))]
        levels += [f"{DEPRIVATION_PREFIX}{q}" for q in QUINTILES]
        levels += list(distance_band_labels())
        if config.fundholding.practices:
            levels += list(PRACTICE_GROUPS)
        if config.commissioner_choice.rival is not None:
            levels += list(COMMISSIONER_GROUPS)
    if config.chronic is not None:
        levels += [CONDITION_PREFIX + name for name in config.chronic.conditions]
    return levels


def is_handoff_level(level: str) -> bool:
    return level.startswith(HANDOFF_PREFIX) and HANDOFF_ARROW in level
