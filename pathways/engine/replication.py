"""The state every part of the engine shares in one replication: the clock, the
future-event list and the records of the log.

The future-event list is a plain heap of (time, order, callback, info) tuples: events at
one time happen in the order they were scheduled. Every log row carries a global
sequence number saying in which order things happened, so rows at the same instant
(one patient's service ending and the next one's starting) keep their true order.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from heapq import heappop, heappush
from typing import Any

from pathways.log.assemble import Flat, Records
from pathways.model.model import Model

#: callback(info), called when its event comes up; info is whatever it was scheduled with
Callback = Callable[[Any], None]
#: schedule(delay in days, callback, info): callback(info) that many days from now
Schedule = Callable[[float, Callback, Any], None]
Event = tuple[float, int, Callback, Any]
PACK_EVERY_DAYS = 30.0
"""How often the records are packed into blocks (pathways.log.assemble.Flat)..."""
PACK_AT_LEAST = 1 << 18
"""...each record list that holds at least this many numbers (2 MB once packed)."""


class Replication:
    """The clock and calendar of one replication, and what it has logged so far."""

    def __init__(self, model: Model, seed: int, replication: int):
        self.model, self.seed, self.replication = model, seed, replication
        self.horizon_days = model.horizon_days
        self.calendar: list[Event] = []
        self.order = itertools.count()  # the tie-break of events at one time
        self.now = 0.0  # the time of the event being handled
        self.sequence = itertools.count()  # the order in which things happen, for the log
        self.records = Records()  # flat record lists (cheaper to fill and convert than tuples)
        self.patient_ids = itertools.count()
        # Packed now and then; no state of the simulation changes, so its events at the
        # same times as others' change nothing of what happens.
        self.flats: list[Flat] = self.records.flats()
        self.after(PACK_EVERY_DAYS, self.pack, None)

    def after(self, delay: float, callback: Callback, info: Any) -> None:
        """Call ``callback(info)`` ``delay`` days from now."""
        heappush(self.calendar, (self.now + delay, next(self.order), callback, info))

    def pack(self, _info: None) -> None:
        """Move the numbers logged so far into float64 blocks (8 bytes each, not a
        32-byte object), every PACK_EVERY_DAYS."""
        for flat in self.flats:
            flat.pack(PACK_AT_LEAST)
        self.after(PACK_EVERY_DAYS, self.pack, None)

    def clock(self) -> float:
        return self.now

    def run(self) -> None:
        """Handle the events in time order up to the horizon."""
        calendar, horizon = self.calendar, self.horizon_days
        with _collector_paused():
            while calendar and calendar[0][0] < horizon:
                now, _, handle, details = heappop(calendar)
                self.now = now
                handle(details)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the calendar runs. The engine makes
    no reference cycles per event, but it keeps hundreds of thousands of small tuples
    alive (lists, log rows), which the collector would walk again and again: about a
    twentieth of a replication's time. Memory is freed by reference counting as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
