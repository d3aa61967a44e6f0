"""Questions in runner files: arms placed on points, each run once and paired on common
random numbers, and answers with their verdicts.

The runner: sweeps/questions.yaml (four questions on the small economy, five arms).
Malformed question files are malformed_runners/question*.yaml, checked with the other
malformed runner files in test_runner.py.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from pathways.config import ConfigError, load_config
from pathways.experiment import model_checks
from pathways.experiment.questions import (
    AS_EXPECTED,
    NO_DATA,
    NO_INTERVAL,
    OPPOSITE,
    REPORTED,
    UNCLEAR,
    Arm,
    Question,
    answer_questions,
    verdict,
)
from pathways.experiment.runner import load_runner
from pathways.experiment.store import RUN_COLUMNS
from pathways.experiment.sweep import run_sweep
from tests.experiment.test_runner import DAMAGE, REPO, _runner
from tests.malformed_corpus import JARGON

QUESTIONS = Path(__file__).parent / "sweeps" / "questions.yaml"
SEED_RUNNER = REPO / "runners" / "seed_questions.yaml"


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("questions")
    run_sweep(load_runner(QUESTIONS), out, workers=1, progress=False)
    return out


# --- reading ------------------------------------------------------------------------------


def test_questions_are_read_with_their_arms_on_points():
    runner = load_runner(QUESTIONS)
    assert [q.id for q in runner.questions] == ["pooling", "beds", "delay", "same"]
    pooling, beds, delay, same = runner.questions
    assert beds.seeds == ("Future directions for PCTs (2003)", "Making it happen (2008)")
    assert (beds.metric, beds.stage, beds.expect) == ("wait_mean", "resource:west_beds", "lower")
    assert (pooling.stage, pooling.expect) == ("", "report")
    assert [p.values for p in runner.points] == [
        {}, {"capacity_multiplier.beds": 2.0}, {"handoff.between_organisations.delay_days": 3},
        {"resources.east_beds.capacity": 5}]
    assert (pooling.compare, pooling.against) == (Arm("pooled", 0), Arm("small", 0))
    assert beds.compare == Arm("small", 1, "capacity_multiplier.beds=2.0")
    assert beds.compare.label == "small at capacity_multiplier.beds=2.0"
    assert delay.against == Arm("pooled", 0) and same.compare == Arm("small", 3,
                                                                       "resources.east_beds.capacity=5")
    assert runner.cells == ((0, 0), (0, 1), (1, 0), (2, 1), (3, 0))
    assert runner.models_at(0) == (0, 1) and runner.models_at(2) == (1,)
    assert runner.parameters == ("capacity_multiplier.beds",
                                 "handoff.between_organisations.delay_days",
                                 "resources.east_beds.capacity")


def test_arms_with_the_same_values_share_a_point(tmp_path):
    """The same fields at the same values, in another order and spelling, are one point."""
    question = """\
  {id}:
    seed: "Future directions for PCTs (2003)"
    ask: Do more beds change the mean wait?
    compare: {{model: {model}, at: {at}}}
    against: {{model: {model}}}
    metric: wait_mean
    expect: report
"""
    text = ("models: [MODELS/small.yaml, MODELS/pooled.yaml]\nquestions:\n"
            + question.format(id="a", model="small",
                              at="{capacity_multiplier.beds: 2, practices.rows.0.list_size: 900}")
            + question.format(id="b", model="pooled",
                              at="{'practices.rows[0].list_size': 900.0, "
                                 "capacity_multiplier.beds: 2.0}")
            + question.format(id="c", model="small", at="{navigators.share: 1}")
            + question.format(id="d", model="small", at="{navigators.share: 1.0}"))
    runner = load_runner(_runner(tmp_path, text))
    assert [p.label for p in runner.points] == [
        "capacity_multiplier.beds=2, practices.rows.0.list_size=900", "base",
        "navigators.share=1"]
    assert [(q.compare.point, q.against.point) for q in runner.questions] == [
        (0, 1), (0, 1), (2, 1), (2, 1)]
    assert runner.cells == ((0, 0), (0, 1), (1, 0), (1, 1), (2, 0))


def test_points_are_applied_only_to_the_models_run_there(monkeypatch):
    applied = []

    def spy(config, values):
        applied.append((config.name, tuple(values.items())))
        return real(config, values)

    real = model_checks.apply_overrides
    monkeypatch.setattr(model_checks, "apply_overrides", spy)
    runner = load_runner(QUESTIONS)
    assert applied == [(runner.model_names[m], tuple(runner.points[p].values.items()))
                       for p, m in runner.cells]


def test_the_seed_questions_runner_loads():
    runner = load_runner(SEED_RUNNER)
    assert runner.replications == 10 and runner.questions
    assert len({q.id for q in runner.questions}) == len(runner.questions)
    assert all(q.seeds and q.ask.endswith("?") for q in runner.questions)
    arms = {(arm.model, arm.point) for q in runner.questions for arm in (q.compare, q.against)}
    assert len(runner.cells) == len(arms)  # arms shared by several questions run once
    variants = sorted((REPO / "runners" / "seed_questions").glob("*.yaml"))
    assert variants and all(path in runner.models for path in variants)
    names = [load_config(path).config.name for path in variants]
    assert len(set(names)) == len(names)
    for path in variants:
        text = path.read_text()
        assert text.startswith("#") and ("\nextends: ../../models/" in text
                                         or "\nextends: ../../configs/demo_economy.yaml" in text)


def test_the_redesigns_runner_pairs_each_redesign_with_its_own_way_of_organising_care():
    runner = load_runner(REPO / "runners" / "redesigns.yaml", check_points=False)
    assert len(runner.questions) == 6 * 2 * 2  # mechanism and wait, integrated and competitive
    for question in runner.questions:
        organisation = question.against.model
        assert organisation in ("integrated", "competitive") and not question.seeds
        assert question.compare.model.startswith(f"{organisation}-")
    assert len(runner.cells) == 14  # each model once, at the one point


VALID = """\
models: [MODELS/small.yaml, MODELS/pooled.yaml]
questions:
  beds:
    seed: ["Future directions for PCTs (2003)", "Making it happen (2008)"]
    ask: Do more beds shorten the wait for a bed?
    compare: {model: small, at: {capacity_multiplier.beds: 2, 'practices.rows[0].list_size': 900}}
    against: {model: pooled, at: {resources.east_beds.capacity: 3}}
    metric: wait_mean
    stage: resource:west_beds
    expect: lower
"""
QUESTION_DAMAGE = [*DAMAGE, "model", "at", "expect", "report", "stage", "seed", "questions"]


@st.composite
def damaged_questions(draw) -> str:
    text = VALID
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text) - 1))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(st.sampled_from(["", *QUESTION_DAMAGE])) + text[at + cut:]
    return text


def test_the_undamaged_text_loads(tmp_path):
    runner = load_runner(_runner(tmp_path, VALID))
    assert [p.label for p in runner.points] == [
        "capacity_multiplier.beds=2, practices.rows[0].list_size=900",
        "resources.east_beds.capacity=3"]


@settings(max_examples=100, deadline=None)
@given(damaged_questions())
def test_damaged_questions_load_or_fail_with_a_plain_message(tmp_path_factory, text):
    path = _runner(tmp_path_factory.mktemp("damaged"), text)
    try:
        load_runner(path)
    except ConfigError as error:
        assert error.issues
        for word in JARGON:
            assert word not in str(error)


# --- running: each arm once, paired ----------------------------------------------------------


def test_each_arm_runs_once_and_the_arms_of_a_question_are_paired(swept):
    runner = load_runner(QUESTIONS)
    stored = sorted(p.stem for p in (swept / "runs").glob("*.parquet") if ".series" not in p.name)
    assert stored == [f"p{p:04d}-m{m:02d}-r{r:04d}" for p, m in runner.cells for r in range(3)]
    runs = pd.read_parquet(swept / "runs.parquet")
    system = runs[(runs["stage"] == "") & (runs["metric"] == "wait_mean")]
    assert len(system) == 15 and not system.duplicated(["point", "scenario", "replication"]).any()
    for question in runner.questions:
        replications = [sorted(system[(system["point"] == arm.point)
                                      & (system["scenario"] == arm.model)]["replication"])
                        for arm in (question.compare, question.against)]
        assert replications == [[0, 1, 2], [0, 1, 2]]


def test_two_arms_that_agree_see_the_same_patients(swept):
    """small, and small with its east beds set to what they are: a different point, the
    same model, so common random numbers give identical values in every replication."""
    runs = pd.read_parquet(swept / "runs.parquet")
    small = runs[runs["scenario"] == "small"]
    as_written = small[small["point"] == 0].drop(columns="point").reset_index(drop=True)
    again = small[small["point"] == 3].drop(columns="point").reset_index(drop=True)
    columns = ["replication", "stage", "metric", "value"]
    pd.testing.assert_frame_equal(as_written[columns], again[columns])
    answers = pd.read_csv(swept / "answers.csv")
    same = answers[answers["question"] == "same"].iloc[0]
    assert (same["mean_difference"], same["ci_low"], same["ci_high"], same["n"]) == (0, 0, 0, 3)


def test_answers_are_the_paired_differences_of_the_two_arms(swept):
    runs = pd.read_parquet(swept / "runs.parquet")
    answers = pd.read_csv(swept / "answers.csv", keep_default_na=False,
                          na_values={"mean_difference": [""]}, dtype={"stage": str})
    assert list(answers["question"]) == ["pooling", "beds", "delay", "same"]
    for question, row in zip(load_runner(QUESTIONS).questions, answers.itertuples(), strict=True):
        arms = [runs[(runs["point"] == arm.point) & (runs["scenario"] == arm.model)
                     & (runs["stage"] == question.stage) & (runs["metric"] == question.metric)
                     ].set_index("replication")["value"]
                for arm in (question.compare, question.against)]
        differences = (arms[0] - arms[1]).to_numpy()
        half = stats.t.ppf(0.975, 2) * differences.std(ddof=1) / math.sqrt(3)
        assert row.mean_difference == pytest.approx(differences.mean(), abs=1e-9)
        assert row.ci_low == pytest.approx(differences.mean() - half, abs=1e-9)
        assert row.ci_high == pytest.approx(differences.mean() + half, abs=1e-9)
        assert (row.n, row.compare, row.against, row.stage) == (
            3, question.compare.label, question.against.label, question.stage)
        assert row.verdict == verdict(question.expect, row.mean_difference, row.ci_low,
                                      row.ci_high)
    assert answers["verdict"].iloc[2] == AS_EXPECTED  # 3 days' handoff delay, not 1


def test_a_runner_without_questions_writes_no_answers(tmp_path):
    text = "models: [MODELS/small.yaml]\nreplications: 2\n"
    run_sweep(load_runner(_runner(tmp_path, text)), tmp_path / "out", workers=1, progress=False)
    assert not (tmp_path / "out" / "answers.csv").exists()
    assert (tmp_path / "out" / "summary.csv").exists()


# --- verdicts on a constructed table --------------------------------------------------------

BASE = [10.0, 11.0, 12.0, 13.0]
DOWN = [9.0, 10.1, 10.9, 12.0]  # differences -1, -0.9, -1.1, -1
MIXED = [9.0, 12.0, 11.5, 13.6]  # -1, +1, -0.5, +0.6
UP = [11.0, 12.2, 12.9, 14.0]  # +1, +1.2, +0.9, +1


def _table() -> pd.DataFrame:
    """Replication values of metric m: the reference arm a at point 0; the others at
    point 1, and a at point 1 with replication 3 missing (NaN); rows shuffled."""
    arms = {(0, "a"): BASE, (1, "down"): DOWN, (1, "mixed"): MIXED, (1, "up"): UP,
            (1, "a"): [*DOWN[:3], np.nan]}
    rows = [(point, model, r, "", "m", value) for (point, model), values in arms.items()
            for r, value in enumerate(values)]
    rows.append((1, "single", 2, "", "m", 20.0))
    frame = pd.DataFrame(rows, columns=RUN_COLUMNS)
    return frame.sample(frac=1, random_state=3).reset_index(drop=True)


def _question(id_: str, model: str, expect: str, metric: str = "m",
              point: int = 1) -> Question:
    return Question(id_, ("001_x.txt",), "?", Arm(model, point, "x=1"), Arm("a", 0), metric, "",
                    expect)


def test_verdicts_follow_the_interval_and_the_expectation():
    questions = [_question("down_lower", "down", "lower"),
                 _question("up_higher", "up", "higher"),
                 _question("down_higher", "down", "higher"),
                 _question("up_lower", "up", "lower"),
                 _question("mixed_lower", "mixed", "lower"),
                 _question("down_report", "down", "report"),
                 _question("mixed_report", "mixed", "report"),
                 _question("missing_metric", "down", "lower", metric="other"),
                 _question("one_pair", "single", "higher"),
                 _question("nan_dropped", "a", "lower")]
    answers = answer_questions(questions, _table()).set_index("question")
    assert dict(answers["verdict"]) == {
        "down_lower": AS_EXPECTED, "up_higher": AS_EXPECTED, "down_higher": OPPOSITE,
        "up_lower": OPPOSITE, "mixed_lower": UNCLEAR, "down_report": REPORTED,
        "mixed_report": REPORTED, "missing_metric": NO_DATA, "one_pair": NO_INTERVAL,
        "nan_dropped": AS_EXPECTED}
    assert dict(answers["n"]) == {"down_lower": 4, "up_higher": 4, "down_higher": 4,
                                  "up_lower": 4, "mixed_lower": 4, "down_report": 4,
                                  "mixed_report": 4, "missing_metric": 0, "one_pair": 1,
                                  "nan_dropped": 3}


def test_answers_pair_by_replication_with_a_student_t_interval():
    answers = answer_questions([_question("q", "down", "lower")], _table()).iloc[0]
    differences = np.subtract(DOWN, BASE)  # paired by replication, not by row order
    half = stats.t.ppf(0.975, 3) * differences.std(ddof=1) / 2
    assert answers["mean_difference"] == pytest.approx(differences.mean())
    assert (answers["ci_low"], answers["ci_high"]) == pytest.approx(
        (differences.mean() - half, differences.mean() + half))
    assert (answers["compare"], answers["against"], answers["seed"]) == ("down at x=1", "a",
                                                                         "001_x.txt")


@pytest.mark.parametrize(("expect", "mean", "low", "high", "expected"), [
    ("lower", -1.0, -1.5, -0.5, AS_EXPECTED),
    ("lower", 1.0, 0.5, 1.5, OPPOSITE),
    ("higher", 1.0, 0.5, 1.5, AS_EXPECTED),
    ("higher", -1.0, -1.5, -0.5, OPPOSITE),
    ("higher", 0.5, -0.1, 1.1, UNCLEAR),
    ("lower", -0.5, -1.0, 0.0, UNCLEAR),  # an interval that touches zero includes it
    ("report", 1.0, 0.5, 1.5, REPORTED),
    ("report", 0.1, -0.5, 0.7, REPORTED),
    ("lower", -1.0, math.nan, math.nan, NO_INTERVAL),
    ("report", math.nan, math.nan, math.nan, NO_DATA),
])
def test_verdict(expect, mean, low, high, expected):
    assert verdict(expect, mean, low, high) == expected
