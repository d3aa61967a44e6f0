"""Facts derived from a configuration (pathways.config.derived), on the hand-worked
economy of tests/config/hand_economy.py: their values, computed once per
configuration object, never stale for a changed copy, never keeping a config alive."""

import gc
import weakref

import pytest

from pathways.config import load_config
from pathways.config.derived import (
    chronic_starts_per_day,
    contract_of,
    economy_practices,
    practice_clinics,
    practice_kinds,
    prevalence_weights,
    provider_sites,
    referrals_per_day,
    resource_kinds,
    resource_line,
)
from tests.config.hand_economy import write_economy


@pytest.fixture
def config(tmp_path):
    return load_config(write_economy(tmp_path)).config


def test_the_hand_worked_facts(config):
    assert resource_kinds(config) == {"outpatients", "diagnostics", "beds", "practice_nurse"}
    assert practice_kinds(config) == {"practice_nurse"}
    # one nurse per 1,000 patients: 10 at P1, 20 at P2
    assert [(c.name, c.practice_index, c.servers) for c in practice_clinics(config)] == [
        ("P1:nurse", 0, 10), ("P2:nurse", 1, 20)]
    assert provider_sites(config, "elective") == (("east_trust", "east"), ("west_trust", "west"))
    assert provider_sites(config, "elective", "diagnostics") == (
        ("east_trust", "annex"), ("west_trust", "west"))
    assert referrals_per_day(config, "elective") == pytest.approx(6.6)  # 0.22 per 1,000 a day
    assert prevalence_weights(config, "copd") == (10_000, 20_000)
    assert chronic_starts_per_day(config, "copd_review") == pytest.approx(300 / 100)
    assert chronic_starts_per_day(config, "copd_admission") == pytest.approx(300 * 3.65 / 365)
    assert contract_of(config, "west_trust") == ("activity", ("contracts", "default"))


def test_a_list_is_elective_when_a_pathway_with_an_rtt_clock_can_use_it(config):
    assert resource_line(config, "west_clinic") == "elective"  # by kind, on `elective`
    assert resource_line(config, "west_beds") == "non_elective"  # copd admissions only


def test_a_fact_is_computed_once_per_configuration(config):
    assert practice_clinics(config) is practice_clinics(config)
    assert provider_sites(config, "elective") is provider_sites(config, "elective")
    assert provider_sites(config, "elective") is not provider_sites(config, "elective", "beds")


def test_a_changed_copy_has_facts_of_its_own(config):
    resource_kinds(config)  # computed, and kept for `config`
    resources = {name: r for name, r in config.resources.items() if r.kind != "beds"}
    changed = config.model_copy(update={"resources": resources})
    assert "beds" in resource_kinds(config)
    assert "beds" not in resource_kinds(changed)


def test_facts_do_not_keep_a_configuration_alive(tmp_path):
    config = load_config(write_economy(tmp_path)).config
    practice_clinics(config)
    alive = weakref.ref(config)
    del config
    gc.collect()
    assert alive() is None


def test_only_an_economy_places_patients_by_practice(config):
    assert economy_practices(config) is config.practices
    with pytest.raises(ValueError, match="health economy"):
        economy_practices(config.model_copy(update={"practices": None}))
