"""Weekly calendars: how long a resource is open within a stretch of time.

A calendar is a tuple of weekly open intervals ``(open, close)`` in days on a clock
where 0 is Monday 00:00 and 7 is the next Monday 00:00 (``None`` means always open).
Intervals may overlap, touch, or run past the end of the week (``(6.5, 7.25)`` is
Sunday noon to Monday 06:00); they are normalised before use.
"""

from __future__ import annotations

import numpy as np

from pathways.log.event_log import EventLog

WEEK_DAYS = 7.0


def normalise_intervals(open_intervals) -> np.ndarray | None:
    """Disjoint, sorted ``(open, close)`` pairs inside [0, 7), as an (n, 2) array.

    Returns ``None`` for an always-open calendar (``None`` given, or an interval
    lasting a week or more).
    """
    if open_intervals is None:
        return None
    pieces = []
    for a, b in open_intervals:
        a, b = float(a), float(b)
        if not (np.isfinite(a) and np.isfinite(b)):
            raise ValueError(f"calendar interval ({a}, {b}) is not finite")
        if b < a:
            raise ValueError(f"calendar interval ({a}, {b}) closes before it opens")
        if b - a >= WEEK_DAYS:
            return None
        if b == a:
            continue
        start = a % WEEK_DAYS
        stop = start + (b - a)
        if stop <= WEEK_DAYS:
            pieces.append((start, stop))
        else:
            pieces.append((start, WEEK_DAYS))
            pieces.append((0.0, stop - WEEK_DAYS))
    if not pieces:
        return np.zeros((0, 2))
    pieces.sort()
    merged = [list(pieces[0])]
    for a, b in pieces[1:]:
        if a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return np.asarray(merged, dtype=float)


def _open_before(intervals: np.ndarray, t) -> np.ndarray:
    """Open time from 0 (a Monday 00:00) up to t; t may be negative or an array."""
    t = np.asarray(t, dtype=float)
    weeks = np.floor(t / WEEK_DAYS)
    into_week = t - weeks * WEEK_DAYS
    lengths = intervals[:, 1] - intervals[:, 0]
    partial = np.clip(into_week[..., None] - intervals[:, 0], 0.0, lengths).sum(axis=-1)
    return weeks * lengths.sum() + partial


def open_time_days(open_intervals, start, end):
    """How long a weekly calendar is open within [start, end], in days.

    ``open_intervals`` is a ResourceInfo.open_intervals_days value (``None`` = always
    open). ``start`` and ``end`` are days on the log's clock (0 = Monday 00:00); they may
    be scalars or arrays (broadcast together). An empty or reversed stretch gives 0.
    """
    start = np.asarray(start, dtype=float)
    end = np.asarray(end, dtype=float)
    intervals = normalise_intervals(open_intervals)
    if intervals is None:
        result = np.maximum(end - start, 0.0)
    elif len(intervals) == 0:
        result = np.zeros(np.broadcast(start, end).shape)
    else:
        result = np.maximum(_open_before(intervals, end) - _open_before(intervals, start), 0.0)
    return float(result) if result.ndim == 0 else result


def capacity_days(log: EventLog, lo: float, hi: float) -> np.ndarray:
    """Capacity x open time inside [lo, hi] for each resource (server-days)."""
    return np.array([r.capacity * open_time_days(r.open_intervals_days, lo, hi)
                     for r in log.resources], dtype=float)
