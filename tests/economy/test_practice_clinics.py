"""Clinics every practice runs for its own patients: chronic reviews at the practice.

A review whose kind is a practice clinic's is done by the patient's own practice: no
choice, no transfer and no handoff, on servers in proportion to the list size
(rounded up), never pooled with another practice's, whatever the allocation policy.
"""

import numpy as np
import pytest

from pathways.engine import simulate_replication
from pathways.log import START

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
north_practice,30000,0,10,1
south_practice,10000,0,-10,5
"""

ECONOMY = """
name: practice-clinics
horizon_days: 400
practices:
  file: practices.csv
  organisation: OWNER
  clinics: {nurse: {kind: nurse_clinic, servers_per_1000: 0.05, calendar: weekdays}}
organisations:
  ico: {type: ico}
  trust: {type: acute, owner: ico, sites: {hospital: {x_km: 0, y_km: 0}}}
resources:
  ward: {organisation: trust, site: hospital, kind: beds, capacity: 40}
pathways:
  diabetes_review:
    stages:
      review: {kind: nurse_clinic, duration: {dist: exponential, mean: 0.02}}
  diabetes_admission:
    stages:
      admission: {kind: beds, duration: {dist: exponential, mean: 4}}
chronic:
  conditions:
    diabetes:
      prevalence: 0.05
      review_pathway: diabetes_review
      review_interval_days: 182
      admission_pathway: diabetes_admission
      admissions_per_year: 0.05
allocation: {policy: POLICY}
"""


def _model(economy, owner: str, policy: str):
    text = ECONOMY.replace("OWNER", owner).replace("POLICY", policy)
    return economy(text, PRACTICES, f"{owner}-{policy}.yaml")


@pytest.mark.parametrize(("owner", "policy"), [("null", "nearest"), ("ico", "pooled")])
def test_reviews_are_done_at_the_patients_own_practice_without_a_handoff(economy, owner, policy):
    model = _model(economy, owner, policy)
    clinics = {r.name: r.capacity for r in model.resources if r.name.endswith(":nurse")}
    # 0.05 servers per 1,000: 1.5 -> 2 for 30,000 patients, 0.5 -> 1 for 10,000
    assert clinics == {"north_practice:nurse": 2, "south_practice:nurse": 1}
    for name in clinics:  # each practice's clinic has a list of its own, even pooled
        pool = model.resource_pool[[r.name for r in model.resources].index(name)]
        assert len(set(model.pools[pool].unit_resource)) == 1
    log = simulate_replication(model, seed=2, replication=0)
    chronic = log.chronic
    person_practice = chronic.practice[chronic.episode_person]
    reviews = chronic.episode_patient[~chronic.episode_admission]
    started = (log.event == START) & np.isin(log.patient, reviews)
    served_by = {p: log.resources[r].name for p, r in
                 zip(log.patient[started].tolist(), log.resource[started].tolist(), strict=False)}
    practice_of = dict(zip(chronic.episode_patient.tolist(), person_practice.tolist(),
                           strict=False))
    assert len(served_by) > 1000
    for patient, resource in served_by.items():
        assert resource == f"{log.practices[practice_of[patient]].name}:nurse"
    assert not np.isin(log.handoffs.patient, reviews).any()
    admissions = chronic.episode_patient[chronic.episode_admission]
    assert np.isin(log.handoffs.patient, admissions).any()  # discharge home is one


def test_a_review_that_starts_the_moment_it_falls_due_still_books_the_next(economy):
    """An always-open practice clinic with room to spare starts each review as it
    falls due, inside the call that begins the episode; the next review must still be
    scheduled (it once was not: the episode was registered only after it began)."""
    text = (ECONOMY.replace("OWNER", "null").replace("POLICY", "nearest")
            .replace(", calendar: weekdays", "")
            .replace("servers_per_1000: 0.05", "servers_per_1000: 1"))
    log = simulate_replication(economy(text, PRACTICES, "open.yaml"), seed=4, replication=0)
    chronic = log.chronic
    reviews = ~chronic.episode_admission
    arrive = dict(zip(log.patient[log.event == 0].tolist(), log.time[log.event == 0].tolist(),
                      strict=False))
    due = np.array([arrive[p] for p in chronic.episode_patient[reviews].tolist()])
    person = chronic.episode_person[reviews]
    stays = (chronic.entered == 0) & (chronic.left > log.horizon_days)
    first = {p: due[person == p].min() for p in np.flatnonzero(stays)[:300].tolist()}
    for p, start in first.items():
        expected = int(np.floor((log.horizon_days - start) / 182.0)) + 1
        assert (person == p).sum() == expected, p
