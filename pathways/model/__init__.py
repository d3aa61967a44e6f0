"""The compiled Model: arrays and tuples the engine runs without touching config."""

from pathways.model.compile import compile_config, compile_loaded
from pathways.model.model import (
    EXIT,
    NO_RESOURCE,
    CompiledArrival,
    CompiledResource,
    CompiledStage,
    Model,
)

__all__ = [
    "EXIT",
    "NO_RESOURCE",
    "CompiledArrival",
    "CompiledResource",
    "CompiledStage",
    "Model",
    "compile_config",
    "compile_loaded",
]
