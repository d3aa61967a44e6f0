"""Chronic cohorts against probability theory: who is in the cohort (binomial per
practice), who joins and leaves (Poisson incidence, exponential leaving), when reviews
fall due (an interval after the last one fell due), how often exacerbations bring an
emergency admission (a Poisson process whose hazard follows the season, overdue
reviews and case management), which queue goes first, and where an emergency goes.

Every statistical check uses a fixed seed and a 99.9% interval (exact Poisson,
chi-square or binomial), and the expected values come from the configured parameters,
never from a run. Capacity is ample unless a test says otherwise, so that what is
measured is the cohort's own process.

The economy is that of tests/config/test_chronic_lint.py: two practices
(north_practice 30,000 patients, south_practice 10,000: parts/practices.csv).
"""

import copy
import itertools
import textwrap
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy import stats

from pathways.config import ConfigError, load_config_text
from pathways.engine import simulate_replication, simulation
from pathways.log import ARRIVE, EXIT, QUEUE, START
from pathways.model.chronic import EMERGENCY_PRIORITY, REVIEW_PRIORITY
from pathways.model.compile import compile_config

# Loaded as if it lay in tests/config/malformed/, so that parts/practices.csv is found.
AT = Path(__file__).parents[1] / "config" / "malformed" / "chronic.yaml"
LIST_SIZE = {"north_practice": 30_000, "south_practice": 10_000}
REGISTERED = sum(LIST_SIZE.values())
DAYS_PER_YEAR = 365.0
LEVEL = 0.999
Z = stats.norm.ppf(0.5 + LEVEL / 2)  # 3.29

BASE = {
    "name": "chronic",
    "horizon_days": 730,
    "practices": {"file": "parts/practices.csv"},
    "organisations": {"trust": {"type": "acute", "sites": {"hospital": {"x_km": 0, "y_km": 0}}}},
    "resources": {
        "clinic": {"organisation": "trust", "site": "hospital", "kind": "outpatients",
                   "capacity": 1000},
        "ward": {"organisation": "trust", "site": "hospital", "kind": "beds", "capacity": 1000},
    },
    "pathways": {
        "review": {"stages": {"review": {"kind": "outpatients",
                                         "duration": {"dist": "fixed", "value": 0.01}}}},
        "emergency": {"stages": {"admission": {"kind": "beds",
                                               "duration": {"dist": "exponential", "mean": 2.0}}}},
    },
    "chronic": {"conditions": {"copd": {
        "prevalence": 0.02, "review_pathway": "review", "review_interval_days": 365,
        "admission_pathway": "emergency", "admissions_per_year": 0.3}}},
}


def _config(horizon: float = 730, **condition) -> dict:
    """The base economy (a deep copy, to edit), its one condition updated."""
    config = copy.deepcopy(BASE)
    config["horizon_days"] = horizon
    config["chronic"]["conditions"]["copd"].update(condition)
    return config


def _model(config: dict, at: Path = AT):
    return compile_config(load_config_text(yaml.safe_dump(config, sort_keys=False), at).config)


def _poisson_covers(count: int, expected: float, level: float = LEVEL) -> bool:
    """Whether the exact (Garwood) interval for a Poisson mean, given ``count``, holds
    ``expected``."""
    alpha = 1.0 - level
    low = 0.0 if count == 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2
    high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return low <= expected <= high


def _assert_poisson(count: int, expected: float, what: str) -> None:
    assert _poisson_covers(count, expected), f"{what}: {count} observed, {expected:.1f} expected"


def _assert_binomial(successes: int, trials: int, p: float, what: str) -> None:
    z = (successes - trials * p) / np.sqrt(trials * p * (1 - p))
    assert abs(z) < Z, f"{what}: {successes}/{trials} against p = {p:.4f} (z = {z:.2f})"


class _Episodes:
    """The chronic episodes of a log: person, kind, ARRIVE time and START time at the
    contact stage (the review, or the admission); NaN where it had not started."""

    def __init__(self, log):
        table = log.chronic
        info = table.conditions[0]
        self.table = table
        self.patient = table.episode_patient
        self.person = table.episode_person
        self.admission = table.episode_admission
        arrive = log.event == ARRIVE
        arrived = dict(zip(log.patient[arrive].tolist(), log.time[arrive].tolist(), strict=False))
        self.arrive = np.array([arrived[p] for p in self.patient.tolist()])
        self.start = np.full(len(self.patient), np.nan)
        index = {p: i for i, p in enumerate(self.patient.tolist())}
        for stage in (info.review_stage, info.admission_stage):
            rows = (log.event == START) & (log.stage == stage)
            for p, t in zip(log.patient[rows].tolist(), log.time[rows].tolist(), strict=False):
                self.start[index[p]] = t

    def admissions(self) -> tuple[np.ndarray, np.ndarray]:
        """(person, time) of every exacerbation that brought an admission."""
        return self.person[self.admission], self.arrive[self.admission]

    def reviews(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(person, due, start, patient) of every review episode, by person then due."""
        keep = np.flatnonzero(~self.admission)
        order = keep[np.lexsort((self.arrive[keep], self.person[keep]))]
        return self.person[order], self.arrive[order], self.start[order], self.patient[order]


# --- B1: the prevalent cohort --------------------------------------------------------

def test_prevalent_cohort_is_binomial_in_each_practice():
    """Each condition's cohort at day 0 is Binomial(list size, prevalence) per practice:
    the sum over replications has the binomial mean, and the spread across
    replications the binomial variance (chi-square test of a variance)."""
    config = _config(horizon=1, prevalence=0.1)
    config["chronic"]["conditions"]["rare"] = dict(
        config["chronic"]["conditions"]["copd"], prevalence=0.005)
    model = _model(config)
    replications = 30
    counts = np.zeros((replications, 2, 2))  # replication, condition, practice
    for r in range(replications):
        table = simulate_replication(model, 21, r).chronic
        assert (table.entered == 0).all() and np.isinf(table.left).all()  # no incidence
        np.add.at(counts[r], (table.condition, table.practice), 1)
    for c, prevalence in enumerate((0.1, 0.005)):
        for practice, size in enumerate(LIST_SIZE.values()):
            _assert_binomial(int(counts[:, c, practice].sum()), replications * size, prevalence,
                             f"condition {c}, practice {practice}")
        totals = counts[:, c, :].sum(axis=1)
        variance = REGISTERED * prevalence * (1 - prevalence)
        ratio = (replications - 1) * totals.var(ddof=1) / variance
        alpha = 1 - LEVEL
        assert stats.chi2.ppf(alpha / 2, replications - 1) < ratio < \
            stats.chi2.ppf(1 - alpha / 2, replications - 1), f"variance, condition {c}"


# --- B2: incidence and leaving -------------------------------------------------------

def test_persons_arrive_by_incidence_and_leave_at_the_stationary_rate():
    """Diagnoses are a Poisson process of rate incidence x registered list, spread over
    practices by list size; every person stays an exponential time of rate
    incidence / prevalence (so the cohort's size is stationary); nobody has an episode
    outside their time in the cohort, and a new person's first review falls due one
    interval after diagnosis."""
    horizon, incidence, prevalence, interval = 730.0, 10.0, 0.02, 365.0
    model = _model(_config(horizon, prevalence=prevalence, incidence_per_1000_per_year=incidence,
                           review_interval_days=interval, admissions_per_year=0.5))
    log = simulate_replication(model, 4, 0)
    table = log.chronic
    new = table.entered > 0
    per_year = REGISTERED * incidence / 1000
    _assert_poisson(int(new.sum()), per_year * horizon / DAYS_PER_YEAR, "new diagnoses")
    _assert_binomial(int((table.practice[new] == 0).sum()), int(new.sum()), 0.75,
                     "diagnoses at the north practice")
    # Given their number, Poisson arrival times are uniform over the horizon.
    assert stats.kstest(table.entered[new] / horizon, "uniform").pvalue > 1 - LEVEL

    leave_per_day = incidence / 1000 / prevalence / DAYS_PER_YEAR
    stay = table.left - table.entered
    # 2 r sum(stay) ~ chi-square with 2n degrees of freedom for n exponential stays.
    statistic, n = 2 * leave_per_day * stay.sum(), len(stay)
    alpha = 1 - LEVEL
    assert stats.chi2.ppf(alpha / 2, 2 * n) < statistic < stats.chi2.ppf(1 - alpha / 2, 2 * n)
    prevalent = ~new
    _assert_binomial(int((table.left[prevalent] < horizon).sum()), int(prevalent.sum()),
                     1 - np.exp(-leave_per_day * horizon), "prevalent persons gone by the horizon")

    episodes = _Episodes(log)
    person = episodes.person
    assert np.all(episodes.arrive >= table.entered[person])
    assert np.all(episodes.arrive < table.left[person])
    # Admissions per person-year in the cohort, with its turnover.
    exposure_days = (np.minimum(table.left, horizon) - table.entered).sum()
    _assert_poisson(int(episodes.admission.sum()), 0.5 * exposure_days / DAYS_PER_YEAR,
                    "admissions")
    # A new person's first review: one interval after diagnosis, if still in the cohort.
    person_r, due, _, _ = episodes.reviews()
    first_due = dict(zip(person_r[::-1].tolist(), due[::-1].tolist(),
                         strict=False))  # earliest wins
    for p in np.flatnonzero(new).tolist():
        expected = table.entered[p] + interval
        if expected < min(table.left[p], horizon):
            assert first_due[p] == pytest.approx(expected, abs=1e-9)
        else:
            assert p not in first_due


# --- B3: review schedules ------------------------------------------------------------

def _weekday_session_opens(t: float) -> float:
    """The first moment at or after t when a weekday 09:00-17:00 clinic is open."""
    day = np.floor(t)
    if day % 7 < 5 and 9 / 24 <= t - day < 17 / 24:
        return t
    day = day if t - day < 9 / 24 else day + 1
    while day % 7 >= 5:
        day += 1
    return day + 9 / 24


def test_reviews_fall_due_an_interval_after_the_last_one_fell_due():
    """A clinic with weekday sessions and a random handoff delay from the practice, so
    that a review starts after it falls due: each review starts at the first session
    after due + handoff delay, the next one falls due exactly 90 days after the last
    one fell due (not after it started: the schedule does not drift), and the first due
    dates are uniform over one interval. (This test used to expect last start + 90, the
    old rule.) A review starts at most 3 days + a weekend after it falls due, far less
    than 90, so the next due date is never past when it is set: every review's episode
    arrives on its due date."""
    interval, horizon = 90.0, 400.0
    config = _config(horizon, review_interval_days=interval)
    config["resources"]["clinic"]["calendar"] = "weekdays"
    config["handoff"] = {"between_organisations": {
        "delay_days": {"dist": "uniform", "low": 0.0, "high": 3.0}}}
    log = simulate_replication(_model(config), 6, 0)
    episodes = _Episodes(log)
    person, due, start, patient = episodes.reviews()
    n_persons = len(log.chronic.person)
    assert set(person.tolist()) == set(range(n_persons))

    review = log.chronic.conditions[0].review_stage
    handoffs = log.handoffs
    into_review = handoffs.to_stage == review
    delay = dict(zip(handoffs.patient[into_review].tolist(),
                     handoffs.delay_days[into_review].tolist(), strict=False))
    started = ~np.isnan(start)
    for p, d, s in zip(patient[started].tolist(), due[started].tolist(), start[started].tolist(),
                       strict=False):
        assert s == pytest.approx(_weekday_session_opens(d + delay[p]), abs=1e-9)
    for p, d in zip(patient[~started].tolist(), due[~started].tolist(), strict=False):
        assert _weekday_session_opens(d + delay[p]) >= horizon  # not started: too late

    first = np.r_[True, person[1:] != person[:-1]]
    same = ~first
    np.testing.assert_allclose(due[same], due[np.flatnonzero(same) - 1] + interval, atol=1e-9)
    assert np.all(start[np.flatnonzero(same) - 1] > due[np.flatnonzero(same) - 1])  # all late
    # No review falls due and goes missing: after each person's last one, the next is due
    # beyond the horizon.
    last = np.r_[person[1:] != person[:-1], True] & started
    assert np.all(due[last] + interval >= horizon)
    assert stats.kstest(due[first] / interval, "uniform").pvalue > 1 - LEVEL
    assert due[first].max() < interval


# --- B4: exacerbations ---------------------------------------------------------------

def _admission_count(config: dict, seed: int = 8) -> tuple[int, int, object]:
    log = simulate_replication(_model(config), seed, 0)
    return int(log.chronic.episode_admission.sum()), len(log.chronic.person), log


def test_exacerbations_are_poisson_at_the_configured_rate():
    """No overdue effect (step and per_week 1), no season, no case management: each
    person is admitted at admissions_per_year, so the count over N persons and two
    years is Poisson(N x 2 x rate); inter-admission gaps of a person are exponential."""
    rate, horizon = 0.3, 730.0
    count, persons, log = _admission_count(_config(horizon, prevalence=0.05,
                                                   admissions_per_year=rate))
    _assert_poisson(count, persons * rate * horizon / DAYS_PER_YEAR, "admissions")
    # Each person's number of admissions is Poisson(2 x rate) (not, say, evenly spread):
    # counts 0, 1, 2, 3 and more against the Poisson probabilities (chi-square).
    per_person = np.bincount(log.chronic.episode_person[log.chronic.episode_admission],
                             minlength=persons)
    observed = np.bincount(np.minimum(per_person, 3), minlength=4)
    mean = rate * horizon / DAYS_PER_YEAR
    p = stats.poisson.pmf(np.arange(3), mean)
    expected = persons * np.r_[p, 1 - p.sum()]
    assert stats.chisquare(observed, expected).pvalue > 1 - LEVEL


def test_case_management_scales_the_rate_and_thins_the_same_exacerbations():
    """Provided case management with multiplier 0.5 halves the rate (Poisson interval),
    and with common random numbers its admissions are a subset of those of the same
    model without it: the candidates are the same, fewer are kept."""
    rate, horizon = 0.6, 730.0
    provided = _config(horizon, prevalence=0.05, admissions_per_year=rate)
    provided["chronic"]["case_management"] = {"provided": True, "rate_multiplier": 0.5}
    without = copy.deepcopy(provided)
    without["chronic"]["case_management"]["provided"] = False
    count, persons, managed_log = _admission_count(provided)
    _assert_poisson(count, persons * 0.5 * rate * horizon / DAYS_PER_YEAR, "managed admissions")
    base_count, _, base_log = _admission_count(without)
    _assert_poisson(base_count, persons * rate * horizon / DAYS_PER_YEAR, "admissions")
    managed = set(zip(*(a.tolist() for a in _Episodes(managed_log).admissions()), strict=False))
    unmanaged = set(zip(*(a.tolist() for a in _Episodes(base_log).admissions()), strict=False))
    assert managed < unmanaged
    # Each unmanaged admission is kept with probability 0.5, independently.
    _assert_binomial(len(managed), len(unmanaged), 0.5, "admissions kept")


def test_what_leaves_the_hazard_alone_leaves_the_admissions_alone():
    """Common random numbers: case management provided with multiplier 1.0, or not
    configured at all, or a far smaller review clinic (reviews late, but overdue
    reviews raise nothing here): the same persons are admitted at the same times."""
    base = _config(365, admissions_per_year=1.0)
    cm_one = copy.deepcopy(base)
    cm_one["chronic"]["case_management"] = {"provided": True, "rate_multiplier": 1.0}
    small_clinic = copy.deepcopy(base)
    small_clinic["resources"]["clinic"]["capacity"] = 1
    small_clinic["pathways"]["review"]["stages"]["review"]["duration"]["value"] = 2.0
    results = []
    for config in (base, cm_one, small_clinic):
        log = simulate_replication(_model(config), 13, 0)
        person, time = _Episodes(log).admissions()
        results.append((person.tolist(), time.tolist()))
    assert len(results[0][0]) > 500
    assert results[1] == results[0]
    assert results[2] == results[0]


def _season_integral(t0: float, t1: float, amplitude: float, peak: float) -> float:
    """Integral over [t0, t1] of 1 + amplitude cos(2 pi (t - peak) / 365)."""
    w = 2 * np.pi / DAYS_PER_YEAR
    return (t1 - t0) + amplitude / w * (np.sin(w * (t1 - peak)) - np.sin(w * (t0 - peak)))


def test_seasonal_exacerbations_follow_the_cosine():
    """winter_peak 0.5 at day 100: admissions in 90-day windows around the peaks and the
    troughs of two years match the integral of the seasonal factor (Poisson
    intervals), and monthly counts fit it (chi-square)."""
    rate, horizon, amplitude, peak = 1.0, 730.0, 0.5, 100.0
    config = _config(horizon, prevalence=0.05, admissions_per_year=rate)
    config["chronic"]["seasonality"] = {"winter_peak": amplitude, "peak_day_of_year": peak}
    count, persons, log = _admission_count(config, seed=2)
    _, time = _Episodes(log).admissions()
    per_day = persons * rate / DAYS_PER_YEAR

    def expected(t0, t1):
        return per_day * _season_integral(t0, t1, amplitude, peak)

    for centre, what in ((peak, "peak"), (peak + DAYS_PER_YEAR / 2, "trough")):
        windows = [(centre + k * DAYS_PER_YEAR - 45, centre + k * DAYS_PER_YEAR + 45)
                   for k in (0, 1)]
        observed = sum(int(((time >= a) & (time < b)).sum()) for a, b in windows)
        _assert_poisson(observed, sum(expected(a, b) for a, b in windows), what)
    edges = np.linspace(0, horizon, 25)
    observed, _ = np.histogram(time, edges)
    means = np.array([expected(a, b) for a, b in itertools.pairwise(edges)])
    assert stats.chisquare(observed, means * observed.sum() / means.sum()).pvalue > 1 - LEVEL
    _assert_poisson(count, expected(0, horizon), "admissions over two years")


# --- B5: overdue reviews -------------------------------------------------------------

def _never_reviewed(horizon: float, interval: float, overdue: dict, rate: float):
    """A review clinic with one clinician whose first review lasts beyond the horizon:
    everyone else's first review stays pending, overdue from due + after_days on.
    Returns those persons' due dates and their admissions (person, time); the one
    person reviewed is left out."""
    config = _config(horizon, review_interval_days=interval, admissions_per_year=rate)
    config["resources"]["clinic"]["capacity"] = 1
    config["pathways"]["review"]["stages"]["review"]["duration"]["value"] = 10 * horizon
    config["chronic"]["overdue"] = overdue
    log = simulate_replication(_model(config), 17, 0)
    episodes = _Episodes(log)
    person, due, start, _ = episodes.reviews()
    reviewed = person[~np.isnan(start)]
    assert len(reviewed) == 1 and len(set(person.tolist())) == len(log.chronic.person)
    pending = person != reviewed[0]  # one review each, never started
    assert len(person[pending]) == len(log.chronic.person) - 1
    admitted, time = episodes.admissions()
    others = admitted != reviewed[0]
    return dict(zip(person[pending].tolist(), due[pending].tolist(),
                    strict=False)), (admitted[others],
                                                                        time[others])


def test_an_overdue_review_steps_the_hazard_up():
    """step 2, per_week 1, cap 4: the rate doubles once a review is 28 days overdue.
    Admissions before and after that point, per person, each match base rate x time
    and 2 x base rate x time."""
    horizon, rate, after = 365.0, 2.0, 28.0
    due, (person, time) = _never_reviewed(
        horizon, 60.0, {"after_days": after, "step": 2.0, "per_week": 1.0, "cap": 4.0}, rate)
    per_day = rate / DAYS_PER_YEAR
    onset = {p: min(d + after, horizon) for p, d in due.items()}
    exposure_before = sum(onset.values())
    exposure_after = sum(horizon - o for o in onset.values())
    overdue = np.array([t >= onset[p] for p, t in zip(person.tolist(), time.tolist(),
                                                      strict=False)])
    _assert_poisson(int((~overdue).sum()), per_day * exposure_before, "before overdue")
    _assert_poisson(int(overdue.sum()), 2 * per_day * exposure_after, "overdue")


def test_an_overdue_review_raises_the_hazard_weekly_up_to_the_cap():
    """step 1, per_week 2, cap 4: x 2^(weeks overdue), capped at 4 after two weeks.
    Three spells per person: [0, due + 28) at 1; 14 days rising from 1 to 4, whose
    integral is 7 / ln 2 x 3 = 30.3 days' worth; and the rest at 4."""
    horizon, rate, after = 365.0, 2.0, 28.0
    due, (person, time) = _never_reviewed(
        horizon, 60.0, {"after_days": after, "step": 1.0, "per_week": 2.0, "cap": 4.0}, rate)
    per_day = rate / DAYS_PER_YEAR
    n = len(due)
    onset = np.array([d + after for d in due.values()])
    assert np.all(onset + 14 < horizon)
    spell = np.zeros(3, dtype=int)
    onset_of = dict(zip(due, onset.tolist(), strict=False))
    for p, t in zip(person.tolist(), time.tolist(), strict=False):
        spell[0 if t < onset_of[p] else 1 if t < onset_of[p] + 14 else 2] += 1
    _assert_poisson(int(spell[0]), per_day * onset.sum(), "before overdue")
    _assert_poisson(int(spell[1]), per_day * n * 7 / np.log(2) * 3, "rising")
    _assert_poisson(int(spell[2]), 4 * per_day * (horizon - onset - 14).sum(), "capped")


# --- B6: queue priorities ------------------------------------------------------------

ELECTIVE = {"referrals_per_1000_per_year": 10,
            "stages": {"outpatient": {"kind": "outpatients",
                                      "duration": {"dist": "fixed", "value": 0.01}}}}


@pytest.mark.parametrize("contract", ["activity", "block", "fifo"])
def test_compiled_priorities_follow_the_contract(contract):
    config = _config()
    config["pathways"]["elective"] = ELECTIVE
    config["chronic"]["contract"] = contract
    model = _model(config)
    priority = {s.name: s.queue_priority for s in model.stages}
    assert priority == {"review.review": REVIEW_PRIORITY[contract],
                        "emergency.admission": EMERGENCY_PRIORITY,
                        "elective.outpatient": 0}
    assert (REVIEW_PRIORITY, EMERGENCY_PRIORITY) == (
        {"activity": 1, "block": -1, "capitated": -1, "fifo": 0}, -2)


class _ScriptedClock:
    def __init__(self, times):
        self.times = list(times)

    def next_block(self) -> np.ndarray:
        block, self.times = np.array([*self.times, np.inf]), []
        return block


ONE_PERSON = """
name,list_size,x_km,y_km,deprivation_quintile
only_practice,1,0,1,3
"""


def _one_person_economy(tmp_path, monkeypatch, config: dict, referrals: list[float]):
    """One practice with one patient (prevalence 1: exactly one person), elective
    referrals at the given times, and every resource open weekdays 09:00-17:00 only,
    so that whoever turns up on Monday before 09:00 (day 0.375) queues."""
    (tmp_path / "practices.csv").write_text(textwrap.dedent(ONE_PERSON).strip() + "\n")
    config["practices"] = {"file": "practices.csv"}
    config["chronic"]["conditions"]["copd"]["prevalence"] = 1.0
    for resource in config["resources"].values():
        resource.update(capacity=1, calendar="weekdays")
    monkeypatch.setattr(simulation, "ArrivalClock", lambda rates, rng, block:
                        _ScriptedClock(referrals))
    return _model(config, tmp_path / "economy.yaml")


@pytest.mark.parametrize("contract", ["activity", "block", "fifo"])
def test_the_contract_orders_a_review_and_an_elective_patient_at_one_clinic(
        contract, tmp_path, monkeypatch):
    """A review falls due on Monday before 09:00 (interval 0.3 days: due in [0, 0.3)),
    an elective patient is referred at 0.2 to the same clinic. At 09:00 the clinic
    sees the elective patient first under `activity`, the review first under `block`,
    and whoever came first under `fifo`."""
    config = _config(0.5, review_interval_days=0.3, admissions_per_year=0.0)
    config["pathways"]["elective"] = ELECTIVE
    config["chronic"]["contract"] = contract
    log = simulate_replication(_one_person_economy(tmp_path, monkeypatch, config, [0.2]), 1, 0)
    names = [s.name for s in log.stages]
    arrive = dict(zip(log.patient[log.event == ARRIVE].tolist(),
                      log.time[log.event == ARRIVE].tolist(), strict=False))
    starts = log.event == START
    order = [(names[s], p) for s, p in zip(log.stage[starts], log.patient[starts],
                                           strict=False)][:2]
    assert sorted(name for name, _ in order) == ["elective.outpatient", "review.review"]
    due = arrive[next(p for name, p in order if name == "review.review")]
    assert 0 <= due < 0.3
    first = {"activity": "elective.outpatient", "block": "review.review",
             "fifo": "review.review" if due < 0.2 else "elective.outpatient"}[contract]
    assert order[0][0] == first
    np.testing.assert_allclose(log.time[starts][:2], [0.375, 0.385], atol=1e-9)


def test_emergency_admissions_are_served_before_elective_patients(tmp_path, monkeypatch):
    """One ward bed, open from Monday 09:00; elective patients referred to it at 0.1, 0.2
    and 0.3, and one person with 10 exacerbations a day. No elective patient may start
    while an emergency patient is waiting (priority -2 against 0)."""
    config = _config(1.0, admissions_per_year=3650.0, review_interval_days=100.0)
    config["pathways"]["elective"] = {
        "referrals_per_1000_per_year": 10,
        "stages": {"admit": {"kind": "beds", "duration": {"dist": "fixed", "value": 0.01}}}}
    config["pathways"]["emergency"]["stages"]["admission"]["duration"] = {
        "dist": "fixed", "value": 0.02}
    log = simulate_replication(
        _one_person_economy(tmp_path, monkeypatch, config, [0.1, 0.2, 0.3]), 4, 0)
    names = [s.name for s in log.stages]
    emergency, elective = names.index("emergency.admission"), names.index("elective.admit")
    queued = log.event == QUEUE
    started = log.event == START
    joined = dict(zip(zip(log.patient[queued].tolist(), log.stage[queued].tolist(), strict=False),
                      log.time[queued].tolist(), strict=False))
    begun = {(p, s): t for p, s, t in zip(log.patient[started].tolist(),
                                          log.stage[started].tolist(), log.time[started].tolist(),
                                          strict=False)}
    waits = [(joined[key], begun.get(key, np.inf)) for key in joined if key[1] == emergency]
    elective_starts = [t for (p, s), t in begun.items() if s == elective]
    assert len(elective_starts) == 3
    assert sum(j < 0.375 for j, _ in waits) >= 2  # emergencies queued before the ward opened
    for t in elective_starts:
        assert not any(j < t < b for j, b in waits), f"an emergency waited at {t}"
    assert min(elective_starts) > 0.375


# --- B7: where an emergency goes ---------------------------------------------------

def _two_hospitals(horizon: float = 200.0) -> dict:
    """A trust near each practice (north at y = 8 km, south at y = -8 km); handoffs
    between organisations take 2 days."""
    config = _config(horizon, admissions_per_year=1.0, review_interval_days=60.0)
    config["organisations"] = {
        name: {"type": "acute", "sites": {"hospital": {"x_km": 0, "y_km": y}}}
        for name, y in (("north", 8), ("south", -8))}
    config["resources"] = {
        f"{org}_{what}": {"organisation": org, "site": "hospital", "kind": kind, "capacity": 500}
        for org in ("north", "south") for what, kind in (("clinic", "outpatients"),
                                                        ("ward", "beds"))}
    config["handoff"] = {"between_organisations": {"delay_days": 2.0}}
    return config


def test_an_emergency_goes_straight_into_the_nearest_ward():
    """Each admission starts in the ward of the hospital nearest the person's practice,
    the instant the exacerbation happens (no handoff from the practice, though
    handoffs between organisations take 2 days), and its only handoff is the discharge
    back to the practice. Reviews, by contrast, are referred: 2 days later, nearest
    clinic."""
    log = simulate_replication(_model(_two_hospitals()), 5, 0)
    resources = [r.name for r in log.resources]
    episodes = _Episodes(log)
    table = log.chronic
    practice = table.practice[episodes.person]
    near = np.array(["north", "south"])[practice]  # practice 0 is north, 1 south
    admitted = episodes.admission
    assert admitted.sum() > 50 and (~admitted).sum() > 500
    assert set(practice[admitted].tolist()) == {0, 1}

    first_start = {}
    for i in np.flatnonzero((log.event == START) & (log.stage >= 0)):
        first_start.setdefault(int(log.patient[i]), (float(log.time[i]),
                                                     resources[log.resource[i]]))
    queued = {}
    for i in np.flatnonzero(log.event == QUEUE):
        queued.setdefault(int(log.patient[i]), float(log.time[i]))
    for i in np.flatnonzero(admitted):
        p = int(episodes.patient[i])
        time, resource = first_start[p]
        assert resource == f"{near[i]}_ward"
        assert time == episodes.arrive[i] == queued[p]
    for i in np.flatnonzero(~admitted & ~np.isnan(episodes.start)):
        time, resource = first_start[int(episodes.patient[i])]
        assert resource == f"{near[i]}_clinic"
        assert time == pytest.approx(episodes.arrive[i] + 2.0, abs=1e-9)

    handoffs = log.handoffs
    exits = dict(zip(log.patient[log.event == EXIT].tolist(), log.time[log.event == EXIT].tolist(),
                     strict=False))
    admission_patients = set(episodes.patient[admitted].tolist())
    mine = np.array([p in admission_patients for p in handoffs.patient.tolist()])
    assert mine.any()
    assert (handoffs.to_stage[mine] == -1).all()  # discharges only
    np.testing.assert_array_equal(handoffs.time[mine],
                                  [exits[p] for p in handoffs.patient[mine].tolist()])


def test_an_emergency_whose_pathway_starts_with_a_delay_still_skips_the_handoff():
    config = _two_hospitals(100.0)
    config["pathways"]["emergency"]["stages"] = {
        "ambulance": {"duration": {"dist": "fixed", "value": 0.05}, "next": "admission"},
        **config["pathways"]["emergency"]["stages"]}
    log = simulate_replication(_model(config), 5, 0)
    episodes = _Episodes(log)
    admitted = episodes.admission & ~np.isnan(episodes.start)
    assert admitted.sum() > 20
    np.testing.assert_allclose(episodes.start[admitted], episodes.arrive[admitted] + 0.05,
                               atol=1e-9)


def test_the_need_gradient_scales_each_quintiles_prevalence_and_diagnoses():
    """North (quintile 1, 30,000) at twice the base prevalence and incidence, south
    (quintile 5, 10,000) at the base: cohorts binomial per practice, diagnoses Poisson
    over the need-weighted list, 60,000 : 10,000 between the two."""
    config = _config(incidence_per_1000_per_year=5.0)
    config["need"] = {"prevalence_multiplier_by_quintile": [2, 1, 1, 1, 1]}
    table = simulate_replication(_model(config), 3, 0).chronic
    prevalent, north = table.entered == 0, table.practice == 0
    _assert_binomial(int((prevalent & north).sum()), 30_000, 0.04, "north prevalent")
    _assert_binomial(int((prevalent & ~north).sum()), 10_000, 0.02, "south prevalent")
    new = ~prevalent
    _assert_poisson(int(new.sum()), 70_000 / 1000 * 5.0 / DAYS_PER_YEAR * 730, "diagnoses")
    _assert_binomial(int((new & north).sum()), int(new.sum()), 6 / 7, "diagnoses at north")


def test_a_conditions_own_gradient_replaces_the_need_gradient_for_it():
    """need says twice the prevalence in quintile 1; COPD's own gradient says the
    same everywhere, so north and south hold COPD in proportion to their lists."""
    config = _config(prevalence_multiplier_by_quintile=[1, 1, 1, 1, 1])
    config["need"] = {"prevalence_multiplier_by_quintile": [2, 1, 1, 1, 1]}
    table = simulate_replication(_model(config), 3, 0).chronic
    prevalent, north = table.entered == 0, table.practice == 0
    _assert_binomial(int((prevalent & north).sum()), 30_000, 0.02, "north prevalent")
    _assert_binomial(int((prevalent & ~north).sum()), 10_000, 0.02, "south prevalent")


def test_a_need_gradient_that_puts_more_than_everyone_in_a_cohort_is_refused():
    config = _config()
    config["need"] = {"prevalence_multiplier_by_quintile": [60, 1, 1, 1, 1]}
    with pytest.raises(ConfigError, match="more than everyone on a list"):
        _model(config)
