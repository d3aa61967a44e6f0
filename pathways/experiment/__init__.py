"""Experiments: replications, seeds, and the results store."""

from pathways.experiment.outputs import manifest, write_results
from pathways.experiment.replications import ReplicationResults, run_replications

__all__ = ["ReplicationResults", "manifest", "run_replications", "write_results"]
