"""Case management as a mechanism, not a typed-in benefit: proactive contacts use
community capacity, and managed reviews queue first, so exacerbations fall only
through fewer overdue reviews (with `rate_multiplier` at 1.0, no direct effect).

The economy is that of tests/economy/test_chronic_mechanisms.py (two practices,
40,000 registered, one COPD cohort of 2%), with a community clinic for the contacts
and, for the queue, elective referrals that load the review clinic to about 0.96.
"""

import copy

import numpy as np

from pathways.engine import simulate_replication
from pathways.log import ARRIVE
from pathways.metrics.visits import build
from tests.economy.test_chronic_mechanisms import BASE, _model, _poisson_covers

MANAGED = {"provided": True, "contact_pathway": "contact", "contacts_per_year": 4}


def _config(case_management: dict | None, overdue: dict | None = None,
            electives: bool = False) -> dict:
    config = copy.deepcopy(BASE)
    config["resources"]["community"] = {"organisation": "trust", "site": "hospital",
                                        "kind": "community_clinic", "capacity": 1000}
    config["pathways"]["contact"] = {"stages": {"visit": {
        "kind": "community_clinic", "duration": {"dist": "fixed", "value": 0.02}}}}
    if electives:  # 440 a year per 1,000 x 0.02 days: a load of 0.96 on one clinician
        config["resources"]["clinic"]["capacity"] = 1
        config["pathways"]["elective"] = {"referrals_per_1000_per_year": 440, "stages": {
            "appointment": {"kind": "outpatients",
                            "duration": {"dist": "exponential", "mean": 0.02}}}}
        config["chronic"]["contract"] = "activity"  # reviews behind elective patients
    if overdue is not None:
        config["chronic"]["overdue"] = overdue
    if case_management is not None:
        config["chronic"]["case_management"] = case_management
    return config


def _arrivals(log, pathway: str) -> int:
    return int(np.sum((log.event == ARRIVE) & (log.pathway == log.pathways.index(pathway))))


def test_each_managed_patient_has_proactive_contacts_at_the_configured_rate():
    log = simulate_replication(_model(_config(MANAGED)), 7, 0)
    persons = len(log.chronic.person)  # no incidence and no leaving: a fixed cohort
    expected = persons * 4 / 365.0 * log.horizon_days
    contacts = _arrivals(log, "contact")
    assert _poisson_covers(contacts, expected)
    # Contacts are not episodes of the cohort (neither reviews nor admissions).
    assert len(log.chronic.episode_patient) == _arrivals(log, "review") + _arrivals(
        log, "emergency")
    unmanaged = simulate_replication(_model(_config(None)), 7, 0)
    assert _arrivals(unmanaged, "contact") == 0


def _admissions_and_late_reviews(config: dict) -> tuple[int, float]:
    log = simulate_replication(_model(config), 3, 0)
    visits, _ = build(log)
    review = visits.stage == [s.name for s in log.stages].index("review.review")
    waited = visits.start[review] - visits.queue[review]  # +inf: still waiting
    return _arrivals(log, "emergency"), float(np.mean(waited > 7))


def test_managed_reviews_go_first_and_admissions_fall_only_through_overdue_reviews():
    linked = {"after_days": 0, "step": 4.0, "per_week": 1.0, "cap": 4.0}
    unlinked = {"after_days": 7, "step": 1.0, "per_week": 1.0, "cap": 1.0}
    admitted_behind, late_behind = _admissions_and_late_reviews(
        _config(None, linked, electives=True))
    admitted_first, late_first = _admissions_and_late_reviews(
        _config({"provided": True}, linked, electives=True))
    assert late_behind > 0.3 and late_first < 0.05  # behind electives, reviews run late
    assert admitted_first < 0.95 * admitted_behind  # a late review quadruples the hazard
    # With overdue reviews not raising the hazard, case management changes nothing:
    # the same candidates, accepted with the same draws (common random numbers).
    without_link = _admissions_and_late_reviews(_config(None, unlinked, electives=True))
    with_link = _admissions_and_late_reviews(_config({"provided": True}, unlinked,
                                                     electives=True))
    assert with_link[0] == without_link[0]
