"""The redesign library loads on its own and under each way of organising care, and its
stage edits change the demo's pathways as each file's comment says: the expected
visits per referral, worked out here from the routing by solving its linear
equations, fall where the redesign saves a visit and stay where it only moves one."""

from functools import cache
from pathlib import Path

import pytest

from pathways.config import load_config as load_file
from tests.config.expected_visits import expected_visits

ROOT = Path(__file__).parents[2]
REDESIGNS = ("advice_and_guidance", "community_triage", "one_stop_clinic",
             "patient_initiated_follow_up", "straight_to_test", "virtual_follow_up")
ELECTIVE = ("orthopaedics", "ophthalmology", "general_surgery")


@cache
def load_config(path: Path):
    return load_file(path)


def _visits(config, pathway_name: str) -> float:
    """Expected visits to stages that hold a resource, per patient entering."""
    pathway = config.pathways[pathway_name]
    return sum(visits for name, visits in expected_visits(pathway).items()
               if pathway.stages[name].kind is not None
               or pathway.stages[name].resource is not None)


BASE = load_config(ROOT / "configs" / "demo_economy.yaml").config


def test_the_library_holds_the_six_redesigns_and_the_runner_each_under_both_models():
    # (a user's own copies may sit beside them)
    library = {path.stem for path in (ROOT / "models" / "redesigns").glob("*.yaml")}
    assert set(REDESIGNS) <= library
    combined = {path.stem for path in (ROOT / "runners" / "redesigns").glob("*.yaml")}
    assert combined == {f"{o}_{r}" for o in ("integrated", "competitive") for r in REDESIGNS}


@pytest.mark.parametrize(("redesign", "saves"), [
    ("one_stop_clinic", True), ("straight_to_test", True), ("advice_and_guidance", True),
    ("patient_initiated_follow_up", True), ("community_triage", True),
    ("virtual_follow_up", False)])
def test_a_redesign_saves_visits_where_its_mechanism_removes_one(redesign, saves):
    config = load_config(ROOT / "models" / "redesigns" / f"{redesign}.yaml").config
    for pathway in ELECTIVE:
        before, after = _visits(BASE, pathway), _visits(config, pathway)
        if saves:
            assert after < before - 0.01, (pathway, before, after)
        else:  # a virtual follow-up is still a visit, on another kind of resource
            assert after == pytest.approx(before), (pathway, before, after)


def test_straight_to_test_leaves_where_patients_end_up_and_their_tests_unchanged():
    config = load_config(ROOT / "models" / "redesigns" / "straight_to_test.yaml").config
    for pathway in ELECTIVE:
        base, after = BASE.pathways[pathway], config.pathways[pathway]
        tests_before = base.stages["first_outpatient"].routing()["diagnostics"]
        router = after.stages["bypass_first_outpatient"].routing()
        tests_after = (router["diagnostics"] + router["first_outpatient"]
                       * after.stages["first_outpatient"].routing()["diagnostics"])
        assert tests_after == pytest.approx(tests_before, abs=1e-4)


def test_each_combination_extends_its_model_and_its_redesign():
    for organisation in ("integrated", "competitive"):
        for redesign in REDESIGNS:
            text = (ROOT / "runners" / "redesigns" / f"{organisation}_{redesign}.yaml"
                    ).read_text()
            assert (f"extends: [../../models/{organisation}.yaml, "
                    f"../../models/redesigns/{redesign}.yaml]") in text


# Loaded in full for the two redesigns that change most besides stage edits (a stage
# field written as an overlay; resources added and resized): the runner test loads
# every combination.
@pytest.mark.parametrize("organisation", ["integrated", "competitive"])
@pytest.mark.parametrize("redesign", ["one_stop_clinic", "virtual_follow_up"])
def test_each_redesign_keeps_its_changes_under_each_way_of_organising_care(
        organisation, redesign):
    combined = load_config(ROOT / "runners" / "redesigns" / f"{organisation}_{redesign}.yaml"
                           ).config
    alone = load_config(ROOT / "models" / "redesigns" / f"{redesign}.yaml").config
    model = load_config(ROOT / "models" / f"{organisation}.yaml").config
    assert combined.pathways == alone.pathways
    assert combined.resources == alone.resources
    assert combined.allocation == model.allocation
    assert combined.organisations == model.organisations
