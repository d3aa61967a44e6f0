"""The replication warning: results short of the automatic replication rule (too few
replications, or the rule's intervals wider than its target) are flagged, results that
meet it are not."""

import math

import pandas as pd

from pathways.experiment.runner import AutoReplications
from pathways.report.precision import (
    Shortfall,
    replication_shortfall,
    section_note,
    warning_text,
)

RULE = AutoReplications(target_half_width=0.05, initial=5, metrics=("wait_mean",))


def summary(n: int, half_width: float, mean: float = 10.0) -> pd.DataFrame:
    low, high = (math.nan, math.nan) if n < 2 else (mean - half_width, mean + half_width)
    return pd.DataFrame({"scenario": ["a", "a"], "stage": ["", "s1"],
                         "metric": ["wait_mean", "wait_mean"], "mean": [mean, mean],
                         "ci_low": [low, 0.0], "ci_high": [high, 99.0], "n": [n, n]})


def test_enough_replications_with_narrow_intervals_is_no_warning():
    assert replication_shortfall(summary(5, 0.5), RULE) is None  # 5% of 10: at the target


def test_fewer_replications_than_the_rule_starts_from_is_a_warning():
    shortfall = replication_shortfall(summary(4, 0.1), RULE)
    assert shortfall == Shortfall(replications=4, minimum=5, wide=(), target=0.05)
    assert shortfall.too_few
    text = warning_text(shortfall)
    assert text.startswith("Too few replications: these results have 4, fewer than the 5")
    assert "Too few replications behind these intervals (4;" in section_note(shortfall)


def test_an_interval_wider_than_the_target_is_a_warning_even_with_enough_replications():
    shortfall = replication_shortfall(summary(8, 0.51), RULE)
    assert shortfall == Shortfall(replications=8, minimum=5, target=0.05,
                                  wide=("a: mean queueing time per patient",))
    assert not shortfall.too_few
    assert warning_text(shortfall).startswith(
        "More replications needed: the 95% intervals of a: mean queueing time per patient "
        "are wider than \u00b15% of the mean")


def test_one_replication_has_no_interval_and_is_flagged_on_both_counts():
    shortfall = replication_shortfall(summary(1, 0.0), RULE)
    assert shortfall.too_few and shortfall.wide == ("a: mean queueing time per patient",)
    assert "Their 95% intervals" in warning_text(shortfall)


def test_stage_rows_do_not_count():
    # the stage row's interval (0 to 99) is far wider than 5%, but only whole-system
    # rows are judged, as the automatic rule judges them
    assert replication_shortfall(summary(6, 0.2), RULE) is None


def test_without_the_rules_metrics_the_fewest_replications_of_any_metric_count():
    frame = summary(3, 0.1).assign(metric="throughput_per_day")
    shortfall = replication_shortfall(frame, RULE)
    assert shortfall.too_few and shortfall.replications == 3 and shortfall.wide == ()
