"""Chronic care and emergency pressure: what the mechanisms must and must not do.

1. With no link from reviews to exacerbations (overdue multiplier 1) and no case
   management, models that differ only in how elective patients are allocated have
   the same chronic cohorts and the same emergency admissions, exactly.
2. The contract's elective-first priority makes reviews later where reviews and
   elective patients share a clinic; without it the gap between two models that
   differ only in that priority (and in their names) is exactly zero.
3. More emergency demand means more cancelled operations and longer elective waits.
"""

from pathlib import Path

import numpy as np
import pytest

import pathways
from pathways.experiment import run_replications
from pathways.log import ARRIVE
from pathways.stats import paired_difference

MODELS = Path(__file__).parents[2] / "models"

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
north_practice,30000,0,10,1
south_practice,10000,0,-10,5
"""

# One trust: a clinic shared by elective first appointments and heart failure reviews,
# a theatre whose operations need a free bed, a ward shared with emergency
# admissions, and a community reablement service that discharges wait for.
SMALL_ECONOMY = """
name: NAME
horizon_days: 730
warmup_days: 180
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 0, y_km: 0}}}
  community: {type: community, sites: {hub: {x_km: 0, y_km: 1}}}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 1}
  theatre: {organisation: trust, site: hospital, kind: theatre, capacity: 1}
  ward: {organisation: trust, site: hospital, kind: beds, capacity: 16}
  reablement: {organisation: community, site: hub, kind: reablement, capacity: 6}
pathways:
  elective:
    referrals_per_1000_per_year: 50
    stages:
      first_outpatient: {kind: outpatients, duration: {dist: exponential, mean: 0.095},
                         next: {surgery: 0.5, exit: 0.5}}
      surgery: {kind: theatre, duration: {dist: exponential, mean: 0.2}, rtt_stop: admitted,
                cancel_if_next_full: {rebook_days: {dist: fixed, value: 7}}, next: stay}
      stay: {kind: beds, duration: {dist: lognormal, mean: 3, sd: 2}}
  hf_review:
    stages:
      review: {kind: outpatients, duration: {dist: exponential, mean: 0.095}}
  hf_admission:
    providers: [trust]
    stages:
      admission: {kind: beds, duration: {dist: lognormal, mean: 6, sd: 4},
                  keep_until_next_starts: true, next: {reablement: 0.3, home: 0.7}}
      reablement: {kind: reablement, duration: {dist: exponential, mean: 14}, next: home}
      home: {duration: {dist: fixed, value: 0}}
chronic:
  contract: CONTRACT
  overdue: {after_days: 2}
  conditions:
    heart_failure:
      prevalence: 0.02
      incidence_per_1000_per_year: 2
      review_pathway: hf_review
      review_interval_days: 182
      admission_pathway: hf_admission
      admissions_per_year: ADMISSIONS
"""


def _small(economy, name: str, contract: str = "fifo", admissions: float = 0.3):
    text = (SMALL_ECONOMY.replace("NAME", name).replace("CONTRACT", contract)
            .replace("ADMISSIONS", str(admissions)))
    return economy(text, PRACTICES, f"{name}.yaml")


def _system(kpis, metric: str) -> np.ndarray:
    rows = kpis[(kpis.stage == "") & (kpis.metric == metric)]
    return rows.sort_values("replication").value.to_numpy()


def _admissions(log) -> np.ndarray:
    """(person, time) of every emergency admission, in time order."""
    chronic = log.chronic
    person = dict(zip(chronic.episode_patient.tolist(), chronic.episode_person.tolist(),
                      strict=False))
    admitted = set(chronic.episode_patient[chronic.episode_admission].tolist())
    arrive = log.event == ARRIVE
    rows = [(person[p], t) for p, t in zip(log.patient[arrive].tolist(), log.time[arrive].tolist(),
                                           strict=False)
            if p in admitted]
    return np.array(rows)


def test_elective_allocation_alone_leaves_chronic_outcomes_unchanged(tmp_path):
    """nearest, choice and pooled lists of the demo economy, with the overdue link and
    case management off: same persons, same admissions at the same times, same
    admission rates, while elective waits do differ (so the comparison is not empty)."""
    results = {}
    for policy in ("nearest", "choice", "pooled"):
        overlay = tmp_path / f"{policy}.yaml"
        overlay.write_text(
            f"extends: {MODELS / 'competitive.yaml'}\nname: {policy}\nhorizon_days: 140\n"
            "warmup_days: 30\n"
            f"allocation: {{policy: {policy}}}\n"
            "chronic: {overdue: {step: 1.0, per_week: 1.0}, "
            "case_management: {provided: false}}\n")
        results[policy] = pathways.simulate(pathways.load(overlay), seed=5, replication=0)
    base = results["nearest"]
    for policy in ("choice", "pooled"):
        other = results[policy]
        for field in ("condition", "practice", "entered", "left"):
            assert np.array_equal(getattr(base.events.chronic, field),
                                  getattr(other.events.chronic, field))
        assert np.array_equal(_admissions(base.events), _admissions(other.events))
        for metric in ("emergency_admissions_per_1000_patient_years", "chronic_patient_years"):
            assert np.array_equal(_levels(base.kpis, metric), _levels(other.kpis, metric))
        waits = [r.kpis[(r.kpis.stage == "") & (r.kpis.metric == "wait_mean")].value.item()
                 for r in (base, other)]
        assert waits[0] != waits[1]


def _levels(kpis, metric: str) -> np.ndarray:
    rows = kpis[kpis.metric == metric]
    return rows.sort_values("stage").value.to_numpy()


@pytest.mark.slow  # 24 replications (about 14 s): `make test-all`
def test_the_elective_first_priority_alone_makes_reviews_late(economy):
    """Activity contract (elective first) against no priority on a clinic at load 0.94:
    reviews are later under activity (a cobham-type low-priority wait, about twice the
    FIFO wait here); the same comparison with the priority removed from the first
    model gives identical results although the models keep different names."""
    replications, seed = 8, 11
    runs = {name: run_replications(_small(economy, name, contract), replications, seed,
                                   progress=False).kpis
            for name, contract in (("competitive", "activity"), ("integrated", "fifo"),
                                   ("competitive_without_priority", "fifo"))}
    late = {name: _system(k, "review_days_overdue_mean") for name, k in runs.items()}
    gap, low, high, _ = paired_difference(late["integrated"], late["competitive"], level=0.99)
    assert low > 0, (gap, low, high)
    assert np.array_equal(late["competitive_without_priority"], late["integrated"])
    assert late["integrated"].mean() > 0  # reviews do wait: the zero gap is not empty


@pytest.mark.slow  # 16 replications (about 10 s): `make test-all`; tests/engine/
# test_holding.py checks the cancellation mechanism itself, by hand, in `make test`
def test_more_emergency_demand_cancels_operations_and_lengthens_elective_waits(economy):
    """Emergency admissions up by half on a ward shared with elective surgery: more
    operations are cancelled for want of a bed, and admitted RTT waits get longer
    (paired 99% intervals over replications with common random numbers). Waits near
    saturation are skewed (a replication's median can grow tenfold), so their change
    is measured as a ratio: the interval is on the mean log ratio."""
    replications, seed = 8, 3
    base = run_replications(_small(economy, "base", admissions=0.3), replications, seed,
                            progress=False).kpis
    more = run_replications(_small(economy, "more", admissions=0.45), replications, seed,
                            progress=False).kpis
    for metric in ("cancelled_operations_per_year", "emergency_admissions_per_1000_patient_years"):
        gap, low, high, _ = paired_difference(_system(base, metric), _system(more, metric),
                                              level=0.99)
        assert low > 0, (metric, gap, low, high)
    for metric in ("rtt_admitted_median_weeks", "rtt_admitted_p92_weeks"):
        gap, low, high, _ = paired_difference(np.log(_system(base, metric)),
                                              np.log(_system(more, metric)), level=0.99)
        assert low > 0, (metric, gap, low, high)


@pytest.mark.slow
@pytest.mark.timing
def test_one_replication_of_the_demo_economy_with_chronic_care_takes_under_twelve_seconds():
    """Simulation and KPIs of one replication. The limit was 10 s before the demo took
    the whole population's emergencies (about 21,700 more journeys a year, 19% more
    engine time: tests/economy/test_emergencies.py bounds that at 30%); this machine's
    runs of one replication vary by up to a quarter."""
    import time
    model = pathways.load(MODELS / "competitive.yaml")
    started = time.perf_counter()
    pathways.simulate(model, seed=0, replication=0)
    assert time.perf_counter() - started < 12.0
