"""Multimorbidity (issue 14, build point 4): a share of one condition's persons are also
in another's cohort, one patient with two conditions, whose reviews are combined where
one organisation holds both and separate where two do.

The economy: the two practices of tests/config/malformed/parts/practices.csv (30,000
and 10,000 patients, each its own organisation), COPD reviewed by a respiratory team
(`resp`) every 182 days and heart failure by a cardiology service (`cardio`) every 365
days, at one hospital site each with ample capacity, so that what is measured is the
schedule and the boundaries, not queues. "One owner": `resp` owns `cardio`. Checks on
counts use a fixed seed and a 99.9% binomial interval, or a bound that holds by
construction (stated in each test).
"""

import copy
import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import yaml
from scipy import stats

from pathways.config import load_config_text
from pathways.engine import simulate_replication
from pathways.log import START
from pathways.metrics import chronic_kpis
from pathways.model.compile import compile_config

AT = Path(__file__).parents[1] / "config" / "malformed" / "chronic.yaml"
Z = stats.norm.ppf(0.5 + 0.999 / 2)  # 3.29
SEED = 20240601

BASE = {
    "name": "multimorbidity",
    "horizon_days": 1825,
    "practices": {"file": "parts/practices.csv"},
    "organisations": {
        "resp": {"sites": {"resp_site": {"x_km": 0, "y_km": 0}}},
        "cardio": {"sites": {"cardio_site": {"x_km": 1, "y_km": 0}}},
    },
    "resources": {
        "resp_clinic": {"organisation": "resp", "site": "resp_site",
                        "kind": "resp_clinic", "capacity": 1000},
        "cardio_clinic": {"organisation": "cardio", "site": "cardio_site",
                          "kind": "cardio_clinic", "capacity": 1000},
        "ward": {"organisation": "resp", "site": "resp_site", "kind": "beds",
                 "capacity": 1000},
    },
    "pathways": {
        "copd_review": {"stages": {"review": {
            "kind": "resp_clinic", "duration": {"dist": "fixed", "value": 0.01}}}},
        "hf_review": {"stages": {"review": {
            "kind": "cardio_clinic", "duration": {"dist": "fixed", "value": 0.01}}}},
        "emergency": {"stages": {"admission": {
            "kind": "beds", "duration": {"dist": "exponential", "mean": 2.0}}}},
    },
    "chronic": {
        "conditions": {
            "copd": {"prevalence": 0.02, "review_pathway": "copd_review",
                     "review_interval_days": 182, "admission_pathway": "emergency",
                     "admissions_per_year": 0.0},
            "heart_failure": {"prevalence": 0.03, "review_pathway": "hf_review",
                              "review_interval_days": 365, "admission_pathway": "emergency",
                              "admissions_per_year": 0.0},
        },
        "multimorbidity": {"copd": {"heart_failure": 0.4}},
    },
}
INTERVAL = {"copd": 182.0, "heart_failure": 365.0}


def _config(one_owner: bool = False, share: float | None = 0.4, **changes) -> dict:
    """The base economy (a deep copy): ``share`` None drops the multimorbidity key."""
    config = copy.deepcopy(BASE)
    config.update(changes)
    if one_owner:
        config["organisations"]["cardio"]["owner"] = "resp"
    if share is None:
        del config["chronic"]["multimorbidity"]
    else:
        config["chronic"]["multimorbidity"]["copd"]["heart_failure"] = share
    return config


def _log(config: dict, replication: int = 0):
    text = yaml.safe_dump(config, sort_keys=False)
    return simulate_replication(compile_config(load_config_text(text, AT).config), SEED,
                                replication)


def _digest(obj) -> str:
    """sha256 over every array and value of a log, the multimorbidity columns left out."""
    parts = []

    def walk(x):
        if isinstance(x, np.ndarray):
            parts.append(np.ascontiguousarray(x).tobytes())
        elif dataclasses.is_dataclass(x):
            for f in dataclasses.fields(x):
                if f.name not in ("linked", "episode_combined"):
                    walk(getattr(x, f.name))
        elif isinstance(x, (tuple, list)):
            for item in x:
                walk(item)
        else:
            parts.append(repr(x).encode())
    walk(obj)
    return hashlib.sha256(b"".join(parts)).hexdigest()


def _assert_binomial(successes: int, trials: int, p: float, what: str) -> None:
    z = (successes - trials * p) / np.sqrt(trials * p * (1 - p))
    assert abs(z) < Z, f"{what}: {successes}/{trials} against p = {p:.4f} (z = {z:.2f})"


# --- off is off ------------------------------------------------------------------------

def test_no_pairs_and_a_zero_share_leave_every_log_as_without_the_key():
    """Links draw from a stream of their own, so with no pairs, or a pair of share 0,
    every draw and event is as in a config that never heard of multimorbidity."""
    short = {"horizon_days": 400}
    without = _log(_config(share=None, **short))
    assert _digest(without) == _digest(_log(_config(share=0.0, **short)))
    empty = _config(share=None, **short)
    empty["chronic"]["multimorbidity"] = {}
    assert _digest(without) == _digest(_log(empty))
    assert (without.chronic.linked == -1).all()
    assert (without.chronic.episode_combined == -1).all()


# --- who is linked ---------------------------------------------------------------------

def test_the_co_occurrence_share_is_realised_at_seeding_and_at_diagnosis():
    """Each COPD person, seeded or newly diagnosed, is linked to a heart failure person
    of the same practice with probability 0.4 (heart failure is the commoner condition,
    so a single one is always there to link to): binomial counts. Links are mutual,
    join the two conditions and stay within a practice, and a linked pair leaves
    together."""
    config = _config(horizon_days=730)
    for c in config["chronic"]["conditions"].values():
        c["incidence_per_1000_per_year"] = 2.0
    seeded = diagnosed = seeded_linked = diagnosed_linked = 0
    for replication in range(3):
        table = _log(config, replication).chronic
        linked, condition = table.linked, table.condition
        has = linked >= 0
        assert (linked[linked[has]] == table.person[has]).all()
        assert (condition[has] != condition[linked[has]]).all()
        assert (table.practice[has] == table.practice[linked[has]]).all()
        assert (table.left[has] == table.left[linked[has]]).all()
        copd = condition == 0
        seeded += np.count_nonzero(copd & (table.entered == 0))
        diagnosed += np.count_nonzero(copd & (table.entered > 0))
        seeded_linked += np.count_nonzero(copd & has & (table.entered == 0))
        diagnosed_linked += np.count_nonzero(copd & has & (table.entered > 0))
    assert diagnosed > 100
    _assert_binomial(seeded_linked, seeded, 0.4, "seeded COPD persons linked")
    _assert_binomial(diagnosed_linked, diagnosed, 0.4, "diagnosed COPD persons linked")


# --- reviews ---------------------------------------------------------------------------

def _reviews_per_person(log) -> np.ndarray:
    """Reviews each person had (started at their own review episode's visit, or at their
    partner's visit that reviewed them too) over the whole run."""
    table = log.chronic
    started = np.isin(table.episode_patient, log.patient[log.event == START])
    review = ~table.episode_admission & started
    counts = np.bincount(table.episode_person[review], minlength=len(table.person))
    riding = table.episode_combined[review]
    return counts + np.bincount(riding[riding >= 0], minlength=len(table.person))


def test_combined_reviews_advance_both_schedules():
    """Under one owner a linked patient's COPD visits (every 182 days) take the heart
    failure review along when it would fall due before the next COPD visit, so many
    reviews are combined; yet each person has one review per interval of their own
    condition over the run: a due date is served once, early at most by the partner's
    interval, so a person present throughout has horizon / interval reviews, give or
    take one. Reviewed twice per visit or never, the count would be off by far more."""
    log = _log(_config(one_owner=True))
    table = log.chronic
    combined = table.episode_combined >= 0
    assert np.count_nonzero(combined) > 500
    reviews = _reviews_per_person(log)
    horizon = BASE["horizon_days"]
    for c, name in enumerate(("copd", "heart_failure")):
        for linked in (True, False):
            mine = (table.condition == c) & ((table.linked >= 0) == linked)
            expected = horizon / INTERVAL[name]
            assert np.abs(reviews[mine] - expected).max() <= 1 + 1e-9, (name, linked)
            assert abs(reviews[mine].mean() - expected) < 0.5, (name, linked)


def _review_handoffs_per_linked_patient(log) -> float:
    """Between-organisation handoffs of the review episodes of linked persons, per
    linked pair."""
    table, handoffs = log.chronic, log.handoffs
    linked_episode = ~table.episode_admission & (table.linked[table.episode_person] >= 0)
    patients = table.episode_patient[linked_episode]
    mine = np.isin(handoffs.patient, patients) & handoffs.between_organisations
    return np.count_nonzero(mine) / (np.count_nonzero(table.linked >= 0) / 2)


def test_a_multimorbid_patient_under_one_owner_makes_fewer_handoffs_than_under_two():
    """The acceptance test. The same patients, links and due dates in both runs (common
    random numbers): under two owners every review is a journey of its own, out from
    the practice and back, 2 handoffs, so a linked patient has 2 x (1825/182 + 1825/365)
    = 30 in five years; under one owner the heart failure review rides along with a COPD
    visit about every other time (when it falls due before the next one) and the visit
    costs the same 2 handoffs: about 2 x 10 = 20 (plus the journeys of heart failure
    reviews falling due first). Practices are their own organisations, so every
    journey crosses a boundary twice either way."""
    two = _log(_config(one_owner=False))
    one = _log(_config(one_owner=True))
    assert (two.chronic.linked == one.chronic.linked).all()
    assert (two.chronic.episode_combined == -1).all()
    per_two = _review_handoffs_per_linked_patient(two)
    per_one = _review_handoffs_per_linked_patient(one)
    assert 29 < per_two < 31
    assert per_one < per_two - 5
    # and no fewer than the COPD visits alone need
    assert per_one > 19


def test_reviews_combined_share_reads_the_boundary():
    """The metric: 0 under two owners (nothing is combined), and under one owner the
    share of linked persons' review visits that reviewed the partner too: every COPD
    visit of a linked patient whose heart failure review falls due before the next COPD
    visit, about every other one (182 against 365 days)."""
    def share(one_owner: bool, level: str = "") -> float:
        frame = chronic_kpis(_log(_config(one_owner=one_owner, horizon_days=1095,
                                          warmup_days=365)))
        row = frame[(frame["stage"] == level) & (frame["metric"] == "reviews_combined_share")]
        return float(row["value"].iloc[0])

    assert share(False) == 0.0
    assert 0.4 < share(True, "condition:copd") < 0.6
    assert "reviews_combined_share" not in set(
        chronic_kpis(_log(_config(share=None, horizon_days=400)))["metric"])
