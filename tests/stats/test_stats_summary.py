"""summarise: one row per (scenario, stage, metric), first-seen order, t intervals."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pathways.stats import SUMMARY_COLUMNS, confidence_interval, summarise


def long_frame(rows):
    return pd.DataFrame(rows, columns=["scenario", "replication", "stage", "metric", "value"])


def test_order_is_first_seen_not_alphabetical():
    rows = []
    for rep in range(3):
        for scenario in ("zeta", "alpha"):
            for stage in ("", "z.last", "a.first"):
                for metric in ("wait_mean", "arrivals_per_day"):
                    rows.append((scenario, rep, stage, metric, rep + len(stage)))
    out = summarise(long_frame(rows))
    expected = [(sc, st, m) for sc in ("zeta", "alpha") for st in ("", "z.last", "a.first")
                for m in ("wait_mean", "arrivals_per_day")]
    assert list(zip(out.scenario, out.stage, out.metric, strict=False)) == expected
    assert list(out.columns) == list(SUMMARY_COLUMNS)


def test_values_match_student_t():
    values = [4.0, 6.0, 5.0, 9.0]
    out = summarise(long_frame([("s", r, "", "wait_mean", v) for r, v in enumerate(values)]))
    row = out.iloc[0]
    m, sd, n = np.mean(values), np.std(values, ddof=1), len(values)
    h = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    assert row["mean"] == pytest.approx(m, rel=1e-12)
    assert row["ci_low"] == pytest.approx(m - h, rel=1e-12)
    assert row["ci_high"] == pytest.approx(m + h, rel=1e-12)
    assert row["n"] == 4
    assert (row["mean"], row["ci_low"], row["ci_high"], row["n"]) == pytest.approx(
        confidence_interval(values))


def test_nan_values_one_replication_and_no_data():
    rows = [
        ("s", 0, "a", "wait_mean", 1.0), ("s", 1, "a", "wait_mean", np.nan),
        ("s", 2, "a", "wait_mean", 3.0),
        ("s", 0, "b", "wait_mean", 7.0), ("s", 1, "b", "wait_mean", np.nan),
        ("s", 0, "c", "wait_mean", np.nan), ("s", 1, "c", "wait_mean", np.nan),
    ]
    out = summarise(long_frame(rows)).set_index("stage")
    assert out.loc["a", "n"] == 2
    assert out.loc["a", "mean"] == pytest.approx(2.0)
    assert out.loc["a", "ci_low"] == pytest.approx(2.0 - stats.t.ppf(0.975, 1) * math.sqrt(2)
                                                   / math.sqrt(2))
    assert out.loc["b", "n"] == 1 and out.loc["b", "mean"] == 7.0
    assert math.isnan(out.loc["b", "ci_low"]) and math.isnan(out.loc["b", "ci_high"])
    assert out.loc["c", "n"] == 0 and math.isnan(out.loc["c", "mean"])


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="replication"):
        summarise(pd.DataFrame({"scenario": [], "stage": [], "metric": [], "value": []}))


def test_empty_input_gives_empty_summary():
    out = summarise(long_frame([]))
    assert list(out.columns) == list(SUMMARY_COLUMNS)
    assert len(out) == 0


def test_intervals_are_cut_at_each_metrics_range():
    reps = pd.DataFrame({"scenario": "a", "replication": [0, 1, 0, 1, 0, 1],
                         "stage": "", "metric": ["share", "share", "count", "count",
                                                 "balance", "balance"],
                         "value": [0.01, 0.99, 0.0, 20.0, -30.0, 30.0]})
    ranges = {"share": (0.0, 1.0), "count": (0.0, math.inf), "balance": (-math.inf, math.inf)}
    out = summarise(reps, bounds=ranges.__getitem__).set_index("metric")
    plain = summarise(reps).set_index("metric")
    assert out.loc["share", ["ci_low", "ci_high"]].tolist() == [0.0, 1.0]
    assert out.loc["count", "ci_low"] == 0.0
    assert out.loc["count", "ci_high"] == plain.loc["count", "ci_high"]
    assert out.loc["balance"].equals(plain.loc["balance"])  # a signed metric is not cut
    assert out["mean"].equals(plain["mean"])
