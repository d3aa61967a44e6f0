"""Validation removals: the heap of removal dates is pruned of patients no longer listed,
and pruning changes no removal.

Every patient put on a managed list gets a removal date; most are booked long before
it, and their dates used to stay in the heap until they fell due, so it held nearly
every patient ever listed. The pruning must keep it near the number still listed
while leaving every removal (who, when, from which stage) exactly as before.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import pathways
import pathways.engine.waiting_lists as waiting_lists
from pathways.api import configure
from pathways.engine import simulate_replication
from pathways.engine.replication import Replication

MODELS = Path(__file__).resolve().parents[2] / "models"
NEVER = 10**9  # a pruning threshold no heap reaches
RUN = Replication.run  # the calendar, before a test wraps it
STALE = waiting_lists.STALE_REMOVALS  # the engine's own threshold, before a test sets one


@pytest.fixture(scope="module")
def model():
    """The demo economy (3% of each list removed a month), a shortened horizon."""
    return configure(pathways.load(MODELS / "competitive.yaml"),
                     {"horizon_days": 240, "warmup_days": 60})


def _run(model, monkeypatch, stale: int) -> tuple[object, int, int]:
    """The log, and the sizes of the removal heap and of those listed at the horizon."""
    monkeypatch.setattr(waiting_lists, "STALE_REMOVALS", stale)
    sizes: dict[str, int] = {}

    def run_and_measure(rep: Replication) -> None:
        RUN(rep)
        lists = next(c.__self__ for _, _, c, _ in rep.calendar
                     if getattr(c, "__name__", "") == "remove_due")
        sizes["heap"], sizes["listed"] = len(lists.removals_due), len(lists.listed)

    monkeypatch.setattr(Replication, "run", run_and_measure)
    log = simulate_replication(model, seed=3, replication=0)
    return log, sizes["heap"], sizes["listed"]


def test_pruning_keeps_the_heap_near_those_still_listed(model, monkeypatch):
    _, unpruned, listed = _run(model, monkeypatch, NEVER)
    _, pruned, listed_again = _run(model, monkeypatch, STALE)
    assert listed_again == listed
    # Unpruned, the heap outgrows the bound with patients booked long since.
    assert pruned <= STALE * (listed + waiting_lists.REMOVALS_ALWAYS_KEPT) < unpruned


def test_pruning_changes_no_removal(model, monkeypatch):
    unpruned, _, _ = _run(model, monkeypatch, NEVER)
    pruned, _, _ = _run(model, monkeypatch, 1)  # pruned far more often
    assert len(unpruned.removals.patient) > 100
    for column in ("patient", "time", "stage", "resource"):
        np.testing.assert_array_equal(getattr(pruned.removals, column),
                                      getattr(unpruned.removals, column))
    np.testing.assert_array_equal(pruned.time, unpruned.time)
    np.testing.assert_array_equal(pruned.patient, unpruned.patient)
