"""A safety net under four mechanisms that larger tests let slip: pooled lists follow
the owning organisation, the RTT clock starts at referral, stage priority dominates the
deprivation split, and random streams are keyed by stage name. Each test is small and
checks the mechanism against an answer worked out by hand, not one the code produced."""

import heapq
import textwrap

import numpy as np
import pytest

import pathways
from pathways.engine import simulate_replication
from pathways.log import ARRIVE, END, QUEUE, START
from pathways.metrics import kpis


def _load(folder, text: str, name: str, practices: str | None = None):
    """Write a model (and its practices.csv) to folder and load it compiled."""
    if practices is not None:
        (folder / "practices.csv").write_text(textwrap.dedent(practices).strip() + "\n")
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return pathways.load(path)


# --- 1. pooled lists respect the owning organisation ----------------------------------

NEAR_A = """
name,list_size,x_km,y_km,deprivation_quintile
near_a_practice,100000,0,1,3
"""
# Every patient's nearest clinic is trust A's (trust B is 40 km away), so only a list
# shared with B can ever send anyone there: B's clinic is idle unless pooled with A's.
OWNED_TRUSTS = """
name: owned-trusts
horizon_days: 120
practices: {file: practices.csv}
organisations:
  ico: {type: ico}
  other_ico: {type: ico}
  trust_a: {type: acute, owner: ico, sites: {a: {x_km: 0, y_km: 0}}}
  trust_b: {type: acute, owner: OWNER_OF_B, sites: {b: {x_km: 0, y_km: 40}}}
resources:
  clinic_a: {organisation: trust_a, site: a, kind: outpatients, capacity: 1}
  clinic_b: {organisation: trust_b, site: b, kind: outpatients, capacity: 1}
pathways:
  clinic:
    referrals_per_1000_per_year: 3.65    # 100,000 registered -> 1 a day
    stages:
      appointment: {kind: outpatients, duration: {dist: fixed, value: 0.8}}
allocation: {policy: pooled, pool_across: organisation}
"""


def _served_at(tmp_path, owner_of_b: str):
    model = _load(tmp_path, OWNED_TRUSTS.replace("OWNER_OF_B", owner_of_b),
                  f"{owner_of_b}.yaml", NEAR_A)
    log = simulate_replication(model, 5, 0)
    names = [r.name for r in log.resources]
    starts = log.event == START
    served = [names[r] for r in log.resource[starts]]
    referred_to = {log.sites[k].name for k in log.patients.referred_site}
    queue = log.event == QUEUE
    joined = dict(zip(log.patient[queue].tolist(), log.time[queue], strict=False))
    waited = sum(t > joined[p] for p, t in zip(log.patient[starts].tolist(), log.time[starts],
                                               strict=False))
    return model, served, referred_to, waited


def test_trusts_of_one_owner_share_a_list_and_the_idle_clinic_serves_it(tmp_path):
    """Both trusts belong to the ico: one list, so B's clinic takes A's patients
    whenever A's is busy (breaking ownership would leave B idle)."""
    model, served, referred_to, _ = _served_at(tmp_path, "ico")
    assert referred_to == {"trust_a/a"} and len(served) > 50  # every patient was sent to A
    assert served.count("clinic_b") > 0, "trust B's idle clinic never served A's list"
    assert [len(pool.unit_resource) for pool in model.pools] == [2]


def test_trusts_of_different_owners_keep_separate_lists(tmp_path):
    """Trust B belongs to another ico: A's patients wait for A's clinic even while B's
    stands idle."""
    model, served, referred_to, waited = _served_at(tmp_path, "other_ico")
    assert referred_to == {"trust_a/a"} and len(served) > 50
    assert waited > 0  # A's list formed a queue: the spare clinic was wanted
    assert served.count("clinic_b") == 0
    assert [len(pool.unit_resource) for pool in model.pools] == [1, 1]


# --- 2. the RTT clock starts at referral -----------------------------------------------

DELAY_THEN_OPERATION = """
name: rtt-clock
horizon_days: 300
warmup_days: 50
resources:
  theatre: {capacity: 100}
arrivals:
  - {pathway: surgery, rate_per_day: 2}
pathways:
  surgery:
    stages:
      referral_letter: {duration: {dist: fixed, value: 10.0}, next: operation}
      operation: {resource: theatre, duration: {dist: fixed, value: 0.5}, rtt_stop: admitted}
"""
LETTER_DAYS = 10.0  # fixed delay before the first queue; no one waits for the theatre


def test_rtt_clock_starts_at_referral_not_at_the_first_queue(tmp_path):
    """Every patient spends 10 days on a letter, then walks into a free theatre: the
    RTT wait is the 10 days, since the clock runs from referral (ARRIVE), not from
    joining the theatre's list (which would give 0)."""
    log = simulate_replication(_load(tmp_path, DELAY_THEN_OPERATION, "rtt.yaml"), 3, 0)
    operation = [s.name for s in log.stages].index("surgery.operation")
    at_theatre = log.stage == operation
    # the premise: nobody queued for the theatre (joined and started together)
    np.testing.assert_array_equal(log.time[at_theatre & (log.event == QUEUE)],
                                  log.time[at_theatre & (log.event == START)])
    frame = kpis(log).set_index("metric")["value"]
    assert frame["rtt_admitted_share"] == 1.0
    assert frame["rtt_admitted_median_weeks"] == pytest.approx(LETTER_DAYS / 7)
    assert frame["rtt_admitted_p95_weeks"] == pytest.approx(LETTER_DAYS / 7)


# --- 3. stage priority dominates the deprivation split ---------------------------------

TWO_QUINTILES = """
name,list_size,x_km,y_km,deprivation_quintile
deprived_practice,50000,0,1,1
affluent_practice,50000,0,-1,5
"""
# One clinician (fixed 1-day appointments, priority queue) overloaded by two pathways of
# stage priority 0 (urgent) and 1 (routine) from quintile 1 (protected) and quintile 5.
# Stage priorities set here and those of chronic contracts feed the same queue key.
PRIORITY_CLINIC = """
name: priority-and-deprivation
horizon_days: 80
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 0, y_km: 0}}}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 1, queue: priority}
pathways:
  urgent:
    referrals_per_1000_per_year: 2.19    # 100,000 registered -> 0.6 a day
    stages:
      appointment: {kind: outpatients, priority: 0, duration: {dist: fixed, value: 1.0}}
  routine:
    referrals_per_1000_per_year: 2.19
    stages:
      appointment: {kind: outpatients, priority: 1, duration: {dist: fixed, value: 1.0}}
equity: {priority_deprivation_quintiles: [1]}
"""
STAGE_PRIORITY = {"urgent": 0, "routine": 1}
APPOINTMENT_DAYS = 1.0


def _one_server_order(arrived: dict, key, service_days: float) -> list:
    """Who one non-preemptive server starts, in order: when it frees, the smallest
    key(patient) among those already waiting; when idle, the next arrival."""
    pending = sorted(arrived, key=arrived.get)
    waiting, order, free_at, i = [], [], 0.0, 0
    while i < len(pending) or waiting:
        while i < len(pending) and arrived[pending[i]] <= free_at:
            heapq.heappush(waiting, (key(pending[i]), pending[i]))
            i += 1
        if not waiting:
            free_at = arrived[pending[i]]
            continue
        order.append(heapq.heappop(waiting)[1])
        free_at += service_days
    return order


def test_stage_priority_comes_first_then_protected_quintiles_then_arrival(tmp_path):
    """Replays the clinic's arrivals through a hand-written priority server: the
    engine must start patients in exactly the order (stage priority, protected
    quintile first, arrival), and that order must differ from the plausible wrong
    combinations (added together, deprivation first, unprotected first)."""
    log = simulate_replication(_load(tmp_path, PRIORITY_CLINIC, "priority.yaml",
                                     TWO_QUINTILES), 11, 0)
    table = log.patients
    quintile = {int(p): log.practices[k].deprivation_quintile
                for p, k in zip(table.patient, table.practice, strict=False)}
    pathway = {int(p): log.pathways[k] for p, k in zip(table.patient, table.pathway, strict=False)}
    arrive = log.event == ARRIVE
    arrived = {int(p): t for p, t in zip(log.patient[arrive], log.time[arrive], strict=False)}
    started = [int(p) for p in log.patient[log.event == START]]
    assert len(started) > 50 and len(arrived) > len(started)  # a queue built up

    def rank(patient):  # stage priority, then protected (0) before others (1)
        return STAGE_PRIORITY[pathway[patient]], 0 if quintile[patient] == 1 else 1

    def expected(key):
        return _one_server_order(arrived, lambda p: (*key(p), arrived[p]),
                                 APPOINTMENT_DAYS)[:len(started)]

    assert started == expected(rank), "not served by (stage priority, protected, arrival)"
    wrong_keys = {
        "added": lambda p: (rank(p)[0] + rank(p)[1],),
        "deprivation first": lambda p: (rank(p)[1], rank(p)[0]),
        "unprotected first": lambda p: (rank(p)[0], -rank(p)[1]),
    }
    for name, key in wrong_keys.items():
        assert expected(key) != started, f"the trace cannot tell {name!r} apart"


# --- 4. random streams are keyed by stage name ------------------------------------------

CLINIC = """
name: streams
horizon_days: 150
arrivals:
  - {pathway: clinic, rate_per_day: 2}
EXTRA_ARRIVALS
pathways:
EXTRA_PATHWAY
  clinic:
    start: consult
    stages:
EXTRA_STAGE
      consult: {duration: {dist: exponential, mean: 1.0}, next: {review: 0.5, exit: 0.5}}
      review: {duration: {dist: exponential, mean: 2.0}, next: REVIEW_NEXT}
"""
# Two ways to shift clinic.consult and clinic.review to later positions in the stage
# order: a new pathway listed first (with its own arrivals), or a new stage listed
# first in the same pathway (reached after the review).
VARIANTS = {
    "baseline": {"EXTRA_ARRIVALS": "", "EXTRA_PATHWAY": "", "EXTRA_STAGE": "",
                 "REVIEW_NEXT": "exit"},
    "new pathway first": {
        "EXTRA_ARRIVALS": "  - {pathway: triage, rate_per_day: 1}",
        "EXTRA_PATHWAY": "  triage:\n    stages:\n"
                         "      call: {duration: {dist: exponential, mean: 0.5}}",
        "EXTRA_STAGE": "", "REVIEW_NEXT": "exit"},
    "new stage first in the pathway": {
        "EXTRA_ARRIVALS": "", "EXTRA_PATHWAY": "",
        "EXTRA_STAGE": "      phone_call: {duration: {dist: exponential, mean: 0.2}}",
        "REVIEW_NEXT": "phone_call"},
}


def _clinic_journeys(tmp_path, variant: str) -> dict[str, np.ndarray]:
    """Per clinic patient, in arrival order: arrival time, consult duration, whether
    they were routed to review, and review duration (NaN for none); and where
    clinic.consult sits in the stage order."""
    text = CLINIC
    for placeholder, value in VARIANTS[variant].items():
        text = text.replace(placeholder + "\n", value + "\n" if value else "")
        text = text.replace(placeholder, value)
    model = _load(tmp_path, text, f"{variant.replace(' ', '_')}.yaml")
    log = simulate_replication(model, 9, 0)
    stage_names = [s.name for s in log.stages]
    clinic = log.pathway == list(log.pathways).index("clinic")
    arrive = clinic & (log.event == ARRIVE)
    patients = log.patient[arrive]  # in arrival order
    position = {int(p): i for i, p in enumerate(patients)}
    journeys = {"arrived": log.time[arrive],
                "consult_position": stage_names.index("clinic.consult")}
    for stage in ("consult", "review"):
        at_stage = log.stage == stage_names.index(f"clinic.{stage}")
        starts, ends = at_stage & (log.event == START), at_stage & (log.event == END)
        began = dict(zip(log.patient[starts].tolist(), log.time[starts], strict=False))
        duration = np.full(len(patients), np.nan)
        for p, t in zip(log.patient[ends].tolist(), log.time[ends], strict=False):
            duration[position[p]] = t - began[p]
        journeys[stage] = duration
        if stage == "review":
            journeys["to_review"] = np.isin(patients, log.patient[starts])
    return journeys


@pytest.mark.parametrize("variant", ["new pathway first", "new stage first in the pathway"])
def test_adding_a_stage_earlier_keeps_other_stages_durations(tmp_path, variant):
    """Common random numbers: the same clinic patients (same arrival stream) draw the
    same consult and review durations whatever stages are added before them."""
    before, after = _clinic_journeys(tmp_path, "baseline"), _clinic_journeys(tmp_path, variant)
    assert after["consult_position"] > before["consult_position"]  # the stages moved...
    np.testing.assert_array_equal(after["arrived"], before["arrived"])  # ...not the patients
    assert len(before["arrived"]) > 200
    np.testing.assert_array_equal(after["consult"], before["consult"])
    np.testing.assert_array_equal(after["review"], before["review"])


@pytest.mark.parametrize("variant", ["new pathway first", "new stage first in the pathway"])
def test_adding_a_stage_earlier_keeps_other_stages_routing(tmp_path, variant):
    """Common random numbers: each clinic patient is routed to review or home exactly
    as before a stage was added earlier in the stage order."""
    before, after = _clinic_journeys(tmp_path, "baseline"), _clinic_journeys(tmp_path, variant)
    assert after["consult_position"] > before["consult_position"]  # the stages moved...
    np.testing.assert_array_equal(after["arrived"], before["arrived"])  # ...not the patients
    assert 0 < np.count_nonzero(before["to_review"]) < len(before["to_review"])
    np.testing.assert_array_equal(after["to_review"], before["to_review"])
