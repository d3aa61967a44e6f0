"""The event log: the engine's only output and every metric's only input."""

from pathways.log.event_log import (
    ARRIVE,
    COLUMNS,
    END,
    EVENT_NAMES,
    EXIT,
    NONE,
    QUEUE,
    START,
    EventLog,
    ResourceInfo,
    StageInfo,
    concat_logs,
)

__all__ = [
    "ARRIVE",
    "COLUMNS",
    "END",
    "EVENT_NAMES",
    "EXIT",
    "NONE",
    "QUEUE",
    "START",
    "EventLog",
    "ResourceInfo",
    "StageInfo",
    "concat_logs",
]
