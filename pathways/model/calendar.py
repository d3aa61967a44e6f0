"""Weekly calendars: when a resource may start new work.

A calendar is a sorted tuple of open intervals on the weekly clock [0, 7) days
(0 = Monday 00:00). ``None`` means always open. Nothing new starts outside a session;
work in progress finishes.
"""

from __future__ import annotations

from bisect import bisect_right

DAYS_PER_WEEK = 7.0
_TOLERANCE_DAYS = 1e-9

OpenIntervals = tuple[tuple[float, float], ...]


class WeeklyCalendar:
    """Answers "is it open now, and if not, when does it next open?" in O(log n)."""

    __slots__ = ("_ends", "_starts", "intervals")

    def __init__(self, intervals: OpenIntervals):
        if not intervals:
            raise ValueError("a calendar needs at least one open interval")
        self.intervals = tuple(intervals)
        self._starts = [start for start, _ in intervals]
        self._ends = [end for _, end in intervals]

    def next_open(self, time_days: float) -> float:
        """``time_days`` itself if open then, else the start of the next session."""
        week_start = time_days - time_days % DAYS_PER_WEEK
        clock = time_days - week_start
        # A session start computed as week_start + start can round a hair below the
        # start; the tolerance keeps "wake up at the opening" from re-scheduling itself.
        i = bisect_right(self._starts, clock + _TOLERANCE_DAYS) - 1
        if i >= 0 and clock < self._ends[i]:
            return time_days
        if i + 1 < len(self._starts):
            return week_start + self._starts[i + 1]
        return week_start + DAYS_PER_WEEK + self._starts[0]

    def is_open(self, time_days: float) -> bool:
        return self.next_open(time_days) == time_days
