"""RTT clocks end to end: YAML flags -> model -> engine -> event log -> kpis."""

import re

import numpy as np
import pandas as pd
from scipy import stats

from pathways.engine import simulate_replication
from pathways.metrics import RTT_METRICS, kpis

# After a first outpatient appointment 25% go on to surgery (admitted), 45% to
# treatment in outpatients (non-admitted) and 30% are discharged (a non-admitted clock
# stop), so a quarter of completed pathways are admitted. Dermatology has no clock.
FLAGGED = """
name: rtt
horizon_days: 300
warmup_days: 100
resources:
  outpatients: {capacity: 4, calendar: weekdays}
  theatre: {capacity: 1, calendar: weekdays}
arrivals:
  - {pathway: orthopaedics, rate_per_day: 4}
  - {pathway: dermatology, rate_per_day: 2}
pathways:
  orthopaedics:
    stages:
      first_outpatient:
        resource: outpatients
        duration: {dist: exponential, mean: 0.08}
        next: {surgery: 0.25, treatment: 0.45, exit: 0.30}
      surgery:
        resource: theatre
        duration: {dist: exponential, mean: 0.15}
        rtt_stop: admitted
      treatment:
        resource: outpatients
        duration: {dist: exponential, mean: 0.08}
        rtt_stop: non_admitted
  dermatology:
    stages:
      consult: {resource: outpatients, duration: {dist: exponential, mean: 0.08}}
"""
PLAIN = re.sub(r"\n *rtt_stop: \w+", "", FLAGGED)
REPLICATIONS = 10


def test_admitted_share_interval_covers_the_routing_share(model_from_yaml):
    flagged, plain = model_from_yaml(FLAGGED, "flagged.yaml"), model_from_yaml(PLAIN, "plain.yaml")
    assert [s.rtt_stop for s in flagged.stages] == [None, "admitted", "non_admitted", None]
    shares = []
    for replication in range(REPLICATIONS):
        log = simulate_replication(flagged, 11, replication)
        frame = kpis(log)
        without = kpis(simulate_replication(plain, 11, replication))
        # the flags change no simulated event and no existing row; RTT rows follow them
        pd.testing.assert_frame_equal(frame.iloc[:len(without)], without)
        after = frame.iloc[len(without):]
        rtt = after[after["stage"] == ""].set_index("metric")["value"]
        assert list(rtt.index) == list(RTT_METRICS)  # then the RTT waits' quantiles
        assert rtt.notna().all()
        assert 0 < rtt["rtt_waiting_list_mean"]
        shares.append(rtt["rtt_admitted_share"])
    mean, sem = np.mean(shares), stats.sem(shares)
    low, high = stats.t.interval(0.95, REPLICATIONS - 1, loc=mean, scale=sem)
    assert low <= 0.25 <= high, (low, high)
    assert high - low < 0.05
