"""Questions a runner file asks, and their answers from a sweep's stored runs.

A question (see pathways.experiment.runner for how it is written) names two *arms*, a
model at some parameter values each, one metric and the direction its seed paper
expects. Its answer is the paired difference compare minus against over the
replications both arms ran: every arm runs with the runner's seed and the same
replication indices, so replication i of both arms sees the same patients wherever
the two agree (common random numbers) and the difference carries only what the arms
change. The verdict compares the 95% interval with the expectation; it tests a
claim about a mechanism and never says that a way of organising care is preferable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pathways.metrics.registry import difference_bounds
from pathways.stats import paired_difference

LOWER, HIGHER, REPORT = "lower", "higher", "report"
EXPECTATIONS = (LOWER, HIGHER, REPORT)
"""What a question may expect of compare minus against: below zero, above zero, or no
direction claimed (report the sign)."""

AS_EXPECTED = "as expected"
OPPOSITE = "opposite"
UNCLEAR = "unclear (CI includes 0)"
REPORTED = "reported"
NO_INTERVAL = "unclear (fewer than 2 paired replications)"
NO_DATA = "no data"
VERDICTS = (AS_EXPECTED, OPPOSITE, UNCLEAR, REPORTED, NO_INTERVAL, NO_DATA)

ANSWERS_FILE = "answers.csv"
ANSWER_COLUMNS = ("question", "seed", "ask", "metric", "stage", "compare", "against",
                  "expect", "mean_difference", "ci_low", "ci_high", "n", "verdict")
"""answers.csv: one row per question, in the runner file's order; `seed` joins several
seed papers with ", "; the interval is the Student t 95% interval of the paired
differences (compare minus against)."""

_PAIR_KEYS = ["replication"]


@dataclass(frozen=True)
class Arm:
    """One side of a question: a model (its `name:`) at one design point."""

    model: str
    point: int  # the runner's point that holds the arm's parameter values
    at: str = ""  # the point's label, "" for the model as written

    @property
    def label(self) -> str:
        """`competitive`, or `competitive at capacity_multiplier.outpatients=1.3`."""
        return f"{self.model} at {self.at}" if self.at else self.model


@dataclass(frozen=True)
class Question:
    """A question of a runner file, its arms resolved to the runner's points."""

    id: str
    seeds: tuple[str, ...]  # the policy papers it comes from (docs/policy_papers.md)
    ask: str  # the question in one sentence
    compare: Arm  # the arm under test
    against: Arm  # the reference arm
    metric: str  # a KPI of pathways.metrics
    stage: str  # its level ("" for the whole system)
    expect: str  # one of EXPECTATIONS


def verdict(expect: str, mean: float, low: float, high: float) -> str:
    """How a difference's 95% interval stands against what the question expects."""
    if mean is None or math.isnan(mean):
        return NO_DATA
    if expect == REPORT:
        return REPORTED
    if math.isnan(low) or math.isnan(high):
        return NO_INTERVAL
    if low <= 0 <= high:
        return UNCLEAR
    return AS_EXPECTED if (low > 0) == (expect == HIGHER) else OPPOSITE


def answer_questions(questions: Sequence[Question], runs: pd.DataFrame) -> pd.DataFrame:
    """One row per question (ANSWER_COLUMNS) from stored runs (columns point, scenario,
    replication, stage, metric, value): only replications where both arms have a value
    are paired."""
    return pd.DataFrame([_answer(question, runs) for question in questions],
                        columns=list(ANSWER_COLUMNS))


def _answer(question: Question, runs: pd.DataFrame) -> tuple:
    measured = runs[(runs["metric"] == question.metric) & (runs["stage"] == question.stage)
                    ].dropna(subset=["value"])
    compare, against = (_values(measured, arm) for arm in (question.compare, question.against))
    pairs = compare.merge(against, on=_PAIR_KEYS, suffixes=("", "_against"))
    mean, low, high, n = paired_difference(pairs["value_against"], pairs["value"],
                                           bounds=difference_bounds(question.metric))
    return (question.id, ", ".join(question.seeds), question.ask, question.metric,
            question.stage, question.compare.label, question.against.label, question.expect,
            mean, low, high, n, verdict(question.expect, mean, low, high))


def _values(runs: pd.DataFrame, arm: Arm) -> pd.DataFrame:
    """An arm's value per replication."""
    mine = runs[(runs["point"] == arm.point) & (runs["scenario"] == arm.model)]
    return mine[[*_PAIR_KEYS, "value"]]
