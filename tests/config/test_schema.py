"""The pydantic models: distributions, calendars, arrivals and the whole Config."""

import pytest
import yaml
from pydantic import ValidationError

from pathways.config import (
    Arrival,
    Calendar,
    Config,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    LogNormal,
    Resource,
    Session,
    Stage,
    Triangular,
    Uniform,
)
from pathways.config.schema import WEEKDAYS
from tests.config.samples import MMC


def test_mmc_example_validates_unchanged():
    config = Config.model_validate(yaml.safe_load(MMC))
    assert config.resources["clinicians"].capacity == 5
    assert config.pathways["clinic"].stages["consult"].duration == Exponential(
        dist="exponential", mean=1.0
    )


@pytest.mark.parametrize(
    "model, data, mean",
    [
        (Exponential, {"dist": "exponential", "mean": 2.0}, 2.0),
        (Fixed, {"dist": "fixed", "value": 0.5}, 0.5),
        (Uniform, {"dist": "uniform", "low": 1, "high": 3}, 2.0),
        (Triangular, {"dist": "triangular", "low": 0, "mode": 1, "high": 5}, 2.0),
        (LogNormal, {"dist": "lognormal", "mean": 0.7, "sd": 0.3}, 0.7),
        (Gamma, {"dist": "gamma", "mean": 7, "cv": 0.5}, 7.0),
        (Empirical, {"dist": "empirical", "values": [1, 2, 6]}, 3.0),
    ],
)
def test_distributions_know_their_mean(model, data, mean):
    assert model.model_validate(data).mean_days() == pytest.approx(mean)


@pytest.mark.parametrize(
    "model, data, problem",
    [
        (Exponential, {"dist": "exponential", "mean": 0}, r"mean\n.*greater than 0"),
        (Fixed, {"dist": "fixed", "value": -1}, r"value\n.*greater than or equal to 0"),
        (Uniform, {"dist": "uniform", "low": 3, "high": 3}, r"high \(3\) must be greater"),
        (Triangular, {"dist": "triangular", "low": 1, "mode": 0.5, "high": 2},
         r"mode \(0.5\) must lie between"),
        (Triangular, {"dist": "triangular", "low": 1, "mode": 1, "high": 1},
         r"high \(1\) must be greater"),
        (LogNormal, {"dist": "lognormal", "mean": 1, "sd": 0}, r"sd\n.*greater than 0"),
        (Gamma, {"dist": "gamma", "mean": 1, "cv": -1}, r"cv\n.*greater than 0"),
        (Empirical, {"dist": "empirical", "values": []}, r"values\n.*at least 1 item"),
        (Empirical, {"dist": "empirical", "values": [1, -1]}, r"values.1\n.*greater than or"),
        (Exponential, {"dist": "exponential", "mean": float("inf")}, r"mean\n.*finite"),
    ],
)
def test_distributions_reject_impossible_parameters(model, data, problem):
    with pytest.raises(ValidationError, match=problem):
        model.model_validate(data)


def test_weekdays_calendar_has_five_intervals_and_forty_hours():
    intervals = WEEKDAYS.open_intervals_days()
    assert len(intervals) == 5
    assert intervals[1] == (1.375, pytest.approx(1 + 17 / 24))  # Tuesday 09:00-17:00
    assert WEEKDAYS.open_fraction() == pytest.approx(40 / 168)


def _calendar(*sessions: dict) -> Calendar:
    return Calendar.model_validate({"sessions": list(sessions)})


def test_calendar_merges_overlapping_and_touching_sessions():
    calendar = _calendar(
        {"days": ["mon"], "start": "09:00", "end": "12:00"},
        {"days": ["mon"], "start": "11:00", "end": "13:00"},
        {"days": ["mon"], "start": "13:00", "end": "14:00"},
        {"days": ["sun"], "start": "22:00", "end": "24:00"},
    )
    assert calendar.open_intervals_days() == ((9 / 24, 14 / 24), (6 + 22 / 24, 7.0))
    assert calendar.open_fraction() == pytest.approx(7 / 168)


def test_session_day_shorthands_expand_in_week_order():
    session = Session.model_validate(
        {"days": ["sat", "weekdays", "mon"], "start": "08:00", "end": "10:00"}
    )
    assert session.days == ["mon", "tue", "wed", "thu", "fri", "sat"]
    weekend = Session.model_validate({"days": ["weekend"], "start": "0:00", "end": "24:00"})
    assert weekend.days == ["sat", "sun"]
    assert weekend.start == "00:00"


@pytest.mark.parametrize(
    "start, end, problem",
    [
        ("09:00", "09:00", "ends at 09:00, not after it starts"),
        ("10:00", "09:00", "ends at 09:00, not after it starts"),
        ("24:00", "24:00", "ends at 24:00, not after it starts"),
        ("09:00", "24:01", "'24:01' is not a time of day"),
        ("9:60", "10:00", "'9:60' is not a time of day"),
        ("nine", "10:00", "'nine' is not a time of day"),
    ],
)
def test_session_rejects_bad_times(start, end, problem):
    with pytest.raises(ValidationError, match=problem):
        Session.model_validate({"days": ["mon"], "start": start, "end": end})


@pytest.mark.parametrize("capacity", [0, -1, 2.5, "5", True])
def test_resource_capacity_is_a_whole_number_of_at_least_one(capacity):
    with pytest.raises(ValidationError, match=r"capacity\n"):
        Resource.model_validate({"capacity": capacity})


def test_resource_calendar_is_a_name_or_a_calendar():
    assert Resource.model_validate({"capacity": 1, "calendar": "weekdays"}).calendar == "weekdays"
    inline = Resource.model_validate(
        {
            "capacity": 1,
            "calendar": {"sessions": [{"days": ["mon"], "start": "09:00", "end": "10:00"}]},
        }
    )
    assert isinstance(inline.calendar, Calendar)


def test_config_resolves_calendar_names():
    config = Config.model_validate(
        {
            **yaml.safe_load(MMC),
            "calendars": {
                "mornings": {"sessions": [{"days": ["mon"], "start": "09:00", "end": "12:00"}]}
            },
        }
    )
    assert config.calendar_of(Resource(capacity=1)) is None
    assert config.calendar_of(Resource(capacity=1, calendar="always")) is None
    assert config.calendar_of(Resource(capacity=1, calendar="weekdays")) == WEEKDAYS
    assert config.calendar_of(
        Resource(capacity=1, calendar="mornings")
    ).open_fraction() == pytest.approx(3 / 168)


def test_arrival_mean_rate_averages_the_factors_over_the_week():
    hours = [0.0] * 8 + [3.0] * 8 + [0.0] * 8  # mean 1
    days = [1.4] * 5 + [0.0] * 2  # mean 1
    assert Arrival(pathway="p", rate_per_day=2.0).mean_rate_per_day() == 2.0
    arrival = Arrival(
        pathway="p", rate_per_day=2.0, hour_of_day_factors=hours, day_of_week_factors=days
    )
    assert arrival.mean_rate_per_day() == pytest.approx(2.0)
    doubled = Arrival(pathway="p", rate_per_day=2.0, hour_of_day_factors=[2.0] * 24)
    assert doubled.mean_rate_per_day() == pytest.approx(4.0)


@pytest.mark.parametrize(
    "field, factors, problem",
    [
        ("hour_of_day_factors", [1.0] * 23, "exactly 24 values"),
        ("hour_of_day_factors", [0.0] * 24, "all zero"),
        ("day_of_week_factors", [1.0] * 8, "exactly 7 values"),
        ("day_of_week_factors", [1.0] * 6 + [-1.0], "greater than or equal to 0"),
    ],
)
def test_arrival_factors_need_the_right_length_and_some_positive_value(field, factors, problem):
    with pytest.raises(ValidationError, match=f"{field}(.6)?\n.*{problem}"):
        Arrival.model_validate({"pathway": "p", "rate_per_day": 1.0, field: factors})


def test_models_are_frozen():
    config = Config.model_validate(yaml.safe_load(MMC))
    with pytest.raises(ValidationError, match="frozen"):
        config.name = "other"


def test_pathway_start_defaults_to_the_first_stage():
    data = yaml.safe_load(MMC)
    del data["pathways"]["clinic"]["start"]
    data["pathways"]["clinic"]["stages"]["later"] = {"duration": {"dist": "fixed", "value": 1}}
    assert Config.model_validate(data).pathways["clinic"].start_stage == "consult"


def test_stage_routing_is_always_a_mapping():
    data = yaml.safe_load(MMC)
    stage = Config.model_validate(data).pathways["clinic"].stages["consult"]
    assert stage.routing() == {"exit": 1.0}
    assert stage.model_copy(update={"next": {"consult": 0.25, "exit": 0.75}}).routing() == {
        "consult": 0.25,
        "exit": 0.75,
    }


def test_stage_rtt_stop_is_admitted_non_admitted_or_absent():
    duration = {"dist": "fixed", "value": 1}
    assert Stage.model_validate({"duration": duration}).rtt_stop is None
    for kind in ("admitted", "non_admitted"):
        assert Stage.model_validate({"duration": duration, "rtt_stop": kind}).rtt_stop == kind
    with pytest.raises(ValidationError, match="'admitted' or 'non_admitted'"):
        Stage.model_validate({"duration": duration, "rtt_stop": "treated"})
