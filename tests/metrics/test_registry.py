"""The metric registry: every metric the package computes has its own entry, so its
label, unit and range are declared, never guessed from its name."""

import math

from pathways.metrics import allocation, chronic, emergencies, handoffs, market, money, rtt
from pathways.metrics.choice import CHOICE_METRICS, OFFER_METRICS
from pathways.metrics.kpis import METRICS
from pathways.metrics.pathway_visits import KIND_METRICS
from pathways.metrics.registry import (
    difference_bounds,
    is_registered,
    metric_bounds,
    wording,
)
from pathways.metrics.wait_quantiles import QUEUE_DISTRIBUTIONS, RTT_DISTRIBUTIONS

COMPUTED = (*METRICS, *rtt.RTT_METRICS, *handoffs.HANDOFF_METRICS, handoffs.MATRIX_METRIC,
            *allocation.ALLOCATION_METRICS, *CHOICE_METRICS, *OFFER_METRICS,
            *market.MARKET_METRICS, *emergencies.EMERGENCY_METRICS, *chronic.CHRONIC_METRICS,
            *chronic.CANCELLATION_METRICS, *money.MONEY_METRICS,
            *money.PROVIDER_MONEY_METRICS, *KIND_METRICS, "visits_per_pathway",
            "payment_per_year", *QUEUE_DISTRIBUTIONS, *RTT_DISTRIBUTIONS)


def test_every_computed_metric_is_registered():
    assert [m for m in COMPUTED if not is_registered(m)] == []


def test_names_the_registry_does_not_list_get_a_range_from_their_unit_or_none():
    assert metric_bounds("new_thing_share") == (0.0, 1.0)
    assert metric_bounds("new_wait_weeks") == (0.0, math.inf)
    assert metric_bounds("new_balance") == (-math.inf, math.inf)  # never assumed
    assert wording("new_wait_weeks").unit == "weeks"


def test_a_difference_of_a_share_lies_within_plus_or_minus_one():
    assert difference_bounds("rtt_completed_within_18_weeks_share") == (-1.0, 1.0)
    assert difference_bounds("wait_mean") == (-math.inf, math.inf)
