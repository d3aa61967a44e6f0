"""Bookable sessions worked out by hand: when the next session is, how many whole
slots each session offers, how much the provider adds for its list, and the tables
the sessions and removals are logged in.

Two clinics share one calendar: Monday 09:00-12:00 and Thursday 14:00-16:00, two
sessions a week. The clinic has 2 servers of 3.5 slots a session: 7 slots a session,
14 a week, 2 a day. The annex has 1 server of 4.4 slots. Between them is a porter,
not booked (no sessions). The supply response starts
at a wait of 1 week, adds up to 30% of slots at 3 weeks.
"""

import dataclasses
from fractions import Fraction

import numpy as np
import pytest

import pathways
from pathways.config import load_config_text
from pathways.engine.sessions import Sessions, removal_table
from pathways.log.assemble import Records
from pathways.model.compile import compile_config

MONDAY_9, MONDAY_12 = 9 / 24, 12 / 24
THURSDAY_14, THURSDAY_16 = 3 + 14 / 24, 3 + 16 / 24
TWO_CLINICS = """
name: sessions
horizon_days: 100
calendars:
  week: {sessions: [{days: [mon], start: "09:00", end: "12:00"},
                    {days: [thu], start: "14:00", end: "16:00"}]}
resources:
  clinic: {capacity: 2, calendar: week, slots_per_session: 3.5}
  porter: {capacity: 1}
  annex: {capacity: 1, calendar: week, slots_per_session: SLOTS}
arrivals:
  - {pathway: visit, rate_per_day: 1}
  - {pathway: annex_visit, rate_per_day: 1}
pathways:
  visit:
    stages:
      appointment: {resource: clinic, duration: {dist: fixed, value: 0.01}}
  annex_visit:
    stages:
      appointment: {resource: annex, duration: {dist: fixed, value: 0.01}}
waiting_list:
  supply: {max_extra_share: 0.3, trigger_wait_weeks: 1, cap_wait_weeks: 3}
"""
CLINIC, PORTER, ANNEX = 0, 1, 2  # each its own pool; the porter is not booked


def _model(annex_slots: str = "4.4"):
    return compile_config(load_config_text(TWO_CLINICS.replace("SLOTS", annex_slots),
                                           "sessions.yaml").config)


def _sessions(annex_slots: str = "4.4") -> Sessions:
    return Sessions(_model(annex_slots), Records())


@pytest.mark.parametrize("week", [0, 1, 3, 52])
@pytest.mark.parametrize(("start", "end"), [(MONDAY_9, MONDAY_12), (THURSDAY_14, THURSDAY_16)])
def test_asked_at_a_sessions_start_the_next_session_is_that_one(week, start, end):
    at = 7 * week + start
    assert _sessions().next_session(CLINIC, at) == pytest.approx((at, 7 * week + end))


def test_the_first_sessions_are_mondays_and_each_is_followed_by_the_next_opening():
    sessions = _sessions()
    assert sessions.first_sessions() == [(CLINIC, pytest.approx((MONDAY_9, MONDAY_12))),
                                         (ANNEX, pytest.approx((MONDAY_9, MONDAY_12)))]
    # from the end of Monday's session (or a minute into it) to Thursday's
    for after in (MONDAY_12, MONDAY_9 + 1 / 1440):
        assert sessions.next_session(CLINIC, 14 + after) == pytest.approx(
            (14 + THURSDAY_14, 14 + THURSDAY_16))
    # after Thursday's session: the next week's Monday
    for after in (THURSDAY_14 + 1 / 1440, THURSDAY_16, 6.99):
        assert sessions.next_session(CLINIC, 14 + after) == pytest.approx(
            (21 + MONDAY_9, 21 + MONDAY_12))


@pytest.mark.parametrize("slots", ["4.4", "4.5", "0.5", "2.25", "7"])
def test_fractional_slots_are_carried_so_sessions_offer_the_rounded_running_total(slots):
    """Starting half a slot up, the first n sessions offer floor(n x slots + 1/2) whole
    slots together: 4.4 gives 4, 5, 4, 5, 4 (22 in five), 4.5 gives 5, 4, 5, 4."""
    sessions = _sessions(slots)
    per_session = Fraction(slots)
    offered = [sessions.slots_now(ANNEX, ANNEX) for _ in range(40)]
    running = np.cumsum(offered)
    for n in range(1, 41):
        assert running[n - 1] == int(n * per_session + Fraction(1, 2)), (n, offered[:n])
    if slots == "4.4":
        assert offered[:5] == [4, 5, 4, 5, 4]
    if slots == "4.5":
        assert offered[:4] == [5, 4, 5, 4]


def test_an_added_share_adds_that_share_of_slots():
    sessions = _sessions("4")
    sessions.extra_share[ANNEX] = 0.25  # 5 slots a session
    assert [sessions.slots_now(ANNEX, ANNEX) for _ in range(3)] == [5, 5, 5]
    assert [sessions.slots_now(CLINIC, CLINIC) for _ in range(2)] == [7, 7]  # its own list


def test_slots_a_day_count_every_server_and_session_of_the_week():
    sessions = _sessions()
    assert sessions.slots_per_day == pytest.approx([2 * 3.5 * 2 / 7, 0.0, 4.4 * 2 / 7])
    assert set(sessions.intervals) == {CLINIC, ANNEX}


POOLED = """
name: pooled-sessions
horizon_days: 100
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {north: {x_km: 0, y_km: 1}, south: {x_km: 0, y_km: -1}}}
calendars:
  week: {sessions: [{days: [mon], start: "09:00", end: "12:00"},
                    {days: [thu], start: "14:00", end: "16:00"}]}
resources:
  north_clinic: {organisation: trust, site: north, kind: outpatients, capacity: 2,
                 calendar: week, slots_per_session: 3.5}
  south_clinic: {organisation: trust, site: south, kind: outpatients, capacity: 1,
                 calendar: week, slots_per_session: 7}
pathways:
  clinic:
    referrals_per_1000_per_year: 36.5
    stages:
      appointment: {kind: outpatients, duration: {dist: fixed, value: 0.01}}
allocation: {policy: pooled}
"""


def test_a_pooled_list_is_booked_at_the_slots_of_all_its_clinics(tmp_path):
    """Each clinic books 14 slots a week; their one list, 28: 4 a day."""
    (tmp_path / "practices.csv").write_text(
        "name,list_size,x_km,y_km,deprivation_quintile\npractice,10000,0,0,3\n")
    (tmp_path / "pooled.yaml").write_text(POOLED)
    sessions = Sessions(pathways.load(tmp_path / "pooled.yaml"), Records())
    assert sessions.slots_per_day == pytest.approx([4.0])


@pytest.mark.parametrize(("listed", "share"), [
    (0, 0.0), (10, 0.0), (14, 0.0),  # expected waits of 0, 5 and 7 days: to the trigger
    (21, 0.075),  # 10.5 days: a quarter of the way from the trigger (7) to the cap (21)
    (28, 0.15),  # 14 days: half way
    (42, 0.3), (100, 0.3),  # at and past the cap
])
def test_the_share_added_rises_from_the_trigger_wait_to_the_cap(listed, share):
    """The clinic books 2 slots a day, so `listed` patients wait listed / 2 days; the
    lists start empty and count the patients who join them."""
    sessions = _sessions()
    sessions.listed[CLINIC] += listed
    assert sessions.response(CLINIC) == pytest.approx(share)


def test_a_bookable_resource_without_sessions_is_refused():
    model = _model()
    always_open = dataclasses.replace(model.resources[ANNEX], calendar=None)
    model = dataclasses.replace(model, resources=(*model.resources[:ANNEX], always_open))
    with pytest.raises(ValueError, match="bookable resource 'annex' has no sessions"):
        Sessions(model, Records())


def test_sessions_held_are_tabled_one_row_each_with_their_types():
    sessions = _sessions()
    sessions.extra_share[ANNEX] = 0.25
    sessions.held(CLINIC, CLINIC, 0.375, 7, 6)
    sessions.held(ANNEX, ANNEX, 3.5833, 5, 5)
    table = sessions.table()
    np.testing.assert_array_equal(table.resource, [CLINIC, ANNEX])
    np.testing.assert_array_equal(table.time, [0.375, 3.5833])
    np.testing.assert_array_equal(table.offered, [7, 5])
    np.testing.assert_array_equal(table.booked, [6, 5])
    np.testing.assert_array_equal(table.extra_share, [0.0, 0.25])
    assert (table.resource.dtype, table.offered.dtype, table.booked.dtype) == (
        np.int16, np.int32, np.int32)
    assert table.time.dtype == table.extra_share.dtype == np.float64


def test_removals_are_tabled_patient_time_stage_resource_with_their_types():
    """The engine records each removal as four flat values, as it does missed slots."""
    table = removal_table([12, 30.5, 3, 1, 7, 41.25, 2, 0])
    np.testing.assert_array_equal(table.patient, [12, 7])
    np.testing.assert_array_equal(table.time, [30.5, 41.25])
    np.testing.assert_array_equal(table.stage, [3, 2])
    np.testing.assert_array_equal(table.resource, [1, 0])
    assert (table.patient.dtype, table.time.dtype, table.stage.dtype,
            table.resource.dtype) == (np.int64, np.float64, np.int16, np.int16)
    assert len(removal_table([]).patient) == 0
