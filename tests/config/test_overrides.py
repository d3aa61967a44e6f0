"""Overrides: a configuration with fields set by dotted path or scaled by capacity
multipliers, validated and linted again, with errors that name the key behind them.

Model: the small economy in tests/experiment/malformed_runners/models/ (two practices,
two trusts, clinics, beds, a practice nurse clinic) and the shipped models.
"""

from __future__ import annotations

import math
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from pathways.config import ConfigError, load_config
from pathways.config.overrides import OverrideSource, PointError, configure

REPO = Path(__file__).parents[2]
SMALL = REPO / "tests" / "experiment" / "malformed_runners" / "models" / "small.yaml"


@pytest.fixture(scope="module")
def small():
    return load_config(SMALL).config


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
    assert (error.model, error.label) == (
        "small", "pathways.elective.stages.outpatient.next.surgery=0.5")
    assert str(error) == ("model 'small': pathways.elective.stages.outpatient.next: probabilities "
                          "sum to 1.2, not 1 (at point pathways.elective.stages.outpatient."
                          "next.surgery=0.5)")


def test_a_point_error_survives_pickling(small):
    with pytest.raises(PointError) as caught:
        configure(small, {"handoff.between_organisations.record_missing": 2.0})
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.issues, copy.model, copy.label, str(copy)) == (
        caught.value.issues, "small", "handoff.between_organisations.record_missing=2.0",
        str(caught.value))




def test_a_plain_mapping_with_an_unknown_path_is_a_plain_config_error(small):
    # how a notebook calls it: no runner file, no point, just the keys
    with pytest.raises(ConfigError) as caught:
        configure(small, {"resources.east_beds.capacty": 4})
    (issue,) = caught.value.issues
    assert issue.field_path == "resources.east_beds.capacty"
    assert issue.suggestion == "resources.east_beds.capacity"
    assert str(caught.value).startswith("model 'small': resources.east_beds.capacty: no "
                                        "'capacty' under 'resources.east_beds' in model 'small'")
    with pytest.raises(ConfigError, match="'choice..wait_weeks' is not a configuration path"):
        configure(small, {"choice..wait_weeks": 1})


def test_list_indices_as_numbers_or_in_brackets(small):
    dotted = configure(small, {"practices.rows.1.list_size": 4000})
    bracketed = configure(small, {"practices.rows[1].list_size": 4000})
    assert dotted == bracketed
    assert dotted.practices.rows[1].list_size == 4000


class _Written:
    """Overrides that know where they were written, without pathways.experiment."""

    index = 3
    values = {"choice.wait_weeks": -0.01, "handoff.between_organisations.record_missing": 2.0}
    source = OverrideSource("sweep.yaml", 4, {"handoff.between_organisations.record_missing": 6})


def test_located_overrides_point_at_the_line_of_the_key_behind_the_problem(small):
    with pytest.raises(PointError) as caught:
        configure(small, _Written())
    (issue,) = caught.value.issues
    assert (issue.file, issue.line) == ("sweep.yaml", 6)
    assert issue.field_path == "parameters.handoff.between_organisations.record_missing"
    assert issue.message.startswith("model 'small', point 3 (choice.wait_weeks=-0.01, ")


def test_the_config_package_does_not_import_experiments():
    code = ("import sys, pathways.config.overrides; "
            "print(sorted(m for m in sys.modules if m.startswith('pathways.experiment')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
