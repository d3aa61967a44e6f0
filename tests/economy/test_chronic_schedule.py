"""Review schedules under pressure: a person's reviews fall due every interval after
the previous due date, however late they start, so a clinic that cannot keep up shows
overdue reviews piling up rather than a schedule that quietly stretches.

The hand-worked traces have one person (prevalence 1 on a one-patient list) and a
clinic of one server, always open, kept busy by elective patients all referred at day 0
(durations fixed, reviews take no time and go first under the `block` contract), so
every review starts at the end of the elective patient in service when it falls due.
"""

import dataclasses
import math
import textwrap

import numpy as np
import pytest

from pathways.engine import simulate_replication, simulation
from pathways.metrics.chronic import chronic_kpis
from tests.economy.test_chronic_mechanisms import (
    ELECTIVE,
    ONE_PERSON,
    _config,
    _Episodes,
    _model,
    _ScriptedClock,
)

INTERVAL = 100.0


def _one_person_behind_electives(tmp_path, monkeypatch, horizon: float, elective_days: float,
                                 electives: int):
    """The one person, interval 100 days, behind ``electives`` elective patients of
    ``elective_days`` each at a clinic of one server."""
    (tmp_path / "practices.csv").write_text(textwrap.dedent(ONE_PERSON).strip() + "\n")
    config = _config(horizon, prevalence=1.0, review_interval_days=INTERVAL,
                     admissions_per_year=0.0)
    config["practices"] = {"file": "practices.csv"}
    config["resources"]["clinic"]["capacity"] = 1
    config["pathways"]["review"]["stages"]["review"]["duration"]["value"] = 0.0
    config["pathways"]["elective"] = {**ELECTIVE, "stages": {"outpatient": {
        "kind": "outpatients", "duration": {"dist": "fixed", "value": elective_days}}}}
    config["chronic"]["contract"] = "block"
    monkeypatch.setattr(simulation, "ArrivalClock", lambda rates, rng, block:
                        _ScriptedClock([0.0] * electives))
    return _model(config, tmp_path / "economy.yaml")


class _Recording(simulation.ChronicCohort):
    """The cohort, noting (time, person 0's next due date) whenever a review starts; the
    hazard reads that date, which the log does not keep."""

    last: "_Recording"  # the cohort of the latest replication

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_due: list[tuple[float, float]] = []
        _Recording.last = self

    def reviewed(self, patient: int, now: float) -> None:
        super().reviewed(patient, now)
        self.set_due.append((now, self.due[0]))


def test_a_congested_clinic_delays_reviews_but_not_their_due_dates(tmp_path, monkeypatch):
    """Elective patients of 50 days each, back to back: the clinic frees up only at
    days 50, 100, 150, ... The review due at d0 (uniform in [0, 100)) starts at
    b = 50 ceil(d0 / 50), the end of the elective patient then in service; the next falls
    due at d0 + 100 and, by the same token, starts at b + 100; and so on. Due dates:
    d0, d0 + 100, d0 + 200, d0 + 300 (and d0 + 400 if before the horizon 450), each
    review starting b - d0 late. The old rule (due = last start + 100) would have made
    them d0, b + 100, b + 200, ..."""
    model = _one_person_behind_electives(tmp_path, monkeypatch, 450.0, 50.0, 10)
    person, due, start, _ = _Episodes(simulate_replication(model, 3, 0)).reviews()
    d0 = due[0]
    boundary = 50.0 * math.ceil(d0 / 50.0)
    assert 0 <= d0 < INTERVAL and boundary - d0 > 1.0  # late by more than a day
    k = np.arange(math.ceil((450.0 - d0) / INTERVAL))
    assert (person == 0).all()
    np.testing.assert_allclose(due, d0 + INTERVAL * k, atol=1e-9)
    started = ~np.isnan(start)
    np.testing.assert_allclose(start[started], (boundary + INTERVAL * k)[started], atol=1e-9)
    assert started.sum() >= len(k) - 1  # only a review due after 400 may still be waiting


@pytest.mark.parametrize("seed", [3, 5])  # d0 = 92.7 and 38.1
def test_a_review_started_after_the_next_due_date_puts_the_next_in_hand_at_once(
        seed, tmp_path, monkeypatch):
    """Elective patients of 250 days: the clinic frees up only at days 250 and 500 (then
    750, past the horizon 600), and does every review due by then at once. So review k,
    due at d0 + 100 k, starts at the first of 250 and 500 not before that date. One
    review is in hand at a time: review k's episode arrives at its due date or, where
    that had passed when review k - 1 started, at that start (due at once). When review
    k starts, the person's due date becomes d0 + 100 (k + 1), however late it is: the
    review due at d0 + 100 has its episode arrive at 250, carrying a due date
    150 - d0 days overdue."""
    monkeypatch.setattr(simulation, "ChronicCohort", _Recording)
    model = _one_person_behind_electives(tmp_path, monkeypatch, 600.0, 250.0, 3)
    _, arrive, start, _ = _Episodes(simulate_replication(model, seed, 0)).reviews()
    d0 = arrive[0]
    due = d0 + INTERVAL * np.arange(len(arrive))
    frees = np.array([250.0, 500.0])
    expected_start = np.array([frees[frees >= d][0] if d <= frees[-1] else np.nan for d in due])
    assert len(arrive) == math.ceil((600.0 - d0) / INTERVAL)  # one episode per due date
    np.testing.assert_allclose(start, expected_start, atol=1e-9)
    np.testing.assert_allclose(arrive[1:], np.maximum(due[1:], expected_start[:-1]), atol=1e-9)
    assert arrive[1] == 250.0  # due at d0 + 100, in hand only when review 0 started
    set_due = np.array(_Recording.last.set_due)
    started = ~np.isnan(expected_start)
    np.testing.assert_allclose(set_due[:, 0], expected_start[started], atol=1e-9)
    np.testing.assert_allclose(set_due[:, 1], due[started] + INTERVAL, atol=1e-9)


# --- the overdue share responds to load ------------------------------------------------

GRACE = 30.0
WINDOWS = ((0.0, 100.0), (100.0, 200.0), (200.0, 300.0), (300.0, 400.0))


def _overdue_share_by_window(load: float) -> list[float]:
    """reviews_overdue_share of reviews falling due in each window, at a clinic of one
    server that takes load x 100 / 800 days a review: about 800 persons (2% of 40,000)
    each due every 100 days make the given load."""
    config = _config(400.0 + GRACE, review_interval_days=INTERVAL, admissions_per_year=0.0)
    config["resources"]["clinic"]["capacity"] = 1
    config["pathways"]["review"]["stages"]["review"]["duration"]["value"] = load * INTERVAL / 800
    config["chronic"]["overdue"] = {"after_days": GRACE}
    log = simulate_replication(_model(config), 9, 0)
    shares = []
    for lo, hi in WINDOWS:
        kpis = chronic_kpis(dataclasses.replace(log, warmup_days=lo, horizon_days=hi + GRACE))
        shares.append(kpis[(kpis.stage == "") & (kpis.metric == "reviews_overdue_share")]
                      .value.item())
    return shares


def test_an_overloaded_clinic_shows_overdue_reviews_piling_up():
    """Load 1.2 against 0.8. With due dates on a fixed schedule, the backlog at load 1.2
    grows by 0.2 days of waiting a day: reviews falling due after about day 150 wait
    longer than the 30 days' grace, so the overdue share climbs window by window towards
    1. Under the old rule (due = last start + 100) the cohort would slow down to the
    clinic's pace instead: every review waits about (1.2 - 1) x 100 = 20 days, under the
    grace, and the share stays flat near 0. At load 0.8 nothing is overdue."""
    over, under = _overdue_share_by_window(1.2), _overdue_share_by_window(0.8)
    assert under == [0.0] * len(WINDOWS), under
    assert over[0] < 0.05, over
    assert np.all(np.diff(over) >= 0), over
    assert over[-1] > 0.9, over
