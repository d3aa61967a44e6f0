"""The board summary: plain-English sentences generated from the confidence intervals.

Each sentence states a direction and a size, with its 95% interval, or that there is
no significant difference (the interval includes zero). None of them says that a
model is better or worse: whether a longer wait or more handoffs matter, and how
much, is for the reader to judge.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from pathways.experiment.questions import HIGHER, REPORT
from pathways.metrics.registry import Wording
from pathways.report.load import SYSTEM, Results
from pathways.report.wording import BOARD_METRICS, HEADLINE_METRICS, number, numbers, wording

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
            size_text, low_text, high_text = numbers((size, low, high), signed=True)
            detail = (f"{model} minus {baseline} is {size_text}"
                      f"{_unit(words.unit, size_text)} "
                      f"(95% CI {low_text} to {high_text}), an interval that includes zero")
        return (f"No significant difference in {words.phrase} between {model} and "
                f"{baseline}: {detail}.")
    if size > 0:
        direction, size_low, size_high = words.more, low, high
    else:
        direction, size, size_low, size_high = words.less, -size, -high, -low
    size_text, low_text, high_text = numbers((size, size_low, size_high))
    return (f"{model}'s {words.phrase} is {size_text}{_unit(words.unit, size_text)} "
            f"{direction} than {baseline}'s (95% CI {low_text} to {high_text}).")


def answer_sentence(compare: str, against: str, metric: str, stage: str, mean: float,
                    low: float, high: float, n: int, seeds: str, expect: str) -> str:
    """One sentence answering a runner's question: ``compare`` minus ``against`` for
    ``metric`` (at level ``stage``), paired by replication, with its 95% interval and
    what the seed papers expect. Direction and size only, like the board summary."""
    words = wording(metric)
    phrase = words.phrase + (f" ({stage})" if stage else "")
    subject = _arms(compare, against)
    pairs = f"{n} paired replication{'s' if n != 1 else ''}"
    tail = f"; {_expected(seeds, expect, words)}."
    if mean is None or math.isnan(mean):
        return f"{subject}: no paired replication has a value of {phrase}, so no answer{tail}"
    size = mean * words.scale
    if math.isnan(low) or math.isnan(high):
        return (f"{subject}: {phrase} {number(size, signed=True)}"
                f"{_unit(words.unit, number(size))} over {pairs}, too few for a confidence "
                f"interval{tail}")
    low, high = low * words.scale, high * words.scale
    if low == high == 0:
        return f"{subject}: no difference in {phrase}, identical in each of {pairs}{tail}"
    if low <= 0 <= high:
        size_text, low_text, high_text = numbers((size, low, high), signed=True)
        return (f"{subject}: no significant difference in {phrase}, "
                f"{size_text}{_unit(words.unit, size_text)} (95% CI {low_text} to "
                f"{high_text}, an interval that includes zero) over {pairs}{tail}")
    direction, near, far = (words.more, low, high) if size > 0 else (words.less, -high, -low)
    size_text, near_text, far_text = numbers((abs(size), near, far))
    return (f"{subject}: {phrase} {size_text}{_unit(words.unit, size_text)} "
            f"{direction} (95% CI {near_text} to {far_text} {direction}) over "
            f"{pairs}{tail}")


def answer_sentences(answers: pd.DataFrame) -> list[str]:
    """One sentence per row of an answers table (answers.csv), in its order."""
    return [answer_sentence(row.compare, row.against, row.metric, row.stage,
                            row.mean_difference, row.ci_low, row.ci_high, int(row.n), row.seed,
                            row.expect) for row in answers.itertuples(index=False)]


def _arms(compare: str, against: str) -> str:
    """`A against B, both at X` where the two arms share their values, else `A against B`."""
    at = compare.find(" at ")
    shared = compare[at:] if at > 0 else ""
    if shared and against.endswith(shared) and len(against) > len(shared):
        return f"{compare[:at]} against {against[:-len(shared)]}, both{shared}"
    return f"{compare} against {against}"


def _expected(seeds: str, expect: str, words: Wording) -> str:
    """`seed 001 expects shorter`, `seeds 000 and 001 expect higher`, or that the seed
    claims no direction; for a question of no seed paper, what its mechanism implies."""
    names = [seed_name(seed) for seed in seeds.split(", ") if seed] if isinstance(
        seeds, str) else []
    if not names:
        return ("no direction is expected" if expect == REPORT else
                f"its mechanism implies {words.more if expect == HIGHER else words.less}")
    who = (f"seed {names[0]}" if len(names) == 1 else
           f"seeds {', '.join(names[:-1])} and {names[-1]}")
    plural = len(names) != 1
    if expect == REPORT:
        return f"{who} {'claim' if plural else 'claims'} no direction"
    direction = words.more if expect == HIGHER else words.less
    return f"{who} {'expect' if plural else 'expects'} {direction}"


def seed_name(seed: str) -> str:
    """A seed paper's short name: the leading number of a file-name label such as
    `001_paper.txt` (`001`), else the label as written."""
    match = re.match(r"(\d+)_", seed)
    return match.group(1) if match else seed


def level_sentence(model: str, metric: str, mean: float, low: float, high: float) -> str | None:
    """One sentence on a single model's value (a run has nothing to compare with)."""
    if mean is None or math.isnan(mean):
        return None
    words = wording(metric)
    if low is None or math.isnan(low) or math.isnan(high):
        return (f"{model}'s {words.phrase} is {_value(words, number(mean * words.scale))} "
                "(one replication: no confidence interval).")
    shown, low_text, high_text = numbers((mean * words.scale, low * words.scale,
                                          high * words.scale))
    return (f"{model}'s {words.phrase} is {_value(words, shown)} (95% CI {low_text} to "
            f"{high_text}).")


def _value(words: Wording, shown: str) -> str:
    """A value with its unit: ``81%``, ``12.5 weeks``."""
    return shown + ("%" if words.is_share else _unit(words.unit, shown))


def headline_metrics(frame: pd.DataFrame) -> list[str]:
    """The headline metrics ``frame`` holds at the system level, in headline order."""
    present = set(frame.loc[frame["stage"] == SYSTEM, "metric"])
    return [metric for metric in HEADLINE_METRICS if metric in present]


def board_summary(results: Results, point: int = 0) -> dict[str, list[str]]:
    """Sentences per model run at one design point: each model against the baseline
    (the baseline itself gets none), or, for a single run or a point the baseline did
    not run at, the model's own values."""
    paired = results.paired_at(point)
    if paired is not None:
        baseline, differences = paired
        rows = differences[(differences["point"] == point) & (differences["stage"] == SYSTEM)]
        out: dict[str, list[str]] = {}
        for label in results.labels_at(point):
            if label == baseline:
                continue
            mine = rows[rows["scenario"] == label].set_index("metric")
            sentences = []
            for metric in headline_metrics(rows.assign(stage=SYSTEM)):
                if metric not in mine.index:
                    continue
                row = mine.loc[metric]
                sentence = difference_sentence(label, baseline, metric,
                                               float(row["mean_difference"]),
                                               float(row["ci_low"]), float(row["ci_high"]),
                                               int(row["n"]))
                if sentence:
                    sentences.append(sentence)
            out[label] = sentences
        return out
    rows = results.summary[(results.summary["point"] == point)
                           & (results.summary["stage"] == SYSTEM)]
    return {label: _level_sentences(rows, label, headline_metrics(rows))
            for label in results.labels_at(point)}


def _level_sentences(rows: pd.DataFrame, label: str, metrics) -> list[str]:
    """The model's own values of `metrics` (system-level summary `rows`), in that order."""
    mine = rows[rows["scenario"] == label].set_index("metric")
    sentences = [level_sentence(label, metric, float(mine.loc[metric, "mean"]),
                                float(mine.loc[metric, "ci_low"]),
                                float(mine.loc[metric, "ci_high"]))
                 for metric in metrics if metric in mine.index]
    return [s for s in sentences if s]


ANSWER_LENGTH = 3
"""Sentences at most in the report's answer."""


def board_answer(results: Results) -> list[str]:
    """The report's answer: at most three sentences on the board's metrics
    (BOARD_METRICS), the differences against the baseline that are largest relative to
    their 95% interval (interval excluding zero only), at the first design point; for a
    single model, its first board metrics' values."""
    point = results.point_ids[0]
    paired = results.paired_at(point)
    if paired is None:
        rows = results.summary[(results.summary["point"] == point)
                               & (results.summary["stage"] == SYSTEM)]
        return _level_sentences(rows, results.labels_at(point)[0],
                                BOARD_METRICS)[:ANSWER_LENGTH]
    baseline, differences = paired
    rows = differences[(differences["point"] == point) & (differences["stage"] == SYSTEM)
                       & differences["metric"].isin(BOARD_METRICS)]
    ranked = []
    for row in rows.itertuples(index=False):
        low, high, mean = float(row.ci_low), float(row.ci_high), float(row.mean_difference)
        if math.isnan(low) or math.isnan(high) or low <= 0 <= high:
            continue
        half_width = (high - low) / 2
        ranked.append((abs(mean) / half_width if half_width > 0 else math.inf, row))
    ranked.sort(key=lambda item: -item[0])
    sentences = [difference_sentence(row.scenario, baseline, row.metric,
                                     float(row.mean_difference), float(row.ci_low),
                                     float(row.ci_high), int(row.n))
                 for _, row in ranked[:ANSWER_LENGTH]]
    if not sentences:
        others = [label for label in results.labels_at(point) if label != baseline]
        return [f"No headline figure of {', '.join(others)} differs from "
                f"{baseline}'s beyond its 95% confidence interval."]
    return [s for s in sentences if s]
