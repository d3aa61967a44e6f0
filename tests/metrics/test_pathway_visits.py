"""Visits per referral pathway and capacity used by kind, on a small economy whose
expected values follow from its routing: first appointment, then a test for half the
patients (a delay, results reporting, is not a visit), then a decision for them."""

import textwrap

import numpy as np
import pytest

import pathways
from pathways.metrics import kpis

PRACTICES = """\
name,list_size,x_km,y_km,deprivation_quintile
north,40000,0,2,3
south,40000,0,-2,3
"""
ECONOMY = """\
name: visits
horizon_days: 500
warmup_days: 100
practices: {file: practices.csv}
organisations:
  trust:
    type: acute
    sites: {hospital: {x_km: 1, y_km: 0}, annexe: {x_km: -1, y_km: 0}}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 3}
  clinic_annexe: {organisation: trust, site: annexe, kind: outpatients, capacity: 2}
  scanner: {organisation: trust, site: hospital, kind: diagnostics, capacity: 2}
pathways:
  elective:
    referrals_per_1000_per_year: 100
    stages:
      first: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
              next: {test: TEST_SHARE, exit: REST}, rtt_stop: non_admitted}
      test: {kind: diagnostics, duration: {dist: exponential, mean: 0.02}, next: report}
      report: {duration: {dist: fixed, value: 3}, next: decide}
      decide: {kind: outpatients, duration: {dist: exponential, mean: 0.01}}
"""


def _kpis(tmp_path, test_share: float):
    (tmp_path / "practices.csv").write_text(PRACTICES)
    path = tmp_path / "visits.yaml"
    path.write_text(textwrap.dedent(ECONOMY).replace("TEST_SHARE", str(test_share)).replace(
        "REST", str(round(1 - test_share, 10))))
    return kpis(pathways.simulate(pathways.load(path), seed=3).events)


def _value(table, stage: str, metric: str) -> float:
    return table[(table.stage == stage) & (table.metric == metric)].value.item()


@pytest.mark.parametrize("test_share", [0.2, 0.5])
def test_visits_per_pathway_counts_the_stages_that_hold_a_resource(tmp_path, test_share):
    table = _kpis(tmp_path, test_share)
    # 1 + 2 x share visits (first; test and decision for the share), within 4 sd of a
    # mean over about 8,800 completed pathways
    visits = _value(table, "", "visits_per_pathway")
    n = 80_000 * 100 / 1000 / 365 * 400
    assert visits == pytest.approx(1 + 2 * test_share, abs=4 * 2 * np.sqrt(
        test_share * (1 - test_share) / n))


def test_capacity_used_by_kind_adds_up_its_resources(tmp_path):
    table = _kpis(tmp_path, 0.5)
    resources = {"outpatients": ["clinic", "clinic_annexe"], "diagnostics": ["scanner"]}
    for kind, names in resources.items():
        busy = _value(table, f"kind:{kind}", "busy_units_mean")
        used = sum(_value(table, f"resource:{name}", "utilisation")
                   * {"clinic": 3, "clinic_annexe": 2, "scanner": 2}[name] for name in names)
        assert busy == pytest.approx(used)
        capacity = sum({"clinic": 3, "clinic_annexe": 2, "scanner": 2}[name] for name in names)
        assert _value(table, f"kind:{kind}", "utilisation") == pytest.approx(busy / capacity)
    # offered load: 80,000 x 100 / 1,000 / 365 = 21.9 a day; outpatients (0.02 + 0.5 x
    # 0.01) x 21.9 = 0.548 busy; diagnostics 0.5 x 0.02 x 21.9 = 0.219
    assert _value(table, "kind:outpatients", "busy_units_mean") == pytest.approx(0.548, rel=0.08)
    assert _value(table, "kind:diagnostics", "busy_units_mean") == pytest.approx(0.219, rel=0.1)
