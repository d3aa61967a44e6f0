"""Seed question: does 20% less reablement capacity raise delayed discharge and
cancelled operations?

Future directions for PCTs (2003) (chronic care and integration across hospital,
community and social care; intermediate care). The mechanism: a patient who needs
reablement after an emergency admission keeps the hospital bed until a reablement
place starts (`keep_until_next_starts`), and an elective operation that finds no free
bed is cancelled on the day. Fewer reablement places mean a longer wait for one, so
beds are held longer (delayed discharge) and more operations find the ward full.

One trust (a theatre, bookable on weekdays at load 0.79, and a 20-bed ward) and a
community provider (10 reablement places, a review clinic), two practices (40,000
registered). 1,800 people with a chronic condition (prevalence 4.5%) have 0.3
emergency admissions a year each (about 1.5 a day, mean stay 6 days); 30% go on to
two weeks of reablement (load 0.61 on 10 places); elective surgery brings about 2
operations a day (3-day stays) to the same ward. `capacity_multiplier.reablement: 0.8`
(applied by `configure`) takes the places from 10 to 8; both arms share the seed and
replication indices (common random numbers).
"""

import pytest

from tests.scenarios.paired import paired_ci, run, small_economy, values

pytestmark = pytest.mark.slow

REPLICATIONS, SEED = 10, 2

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
north_practice,30000,0,10,2
south_practice,10000,0,-10,4
"""

# Theatre: 40,000 x 18 / 1,000 / 365 = 1.97 operations a day x 7 / 5 = 2.76 a list; 3.5
# offered: load 0.79. Ward: 1.48 emergencies a day x 6 d + 1.97 x 3 d = 14.8 beds of 20
# (0.74) before delayed discharge. Reablement: 0.44 a day x 14 d = 6.2 places: 0.62 of
# 10, 0.78 of 8.
REABLEMENT = """
name: reablement
horizon_days: 730
warmup_days: 180
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 0, y_km: 0}}}
  community: {type: community, sites: {hub: {x_km: 0, y_km: 1}}}
resources:
  theatre: {organisation: trust, site: hospital, kind: theatre, capacity: 1,
            calendar: weekdays, slots_per_session: 3.5}
  ward: {organisation: trust, site: hospital, kind: beds, capacity: 20}
  reablement: {organisation: community, site: hub, kind: reablement, capacity: 10}
  clinic: {organisation: community, site: hub, kind: community_clinic, capacity: 2}
pathways:
  elective:
    referrals_per_1000_per_year: 18
    stages:
      surgery: {kind: theatre, duration: {dist: gamma, mean: 0.0833, cv: 0.3},
                rtt_stop: admitted, next: stay,
                cancel_if_next_full: {rebook_days: {dist: lognormal, mean: 14, sd: 7}}}
      stay: {kind: beds, duration: {dist: lognormal, mean: 3, sd: 2}}
  review:
    providers: [community]
    stages:
      review: {kind: community_clinic, duration: {dist: lognormal, mean: 0.0139, sd: 0.0049}}
  admission:
    providers: [trust]
    stages:
      admission: {kind: beds, duration: {dist: lognormal, mean: 6, sd: 4},
                  keep_until_next_starts: true, next: {reablement: 0.3, home: 0.7}}
      reablement: {kind: reablement, duration: {dist: lognormal, mean: 14, sd: 7}, next: home}
      home: {duration: {dist: fixed, value: 0}}
chronic:
  conditions:
    copd:
      prevalence: 0.045
      incidence_per_1000_per_year: 2
      review_pathway: review
      review_interval_days: 365
      admission_pathway: admission
      admissions_per_year: 0.3
"""


@pytest.fixture(scope="module")
def capacities(workdir):
    return {name: run(small_economy(workdir, REABLEMENT, PRACTICES, name, overrides),
                      REPLICATIONS, SEED)
            for name, overrides in (("base", None),
                                    ("less", {"capacity_multiplier.reablement": 0.8}))}


@pytest.mark.parametrize("metric", ["delayed_discharge_days_per_1000_patient_years",
                                    "cancelled_operations_per_year"])
def test_less_reablement_raises_delayed_discharge_and_cancelled_operations(capacities, metric):
    """Future directions for PCTs (2003): does cutting reablement capacity by 20% raise
    delayed discharge and cancelled operations? (x0.8 - base, paired 95% interval
    above 0.)"""
    more = paired_ci(values(capacities["base"], metric), values(capacities["less"], metric))
    print(f"{metric}, reablement x0.8 - base: {more}")
    assert more.excludes_zero_above(), (metric, more)
