"""Waits as the public sees them: what each site's published figure is, how often it
is refreshed, and which (lagged) snapshot a patient or GP reads."""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from pathways.engine.replication import Replication

if TYPE_CHECKING:
    from pathways.engine.economy_rules import EconomyRules


class PublishedWaits:
    """The RTT-type wait published per choice stage and site, as the NHS published it:
    from allocation to the site (the GP's referral, for a first appointment) to starting
    the stage there. Every ``publish_every_days`` each site gets a figure: the median
    wait of the patients who started there in the last ``window_days``
    (``median_seen``), or the patients allocated there and not yet started over those
    started in the window, per day (``list_over_throughput``, Little's law; with nobody
    started the window counts as one, so a full list with no throughput reads long).
    Where nobody started in the window the median falls back to the list figure: a
    provider patients avoid shows its short list, never a stale old wait. A patient
    sees the latest snapshot at least ``lag`` days old (zeros before the first one)."""

    def __init__(self, candidates: dict[int, np.ndarray], n_sites: int, window_days: float,
                 measure: str):
        self.window_days, self.by_median = window_days, measure == "median_seen"
        self.candidates = candidates
        # per stage and site: (started at, waited days) in the window
        self.recent: dict[int, list[deque[tuple[float, float]]]] = {
            c: [deque() for _ in range(n_sites)] for c in candidates}
        self.waiting = {c: np.zeros(n_sites, dtype=np.int64) for c in candidates}
        self.times: list[float] = []
        self.snapshots: dict[int, list[np.ndarray]] = {c: [] for c in candidates}
        self.zeros = np.zeros(n_sites)
        self.rows: list[float] = []  # time, stage, site, wait_days, seen, waiting

    def join(self, stage: int, site: int) -> None:
        self.waiting[stage][site] += 1

    def leave(self, stage: int, site: int) -> None:
        self.waiting[stage][site] -= 1

    def record(self, stage: int, site: int, now: float, waited_days: float) -> None:
        """A patient allocated to ``site`` for ``stage`` started it after ``waited_days``."""
        self.waiting[stage][site] -= 1
        self.recent[stage][site].append((now, waited_days))

    def publish(self, now: float) -> None:
        self.times.append(now)
        since = now - self.window_days
        for stage, per_site in self.recent.items():
            current = self.zeros.copy()
            waiting = self.waiting[stage]
            for site in self.candidates[stage].tolist():
                recent = per_site[site]
                while recent and recent[0][0] < since:
                    recent.popleft()
                seen = len(recent)
                if self.by_median and seen:
                    current[site] = float(np.median([w for _, w in recent]))
                else:
                    current[site] = waiting[site] * self.window_days / max(seen, 1)
                self.rows.extend((now, stage, site, current[site], seen, waiting[site]))
            self.snapshots[stage].append(current)

    def snapshot_index(self, now: float, lag_days: float) -> int:
        """Which snapshot a patient ``lag_days`` behind sees (-1: none published yet)."""
        return bisect_right(self.times, now - lag_days) - 1

    def seen(self, stage: int, now: float, lag_days: float) -> np.ndarray:
        i = self.snapshot_index(now, lag_days)
        return self.snapshots[stage][i] if i >= 0 else self.zeros


class WaitRefresh:
    """Publishes the economy's waits every ``every_days`` (and lets the rules refresh
    what depends on them: the commissioners' review, the cached choice utilities)."""

    def __init__(self, rep: Replication, rules: EconomyRules, every_days: float):
        self.rep, self.rules, self.every_days = rep, rules, every_days

    def start(self) -> None:
        self.rep.after(self.every_days, self.publish, None)

    def publish(self, _info: None) -> None:
        self.rules.publish(self.rep.now)
        self.rep.after(self.every_days, self.publish, None)
