"""Statistics over replications: Student-t intervals, paired (CRN) differences, summaries,
the MSER-5 warm-up check and the sequential rule for how many replications to run.

All functions are pure (``ReplicationsAlgorithm`` is the one stateful helper, for an
executor to drive); NaN values (metrics with no data in a replication) are ignored
and n counts the replications that had a value.
"""

from .intervals import confidence_interval, paired_difference, t_interval
from .sequential import ReplicationsAlgorithm, replications_needed
from .summary import SUMMARY_COLUMNS, summarise
from .warmup import WarmupCheck, mser5_truncation, warmup_check

__all__ = [
    "SUMMARY_COLUMNS",
    "ReplicationsAlgorithm",
    "WarmupCheck",
    "confidence_interval",
    "mser5_truncation",
    "paired_difference",
    "replications_needed",
    "summarise",
    "t_interval",
    "warmup_check",
]
