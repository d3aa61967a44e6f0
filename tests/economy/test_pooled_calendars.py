"""A pooled list over sites with different sessions: each server keeps its calendar.

Two sites of one organisation pool their clinic list; one clinic runs weekday
sessions, the other is open around the clock. No service may start at the weekday
clinic outside its sessions, neither clinic may ever have more patients in service
than servers, and the always-open clinic keeps serving at night and at weekends.
"""

import numpy as np

from pathways.engine import simulate_replication
from pathways.log import END, START

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
a_practice,60000,0,2,2
b_practice,40000,0,-2,4
"""
POOLED = """
name: pooled-calendars
horizon_days: 400
warmup_days: 0
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {day_site: {x_km: 0, y_km: 1}, all_hours: {x_km: 0, y_km: -1}}}
resources:
  day_clinic: {organisation: trust, site: day_site, kind: outpatients, capacity: 2,
               calendar: weekdays}
  night_clinic: {organisation: trust, site: all_hours, kind: outpatients, capacity: 1}
pathways:
  clinic:
    referrals_per_1000_per_year: 14.6     # 4 a day
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.1}}
allocation: {policy: pooled}
"""


def test_each_server_of_a_pooled_list_keeps_its_own_calendar(economy):
    model = economy(POOLED, PRACTICES)
    assert len(model.pools) == 1 and model.pools[0].mixed_calendars
    log = simulate_replication(model, 8, 0)
    day, night = 0, 1
    starts = (log.event == START)
    day_starts = log.time[starts & (log.resource == day)]
    clock = day_starts % 7
    hours = (clock % 1) * 24
    assert np.all(clock < 5) and np.all((hours >= 9 - 1e-6) & (hours < 17))
    night_starts = log.time[starts & (log.resource == night)]
    night_hours = (night_starts % 1) * 24
    assert np.any((night_hours < 9) | (night_hours >= 17)) and np.any(night_starts % 7 >= 5)
    for resource, capacity in ((day, 2), (night, 1)):
        at = log.resource == resource
        change = np.where(log.event[at] == START, 1, 0) - (log.event[at] == END)
        assert np.cumsum(change).max() <= capacity
    assert len(day_starts) > 50  # both sites serve the one list
