"""Whole-config checks of chronic cohorts and of stages that hold resources beyond their
own service: the valid cases load cleanly (the malformed/ corpus covers the errors)."""

from pathlib import Path

import pytest

from pathways.config import ConfigError, load_config_text

# Loaded as if it lay in malformed/, so that parts/practices.csv is found.
AT = Path(__file__).parent / "malformed" / "chronic.yaml"

CHRONIC_ECONOMY = """\
name: chronic
horizon_days: 1000
practices: {file: parts/practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 0, y_km: 0}}}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 20}
  theatres: {organisation: trust, site: hospital, kind: theatre, capacity: 2}
  ward: {organisation: trust, site: hospital, kind: beds, capacity: 100}
pathways:
  elective:
    referrals_per_1000_per_year: 10
    stages:
      surgery:
        kind: theatre
        duration: {dist: fixed, value: 0.1}
        cancel_if_next_full: {rebook_days: {dist: fixed, value: 7}}
        next: stay
      stay: {kind: beds, duration: {dist: exponential, mean: 2}}
  copd_review:
    stages:
      review: {kind: outpatients, duration: {dist: fixed, value: 0.02}}
  emergency:
    stages:
      admission: {kind: beds, duration: {dist: exponential, mean: 5},
                  keep_until_next_starts: true, next: home}
      home: {duration: {dist: exponential, mean: 3}}
chronic:
  conditions:
    copd:
      prevalence: 0.02
      review_pathway: copd_review
      review_interval_days: 365
      admission_pathway: emergency
      admissions_per_year: 0.3
"""


def _load(text: str):
    return load_config_text(text, AT)


def test_a_chronic_economy_loads_without_findings():
    loaded = _load(CHRONIC_ECONOMY)
    assert loaded.warnings == ()
    condition = loaded.config.chronic.conditions["copd"]
    assert (condition.review_pathway, condition.admission_pathway) == ("copd_review", "emergency")


def test_chronic_conditions_alone_are_enough_for_patients_to_arrive():
    before, after = CHRONIC_ECONOMY.split("  elective:\n")
    text = before + after[after.index("  copd_review:"):]
    loaded = _load(text.replace("  theatres:", "  # theatres:"))
    assert "elective" not in loaded.config.pathways
    assert loaded.warnings == ()


def test_cancel_if_next_full_accepts_one_next_stage_given_as_a_mapping():
    text = CHRONIC_ECONOMY.replace("        next: stay\n", "        next: {stay: 1.0}\n")
    assert _load(text).config.pathways["elective"].stages["surgery"].cancel_if_next_full


def test_cancel_if_next_full_and_keep_until_next_starts_work_with_plain_resources():
    loaded = load_config_text("""\
name: plain
horizon_days: 100
resources:
  theatre: {capacity: 1}
  beds: {capacity: 10}
arrivals:
  - {pathway: surgery, rate_per_day: 1}
pathways:
  surgery:
    stages:
      operation:
        resource: theatre
        duration: {dist: fixed, value: 0.1}
        cancel_if_next_full: {rebook_days: {dist: fixed, value: 7}}
        next: stay
      stay: {resource: beds, duration: {dist: exponential, mean: 2},
             keep_until_next_starts: true, next: discharge}
      discharge: {duration: {dist: fixed, value: 1}}
""", "plain.yaml")
    stages = loaded.config.pathways["surgery"].stages
    assert stages["stay"].keep_until_next_starts and stages["operation"].cancel_if_next_full


def test_rechoosing_at_another_stage_than_the_held_one_is_accepted():
    text = CHRONIC_ECONOMY.replace("pathways:\n",
                                   "allocation: {rechoose_at: [surgery]}\npathways:\n")
    assert _load(text).config.allocation.rechoose_at == ["surgery"]


def test_the_same_pathway_may_serve_reviews_and_admissions_of_several_conditions():
    text = CHRONIC_ECONOMY + """\
    asthma:
      prevalence: 0.05
      review_pathway: copd_review
      review_interval_days: 180
      admission_pathway: emergency
      admissions_per_year: 0.05
"""
    assert set(_load(text).config.chronic.conditions) == {"copd", "asthma"}


def test_every_condition_field_naming_a_pathway_is_checked():
    text = CHRONIC_ECONOMY.replace("review_pathway: copd_review", "review_pathway: copd_reveiw")
    text = text.replace("admission_pathway: emergency", "admission_pathway: elective")
    with pytest.raises(ConfigError) as caught:
        _load(text)
    paths = [issue.field_path for issue in caught.value.issues]
    assert paths == ["chronic.conditions.copd.review_pathway",
                     "chronic.conditions.copd.admission_pathway"]
    assert caught.value.issues[0].suggestion == "copd_review"
