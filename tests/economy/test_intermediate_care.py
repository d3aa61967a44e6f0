"""Intermediate care and admission avoidance: community hospital beds that patients
step down to from an acute bed (keeping it until theirs is free: delayed discharge),
their owner (one organisation's handoff is quicker than a boundary's), services that
take a share of the population's emergencies when a unit is free, and a monthly
season. Expected values are worked out here from the configuration, not read from
the code."""

import math

import numpy as np
import pytest

from pathways.engine import simulate_replication
from pathways.log import START
from pathways.metrics import kpis, occupancy

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
north,30000,0,2,3
south,30000,0,-2,3
"""
ECONOMY = """
name: NAME
horizon_days: 1095
warmup_days: 365
practices: {file: practices.csv}
organisations:
  trust:
    type: acute
    sites: {hospital: {x_km: 3, y_km: 0}, COMMUNITY_SITE}
  COMMUNITY_ORG
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 2}
  beds: {organisation: trust, site: hospital, kind: beds, capacity: 200}
  community_beds: {organisation: OWNER, site: hub, kind: community_beds, capacity: STEP_DOWN_BEDS}
  rapid_team: {organisation: OWNER, site: hub, kind: rapid_response, capacity: RAPID_UNITS}
pathways:
  elective:
    referrals_per_1000_per_year: 20
    stages:
      first: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
              rtt_stop: non_admitted}
  emergency:
    providers: [trust]
    stages:
      admit: {kind: beds, duration: {dist: lognormal, mean: 5, sd: 6},
              keep_until_next_starts: true, next: {step_down: 0.05, exit: 0.95}}
      step_down: {kind: community_beds, duration: {dist: lognormal, mean: 20, sd: 10}}
  rapid:
    stages:
      visit: {kind: rapid_response, duration: {dist: lognormal, mean: 2, sd: 1}}
handoff:
  within_organisation: {delay_days: 0.5, record_missing: 0, repeat_test: 0}
  between_organisations: {delay_days: 2.0, record_missing: 0, repeat_test: 0}
emergencies:
  admissions_per_1000_per_year: 90
  pathway: emergency
  SEASON
  avoidance: AVOIDANCE
"""
SEPARATE = {"COMMUNITY_SITE": "", "OWNER": "community",
            "COMMUNITY_ORG": "community: {type: community, sites: {hub: {x_km: 3, y_km: 1}}}"}
ONE_OWNER = {"COMMUNITY_SITE": "hub: {x_km: 3, y_km: 1}", "OWNER": "trust", "COMMUNITY_ORG": ""}
# 60,000 x 90 / 1,000 / 365 = 14.8 emergency admissions a day; 5% step down, 0.74 a
# day, for 20 days: 14.8 community beds busy on average.
ADMISSIONS_PER_DAY = 60_000 * 90 / 1000 / 365
STEP_DOWN_PER_DAY = 0.05 * ADMISSIONS_PER_DAY


def _log(economy, name: str, owner: dict = SEPARATE, beds: int = 40, rapid_units: int = 1,
         avoidance: str = "[]", season: str = ""):
    text = ECONOMY.replace("NAME", name).replace("STEP_DOWN_BEDS", str(beds)).replace(
        "RAPID_UNITS", str(rapid_units)).replace("AVOIDANCE", avoidance).replace(
        "SEASON", season)
    for key, value in owner.items():
        text = text.replace(key, value)
    text = text.replace("sites: {hospital: {x_km: 3, y_km: 0}, }",
                        "sites: {hospital: {x_km: 3, y_km: 0}}")
    return simulate_replication(economy(text, PRACTICES, f"{name}.yaml"), 11, 0)


def _system(log, metric: str) -> float:
    table = kpis(log)
    return table[(table.stage == "") & (table.metric == metric)].value.item()


def test_more_community_hospital_beds_lower_delayed_discharge(economy):
    """With ample community beds the acute bed is held only through the handoff
    (2 days between organisations): 0.74 x 2 = 1.5 bed-days a day. With 16 (load 0.93)
    patients also wait for a community bed to come free, in their acute bed."""
    ample = _system(_log(economy, "ample", beds=40), "delayed_discharge_bed_days_per_day")
    tight = _system(_log(economy, "tight", beds=16), "delayed_discharge_bed_days_per_day")
    assert ample == pytest.approx(STEP_DOWN_PER_DAY * 2.0, rel=0.25)
    assert tight > 2 * ample


def test_one_owner_of_acute_and_community_beds_discharges_faster(economy):
    """The same tier owned by the trust: a handoff within one organisation (0.5 days)
    instead of across a boundary (2 days), so a quarter of the held bed-days."""
    separate = _system(_log(economy, "separate"), "delayed_discharge_bed_days_per_day")
    one = _system(_log(economy, "one", owner=ONE_OWNER), "delayed_discharge_bed_days_per_day")
    assert one == pytest.approx(STEP_DOWN_PER_DAY * 0.5, rel=0.25)
    assert one < 0.4 * separate


def _admissions_and_avoided(log) -> tuple[float, float]:
    return (_system(log, "emergency_admissions_per_1000_population_per_year"),
            _system(log, "emergencies_avoided_per_1000_population_per_year"))


def test_avoidance_with_spare_capacity_takes_its_share_of_admissions(economy):
    """Rapid response offered 20% of emergencies, with 40 units for the 3 a day x 2
    days it needs: it takes about all 20%, and admissions fall by that much. The
    emergencies themselves are the same draws in both runs."""
    off_admitted, off_avoided = _admissions_and_avoided(_log(economy, "off"))
    on_admitted, on_avoided = _admissions_and_avoided(_log(
        economy, "on", rapid_units=40, avoidance="[{pathway: rapid, share: 0.2}]"))
    assert off_avoided == 0
    assert on_admitted + on_avoided == pytest.approx(off_admitted, rel=1e-9)
    n = off_admitted * 60  # emergencies in the two-year window (per 1,000 x 60)
    share = on_avoided / off_admitted
    assert abs(share - 0.2) < 4 * math.sqrt(0.2 * 0.8 / n)
    assert on_admitted / off_admitted == pytest.approx(0.8, abs=0.02)


def test_avoidance_without_spare_capacity_admits_as_before(economy):
    """One unit for 6 units' worth of work: most emergencies it is offered find it busy
    and are admitted; it can take at most one every 2 days on average."""
    off_admitted, _ = _admissions_and_avoided(_log(economy, "off"))
    on_admitted, on_avoided = _admissions_and_avoided(_log(
        economy, "busy", rapid_units=1, avoidance="[{pathway: rapid, share: 0.2}]"))
    assert on_avoided <= 365 / 2 * 1000 / 60_000 * 1.2  # at most a unit's throughput
    assert on_admitted > 0.95 * off_admitted


def test_a_monthly_profile_sets_admissions_and_bed_occupancy_by_month(economy):
    """January at 1.6 times the mean, July at 0.4 (the other months at 1: the year
    averages 1): three years of January admissions against July's, 4 to 1."""
    log = _log(economy, "monthly",
               season="seasonality: {by_month: [1.6, 1, 1, 1, 1, 1, 0.4, 1, 1, 1, 1, 1]}")
    stage = [s.name for s in log.stages].index("emergency.admit")
    days = log.time[(log.event == START) & (log.stage == stage)]
    day_of_year = np.mod(days, 365.0)
    january = np.count_nonzero(day_of_year < 31)
    july = np.count_nonzero((day_of_year >= 181) & (day_of_year < 212))
    expected_july = ADMISSIONS_PER_DAY * 0.4 * 31 * 3
    assert abs(july - expected_july) < 4 * math.sqrt(expected_july)
    assert january / july == pytest.approx(4.0, rel=0.15)
    used = occupancy(log)
    beds = used[used.level == "trust:beds"]
    day = np.mod(beds.time_days.to_numpy(), 365.0)
    # stays of 5 days: February's first week still holds January's admissions
    assert beds.occupancy[day < 31].mean() > 2 * beds.occupancy[(day >= 190) & (day < 212)].mean()
