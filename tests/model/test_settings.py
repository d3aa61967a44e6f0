"""Settings by dotted path: what two resolved configurations differ in, and which of
those differences drive an outcome by assumption."""

from pathlib import Path

from pathways.config import load_config, load_config_text
from pathways.model.settings import differing_settings, input_driven, settings
from tests.config.samples import MMC

ROOT = Path(__file__).parents[2]


def test_settings_are_dotted_paths_with_lists_of_values_kept_whole():
    flat = settings(load_config_text(MMC).config)
    assert flat["horizon_days"] == 20000 and flat["resources.clinicians.capacity"] == 5
    assert flat["arrivals[0].rate_per_day"] == 4.5
    assert flat["need.referral_multiplier_by_quintile"] == [1.0] * 5  # one setting
    assert "name" not in flat and not any(path.startswith("pathways") for path in flat)
    assert not any(value == {} for value in flat.values())  # no empty mapping


def test_integrated_and_competitive_differ_in_allocation_owners_and_contracts():
    competitive = settings(load_config(ROOT / "models" / "competitive.yaml").config)
    integrated = settings(load_config(ROOT / "models" / "integrated.yaml").config)
    differing = {path: (a, b) for path, a, b in differing_settings(competitive, integrated)}
    assert differing["allocation.policy"] == ("choice", "pooled")
    for trust in ("city_trust", "north_trust", "south_trust", "community"):
        assert differing[f"organisations.{trust}.owner"] == (None, "ico")
    assert differing["practices.organisation"] == (None, "ico")
    assert differing["contracts.providers.ico"] == (None, "capitated")
    assert "resources.city_beds.capacity" not in differing  # the same economy
    assert differing_settings(competitive, competitive) == []


def test_settings_that_drive_an_outcome_by_assumption_are_flagged():
    assert input_driven("chronic.case_management.rate_multiplier")[0] == (
        "emergency_admissions_per_1000_patient_years")
    assert input_driven("handoff.between_organisations.delay_days")[0] == (
        "handoff_delay_days_per_pathway")
    assert input_driven("handoff.within_organisation.repeat_test")[0] == (
        "repeat_tests_per_pathway")
    for mechanism in ("allocation.policy", "organisations.city_trust.owner",
                      "chronic.case_management.provided"):
        assert input_driven(mechanism) is None
