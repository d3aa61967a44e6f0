"""Statistics over replications: Student-t intervals, paired (CRN) differences, summaries.

All functions are pure; NaN values (metrics with no data in a replication) are ignored
and n counts the replications that had a value.
"""

from .intervals import confidence_interval, paired_difference, t_interval
from .summary import SUMMARY_COLUMNS, summarise

__all__ = [
    "SUMMARY_COLUMNS",
    "confidence_interval",
    "paired_difference",
    "summarise",
    "t_interval",
]
