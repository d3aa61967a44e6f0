"""Runner files: their shape and errors, the designs, and points applied to models.

Models: the small economy in malformed_runners/models/ (two practices, two trusts,
clinics, beds, a practice nurse clinic; `pooled.yaml` extends it) and the shipped
models. Every file in malformed_runners/ is a runner file that must be rejected;
like tests/config/malformed/, each starts with `# expect: <text>` lines, `# line: N`
(the line the first issue points at) and, where it lies in another file, `# file:`.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.config import ConfigError, load_config
from pathways.config.overrides import PointError, configure
from pathways.experiment.runner import AutoReplications, load_runner
from pathways.experiment.runner_file import DEFAULT_METRICS
from tests.malformed_corpus import JARGON, assert_rejected_clearly

HERE = Path(__file__).parent
MALFORMED = HERE / "malformed_runners"
MODELS = MALFORMED / "models"
REPO = HERE.parents[1]
CASES = sorted(MALFORMED.glob("*.yaml"))


def _runner(folder: Path, text: str, name: str = "sweep.yaml") -> Path:
    """A runner file in `folder`; MODELS and REPO in `text` lead to the small economy's
    folder and to the repository."""
    path = folder / name
    path.write_text(text.replace("MODELS", os.path.relpath(MODELS, folder))
                    .replace("REPO", os.path.relpath(REPO, folder)))
    return path


@pytest.fixture(scope="module")
def small():
    return load_config(MODELS / "small.yaml").config


# --- malformed runner files --------------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_malformed_runner_is_rejected_clearly(path):
    assert_rejected_clearly(path, load_runner)


# --- the file's fields --------------------------------------------------------------------


def test_models_are_found_relative_to_the_runner_file(tmp_path):
    (tmp_path / "models").mkdir()
    for name in ("small.yaml", "pooled.yaml", "practices.csv"):
        shutil.copy(MODELS / name, tmp_path / "models" / name)
    (tmp_path / "sweeps").mkdir()
    path = tmp_path / "sweeps" / "capacity.yaml"
    path.write_text("name: capacity\nmodels: [../models/small.yaml, ../models/pooled.yaml]\n"
                    "baseline: pooled\nreplications: 4\nseed: 7\n")
    runner = load_runner(path)
    assert runner.name == "capacity"
    assert runner.path == path
    models = tmp_path / "models"
    assert runner.models == (models / "small.yaml", models / "pooled.yaml")
    assert runner.model_names == ("small", "pooled")
    assert runner.baseline == "pooled"
    assert (runner.replications, runner.seed) == (4, 7)
    assert runner.text_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_defaults(tmp_path):
    runner = load_runner(_runner(tmp_path, "models: [MODELS/small.yaml, MODELS/pooled.yaml]\n",
                                 "defaults.yaml"))
    assert runner.name == "defaults"
    assert runner.baseline == "small"  # the first model
    assert (runner.replications, runner.seed, runner.design) == (10, 0, "grid")
    assert runner.parameters == ()
    assert [(p.index, p.values, p.label) for p in runner.points] == [(0, {}, "base")]
    # the small economy stops RTT clocks at admission but has no chronic care
    assert runner.auto.metrics == ("rtt_admitted_median_weeks", "wait_mean")


def test_auto_replications(tmp_path):
    runner = load_runner(_runner(tmp_path, """\
models: [MODELS/small.yaml]
replications: auto
auto: {target_half_width: 0.1, initial: 3, max: 30, metrics: [wait_p90]}
"""))
    assert runner.replications is None
    assert runner.auto == AutoReplications(0.1, 3, 30, ("wait_p90",))


def test_default_auto_metrics_follow_the_models(tmp_path):
    runner = load_runner(_runner(tmp_path, "models: [REPO/models/integrated.yaml]\n"))
    assert runner.auto.metrics == DEFAULT_METRICS
    plain = load_runner(_runner(tmp_path, "models: [REPO/configs/examples/mmc.yaml]\n"))
    assert plain.auto.metrics == ("wait_mean",)


# --- designs ------------------------------------------------------------------------------


def test_grid_is_the_full_product_last_parameter_fastest(tmp_path):
    runner = load_runner(_runner(tmp_path, """\
models: [MODELS/small.yaml, MODELS/pooled.yaml]
parameters:
  choice.wait_weeks: [-0.005, -0.01, -0.02]
  capacity_multiplier.outpatients: [0.9, 1.0]
  allocation.policy: [nearest, choice]
"""))
    assert runner.parameters == ("choice.wait_weeks", "capacity_multiplier.outpatients",
                                 "allocation.policy")
    assert len(runner.points) == 12
    assert [p.index for p in runner.points] == list(range(12))
    assert runner.points[0].values == {"choice.wait_weeks": -0.005,
                                       "capacity_multiplier.outpatients": 0.9,
                                       "allocation.policy": "nearest"}
    assert runner.points[1].values["allocation.policy"] == "choice"
    assert runner.points[2].values["capacity_multiplier.outpatients"] == 1.0
    assert runner.points[4].values["choice.wait_weeks"] == -0.01
    assert runner.points[-1].label == ("choice.wait_weeks=-0.02, "
                                       "capacity_multiplier.outpatients=1.0, "
                                       "allocation.policy=choice")


def test_single_values_true_false_and_null(tmp_path):
    runner = load_runner(_runner(tmp_path, """\
models: [MODELS/small.yaml]
parameters:
  patient_choice.threshold_weeks: [null, 18]
  navigators.share: 0.5
"""))
    assert [p.label for p in runner.points] == [
        "patient_choice.threshold_weeks=null, navigators.share=0.5",
        "patient_choice.threshold_weeks=18, navigators.share=0.5",
    ]


LHS = """\
models: [MODELS/small.yaml]
design: {{lhs: {count}, seed: {seed}}}
parameters:
  handoff.between_organisations.delay_days: {{low: 1, high: 3}}
  capacity_multiplier.outpatients: {{low: 0.5, high: 1.5}}
  allocation.policy: [nearest, choice, shortest_wait, pooled]
"""


def _lhs(folder: Path, count: int, seed: int, name: str = "lhs.yaml"):
    return load_runner(_runner(folder, LHS.format(count=count, seed=seed), name))


def test_latin_hypercube_uses_every_stratum_once(tmp_path):
    count = 20
    runner = _lhs(tmp_path, count, seed=3)
    assert runner.design == "lhs" and runner.design_seed == 3
    assert len(runner.points) == count
    for key, low, high in [("handoff.between_organisations.delay_days", 1, 3),
                           ("capacity_multiplier.outpatients", 0.5, 1.5)]:
        values = [p.values[key] for p in runner.points]
        assert all(low <= v <= high for v in values)
        strata = sorted(math.floor((v - low) / (high - low) * count) for v in values)
        assert strata == list(range(count))
    policies = [p.values["allocation.policy"] for p in runner.points]
    assert {policy: policies.count(policy) for policy in policies} == {
        "nearest": 5, "choice": 5, "shortest_wait": 5, "pooled": 5}


def test_latin_hypercube_is_reproducible_and_depends_on_its_seed(tmp_path):
    first = _lhs(tmp_path, 10, seed=1, name="a.yaml")
    again = _lhs(tmp_path, 10, seed=1, name="b.yaml")
    other = _lhs(tmp_path, 10, seed=2, name="c.yaml")
    assert [p.values for p in first.points] == [p.values for p in again.points]
    assert [p.values for p in first.points] != [p.values for p in other.points]


def test_latin_hypercube_seed_defaults_to_the_runners(tmp_path):
    text = LHS.format(count=8, seed=5).replace(", seed: 5", "") + "seed: 5\n"
    runner = load_runner(_runner(tmp_path, text))
    assert runner.design_seed == 5
    explicit = _lhs(tmp_path, 8, 5, "x.yaml")
    assert [p.values for p in runner.points] == [p.values for p in explicit.points]


def test_latin_hypercube_values_are_short_and_labelled_exactly(tmp_path):
    runner = _lhs(tmp_path, 10, seed=0)
    for point in runner.points:
        delay = point.values["handoff.between_organisations.delay_days"]
        assert f"delay_days={delay}," in point.label
        assert len(str(delay)) <= 6  # width 0.2: four decimals at most


# --- points applied to models ---------------------------------------------------------


def test_configure_with_a_point_points_at_the_runner_file(tmp_path, small):
    path = _runner(tmp_path, """\
models: [MODELS/small.yaml]
parameters:
  choice.wait_weeks: [-0.01, -0.02]
  pathways.elective.stages.outpatient.next.surgery: [0.3, 0.5]
""")
    runner = load_runner(path, check_points=False)  # the second surgery value breaks routing
    point = runner.points[1]
    assert configure(small, runner.points[0]).choice.wait_weeks == -0.01
    with pytest.raises(PointError) as caught:
        configure(small, point)
    (issue,) = caught.value.issues
    assert (issue.file, issue.line) == (str(path), 4)
    assert issue.field_path == "parameters.pathways.elective.stages.outpatient.next.surgery"
    assert issue.message == (
        "model 'small', point 1 (choice.wait_weeks=-0.01, pathways.elective.stages.outpatient."
        "next.surgery=0.5): pathways.elective.stages.outpatient.next: probabilities sum to 1.2, "
        "not 1")
    with pytest.raises(ConfigError, match="point 1 .* and 1 other point"):
        load_runner(path)


def test_a_problem_in_several_models_is_reported_once():
    with pytest.raises(ConfigError) as caught:
        load_runner(MALFORMED / "unknown_resource.yaml")
    (issue,) = caught.value.issues
    assert "in models 'small' and 'pooled'" in issue.message


def test_a_single_model_file(tmp_path):
    runner = load_runner(_runner(tmp_path, "models: MODELS/pooled.yaml\n"))
    assert runner.models == (MODELS / "pooled.yaml",)
    assert runner.baseline == "pooled"


# --- any damage to a valid runner file gives a ConfigError, never a crash ---------------

VALID = """\
name: damaged
models: [MODELS/small.yaml, MODELS/pooled.yaml]
baseline: pooled
replications: auto
auto: {target_half_width: 0.05, initial: 5, max: 40, metrics: [wait_mean]}
seed: 0
design: {lhs: 4, seed: 2}
parameters:
  choice.wait_weeks: [-0.005, -0.01]
  handoff.between_organisations.delay_days: {low: 1, high: 3}
  capacity_multiplier.beds: [0.9, 1.2]
  resources.east_beds.capacity: [1, 2]
  practices.rows.0.list_size: [100, 200]
"""
DAMAGE = [*" :-[]{},#\n'\"0123456789.", "lhs", "grid", "auto", "null", "- ", "~", "low",
          "high", "capacity_multiplier.", "true", "[0]"]


@st.composite
def damaged_texts(draw) -> str:
    text = VALID
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text) - 1))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(st.sampled_from(["", *DAMAGE])) + text[at + cut:]
    return text


@settings(max_examples=100, deadline=None)
@given(damaged_texts())
def test_damaged_runner_files_load_or_fail_with_a_plain_message(tmp_path_factory, text):
    path = _runner(tmp_path_factory.mktemp("damaged"), text)
    try:
        load_runner(path)
    except ConfigError as error:
        assert error.issues
        for word in JARGON:
            assert word not in str(error)
