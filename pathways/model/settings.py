"""A configuration's settings as dotted paths, so that two models can be told apart
without their YAML: which settings differ, with both values, and which of those drive
an outcome directly (an assumption typed in) rather than through a mechanism.

The settings are those of the resolved configuration (overlays merged, defaults filled
in, stage edits applied), as `pathways.experiment.runner` parameters name them:
`allocation.policy`, `organisations.city_trust.owner`, `practices.rows[3].list_size`.
A list of plain values (a factor per quintile) is one setting. Pathways are left out:
their shape is compared stage by stage (pathways.model.pathway_outline).
"""

from __future__ import annotations

import re
from typing import Any

from pathways.config.schema import Config

Settings = dict[str, Any]
"""{dotted path: JSON value} of one resolved configuration."""

LEFT_OUT = ("name", "pathways")
"""Top-level sections never compared here: a label, and what the outlines compare."""


def settings(config: Config) -> Settings:
    """Every setting of `config` (a validated Config), by dotted path, in written order."""
    data = config.model_dump(mode="json")
    flat: Settings = {}
    for key, value in data.items():
        if key not in LEFT_OUT:
            _flatten(key, value, flat)
    return flat


def _flatten(path: str, value: Any, flat: Settings) -> None:
    if isinstance(value, dict):  # an empty mapping holds no setting
        for key, child in value.items():
            _flatten(f"{path}.{key}", child, flat)
    elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        for index, item in enumerate(value):
            _flatten(f"{path}[{index}]", item, flat)
    else:
        flat[path] = value


def differing_settings(base: Settings, other: Settings) -> list[tuple[str, Any, Any]]:
    """(path, base's value, other's value) for each setting that differs, in base's
    order then other's; a setting only one has is None in the other."""
    paths = list(dict.fromkeys([*base, *other]))
    return [(path, base.get(path), other.get(path)) for path in paths
            if base.get(path) != other.get(path)]


#: Settings that move an outcome by assumption, not through a queue, a boundary or a
#: choice: (pattern of the dotted path, the metric it drives, why). A difference in one
#: of them is flagged wherever the report compares models, since the outcome then
#: differs because it was typed in.
INPUT_DRIVEN: tuple[tuple[str, str, str], ...] = (
    (r"chronic\.case_management\.rate_multiplier",
     "emergency_admissions_per_1000_patient_years",
     "an assumed multiplier on exacerbations, not a mechanism"),
    (r"handoff\.(between|within)_organisation[a-z_]*\.delay_days.*",
     "handoff_delay_days_per_pathway", "a fixed delay per handoff, typed in"),
    (r"handoff\.(between|within)_organisation[a-z_]*\.(record_missing|repeat_test)",
     "repeat_tests_per_pathway", "an assumed share of handoffs, typed in"),
)


def input_driven(path: str) -> tuple[str, str] | None:
    """(metric, why) where the setting at `path` drives that metric by assumption."""
    for pattern, metric, why in INPUT_DRIVEN:
        if re.fullmatch(pattern, path):
            return metric, why
    return None
