"""Configuration: YAML files -> validated pydantic models, or errors a person can act on.

Every error names the file, line and field, says what is allowed and, for misspelt
names, what was probably meant. See `load_config`.
"""

from pathways.config.errors import ConfigError, ConfigIssue
from pathways.config.lint import offered_loads, stage_arrival_rates
from pathways.config.loader import LoadedConfig, load_config, load_config_text
from pathways.config.schema import (
    BUILTIN_CALENDARS,
    EXIT,
    Arrival,
    Calendar,
    Config,
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    LogNormal,
    Pathway,
    Resource,
    Session,
    Stage,
    Triangular,
    Uniform,
)

__all__ = [
    "BUILTIN_CALENDARS",
    "EXIT",
    "Arrival",
    "Calendar",
    "Config",
    "ConfigError",
    "ConfigIssue",
    "Distribution",
    "Empirical",
    "Exponential",
    "Fixed",
    "Gamma",
    "LoadedConfig",
    "LogNormal",
    "Pathway",
    "Resource",
    "Session",
    "Stage",
    "Triangular",
    "Uniform",
    "load_config",
    "load_config_text",
    "offered_loads",
    "stage_arrival_rates",
]
