"""Bookable capacity against queueing theory: with no list management, a slot-booked
list is a pure queue whose mean wait is that of the embedded chain of M/D/c."""

import dataclasses

import pytest

import pathways
from pathways.experiment import run_replications
from tests.validation.harness import CONFIGS, assert_covers, values
from tests.validation.oracles import slot_booked_mean_wait

SESSION_MINUTES_DAYS = 1 / 1440  # the slots are spread over a one-minute session


def _waits(slots_per_session: float, arrival_rate: float, replications: int = 20):
    model = pathways.load(CONFIGS / "booked.yaml")
    clinic = dataclasses.replace(model.resources[0], slots_per_session=slots_per_session)
    arrival = dataclasses.replace(model.arrivals[0],
                                  hourly_rates_per_day=model.arrivals[0].hourly_rates_per_day
                                  * arrival_rate / 4.5)
    model = dataclasses.replace(model, resources=(clinic,), arrivals=(arrival,))
    kpis = run_replications(model, replications, seed=11, progress=False).kpis
    return values(kpis, "clinic.appointment", "wait_mean")


@pytest.mark.parametrize("slots, cycle, arrival_rate", [
    pytest.param(5.0, [5], 4.5, marks=pytest.mark.slow),  # whole slots, load 0.9
    # fractional slots: sessions of 5 and 4, load 0.89 (20 s: `make test-all`)
    pytest.param(4.5, [5, 4], 4.0, marks=pytest.mark.slow),
    pytest.param(1.0, [1], 0.5, marks=pytest.mark.slow),  # one slot a day, load 0.5
], ids=["5 slots load 0.9", "4.5 slots load 0.89", "1 slot load 0.5"])
def test_mean_wait_for_a_slot_matches_the_embedded_chain(slots, cycle, arrival_rate):
    expected = slot_booked_mean_wait(arrival_rate, cycle, 1.0, states=600)
    waits = _waits(slots, arrival_rate)
    # The slots lie within the one-minute session, so the wait is the chain's plus at
    # most a minute.
    assert_covers(waits - SESSION_MINUTES_DAYS / 2, expected, f"{slots} slots Wq")
