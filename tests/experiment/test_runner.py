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
import pickle
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.config import ConfigError, load_config
from pathways.config.overrides import PointError, configure
from pathways.experiment.designs import Point
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
    assert runner.models == (tmp_path / "models" / "small.yaml", tmp_path / "models" / "pooled.yaml")
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
    assert [p.values for p in runner.points] == [p.values for p in _lhs(tmp_path, 8, 5, "x.yaml").points]


def test_latin_hypercube_values_are_short_and_labelled_exactly(tmp_path):
    runner = _lhs(tmp_path, 10, seed=0)
    for point in runner.points:
        delay = point.values["handoff.between_organisations.delay_days"]
        assert f"delay_days={delay}," in point.label
        assert len(str(delay)) <= 6  # width 0.2: four decimals at most


# --- configure ----------------------------------------------------------------------------


def test_configure_sets_nested_values_and_leaves_the_original(small):
    before = small.model_dump()
    configured = configure(small, {
        "pathways.elective.stages.surgery.duration.mean": 3.5,
        "handoff.between_organisations.delay_days": 2,
        "resources.west_clinic.capacity": 4,
        "practices.rows.1.list_size": 5000,
        "allocation.policy": "pooled",
    })
    assert configured.pathways["elective"].stages["surgery"].duration.mean == 3.5
    assert configured.handoff.between_organisations.delay_days == 2
    assert configured.resources["west_clinic"].capacity == 4
    assert configured.practices.rows[1].list_size == 5000
    assert configured.allocation.policy == "pooled"
    assert small.model_dump() == before
    assert configure(small, {}) == small


def test_capacity_multiplier_scales_a_kind_rounding_to_at_least_one(small):
    # beds: east 5, west 1; outpatients: east 2, west 3; practice nurse 0.25 per 1,000
    def beds(factor):
        config = configure(small, {"capacity_multiplier.beds": factor})
        return config.resources["east_beds"].capacity, config.resources["west_beds"].capacity

    assert beds(0.7) == (4, 1)     # 3.5 (3.4999999999999996 in floating point) and 0.7
    assert beds(0.1) == (1, 1)     # never below one
    assert beds(1.5) == (8, 2)     # 7.5 and 1.5
    assert beds(2.4) == (12, 2)
    untouched = configure(small, {"capacity_multiplier.beds": 3.0}).resources
    assert (untouched["east_clinic"].capacity, untouched["west_clinic"].capacity) == (2, 3)
    nurse = configure(small, {"capacity_multiplier.practice_nurse": 2.0}).practices.clinics
    assert nurse["nurse"].servers_per_1000 == 0.5


def test_capacity_multiplier_scales_bookable_slots_exactly(small):
    clinics = configure(small, {"capacity_multiplier.outpatients": 1.1}).resources
    assert clinics["east_clinic"].slots_per_session == pytest.approx(5.5)
    assert clinics["west_clinic"].slots_per_session == pytest.approx(5.5)
    assert (clinics["east_clinic"].capacity, clinics["west_clinic"].capacity) == (2, 3)


def test_a_capacity_multiplier_that_changes_nothing_is_an_error(small):
    # beds 5 and 1 x 0.9: 4.5 rounds back up to 5, 0.9 to 1, so no bed is added or lost
    with pytest.raises(PointError, match=r"capacity_multiplier.beds: a capacity multiplier "
                       r"of 0.9 changes nothing for kind 'beds'"):
        configure(small, {"capacity_multiplier.beds": 0.9})
    configure(small, {"capacity_multiplier.beds": 1.0})  # 1 is the base, never an error


def test_capacity_multiplier_applies_after_set_capacities(small):
    config = configure(small, {"capacity_multiplier.beds": 2.0,
                               "resources.east_beds.capacity": 3})
    assert config.resources["east_beds"].capacity == 6


def test_capacity_multiplier_on_the_shipped_models():
    loaded = load_config(REPO / "models" / "integrated.yaml")
    config = loaded.config
    beds = {name: r.capacity for name, r in config.resources.items() if r.kind == "beds"}
    scaled = configure(config, {"capacity_multiplier.beds": 1.2})
    assert {name: scaled.resources[name].capacity for name in beds} == {
        name: max(1, math.floor(capacity * 1.2 + 0.5 + 1e-9)) for name, capacity in beds.items()}
    others = {name for name, r in config.resources.items() if r.kind != "beds"}
    assert all(scaled.resources[name] == config.resources[name] for name in others)


def test_whole_numbers_stay_whole(small):
    assert configure(small, {"resources.east_beds.capacity": 4.0}).resources[
        "east_beds"].capacity == 4
    assert isinstance(configure(small, {"resources.east_beds.capacity": 4.0}).resources[
        "east_beds"].capacity, int)
    with pytest.raises(PointError, match=r"expected a whole number \(the model has 5\), got 4\.5"):
        configure(small, {"resources.east_beds.capacity": 4.5})
    # a number field takes a whole number as it is
    assert configure(small, {"choice.wait_weeks": 0}).choice.wait_weeks == 0


def test_configure_unknown_path_suggests_the_field(small):
    with pytest.raises(PointError) as caught:
        configure(small, {"choice.wait_week": -0.01})
    (issue,) = caught.value.issues
    assert issue.file == "model 'small'"
    assert issue.suggestion == "choice.wait_weeks"
    assert "no 'wait_week' under 'choice' in model 'small'" in issue.message
    assert "at point choice.wait_week=-0.01" in issue.message
    assert "wait_weeks" in issue.allowed


def test_configure_names_the_point_that_breaks_lint(small):
    values = {"pathways.elective.stages.outpatient.next.surgery": 0.5}
    with pytest.raises(PointError) as caught:
        configure(small, values)
    error = caught.value
    assert (error.model, error.label) == ("small", "pathways.elective.stages.outpatient.next.surgery=0.5")
    assert str(error) == ("model 'small': pathways.elective.stages.outpatient.next: probabilities "
                          "sum to 1.2, not 1 (at point pathways.elective.stages.outpatient."
                          "next.surgery=0.5)")


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


def test_points_compare_by_index_and_values():
    assert Point(0, {"a": 1}) == Point(0, {"a": 1})
    assert Point(0, {}).label == "base"
    assert Point(2, {"a.b": True, "c": None, "d": "x"}).label == "a.b=true, c=null, d=x"


def test_a_point_error_survives_pickling(small):
    with pytest.raises(PointError) as caught:
        configure(small, {"handoff.between_organisations.record_missing": 2.0})
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.issues, copy.model, copy.label, str(copy)) == (
        caught.value.issues, "small", "handoff.between_organisations.record_missing=2.0",
        str(caught.value))


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
