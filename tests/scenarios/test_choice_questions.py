"""Seed questions about choice: does it shorten waits only where there is spare
capacity, does the Patient Choice rule, and what does it do to equity?

Making it happen (2008) says choice depends critically on some spare capacity;
Future directions for PCTs (2003) raises the equity concerns of a consumer-led system.

Two providers, each with a bookable clinic of 60 slots a week (two sessions of 30), and
two practices, one beside each. Nearest allocation sends each practice to its own
provider; under choice patients weigh distance, provider and the published wait (the
logit at the shipped weights). "Spare": the west practice refers 63 a week (load 1.05:
the list is held only by 3% a month leaving it untreated), the east one 36 (load 0.6).
"None": both refer 63 a week, so neither provider has room for the other's patients.
"""

from pathlib import Path

import numpy as np
import pytest

from pathways.engine import simulate_replication
from pathways.metrics import rtt_clocks
from tests.scenarios.paired import MODELS, model_file, paired_ci, run, small_economy, values

REPLICATIONS, SEED = 6, 3
PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
west_practice,63000,-6,0,1
east_practice,EAST,6,0,5
"""
TWO_CLINICS = """
name: NAME
horizon_days: 1000
warmup_days: 300
practices: {file: practices.csv}
organisations:
  west_trust: {type: acute, sites: {west: {x_km: -5, y_km: 0}}}
  east_trust: {type: acute, sites: {east: {x_km: 5, y_km: 0}}}
calendars:
  clinic_days: {sessions: [{days: [mon, wed], start: "09:00", end: "17:00"}]}
resources:
  west_clinic: {organisation: west_trust, site: west, kind: outpatients, capacity: 1,
                calendar: clinic_days, slots_per_session: 30}
  east_clinic: {organisation: east_trust, site: east, kind: outpatients, capacity: 1,
                calendar: clinic_days, slots_per_session: 30}
pathways:
  clinic:
    referrals_per_1000_per_year: 52.14   # one a week per 1,000 registered
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
                    rtt_stop: non_admitted}
allocation: {policy: POLICY}
patient_choice: {threshold_weeks: THRESHOLD, margin_weeks: 0.5}
waiting_list: {removals: {monthly_rate: 0.03}}
"""
EAST_LIST = {"spare": 36000, "none": 63000}
RULE_WEEKS = 3.0


def _model(workdir: Path, capacity: str, policy: str, rule: bool):
    name = f"{capacity}_{policy}_{'rule' if rule else 'no_rule'}"
    text = (TWO_CLINICS.replace("NAME", name).replace("POLICY", policy)
            .replace("THRESHOLD", str(RULE_WEEKS) if rule else "null"))
    practices = PRACTICES.replace("EAST", str(EAST_LIST[capacity]))
    return small_economy(workdir / capacity, text, practices, name)


@pytest.fixture(scope="module")
def arms(workdir):
    """KPIs of each (spare capacity or none, nearest or choice) arm."""
    return {(capacity, policy): run(_model(workdir, capacity, policy, False),
                                    REPLICATIONS, SEED)
            for capacity in EAST_LIST for policy in ("nearest", "choice")}


def _change(arms, capacity: str, metric: str):
    """choice - nearest, paired by replication."""
    return paired_ci(values(arms[(capacity, "nearest")], metric),
                     values(arms[(capacity, "choice")], metric))


@pytest.mark.slow
def test_choice_narrows_provider_waits_and_shortens_them_where_there_is_spare_capacity(arms):
    """Making it happen (2008): with spare capacity at one provider, does choice
    lower the spread of providers' waits and the median wait? (choice - nearest,
    paired 95% intervals below 0.)"""
    spread = _change(arms, "spare", "provider_wait_spread_weeks")
    median = _change(arms, "spare", "rtt_non_admitted_median_weeks")
    print(f"spare capacity, choice - nearest: spread {spread}; median wait {median}")
    assert spread.excludes_zero_below(), spread
    assert median.excludes_zero_below(), median


@pytest.mark.slow
def test_without_spare_capacity_choice_moves_waits_without_lowering_them(arms):
    """Making it happen (2008): with no spare capacity anywhere, choice should
    not lower the median wait (choice - nearest: interval not below 0), and it lowers
    it by less than where there is spare capacity (paired by replication)."""
    none = _change(arms, "none", "rtt_non_admitted_median_weeks")
    print(f"no spare capacity, choice - nearest: median wait {none}")
    assert not none.excludes_zero_below(), none
    metric = "rtt_non_admitted_median_weeks"
    fall = {c: values(arms[(c, "nearest")], metric) - values(arms[(c, "choice")], metric)
            for c in EAST_LIST}
    gap = paired_ci(fall["none"], fall["spare"])
    print(f"fall in median wait, spare - none: {gap}")
    assert gap.excludes_zero_above(), gap


def _share_over(log, weeks: float) -> float:
    """Share of pathways completed in the window that waited more than ``weeks``."""
    clocks = rtt_clocks(log)
    done = (np.isfinite(clocks.stopped) & ~clocks.removed
            & (clocks.stopped >= log.warmup_days))
    return float(np.mean(clocks.stopped[done] - clocks.referred[done] > 7 * weeks))


@pytest.mark.slow
def test_the_patient_choice_rule_cuts_long_waits_only_where_others_have_room(workdir):
    """Future directions for PCTs (2003) and Making it happen (2008): does offering a
    patient still waiting at the threshold (3 weeks here) a provider whose published
    wait is shorter lower the share who wait longer than that? Patients are referred
    to their nearest provider, as before choice at referral. Where the other
    provider has spare capacity it should (rule - no rule below 0); where none has,
    there is nowhere shorter to go (not below 0)."""
    for capacity, expect_fall in (("spare", True), ("none", False)):
        over = {rule: np.array([
            _share_over(simulate_replication(_model(workdir, capacity, "nearest", rule),
                                             SEED, r), RULE_WEEKS)
            for r in range(REPLICATIONS)]) for rule in (False, True)}
        change = paired_ci(over[False], over[True])
        print(f"{capacity}: share over {RULE_WEEKS:g} weeks, rule - no rule: {change}")
        assert change.excludes_zero_below() == expect_fall, (capacity, change)


@pytest.mark.slow
def test_choice_and_equity_the_deprivation_gap_is_reported():
    """Future directions for PCTs (2003): with choice, how do the gaps in wait and in travel
    between the most (quintile 1) and least (quintile 5) deprived change? The test
    reports the sign of each change with its interval (no direction is claimed); it
    asserts only that each was measured on every replication."""
    arms = {name: run(model_file(path), 4, 0) for name, path in (
        ("nearest", MODELS.parent / "configs" / "demo_economy.yaml"),
        ("choice", MODELS / "competitive.yaml"))}
    for metric in ("rtt_non_admitted_median_weeks", "distance_km_mean"):
        gaps = {name: values(k, metric, "deprivation_quintile:1")
                - values(k, metric, "deprivation_quintile:5") for name, k in arms.items()}
        change = paired_ci(gaps["nearest"], gaps["choice"])
        sign = ("wider" if change.excludes_zero_above() else
                "narrower" if change.excludes_zero_below() else "unclear")
        print(f"quintile 1 - quintile 5 gap in {metric}, choice - nearest: {change} ({sign})")
        assert change.n == 4 and np.isfinite(change.low), change
