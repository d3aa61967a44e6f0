"""Experiments: replications, seeds, comparisons, and the results store."""

from pathways.experiment.compare import (
    Comparison,
    compare_models,
    comparison_manifest,
    paired_differences,
    unique_labels,
    write_comparison,
)
from pathways.experiment.executors import SchedulerError
from pathways.experiment.outputs import manifest, write_results
from pathways.experiment.replications import ReplicationResults, run_replications

__all__ = [
    "Comparison",
    "ReplicationResults",
    "SchedulerError",
    "compare_models",
    "comparison_manifest",
    "manifest",
    "paired_differences",
    "run_replications",
    "unique_labels",
    "write_comparison",
    "write_results",
]
