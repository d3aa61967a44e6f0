"""Seed question: real against virtual integration. Both pool the same lists; does
virtual integration, which keeps the providers' organisational boundaries, keep the
handoffs between organisations that real integration removes?

Future directions for PCTs (2003) (real integration: providers owned by the commissioning
body; virtual: providers act as one organisation but stay separate; which works
better is open). The shipped models/real_integration.yaml (the `ico` owns every
provider and practice, pooled within the organisation) and
models/virtual_integration.yaml (own organisations, pooled across all providers,
records shared) are run on common random numbers, shortened with `configure`
(horizon 240 days, warm-up 60: handoffs are counted per completed pathway and need no
long warm-up; the comparison of lists is exact, so it needs none either).

What is asserted:
* virtual integration has more between-organisation handoffs, per elective pathway
  and per chronic patient-year, and more handoff delay per pathway (paired 95%
  intervals above 0);
* the pooling is the same: the two models compile to the same pools (the same
  resources serve each list), and with the boundary's costs set to the
  within-organisation ones (delay, record loss, repeat tests; the demo's handoff
  delays are fixed days) the lists do exactly the same thing, replication by
  replication (every wait, the RTT list, cancellations and delayed discharge: a
  paired difference of exactly 0), while the boundaries are still there and still
  counted. So what separates the two models here is the boundaries, not the pooling.
  A boundary has one more cost no parameter equalises: a multimorbid patient's two
  reviews are one visit under one owner and two across a boundary
  (tests/economy/test_multimorbidity.py), so that check is made with nobody
  multimorbid, in both models.
"""

import numpy as np
import pytest

from pathways.config import load_config
from tests.scenarios.paired import MODELS, model_file, paired_ci, run, values

pytestmark = pytest.mark.slow

REPLICATIONS, SEED = 3, 0
SHORT = {"horizon_days": 240, "warmup_days": 60}
REAL, VIRTUAL = MODELS / "real_integration.yaml", MODELS / "virtual_integration.yaml"


def _boundary_at_within_cost() -> dict:
    """Overrides that give a handoff between organisations the within-organisation
    delay, record loss and repeat-test share (read from the virtual model)."""
    within = load_config(VIRTUAL).config.handoff.within_organisation
    return {f"handoff.between_organisations.{field}": getattr(within, field)
            for field in ("delay_days", "record_missing", "repeat_test")}


#: Nobody multimorbid: separate reviews across a boundary are a cost of their own.
SINGLE = {"chronic.multimorbidity": {}}


@pytest.fixture(scope="module")
def models():
    return {"real": model_file(REAL, SHORT),
            "virtual": model_file(VIRTUAL, SHORT),
            "real_single": model_file(REAL, {**SHORT, **SINGLE}),
            "virtual_at_within_cost": model_file(
                VIRTUAL, {**SHORT, **SINGLE, **_boundary_at_within_cost()})}


@pytest.fixture(scope="module")
def kpis(models):
    return {name: run(model, REPLICATIONS, SEED) for name, model in models.items()}


@pytest.mark.parametrize("metric", ["handoffs_per_pathway", "handoffs_per_chronic_patient_year",
                                    "handoff_delay_days_per_pathway"])
def test_virtual_integration_keeps_more_handoffs_between_organisations(kpis, metric):
    """Future directions for PCTs (2003): does virtual integration (separate organisations
    acting as one) keep more between-organisation handoffs than real integration (one
    owner)? (virtual - real, paired 95% interval above 0.)"""
    more = paired_ci(values(kpis["real"], metric), values(kpis["virtual"], metric))
    print(f"{metric}, virtual - real: {more}")
    assert more.excludes_zero_above(), (metric, more)


def _pools(model) -> set[frozenset[str]]:
    """Each pool as the set of resources that serve its one list."""
    return {frozenset(model.resources[r].name for r in pool.unit_resource)
            for pool in model.pools}


def test_real_and_virtual_integration_pool_the_same_resources(models):
    """Future directions for PCTs (2003): is the pooling the same? Every list is served by
    the same resources in both models, and some lists really are pooled (served by
    resources of different sites)."""
    real, virtual = _pools(models["real"]), _pools(models["virtual"])
    assert real == virtual
    assert any(len(pool) > 1 for pool in real)


LIST_METRICS = ("wait_mean", "rtt_admitted_median_weeks", "rtt_non_admitted_median_weeks",
                "rtt_waiting_list_mean", "rtt_incomplete_within_18_weeks_share",
                "rtt_time_share_queue", "cancelled_operations_per_year",
                "delayed_discharge_days_per_1000_patient_years", "emergency_bed_wait_hours_mean")


def test_with_boundary_costs_equalised_the_pooled_lists_behave_identically(kpis):
    """Future directions for PCTs (2003): is what the pooled lists do the same under real
    and virtual integration? With a between-organisation handoff costing what one
    within an organisation costs, virtual - real is exactly 0 in every replication for
    every list outcome and every resource's mean wait (a 95% interval of [0, 0]),
    while virtual integration still counts more handoffs between organisations
    (paired 95% interval above 0): the boundaries remain, the pooling is the same."""
    real, virtual = kpis["real_single"], kpis["virtual_at_within_cost"]
    resources = sorted(s for s in real.stage.unique() if s.startswith("resource:"))
    checked = [(m, "") for m in LIST_METRICS] + [("wait_mean", s) for s in resources]
    for metric, stage in checked:
        a, b = values(real, metric, stage), values(virtual, metric, stage)
        same = paired_ci(a, b)
        assert np.array_equal(a, b, equal_nan=True), (metric, stage, same)
        assert (same.low, same.high) == (0.0, 0.0) or np.isnan(same.mean), (metric, stage, same)
    print(f"{len(checked)} list outcomes identical over {REPLICATIONS} replications")
    more = paired_ci(values(real, "handoffs_per_pathway"), values(virtual, "handoffs_per_pathway"))
    print(f"handoffs_per_pathway at within-organisation cost, virtual - real: {more}")
    assert more.excludes_zero_above(), more
