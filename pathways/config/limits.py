"""Limits that refuse a configuration before any work starts, each with its default and
the environment variable that raises it.

Without them a hostile or mistaken configuration hangs or exhausts memory instead of
failing: `extends: /dev/zero` or a FIFO blocks the read, a YAML alias bomb expands a
few lines into billions of values, and a horizon of 1e12 days runs for ever. The
defaults sit far above what the shipped models need (README.md, "Safety").
"""

from __future__ import annotations

import math
import os

from pathways.config.errors import ConfigError, ConfigIssue

MIB = 2**20
FILE_LIMIT_BYTES = {"YAML": 10 * MIB, "CSV": 200 * MIB}
"""The largest file read, by kind; the shipped YAML files are under 100 KiB."""
FILE_LIMIT_VARIABLE = "PATHWAYS_MAX_FILE_MB"

YAML_NODES_LIMIT = 100_000
"""Values in one YAML file once its aliases are expanded; configs/demo_economy.yaml,
the largest shipped file, has about 2,000."""
YAML_NODES_VARIABLE = "PATHWAYS_MAX_YAML_NODES"

EVENTS_LIMIT = 50_000_000
"""Estimated event-log rows in one replication; models/competitive.yaml needs about
1 million (12 s and some 300 MB)."""
EVENTS_VARIABLE = "PATHWAYS_MAX_EVENTS"


def limit(variable: str, default: float) -> float:
    """The positive number in environment variable `variable`, else `default`; a
    ConfigError naming the variable when its value is not a positive number."""
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not value > 0:
        message = f"must be a positive number, got {text!r}"
        raise ConfigError([ConfigIssue(f"environment variable {variable}", None, "", message)])
    return value


def file_limit_bytes(kind: str) -> float:
    """The largest `kind` ("YAML" or "CSV") file read; PATHWAYS_MAX_FILE_MB raises both."""
    megabytes = limit(FILE_LIMIT_VARIABLE, FILE_LIMIT_BYTES[kind] / MIB)
    return megabytes * MIB
