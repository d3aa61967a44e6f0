"""Each resource's own demand and load (resource_demand), the lint that warns per
resource, and the waiting-list relations of Fong et al. 2022 (waiting_list_relations).

Expected numbers are worked out by hand (tests/config/hand_economy.py says how), or
are Fong et al.'s worked example (an ENT waiting list, also the NHSRwaitinglist
walkthrough); none is a number the code produced.
"""

import pytest

from pathways.config import load_config, offered_loads
from pathways.config.lint import held_by_added_sessions
from pathways.config.resource_demand import list_loads, resource_work
from pathways.config.waiting_list_relations import (
    ListRelations,
    provider_relations,
    queue_load,
    relief_capacity,
    target_capacity,
    target_mean_wait,
    target_queue_size,
    waiting_list_pressure,
)
from tests.config.hand_economy import write_economy
from tests.config.samples import MMC, write

# --- Fong et al.'s worked example --------------------------------------------------------


def test_the_relations_give_the_worked_example_of_fong_et_al():
    # demand 30/wk, capacity 27/wk, target 52 wk, queue 1,200, mean wait 63 wk
    assert queue_load(30, 27) == pytest.approx(1.111, abs=5e-4)
    assert target_mean_wait(52) == 13
    assert target_queue_size(30, 52) == 390
    assert relief_capacity(30, 1200, 390, 26) == pytest.approx(61.15, abs=5e-3)
    assert target_capacity(30, 52) == pytest.approx(30.077, abs=5e-4)
    assert waiting_list_pressure(63, 52) == pytest.approx(2.42, abs=5e-3)


def test_a_list_row_applies_them_with_its_target_and_factor():
    row = ListRelations("trust", "eyes", demand_per_week=30, capacity_per_week=27, rtt=True,
                        target_weeks=52)
    assert (row.load, row.target_mean_wait, row.target_queue) == (
        pytest.approx(30 / 27), 13, 390)
    assert row.relief_capacity(1200) == pytest.approx(61.15, abs=5e-3)
    assert row.relief_capacity() == pytest.approx(30 + 390 / 26)  # a list of twice its target
    assert row.target_capacity == pytest.approx(30.077, abs=5e-4)
    assert row.pressure(30 * 63) == pytest.approx(2.42, abs=5e-3)  # mean wait 63 weeks


# --- each resource's own demand, by hand --------------------------------------------------


@pytest.fixture
def economy(tmp_path):
    """economy(extra_yaml) -> LoadedConfig of the hand economy."""
    return lambda extra="": load_config(write_economy(tmp_path, extra))


def test_each_practice_goes_to_its_nearest_provider_and_stays_in_its_organisation(economy):
    work = resource_work(economy().config)
    expected = {"west_clinic": 3.3, "east_clinic": 6.6,  # slots a day
                "west_scanner": 0.55, "annex_scanner": 1.1,  # server-days a day
                "west_beds": 2.0, "east_beds": 4.0,
                "P1:nurse": 0.1, "P2:nurse": 0.2}
    assert work == pytest.approx(expected)


def test_each_list_has_its_own_load_while_the_kind_adds_them_up(economy):
    config = economy().config
    loads = {entry.name: entry.load for entry in list_loads(config)}
    assert loads == pytest.approx({"west_clinic": 0.66, "east_clinic": 1.1,
                                   "west_scanner": 0.55, "annex_scanner": 0.55,
                                   "west_beds": 0.2, "east_beds": 0.4,
                                   "P1:nurse": 0.01, "P2:nurse": 0.01})
    assert offered_loads(config)["kind:outpatients"] == pytest.approx(0.9)


def test_a_provider_at_load_1_1_is_warned_though_its_kind_totals_below_1(economy):
    (warning,) = economy().warnings
    assert warning.field_path == "resources.east_clinic"
    assert warning.message == (
        "resource 'east_clinic' has offered load 1.1 >= 1 (each practice's patients sent to "
        "its nearest provider of the pathway): its queue will grow without limit")


def test_under_choice_the_nearest_provider_is_called_an_approximation(economy):
    (warning,) = economy("allocation: {policy: choice}\n").warnings
    assert "an approximation under choice allocation" in warning.message


def test_a_list_the_provider_adds_sessions_to_is_held_up_to_the_added_share(economy):
    held = economy("waiting_list: {supply: {max_extra_share: 0.2}}\n")
    assert not held.warnings  # by design, not a warning; `check` marks the list held
    assert held_by_added_sessions(held.config, 1.1, booked=True)
    assert not held_by_added_sessions(held.config, 1.1, booked=False)
    (beyond,) = economy("waiting_list: {supply: {max_extra_share: 0.05}}\n").warnings
    assert beyond.message.endswith("its queue will grow without limit, even with the "
                                   "sessions added (up to 5% more slots)")


def test_missed_appointments_take_slots_on_rtt_pathways(economy):
    config = economy("waiting_list: {did_not_attend_share: 0.2}\n").config
    loads = {entry.name: entry.load for entry in list_loads(config)}
    assert loads["east_clinic"] == pytest.approx(1.1 / 0.8)
    assert loads["west_scanner"] == pytest.approx(0.55)  # not booked: no slot to miss
    assert offered_loads(config)["kind:outpatients"] == pytest.approx(0.9 / 0.8)


def test_a_pooled_list_adds_up_its_resources(economy):
    loaded = economy("allocation: {policy: pooled, pool_across: all}\n")
    loads = {entry.name: (entry.resources, entry.load) for entry in list_loads(loaded.config)}
    assert loads["all:outpatients"] == (("west_clinic", "east_clinic"), pytest.approx(0.9))
    assert loads["all:diagnostics"][1] == pytest.approx(0.55)
    assert loaded.warnings == ()


def test_in_a_plain_network_each_resource_has_the_load_of_its_stages(tmp_path):
    config = load_config(write(tmp_path, "mmc.yaml", MMC)).config
    (entry,) = list_loads(config)
    assert (entry.name, entry.load, entry.allocated) == ("clinicians", pytest.approx(0.9), False)


# --- the relations per provider and pathway, by hand ----------------------------------------


def test_providers_get_their_first_appointments_and_a_share_of_their_slots(economy):
    rows = provider_relations(economy().config)
    assert [(r.provider, r.pathway) for r in rows] == [("west_trust", "elective"),
                                                       ("east_trust", "elective")]
    west, east = rows
    # first appointments a week: 2.2 and 4.4 a day; slots a week 35 and 42, of which the
    # first appointments take 1 / 1.5 (each referral books 1.5 slots)
    assert (east.demand_per_week, east.capacity_per_week) == (pytest.approx(30.8),
                                                              pytest.approx(28.0))
    assert (west.demand_per_week, west.capacity_per_week) == (pytest.approx(15.4),
                                                              pytest.approx(35 / 1.5))
    assert (east.load, west.load) == (pytest.approx(1.1), pytest.approx(0.66))
    assert east.target_queue == pytest.approx(30.8 * 18 / 4)
    assert east.rtt and west.rtt


def test_a_pooled_list_gives_every_provider_on_it_the_pool_s_load(economy):
    rows = provider_relations(economy("allocation: {policy: pooled, pool_across: all}\n").config)
    assert [r.load for r in rows] == [pytest.approx(0.9), pytest.approx(0.9)]
    assert sum(r.capacity_per_week for r in rows) == pytest.approx(77 / 1.5)


def test_a_plain_network_s_booked_clinic_is_a_provider_of_its_own(tmp_path):
    text = MMC.replace("clinicians: {capacity: 5}", "clinicians: {capacity: 1, calendar: "
                       "weekdays, slots_per_session: 7}")
    (row,) = provider_relations(load_config(write(tmp_path, "booked.yaml", text)).config)
    # 4.5 a day against 7 slots on each of 5 weekdays (5 a day)
    assert (row.provider, row.demand_per_week, row.capacity_per_week) == (
        "clinicians", pytest.approx(31.5), pytest.approx(35))
    assert not row.rtt
