"""Non-preemptive priority queue against Cobham's formula."""

from tests.validation.harness import CONFIGS, assert_covers, replicate, values


def cobham_waits(arrival_rates, mean_service, second_moment):
    """Mean queueing time per class, highest priority first (M/G/1, non-preemptive)."""
    residual = sum(rate * m2 for rate, m2 in zip(arrival_rates, second_moment, strict=False)) / 2
    waits, served_before = [], 0.0
    for rate, mean in zip(arrival_rates, mean_service, strict=False):
        served_up_to = served_before + rate * mean
        waits.append(residual / ((1 - served_before) * (1 - served_up_to)))
        served_before = served_up_to
    return waits


def test_priority_classes_match_cobham():
    urgent, routine = cobham_waits([0.2, 0.4], [1.0, 1.0], [2.0, 2.0])
    kpis = replicate(CONFIGS / "priority.yaml", 12)
    assert_covers(values(kpis, "urgent.seen", "wait_mean"), urgent, "urgent Wq")
    assert_covers(values(kpis, "routine.seen", "wait_mean"), routine, "routine Wq")
