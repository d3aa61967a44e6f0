"""Managed waiting lists on one bookable clinic, against the fluid and queueing
arithmetic that says what each mechanism must do.

One practice of 100,000 refers 10 patients a day to one trust's clinic, which books
five weekday sessions; at load 1.05 the sessions offer 10 / 1.05 slots a day. With
nothing managing the list it grows at the excess, 10 - 10 / 1.05 = 0.476 patients a
day; each management mechanism must hold it.
"""

import math
import textwrap

import numpy as np
import pytest

from pathways.config import load_config
from pathways.config.overrides import configure
from pathways.engine import simulate_replication
from pathways.engine.economy_rules import EconomyRules
from pathways.log import QUEUE, START
from pathways.metrics import kpis
from pathways.metrics.rtt import incomplete_snapshots
from pathways.model.compile import compile_config

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
practice,100000,0,0,3
"""
REFERRALS_PER_DAY = 10.0
SESSIONS_PER_WEEK = 5
CLINIC = """
name: one-clinic
horizon_days: HORIZON
warmup_days: 100
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 1, y_km: 0}}}
calendars:
  clinic_days: {sessions: [{days: [weekdays], start: "09:00", end: "17:00"}]}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 1,
           calendar: clinic_days, slots_per_session: SLOTS}
pathways:
  clinic:
    referrals_per_1000_per_year: 36.5      # 100,000 registered -> 10 a day
    stages:
      appointment: {kind: outpatients, duration: {dist: fixed, value: 0.01},
                    rtt_stop: non_admitted}
"""


def slots_at(load: float) -> float:
    return REFERRALS_PER_DAY * 7 / SESSIONS_PER_WEEK / load


@pytest.fixture
def clinic_model(tmp_path):
    """clinic_model(load, horizon, **values) -> the compiled one-clinic economy at that
    load, with `values` (waiting_list paths, or capacity_multiplier.outpatients) set."""
    (tmp_path / "practices.csv").write_text(textwrap.dedent(PRACTICES).strip() + "\n")

    def build(load: float = 1.05, horizon: int = 1500, **values):
        path = tmp_path / "clinic.yaml"
        path.write_text(CLINIC.replace("SLOTS", f"{slots_at(load):.6f}")
                        .replace("HORIZON", str(horizon)))
        config = load_config(path).config
        if values:
            config = configure(config, {(k if "." in k and k.startswith("capacity") else
                                         f"waiting_list.{k}"): v for k, v in values.items()})
        return compile_config(config)
    return build


def list_sizes(log, every: float = 25.0) -> tuple[np.ndarray, np.ndarray]:
    """(times, RTT incomplete pathways) every `every` days from day 0."""
    snaps = incomplete_snapshots(log, every_days=every, from_days=0.0)
    return snaps.time_days.to_numpy(), snaps.waiting_list.to_numpy()


def slope_per_day(times, sizes, after: float) -> float:
    keep = times >= after
    return float(np.polyfit(times[keep], sizes[keep], 1)[0])


def test_a_pure_queue_over_capacity_grows_at_the_excess_demand(clinic_model):
    """Four replications: Poisson referrals make one list's slope uncertain by about
    sqrt(10 / 1300) = 0.09 a day; the mean of four by 0.044 (three of those: 0.13)."""
    model = clinic_model()
    slopes = [slope_per_day(*list_sizes(simulate_replication(model, 1, r)), after=200)
              for r in range(4)]
    excess = REFERRALS_PER_DAY - REFERRALS_PER_DAY / 1.05
    assert np.mean(slopes) == pytest.approx(excess, abs=0.13)


SUPPLY = {"supply.max_extra_share": 0.2, "supply.trigger_wait_weeks": 2.0,
          "supply.cap_wait_weeks": 6.0, "supply.delay_days": 28.0}


def test_added_sessions_hold_the_list_at_load_105(clinic_model):
    log = simulate_replication(clinic_model(**SUPPLY), 1, 0)
    times, sizes = list_sizes(log)
    assert abs(slope_per_day(times, sizes, after=700)) < 0.05  # flat, not 0.476 a day
    # The list settles where the added share covers the excess: 5% of slots needs a
    # quarter of the response (0.05 / 0.2), so an expected wait a quarter of the way
    # from the trigger (14 days) to the cap (42 days): 21 days of slots.
    slots_per_day = REFERRALS_PER_DAY / 1.05
    settled = np.mean(sizes[times >= 700]) / slots_per_day
    assert 14 < settled < 28
    share = log.sessions.extra_share[log.sessions.time >= 700]
    assert 0.02 < np.mean(share) < 0.08  # about the 0.05 it must add


def test_added_sessions_never_pass_their_cap_and_start_after_the_delay(clinic_model):
    log = simulate_replication(clinic_model(load=1.5, horizon=600, **SUPPLY), 1, 0)
    sessions = log.sessions
    assert sessions.extra_share.max() == pytest.approx(0.2)  # saturated at the cap
    assert (sessions.extra_share <= 0.2 + 1e-12).all()
    # The list passes the trigger (14 days of slots) only once it has grown for
    # 14 x slots a day / excess a day; nothing can be added before that plus the delay.
    slots_per_day = REFERRALS_PER_DAY / 1.5
    passes_trigger = 14 * slots_per_day / (REFERRALS_PER_DAY - slots_per_day)
    first_added = sessions.time[sessions.extra_share > 0].min()
    assert first_added >= 28 + 0.8 * passes_trigger
    # Saturated, sessions offer 1.2 x their slots on average (fractions carried over).
    saturated = np.isclose(sessions.extra_share, 0.2)
    offered = sessions.offered[saturated].mean()
    assert offered == pytest.approx(1.2 * slots_at(1.5), abs=0.05)


def test_referrals_fall_to_where_the_wait_balances_demand_and_capacity(clinic_model):
    """With only demand elasticity e and reference wait w0, the list settles where
    referrals x (w / w0) ** e equal the slots: w = w0 x load ** (-1 / e)."""
    elasticity, reference_weeks = -0.5, 2.0
    log = simulate_replication(clinic_model(**{"demand.elasticity": elasticity,
                                                "demand.reference_wait_weeks": reference_weeks}),
                               1, 0)
    times, sizes = list_sizes(log)
    assert abs(slope_per_day(times, sizes, after=700)) < 0.08
    expected_weeks = reference_weeks * 1.05 ** (-1 / elasticity)
    waited = kpis(log)
    median = waited[(waited.stage == "") & (waited.metric == "rtt_non_admitted_median_weeks")]
    assert float(median.value.iloc[0]) == pytest.approx(expected_weeks, rel=0.25)


def test_the_gp_refers_with_probability_wait_ratio_to_the_elasticity(clinic_model):
    model = clinic_model(**{"demand.elasticity": -0.2, "demand.reference_wait_weeks": 4.0})
    rules = EconomyRules(model, 0, 0)
    stage = model.economy.pathway_choice_stage[0]
    rules.published.times = [0.0]
    rules.published.snapshots[stage] = [np.full(len(model.economy.sites), 12 * 7.0)]
    draws = np.random.default_rng(5).random(20000)
    referred = np.mean([rules._referred(0, stage, d, 100.0) for d in draws])
    expected = 3.0 ** -0.2  # 12 weeks against a reference of 4
    assert referred == pytest.approx(expected, abs=4 * math.sqrt(expected * (1 - expected)
                                                                  / len(draws)))
    rules.published.snapshots[stage] = [np.full(len(model.economy.sites), 3 * 7.0)]
    assert all(rules._referred(0, stage, d, 100.0) for d in draws[:200])  # below reference


def test_removals_leave_at_the_monthly_rate_and_are_not_completed(clinic_model):
    """A list that is never served: every referral is removed after an exponential
    time of mean 30.44 / rate days (found at the next daily look, half a day later on
    average)."""
    rate = 0.5
    model = clinic_model(load=1e7, horizon=400, **{"removals.monthly_rate": rate})
    log = simulate_replication(model, 1, 0)
    removals = log.removals
    arrived = dict(zip(log.patient[log.event == 0].tolist(), log.time[log.event == 0],
                       strict=False))
    served = set(log.patient[log.event == START].tolist())
    waited = np.array([t - arrived[p] for p, t in zip(removals.patient, removals.time, strict=False)
                       if p not in served and arrived[p] < 200])
    expected = 30.44 / rate + 0.5
    half_width = 4 * waited.std() / math.sqrt(len(waited))
    assert abs(waited.mean() - expected) < half_width
    rows = kpis(log)
    system = rows[rows.stage == ""].set_index("metric").value
    assert system["rtt_removed_share"] > 0.9  # almost every clock ends by removal
    assert math.isnan(system["rtt_non_admitted_median_weeks"])  # removals never complete


def test_missed_appointments_lose_the_slot_and_go_back_on_the_list(clinic_model):
    share = 0.2
    log = simulate_replication(clinic_model(load=0.8, horizon=400,
                                            did_not_attend_share=share), 1, 0)
    missed = len(log.missed.patient)
    started = np.count_nonzero(log.event == START)
    observed = missed / (missed + started)
    n = missed + started
    assert abs(observed - share) < 4 * math.sqrt(share * (1 - share) / n)
    # everyone who missed was seen later (the load leaves room), after the missed slot
    first_start = {p: t for p, t in zip(log.patient[log.event == START][::-1],
                                        log.time[log.event == START][::-1], strict=False)}
    late = [p for p, t in zip(log.missed.patient, log.missed.time, strict=False) if t < 300]
    assert all(first_start[p] > t for p, t in zip(log.missed.patient, log.missed.time, strict=False)
               if p in late and p in first_start)
    assert sum(p in first_start for p in late) > 0.95 * len(late)


def test_in_turn_booking_serves_the_list_in_order_and_out_of_turn_does_not(clinic_model):
    def order_kept(share: float) -> bool:
        log = simulate_replication(clinic_model(load=0.98, horizon=400,
                                                booked_in_turn_share=share), 1, 0)
        queued = dict(zip(log.patient[log.event == QUEUE], log.time[log.event == QUEUE],
                          strict=False))
        starts = log.patient[log.event == START]
        joined = np.array([queued[p] for p in starts])
        return bool(np.all(np.diff(joined) >= 0))
    assert order_kept(1.0)
    assert not order_kept(0.5)


def test_a_capacity_multiplier_means_that_many_more_slots(clinic_model):
    base = simulate_replication(clinic_model(load=0.9, horizon=300), 1, 0).sessions
    more = simulate_replication(clinic_model(load=0.9, horizon=300, **{
        "capacity_multiplier.outpatients": 1.1}), 1, 0).sessions
    # fractions of a slot carry over, so the totals differ by under a slot
    assert more.offered.sum() - 1.1 * base.offered.sum() == pytest.approx(0, abs=1.0)
