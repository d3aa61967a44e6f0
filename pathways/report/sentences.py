"""The board summary: plain-English sentences generated from the confidence intervals.

Each sentence states a direction and a size, with its 95% interval, or that there is
no significant difference (the interval includes zero). None of them says that a
model is better or worse: whether a longer wait or more handoffs matter, and how
much, is for the reader to judge.
"""

from __future__ import annotations

import math

import pandas as pd

from pathways.report.load import SYSTEM, Results
from pathways.report.wording import HEADLINE_METRICS, number, wording

_SINGULAR = {"weeks": "week", "days": "day", "hours": "hour", "patients": "patient",
             "percentage points": "percentage point", "patient-years": "patient-year"}


def _unit(unit: str, value: str) -> str:
    """`` 1 week``, `` 2 weeks``: the unit after a number, with a space ("" for none)."""
    if not unit:
        return ""
    return " " + (_SINGULAR.get(unit, unit) if value.lstrip("+-") == "1" else unit)


def difference_sentence(model: str, baseline: str, metric: str, mean: float, low: float,
                        high: float, n: int | None = None) -> str | None:
    """One sentence on ``model`` minus ``baseline`` for ``metric`` (paired by replication).

    None where the difference has no value (the metric had no data in one model).
    """
    if mean is None or math.isnan(mean):
        return None
    words = wording(metric)
    size = mean * words.scale
    if low is None or math.isnan(low) or math.isnan(high):
        pairs = "" if n is None else f" ({n} paired replication{'s' if n != 1 else ''})"
        return (f"The difference in {words.phrase} between {model} and {baseline} "
                f"({model} minus {baseline}) is {number(size, signed=True)}"
                f"{_unit(words.unit, number(size))}; with fewer "
                f"than two paired replications{pairs} it has no confidence interval.")
    low, high = low * words.scale, high * words.scale
    if low <= 0 <= high:
        if low == high == 0:
            detail = "identical in every replication"
        else:
            detail = (f"{model} minus {baseline} is {number(size, signed=True)}"
                      f"{_unit(words.unit, number(size))} "
                      f"(95% CI {number(low, signed=True)} to {number(high, signed=True)}), "
                      "an interval that includes zero")
        return (f"No significant difference in {words.phrase} between {model} and "
                f"{baseline}: {detail}.")
    if size > 0:
        direction, size_low, size_high = words.more, low, high
    else:
        direction, size, size_low, size_high = words.less, -size, -high, -low
    return (f"{model}'s {words.phrase} is {number(size)}{_unit(words.unit, number(size))} "
            f"{direction} than "
            f"{baseline}'s (95% CI {number(size_low)} to {number(size_high)}).")


def level_sentence(model: str, metric: str, mean: float, low: float, high: float) -> str | None:
    """One sentence on a single model's value (a run has nothing to compare with)."""
    if mean is None or math.isnan(mean):
        return None
    words = wording(metric)
    shown = number(mean * words.scale)
    value = shown + ("%" if words.is_share else _unit(words.unit, shown))
    if low is None or math.isnan(low) or math.isnan(high):
        return f"{model}'s {words.phrase} is {value} (one replication: no confidence interval)."
    return (f"{model}'s {words.phrase} is {value} (95% CI {number(low * words.scale)} to "
            f"{number(high * words.scale)}).")


def headline_metrics(frame: pd.DataFrame) -> list[str]:
    """The headline metrics ``frame`` holds at the system level, in headline order."""
    present = set(frame.loc[frame["stage"] == SYSTEM, "metric"])
    return [metric for metric in HEADLINE_METRICS if metric in present]


def board_summary(results: Results, point: int = 0) -> dict[str, list[str]]:
    """Sentences per model at one design point: each model against the baseline
    (the baseline itself gets none), or, for a single run, the model's own values."""
    if results.differences is not None and results.baseline is not None:
        rows = results.differences[(results.differences["point"] == point)
                                   & (results.differences["stage"] == SYSTEM)]
        out: dict[str, list[str]] = {}
        for label in results.labels:
            if label == results.baseline:
                continue
            mine = rows[rows["scenario"] == label].set_index("metric")
            sentences = []
            for metric in headline_metrics(rows.assign(stage=SYSTEM)):
                if metric not in mine.index:
                    continue
                row = mine.loc[metric]
                sentence = difference_sentence(label, results.baseline, metric,
                                               float(row["mean_difference"]),
                                               float(row["ci_low"]), float(row["ci_high"]),
                                               int(row["n"]))
                if sentence:
                    sentences.append(sentence)
            out[label] = sentences
        return out
    rows = results.summary[(results.summary["point"] == point)
                           & (results.summary["stage"] == SYSTEM)]
    out = {}
    for label in results.labels:
        mine = rows[rows["scenario"] == label].set_index("metric")
        sentences = [level_sentence(label, metric, float(mine.loc[metric, "mean"]),
                                    float(mine.loc[metric, "ci_low"]),
                                    float(mine.loc[metric, "ci_high"]))
                     for metric in headline_metrics(rows) if metric in mine.index]
        out[label] = [s for s in sentences if s]
    return out
