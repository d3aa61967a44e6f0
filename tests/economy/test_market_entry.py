"""Providers enter the market when the others' published waits stay long, and leave
after too few of their slots are booked for long enough (`market_entry`).

One trust whose clinic cannot keep up with its referrals (no added sessions), and an
independent centre that holds a clinic but is closed until it enters. Choice of
provider on published waits."""

import numpy as np

from pathways.engine import simulate_replication
from pathways.log import ARRIVE
from pathways.metrics import kpis

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
north_practice,30000,0,5,2
south_practice,30000,0,-5,4
"""
ECONOMY = """
name: NAME
horizon_days: 600
warmup_days: 100
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 0, y_km: 0}}}
  centre: {type: istc, sites: {centre: {x_km: 2, y_km: 0}}}
calendars:
  clinic_days: {sessions: [{days: [weekdays], start: "09:00", end: "17:00"}]}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 1,
           calendar: clinic_days, slots_per_session: SLOTS}
  centre_clinic: {organisation: centre, site: centre, kind: outpatients, capacity: 1,
                  calendar: clinic_days, slots_per_session: 20}
pathways:
  elective:
    referrals_per_1000_per_year: 60     # 9.9 a weekday from the two practices
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.01},
                    rtt_stop: non_admitted}
allocation: {policy: choice}
published_wait: {information_lag_days: 7, publish_every_days: 7}
market_entry:
  entrants: [centre]
  enter_wait_weeks: 6
  enter_after_days: 60
  break_even_booked_share: BREAK_EVEN
  exit_after_days: 90
"""
CENTRE_SITE = 1


def _log(economy, name: str, slots: float, break_even: float = 0.3):
    text = (ECONOMY.replace("NAME", name).replace("SLOTS", str(slots))
            .replace("BREAK_EVEN", str(break_even)))
    return simulate_replication(economy(text, PRACTICES, f"{name}.yaml"), 4, 0)


def _referred_to_centre(log, after: float = 0.0, before: float = np.inf) -> int:
    """Patients allocated to the centre at referral, between two times."""
    patients, referred = log.patients, np.asarray(log.patients.referred_site)
    arrived = log.event == ARRIVE
    arrival = dict(zip(log.patient[arrived].tolist(), log.time[arrived].tolist(), strict=True))
    times = np.array([arrival.get(int(p), np.nan) for p in patients.patient])
    return int(np.sum((referred == CENTRE_SITE) & (times >= after) & (times < before)))


def _market(log) -> tuple[float, float, float]:
    table = kpis(log)
    rows = table[table.stage == ""].set_index("metric").value
    return rows["provider_entries"], rows["provider_exits"], rows["provider_entry_day"]


def test_an_entrant_enters_when_waits_stay_long_and_only_then_takes_patients(economy):
    log = _log(economy, "short_of_capacity", slots=8)   # 8 slots a day for 9.9 referrals
    entries, exits, entered_on = _market(log)
    assert entries == 1 and exits == 0
    assert _referred_to_centre(log, before=entered_on) == 0
    assert _referred_to_centre(log, after=entered_on) > 100


def test_no_entrant_enters_where_the_incumbent_keeps_up(economy):
    log = _log(economy, "enough_capacity", slots=14)
    entries, exits, entered_on = _market(log)
    assert (entries, exits) == (0, 0) and np.isnan(entered_on)
    assert _referred_to_centre(log) == 0
    sessions = log.sessions
    centre = [r.name for r in log.resources].index("centre_clinic")
    assert sessions.offered[sessions.resource == centre].sum() == 0  # closed: no slots


def test_an_entrant_whose_slots_go_unbooked_leaves_and_takes_no_new_patients(economy):
    log = _log(economy, "loss_making", slots=8, break_even=0.95)
    entries, exits, entered_on = _market(log)
    assert (entries, exits) == (1, 1)
    left_on = float(log.market.time[~log.market.entered][0])
    assert left_on - entered_on >= 90
    assert _referred_to_centre(log, after=left_on + 1) == 0
