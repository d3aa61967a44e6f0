"""Choice of commissioner: who is registered with the rival, and how the share moves.

Patients are members of the rival with the share of the day when they are referred.
The waits each commissioner's members had from referral to a first appointment are
kept for the published window; at every refresh of published waits a share of
patients reconsiders (``switch_per_day`` x the days since the last refresh) and moves
to the commissioner whose members waited less, by at least the margin. Equal waits
(within the margin) move nobody: the share changes only where the two commissioners'
members are treated differently."""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from pathways.engine.streams import stream
from pathways.log.assemble import record_columns
from pathways.log.event_log import CommissionerTable
from pathways.model.economy import Rival

HOME, RIVAL = 0, 1


class RivalCommissioner:
    """The rival's members and share in one replication."""

    def __init__(self, rival: Rival, window_days: float, seed: int, replication: int):
        self.rival, self.window_days = rival, window_days
        self.share = rival.initial_share
        self.rng = stream(seed, replication, "commissioner_choice", rival.name)
        self.members: set[int] = set()
        self.referred: dict[int, tuple[int, float]] = {}  # patient -> (first stage, when)
        # per commissioner: (seen at, waited days)
        self.recent: tuple[deque[tuple[float, float]], ...] = (deque(), deque())
        self.last_review = 0.0
        self.rows: list[float] = [0.0, self.share, math.nan, math.nan]

    def register(self, patient: int, first_stage: int, now: float) -> bool:
        """Whether the referred patient is the rival's member (drawn at today's share)."""
        member = bool(self.rng.random() < self.share)
        if member:
            self.members.add(patient)
        self.referred[patient] = (first_stage, now)
        return member

    def started(self, patient: int, stage: int, now: float) -> None:
        """A referred patient started a stage: their first appointment's wait counts."""
        referral = self.referred.get(patient)
        if referral is not None and referral[0] == stage:
            del self.referred[patient]
            group = RIVAL if patient in self.members else HOME
            self.recent[group].append((now, now - referral[1]))

    def review(self, now: float) -> None:
        """Patients reconsider: the share moves towards the commissioner whose members
        waited less in the window, by at least the margin."""
        since = now - self.window_days
        medians = []
        for recent in self.recent:
            while recent and recent[0][0] < since:
                recent.popleft()
            medians.append(float(np.median([w for _, w in recent])) if recent else math.nan)
        moving = min(1.0, self.rival.switch_per_day * (now - self.last_review))
        self.last_review = now
        home, rival = medians
        if rival + self.rival.margin_days <= home:
            self.share += moving * (1.0 - self.share)
        elif home + self.rival.margin_days <= rival:
            self.share -= moving * self.share
        self.rows.extend((now, self.share, home, rival))

    def table(self) -> CommissionerTable:
        r = record_columns(self.rows, 4)
        return CommissionerTable(rival=self.rival.name, time=r[0], rival_share=r[1],
                                 home_wait_days=r[2], rival_wait_days=r[3])
