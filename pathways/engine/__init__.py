"""The engine: runs a compiled Model on its event calendar and emits an EventLog, nothing else."""

from pathways.engine.simulation import simulate_replication

__all__ = ["simulate_replication"]
