"""Bookable capacity: sessions of slots, booked from a waiting list, and the provider's
response to its list.

A bookable resource holds sessions (each open interval of its weekly calendar is one)
of ``capacity x slots_per_session`` slots. At a session's start its slots are booked
from the head of the list (priority, then place in time). Fractional slots are carried
from session to session, so 4.4 slots a session gives sessions of 4 and 5 averaging
exactly 4.4: scaling capacity by 10% means 10% more slots, never a rounding. The list
is managed: a provider reviews each list on a schedule and, when its expected wait
(list size / slots a day) is past a trigger, adds a share of slots in proportion to
the excess, up to a cap (waiting-list initiatives, insourcing), after a delay.
"""

from __future__ import annotations

import math

import numpy as np

from pathways.log.assemble import Records, record_columns
from pathways.log.event_log import RemovalTable, SessionTable
from pathways.model.model import Model

DAYS_PER_WEEK = 7.0
_TOLERANCE_DAYS = 1e-9
_TOLERANCE_SLOTS = 1e-9  # 4.4 x 5 sessions carried in floating point still makes 22 slots


class Sessions:
    """The sessions of every bookable resource and the lists of every pool."""

    def __init__(self, model: Model, records: Records):
        self.records = records
        self.managed = model.managed_list
        n_pools = len(model.pools)
        self.max_extra_share = [self.managed.max_extra_share * pool.added_sessions_share
                                for pool in model.pools]
        self.listed = [0] * n_pools  # patients on each pool's list (not booked, not removed)
        self.extra_share = [0.0] * n_pools  # slots added by the provider's response
        self.capacity: dict[int, int] = {}
        self.slots: dict[int, float] = {}  # per session, all parallel clinics together
        self.intervals: dict[int, tuple] = {}
        self.carried: dict[int, float] = {}  # the fraction of a slot carried forward
        self.first_unit: dict[int, int] = {}  # the pool unit of the resource's clinic 0
        self.slots_per_day = [0.0] * n_pools
        for r, resource in enumerate(model.resources):
            slots_per_session, calendar = resource.slots_per_session, resource.calendar
            if slots_per_session is None:  # not bookable
                continue
            if calendar is None:
                raise ValueError(f"bookable resource {resource.name!r} has no sessions")
            q = model.resource_pool[r]
            self.capacity[r] = resource.capacity
            self.slots[r] = resource.capacity * slots_per_session
            self.intervals[r] = calendar.intervals
            self.carried[r] = 0.5  # rounds to nearest: 4.5 slots gives 5, 4, 5, 4, ...
            self.first_unit[r] = model.pools[q].unit_resource.index(r)
            self.slots_per_day[q] += self.slots[r] * len(self.intervals[r]) / DAYS_PER_WEEK

    def first_sessions(self) -> list[tuple[int, tuple[float, float]]]:
        """Every bookable resource's first session from time 0."""
        return [(r, self.next_session(r, 0.0)) for r in self.intervals]

    def next_session(self, r: int, after: float) -> tuple[float, float]:
        """(start, end) of resource r's first session starting at or after ``after``."""
        week = math.floor(after / DAYS_PER_WEEK + _TOLERANCE_DAYS)
        clock = after - week * DAYS_PER_WEEK
        for start, end in self.intervals[r]:
            if start >= clock - _TOLERANCE_DAYS:
                base = week * DAYS_PER_WEEK
                return base + start, base + end
        start, end = self.intervals[r][0]
        base = (week + 1) * DAYS_PER_WEEK
        return base + start, base + end

    def slots_now(self, r: int, q: int) -> int:
        """Whole slots in this session of r: the configured ones plus any added,
        with the fraction carried to the next session."""
        self.carried[r] += self.slots[r] * (1.0 + self.extra_share[q])
        whole = math.floor(self.carried[r] + _TOLERANCE_SLOTS)
        self.carried[r] -= whole
        return whole

    def held(self, r: int, q: int, at: float, offered: int, booked: int) -> None:
        """Log a session of r (pool q): slots offered and booked, and the share added."""
        self.records.sessions.extend((r, at, offered, booked, self.extra_share[q]))

    def response(self, q: int) -> float:
        """The share of slots the provider adds to pool q's sessions given its list
        now: 0 up to the trigger wait, rising in proportion to the cap (where its
        contract allows the whole response)."""
        managed = self.managed
        expected_wait_days = self.listed[q] / self.slots_per_day[q]
        excess = (expected_wait_days - managed.trigger_wait_days) / (
            managed.cap_wait_days - managed.trigger_wait_days)
        return self.max_extra_share[q] * min(1.0, max(0.0, excess))

    def table(self) -> SessionTable:
        s = record_columns(self.records.sessions, 5)
        return SessionTable(resource=s[0].astype(np.int16), time=s[1],
                            offered=s[2].astype(np.int32), booked=s[3].astype(np.int32),
                            extra_share=s[4])


def removal_table(removed: list) -> RemovalTable:
    r = record_columns(removed, 4)
    return RemovalTable(patient=r[0].astype(np.int64), time=r[1], stage=r[2].astype(np.int16),
                        resource=r[3].astype(np.int16))
