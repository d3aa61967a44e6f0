"""Seed question: does payment by activity (Payment by Results) against a block budget
raise elective throughput and make chronic reviews that share a clinic with elective
patients wait longer?

Future directions for PCTs (2003) (financial flows may push hospitals towards elective
work rather than chronic care) and Making it happen (2008) (the tariff rewards the
volume of work done rather than outcomes). The mechanism in the model is queue
priority: under `chronic.contract: activity` elective patients are served before
chronic reviews on a list both join, under `block` due and overdue reviews go first. In the
shipped demo heart-failure reviews have clinics of their own, so the contract orders nothing there;
this small economy puts the reviews on the elective outpatient clinic.

One practice (20,000 registered), one trust, one bookable outpatient clinic (one room,
a session every weekday) that holds both elective first appointments (10 referrals a
day) and heart-failure reviews (1,000 people reviewed every 182 days: about 5.5 a
day). The two together need 5% more slots than the clinic offers, and the provider
adds no sessions (the waiting-list responses are all off), so capacity is constrained
and whoever goes first gets it: the contract decides who waits.
"""

import pytest

from tests.scenarios.paired import paired_ci, run, small_economy, values

pytestmark = pytest.mark.slow

REPLICATIONS, SEED = 6, 1

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
town_practice,20000,0,2,3
"""

# Offered load of the clinic: elective 10 a day + reviews 1,000 / 182 = 5.49 a day,
# 15.49 booked contacts a day x 7 / 5 sessions = 21.7 slots a session needed; 20.7
# offered: load 1.05 (elective alone 0.68, reviews alone 0.37).
SHARED_CLINIC = """
name: CONTRACT
horizon_days: 730
warmup_days: 180
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 0, y_km: 0}}}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 1,
           calendar: weekdays, slots_per_session: 20.7}
  ward: {organisation: trust, site: hospital, kind: beds, capacity: 50}
pathways:
  elective:
    referrals_per_1000_per_year: 182.5
    stages:
      first_outpatient: {kind: outpatients, rtt_stop: non_admitted,
                         duration: {dist: lognormal, mean: 0.0174, sd: 0.0069}}
  hf_review:
    providers: [trust]
    stages:
      review: {kind: outpatients, duration: {dist: lognormal, mean: 0.0139, sd: 0.0049}}
  hf_admission:
    providers: [trust]
    stages:
      admission: {kind: beds, duration: {dist: lognormal, mean: 8, sd: 6}}
chronic:
  contract: CONTRACT
  conditions:
    heart_failure:
      prevalence: 0.05
      incidence_per_1000_per_year: 5
      review_pathway: hf_review
      review_interval_days: 182
      admission_pathway: hf_admission
      admissions_per_year: 0.25
"""


@pytest.fixture(scope="module")
def contracts(workdir):
    """KPIs under each contract, same seed and replications (common random numbers)."""
    return {contract: run(small_economy(workdir, SHARED_CLINIC.replace("CONTRACT", contract),
                                        PRACTICES, contract), REPLICATIONS, SEED)
            for contract in ("block", "activity")}


def test_activity_payment_raises_elective_throughput_at_a_shared_clinic(contracts):
    """Future directions for PCTs (2003) and Making it happen (2008): with reviews and
    elective patients on one constrained clinic, do more elective patients get seen
    under payment by activity than under a block budget? (activity - block, elective
    first appointments completed a day, paired 95% interval above 0.)"""
    stage = "elective.first_outpatient"
    gain = paired_ci(values(contracts["block"], "throughput_per_day", stage),
                     values(contracts["activity"], "throughput_per_day", stage))
    print(f"elective appointments a day, activity - block: {gain}")
    assert gain.excludes_zero_above(), gain


@pytest.mark.parametrize("metric, stage", [
    ("review_days_overdue_mean", ""),     # days past due + 28 days, per review due
    ("reviews_overdue_share", ""),        # reviews more than 28 days late
    ("wait_mean", "hf_review.review"),    # days on the clinic's list
])
def test_activity_payment_makes_shared_clinic_reviews_wait_longer(contracts, metric, stage):
    """Future directions for PCTs (2003) and Making it happen (2008): do chronic reviews
    that share a clinic with elective patients wait longer under payment by activity
    than under a block budget? (activity - block, paired 95% interval above 0.)"""
    later = paired_ci(values(contracts["block"], metric, stage),
                      values(contracts["activity"], metric, stage))
    print(f"{metric} {stage}, activity - block: {later}")
    assert later.excludes_zero_above(), (metric, later)
