"""The Patient Choice rule: past a threshold, patients are offered faster providers.

A busy clinic near the practice (one server, near saturation: waits of weeks) and a quiet
one a little further away. Almost everyone is referred to the near one. With the
rule on, patients still waiting after a week are offered the quiet clinic and
some move, each move a handoff between the two organisations; the busy clinic's
waits fall.
"""

import numpy as np
from scipy import stats

from pathways.engine import simulate_replication
from pathways.log import QUEUE, START
from pathways.metrics import kpis
from pathways.metrics.choice import OFFER_METRICS

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
near_practice,100000,0,0,2
"""
BUSY_AND_QUIET = """
name: NAME
horizon_days: 1500
warmup_days: 300
practices: {file: practices.csv}
organisations:
  busy_trust: {type: acute, sites: {busy: {x_km: 1, y_km: 0}}}
  quiet_trust: {type: acute, sites: {quiet: {x_km: -10, y_km: 0}}}
resources:
  busy_clinic: {organisation: busy_trust, site: busy, kind: outpatients, capacity: 1}
  quiet_clinic: {organisation: quiet_trust, site: quiet, kind: outpatients, capacity: 1}
pathways:
  clinic:
    referrals_per_1000_per_year: 4.2    # 1.15 a day
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.9},
                    rtt_stop: non_admitted}
allocation: {policy: choice}
choice: {wait_weeks: -0.1}
published_wait: {information_lag_days: 7}
RULE
"""


def _run(economy, rule: str, replication: int):
    name = "rule" if rule else "no_rule"
    text = BUSY_AND_QUIET.replace("NAME", name).replace("RULE", rule)
    return simulate_replication(economy(text, PRACTICES, f"{name}.yaml"), 13, replication)


def _busy_wait(log) -> float:
    table = kpis(log).set_index(["stage", "metric"])["value"]
    return table[("resource:busy_clinic", "wait_mean")]


def test_patients_offered_a_faster_provider_move_and_the_busy_list_shortens(economy):
    rule = "patient_choice: {threshold_weeks: 1, margin_weeks: 0}"
    with_rule = [_run(economy, rule, r) for r in range(5)]
    without = [_run(economy, "", r) for r in range(5)]
    log = with_rule[0]
    moves = (log.handoffs.from_organisation == 0) & (log.handoffs.to_organisation == 1)
    assert moves.sum() > 20, "some patients should take the offer"
    assert np.all(log.handoffs.to_stage[moves] == 0)
    # each moved patient is queued once, seen once: the move keeps their place in time
    appointment = log.stage == 0
    queued, started = log.patient[appointment & (log.event == QUEUE)], \
        log.patient[appointment & (log.event == START)]
    assert len(np.unique(queued)) == len(queued)
    assert set(started) <= set(queued)
    difference = np.array([_busy_wait(a) - _busy_wait(b) for a, b in zip(with_rule, without,
                                                                         strict=False)])
    high = difference.mean() + stats.t.ppf(0.975, 4) * stats.sem(difference)
    assert high < 0, f"busy clinic wait change {difference.mean():.2f} days"


def test_patients_sent_to_the_nearest_are_offered_too(economy):
    """The rule came before choice at referral: a GP's referral to the nearest
    provider is no bar to an offer at the threshold."""
    text = (BUSY_AND_QUIET.replace("NAME", "nearest").replace("policy: choice", "policy: nearest")
            .replace("RULE", "patient_choice: {threshold_weeks: 1, margin_weeks: 0}"))
    log = simulate_replication(economy(text, PRACTICES), 13, 0)
    assert np.all(log.patients.referred_site == 0)
    assert np.sum((log.handoffs.from_organisation == 0) & (log.handoffs.to_organisation == 1)) > 20


def test_under_a_pooled_list_the_rule_offers_nothing(economy):
    text = (BUSY_AND_QUIET.replace("NAME", "pooled").replace("policy: choice", "policy: pooled")
            .replace("RULE", "patient_choice: {threshold_weeks: 1, margin_weeks: 0}"))
    log = simulate_replication(economy(text, PRACTICES), 13, 0)
    assert log.offers is None
    assert not np.any((log.handoffs.from_organisation == 0) & (log.handoffs.to_organisation == 1))


def _seen_wait_weeks(log, site: int, when: float, lag_days: float) -> float:
    """The published wait of ``site`` that a patient saw at ``when``."""
    published = log.published
    rows = (published.site == site) & (published.time <= when - lag_days)
    return published.wait_days[rows][-1] / 7 if rows.any() else 0.0


def test_offers_go_only_to_providers_shorter_by_the_margin(economy):
    text = BUSY_AND_QUIET.replace("NAME", "margin").replace(
        "RULE", "patient_choice: {threshold_weeks: 1, margin_weeks: 1.5}")
    log = simulate_replication(economy(text, PRACTICES, "margin.yaml"), 13, 0)
    offers = log.offers
    assert len(offers.patient) > 20
    for when, site, other in zip(offers.time, offers.from_site, 1 - offers.from_site, strict=False):
        gap = _seen_wait_weeks(log, site, when, 7) - _seen_wait_weeks(log, other, when, 7)
        assert gap >= 1.5, f"offered a provider only {gap:.2f} weeks shorter"
    text = (text.replace("margin_weeks: 1.5", "margin_weeks: 52")
            .replace("name: margin", "name: wide"))
    log = simulate_replication(economy(text, PRACTICES, "wide.yaml"), 13, 0)
    assert len(log.offers.patient) == 0


def test_offers_are_counted_and_both_groups_waits_reported(economy):
    log = _run(economy, "patient_choice: {threshold_weeks: 1, margin_weeks: 0}", 0)
    table = kpis(log).set_index(["stage", "metric"])["value"]
    offers = log.offers
    inside = offers.time >= log.warmup_days
    years = (log.horizon_days - log.warmup_days) / 365
    assert table[("", "choice_offers_per_year")] == inside.sum() / years
    moved = offers.to_site != offers.from_site
    assert 0 < table[("", "choice_offer_moved_share")] == moved[inside].mean() < 1
    # both groups waited at least the threshold; the movers, to an idle clinic, less
    moved_weeks, stayed_weeks = (table[("", m)] for m in OFFER_METRICS[2:])
    assert 1.0 - 1e-9 <= moved_weeks < stayed_weeks
    no_rule = kpis(_run(economy, "", 0))
    assert not no_rule.metric.isin(OFFER_METRICS).any()


def test_a_patient_who_moves_counts_in_the_new_providers_published_wait(economy):
    """Each publication's `seen` at a site is the first appointments started there in
    the window, the movers' included (their wait runs from referral)."""
    log = _run(economy, "patient_choice: {threshold_weeks: 1, margin_weeks: 0}", 0)
    published = log.published
    started = (log.event == START) & (log.stage == 0)
    window = 28.0  # the default window_days
    quiet = published.site == 1
    moved = log.offers.to_site[log.offers.to_site != log.offers.from_site]
    assert np.sum(moved == 1) > 20
    for t, seen in zip(published.time[quiet], published.seen[quiet], strict=False):
        at_quiet = started & (log.resource == 1) & (log.time > t - window) & (log.time <= t)
        assert seen == np.sum(at_quiet)
