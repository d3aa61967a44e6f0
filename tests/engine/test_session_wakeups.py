"""A queue waiting for a session is served at every opening, however the opening
time rounds.

A wake-up scheduled for a session's start can fire a hair before it (the clock adds
the delay to the time it was scheduled at). The engine once compared the clock with
the opening to decide that the wake-up had happened; rounding below it left the pool
believing a wake-up was still pending, so it never scheduled another and the queue
stalled for good. It can happen when the wake-up is scheduled early in the first
week (from a time under half the opening's, where the subtraction is inexact); Tuesday
14:00 (2280/1440 days) is such an opening: about one first-week wake-up in twelve
fires early, and seeds 18 and 37 have one.
"""

import numpy as np
import pytest

import pathways
from pathways.engine import simulate_replication
from pathways.log import QUEUE, START

TUESDAY_AFTERNOONS = """
name: tuesday-afternoons
horizon_days: 200
calendars:
  afternoon: {sessions: [{days: [tue], start: "14:00", end: "16:00"}]}
resources:
  nurse: {capacity: 1, calendar: afternoon}
arrivals:
  - {pathway: review, rate_per_day: 3}
pathways:
  review:
    stages:
      visit: {resource: nurse, duration: {dist: exponential, mean: 0.001}}
"""


@pytest.mark.parametrize("seed", [0, 18, 37])  # 18 and 37 stalled before the fix
def test_every_patient_queued_for_a_weekly_session_is_seen(tmp_path, seed):
    """21 arrivals a week against 2 hours of 1.4-minute visits: each week's queue is
    cleared in that week's session, so everyone who joined more than two weeks before
    the horizon has started."""
    path = tmp_path / "tuesday.yaml"
    path.write_text(TUESDAY_AFTERNOONS)
    log = simulate_replication(pathways.load(path), seed=seed, replication=0)
    joined = log.patient[(log.event == QUEUE) & (log.time < log.horizon_days - 14)]
    assert len(joined) > 400
    assert np.isin(joined, log.patient[log.event == START]).all()
