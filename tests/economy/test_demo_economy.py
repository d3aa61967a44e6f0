"""The shipped demo economy and model files: they load, and the engine keeps its
promises on them (servers never over-filled, sessions never over-booked, nothing
started outside a session)."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import pathways
from pathways.engine import simulate_replication
from pathways.log import END, START

MODELS = sorted((Path(__file__).parents[2] / "models").glob("*.yaml"))


def test_there_are_seven_models_and_each_loads():
    assert {m.stem for m in MODELS} == {
        "integrated", "competitive", "consumer_sovereign", "equity_first", "ethical_market",
        "real_integration", "virtual_integration"}
    for model in MODELS:
        economy = pathways.load(model).economy
        assert economy is not None and len(economy.practices) == 50  # configs/practices.csv


@pytest.mark.parametrize("name", [
    pytest.param("integrated", marks=pytest.mark.slow),  # about 8 s: `make test-all`
    "competitive",
])
def test_capacity_and_calendars_hold_in_the_demo_economy(name):
    """One simulated year (every season, the beds at their winter peak included)."""
    model = pathways.load(Path(__file__).parents[2] / "models" / f"{name}.yaml")
    log = simulate_replication(replace(model, horizon_days=365.0, warmup_days=0.0), 0, 0)
    sessions = log.sessions
    for index, resource in enumerate(log.resources):
        at = log.resource == index
        if resource.slots_per_session is None:  # servers: never more busy than there are
            busy = np.cumsum(np.where(log.event[at] == START, 1, 0) - (log.event[at] == END))
            assert busy.max() <= resource.capacity, resource.name
        else:  # bookable: never more booked than a session offers, and every start booked
            mine = sessions.resource == index
            assert (sessions.booked[mine] <= sessions.offered[mine]).all(), resource.name
            assert np.count_nonzero(at & (log.event == START)) <= sessions.booked[mine].sum()
        if resource.open_intervals_days is not None:
            clock = log.time[at & (log.event == START)] % 7
            inside = np.zeros(len(clock), dtype=bool)
            for opens, closes in resource.open_intervals_days:
                inside |= (clock >= opens - 1e-9) & (clock < closes)
            assert inside.all(), resource.name
