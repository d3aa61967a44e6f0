"""Whole-configuration checks: routing, flow, offered load."""

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pathways.config import Config, load_config_text, offered_loads, stage_arrival_rates
from pathways.config.lint import lint
from tests.config.samples import MMC


def _config(text: str) -> Config:
    return Config.model_validate(yaml.safe_load(text))


def test_mmc_offered_load_is_rho():
    assert offered_loads(_config(MMC)) == {"clinicians": pytest.approx(0.9)}


def test_traffic_equations_count_patients_who_loop_back():
    config = _config("""
        name: loop
        horizon_days: 100
        resources: {desk: {capacity: 2}, nurse: {capacity: 3}}
        arrivals: [{pathway: p, rate_per_day: 2}]
        pathways:
          p:
            stages:
              first: {resource: desk, duration: {dist: fixed, value: 0.5}, next: second}
              second:
                resource: nurse
                duration: {dist: exponential, mean: 1}
                next: {first: 0.5, exit: 0.5}
        """)
    # lambda_first = 2 + 0.5 lambda_second and lambda_second = lambda_first: both are 4
    assert stage_arrival_rates(config) == {
        "p": {"first": pytest.approx(4), "second": pytest.approx(4)}
    }
    assert offered_loads(config) == {
        "desk": pytest.approx(4 * 0.5 / 2),
        "nurse": pytest.approx(4 / 3),
    }


def test_load_counts_arrivals_entering_at_later_stages_and_closed_hours():
    config = _config("""
        name: two-doors
        horizon_days: 100
        resources: {clinicians: {capacity: 5, calendar: weekdays}}
        arrivals:
          - {pathway: clinic, rate_per_day: 1}
          - pathway: walk_in
            start: consult
            rate_per_day: 1
            day_of_week_factors: [1.4, 1.4, 1.4, 1.4, 1.4, 0, 0]
        pathways:
          clinic:
            stages:
              consult: {resource: clinicians, duration: {dist: exponential, mean: 1}}
          walk_in:
            stages:
              queue_outside: {duration: {dist: fixed, value: 0.1}, next: consult}
              consult: {resource: clinicians, duration: {dist: fixed, value: 0.1}}
        """)
    work_per_day = 1.0 * 1.0 + 1.0 * 0.1
    assert offered_loads(config)["clinicians"] == pytest.approx(work_per_day / (5 * 40 / 168))


def test_an_overloaded_resource_loads_with_a_warning_naming_it_and_its_load():
    loaded = load_config_text(MMC.replace("rate_per_day: 4.5", "rate_per_day: 5.6"), "busy.yaml")
    (warning,) = loaded.warnings
    assert warning.format() == (
        "busy.yaml:5: resources.clinicians: resource 'clinicians' has offered load 1.12 >= 1: "
        "its queue will grow without limit"
    )


def test_an_unused_resource_is_a_warning():
    text = MMC.replace(
        "clinicians: {capacity: 5}", "clinicians: {capacity: 5}\n  porters: {capacity: 2}"
    )
    (warning,) = load_config_text(text).warnings
    assert (warning.field_path, warning.line) == ("resources.porters", 6)
    assert warning.message == "resource 'porters' is not used by any stage"


def test_a_route_with_probability_zero_is_not_a_way_out():
    config = _config(MMC.replace("next: exit", "next: {consult: 1.0, exit: 0.0}"))
    errors, _ = lint(config)
    assert [e.message for e in errors] == [
        "patients loop forever: no route from stage 'consult' leads to 'exit'"
    ]


def test_a_stage_reached_only_by_an_arrival_is_reachable():
    config = _config(
        MMC
        + """\
      follow_up: {resource: clinicians, duration: {dist: fixed, value: 0.1}}
"""
    )
    assert lint(config)[0][0].message.startswith("stage 'follow_up' can never be reached")
    with_arrival = Config.model_validate(
        {
            **config.model_dump(),
            "arrivals": [
                {"pathway": "clinic", "rate_per_day": 1.0},
                {"pathway": "clinic", "start": "follow_up", "rate_per_day": 1.0},
            ],
        }
    )
    assert lint(with_arrival) == ([], [])


# --- routing probabilities: a property -------------------------------------------------

ROUTED = """
name: routed
horizon_days: 100
resources: {desk: {capacity: 1000}}
arrivals:
  - {pathway: p, rate_per_day: 1}
  - {pathway: p, start: b, rate_per_day: 1}
  - {pathway: p, start: c, rate_per_day: 1}
pathways:
  p:
    stages:
      a: {resource: desk, duration: {dist: fixed, value: 0.1}, next: exit}
      b: {resource: desk, duration: {dist: fixed, value: 0.1}}
      c: {resource: desk, duration: {dist: fixed, value: 0.1}}
"""

weights = st.dictionaries(
    st.sampled_from(["b", "c", "exit"]),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    min_size=1,
).filter(lambda w: sum(w.values()) > 0)


def _with_next(next_: dict[str, float]) -> Config:
    data = yaml.safe_load(ROUTED)
    data["pathways"]["p"]["stages"]["a"]["next"] = next_
    return Config.model_validate(data)


def _normalised(w: dict[str, float]) -> dict[str, float]:
    total = sum(w.values())
    return {target: weight / total for target, weight in w.items()}


@given(weights)
def test_normalised_probabilities_always_pass(w):
    assert lint(_with_next(_normalised(w)))[0] == []


@given(weights, st.floats(min_value=1e-8, max_value=0.5), st.booleans())
def test_probabilities_off_by_more_than_the_tolerance_always_fail(w, size, up):
    probabilities = _normalised(w)
    target = min(probabilities)
    probabilities[target] += size if up else -size
    errors, _ = lint(_with_next(probabilities))
    assert any(e.message.startswith("probabilities sum to") for e in errors)


def test_a_resource_near_full_load_is_a_warning_and_one_comfortably_below_is_not():
    near = load_config_text(MMC.replace("rate_per_day: 4.5", "rate_per_day: 4.85"), "near.yaml")
    (warning,) = near.warnings
    assert warning.format().startswith(
        "near.yaml:5: resources.clinicians: resource 'clinicians' has offered load 0.97, "
        "near 1: its queue and waits will swing widely and settle slowly")
    below = load_config_text(MMC.replace("rate_per_day: 4.5", "rate_per_day: 4.6"), "ok.yaml")
    assert below.warnings == ()
