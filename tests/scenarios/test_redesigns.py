"""The library of pathway redesigns (models/redesigns/): each runs, and moves what its
mechanism moves, in the direction the mechanism implies, against the demo economy on
common random numbers (paired 95% intervals; directions only, never sizes).

A one-stop clinic makes one visit of the test and the decision and drops the
reporting delay; straight-to-test skips the first appointment for patients sent to a
test; advice and guidance and community triage keep some referrals from a first
appointment; patient-initiated follow-up drops follow-ups; virtual follow-up moves
follow-ups from face-to-face clinics to virtual ones carved out of them. The demo's
two years, the first of them warm-up: in a shorter window the pathways that complete
are the short ones, which blurs visits per completed pathway.
"""

import pytest

from tests.scenarios.paired import MODELS, model_file, paired_ci, run, values

pytestmark = pytest.mark.slow

REPLICATIONS, SEED = 6, 4
ELECTIVE = ("orthopaedics", "ophthalmology", "general_surgery")


@pytest.fixture(scope="module")
def baseline():
    return run(model_file(MODELS.parent / "configs" / "demo_economy.yaml"), REPLICATIONS, SEED)


def _redesign(name: str):
    return run(model_file(MODELS / "redesigns" / f"{name}.yaml"), REPLICATIONS, SEED)


def _stage_sum(kpis, stage: str, metric: str = "arrivals_per_day"):
    return sum(values(kpis, metric, f"{pathway}.{stage}") for pathway in ELECTIVE)


def _lower(before, after) -> None:
    difference = paired_ci(before, after)
    assert difference.excludes_zero_below(), difference


def test_a_one_stop_clinic_saves_visits_and_time_to_treatment(baseline):
    after = _redesign("one_stop_clinic")
    _lower(values(baseline, "visits_per_pathway"), values(after, "visits_per_pathway"))
    _lower(values(baseline, "rtt_non_admitted_median_weeks"),
           values(after, "rtt_non_admitted_median_weeks"))


def test_straight_to_test_saves_first_appointments_and_visits(baseline):
    after = _redesign("straight_to_test")
    _lower(_stage_sum(baseline, "first_outpatient"), _stage_sum(after, "first_outpatient"))
    _lower(values(baseline, "visits_per_pathway"), values(after, "visits_per_pathway"))


def test_advice_and_guidance_means_fewer_first_appointments(baseline):
    after = _redesign("advice_and_guidance")
    _lower(_stage_sum(baseline, "first_outpatient"), _stage_sum(after, "first_outpatient"))


def test_community_triage_means_fewer_first_appointments_in_hospital(baseline):
    after = _redesign("community_triage")
    _lower(_stage_sum(baseline, "first_outpatient"), _stage_sum(after, "first_outpatient"))
    assert values(after, "busy_units_mean", "kind:community_specialist_clinic").min() > 0


def test_patient_initiated_follow_up_means_fewer_follow_ups(baseline):
    after = _redesign("patient_initiated_follow_up")
    _lower(_stage_sum(baseline, "follow_up"), _stage_sum(after, "follow_up"))


def test_virtual_follow_up_moves_clinic_time_from_face_to_face_clinics(baseline):
    after = _redesign("virtual_follow_up")
    _lower(values(baseline, "busy_units_mean", "kind:outpatients"),
           values(after, "busy_units_mean", "kind:outpatients"))
    assert values(after, "busy_units_mean", "kind:virtual_clinic").min() > 0
