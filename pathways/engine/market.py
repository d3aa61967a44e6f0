"""Providers entering and leaving the market (``market_entry``), for one replication.

An entrant's resources book nothing until it enters: once the other providers' mean
published wait at a stage it offers has stayed above the trigger for long enough.
It leaves once too few of its slots were booked over a trailing window: it takes no
new patients, and each of its resources closes when its list is empty."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import numpy as np

from pathways.engine.economy_rules import EconomyRules
from pathways.engine.replication import Schedule
from pathways.log.assemble import record_columns
from pathways.log.event_log import MarketTable
from pathways.model.economy import Economy, Entrant, Market


class MarketEntrants:
    """The entrants of one replication and the reviews that let them in and out."""

    def __init__(self, economy: Economy, rules: EconomyRules, list_size: list[int],
                 resource_pool: tuple[int, ...],
                 schedule: Schedule, clock: Callable[[], float]):
        if economy.market is None:
            raise ValueError("the economy has no market_entry")
        self.market: Market = economy.market
        self.economy, self.rules = economy, rules
        self.list_size, self.resource_pool = list_size, resource_pool
        self.schedule, self.clock = schedule, clock
        entrants = self.market.entrants
        self.closed_resources = {r for e in entrants for r in e.resources}  # book nothing
        self.resource_entrant = {r: i for i, e in enumerate(entrants) for r in e.resources}
        self.entered_at: dict[int, float] = {}
        self.leaving: set[int] = set()
        self.over_since: list[float | None] = [None] * len(entrants)
        # (time, offered, booked) per entrant
        self.booked: list[deque[tuple[float, int, int]]] = [deque() for _ in entrants]
        self.rows: list[float] = []  # time, organisation, entered (1) or left (0)

    def start(self) -> None:
        self.schedule(self.market.review_every_days, self.review, None)

    def session_held(self, r: int, at: float, offered: int, booked: int) -> None:
        """A session of resource r: an entrant's counts toward its booked share, and a
        leaving entrant's resource closes once its list is empty."""
        entrant = self.resource_entrant.get(r)
        if entrant is None:
            return
        self.booked[entrant].append((at, offered, booked))
        if entrant in self.leaving and self.list_size[self.resource_pool[r]] == 0:
            self.closed_resources.add(r)

    def review(self, _info: None) -> None:
        """Entrants enter once the other providers' published waits have stayed long
        enough, and leave once too few of their slots have been booked for long enough."""
        now, market = self.clock(), self.market
        for i, entrant in enumerate(market.entrants):
            if i not in self.entered_at:
                if self._incumbents_wait_days(entrant, now) > market.enter_wait_days:
                    since = self.over_since[i]
                    if since is None:
                        since = self.over_since[i] = now
                    if now - since >= market.enter_after_days:
                        self.entered_at[i] = now
                        self.rules.set_open(entrant.sites, True)
                        self.closed_resources.difference_update(entrant.resources)
                        self.rows.extend((now, entrant.organisation, 1))
                else:
                    self.over_since[i] = None
            elif i not in self.leaving and now - self.entered_at[i] >= market.exit_after_days:
                recent = self.booked[i]
                while recent and recent[0][0] < now - market.exit_after_days:
                    recent.popleft()
                offered = sum(row[1] for row in recent)
                if offered and sum(row[2] for row in recent) / offered \
                        < market.break_even_booked_share:
                    self.leaving.add(i)
                    self.rules.set_open(entrant.sites, False)
                    self.rows.extend((now, entrant.organisation, 0))
        self.schedule(market.review_every_days, self.review, None)

    def _incumbents_wait_days(self, entrant: Entrant, now: float) -> float:
        """The longest, over the stages the entrant offers, of the other providers'
        mean published wait as the public sees it."""
        longest = 0.0
        for stage in entrant.stages:
            others = [s for s in self.economy.choice_candidates[stage].tolist()
                      if s not in entrant.sites]
            seen = self.rules.published.seen(stage, now, self.economy.information_lag_days)
            longest = max(longest, float(np.mean(seen[others])) if others else 0.0)
        return longest

    def table(self) -> MarketTable:
        m = record_columns(self.rows, 3)
        return MarketTable(time=m[0], organisation=m[1].astype(np.int16),
                           entered=m[2].astype(bool))
