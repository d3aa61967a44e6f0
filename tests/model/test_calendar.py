"""WeeklyCalendar: when may new work start?"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.model.calendar import WeeklyCalendar

NINE, FIVE = 9 / 24, 17 / 24
WEEKDAYS = WeeklyCalendar(tuple((d + NINE, d + FIVE) for d in range(5)))


@pytest.mark.parametrize("time_days, expected", [
    (0.0, NINE),                    # Monday midnight -> Monday 09:00
    (NINE, NINE),                   # exactly at opening: open
    (0.5, 0.5),                     # Monday noon: open
    (FIVE, 1 + NINE),               # Monday 17:00 closes -> Tuesday 09:00
    (4 + 0.8, 7 + NINE),            # Friday evening -> next Monday
    (5.5, 7 + NINE),                # Saturday -> next Monday
    (14 + 2.5, 14 + 2.5),           # Wednesday noon in week 3
])
def test_next_open(time_days, expected):
    assert WEEKDAYS.next_open(time_days) == pytest.approx(expected, abs=1e-12)


@given(st.floats(min_value=0, max_value=1e5, allow_nan=False))
def test_next_open_is_open_and_not_before(time_days):
    opens = WEEKDAYS.next_open(time_days)
    assert opens >= time_days
    assert opens - time_days < 7 - (FIVE - NINE) + 1e-9  # never longer than the longest gap
    assert WEEKDAYS.next_open(opens) == opens  # an opening time is open (no self-rescheduling)


def test_empty_calendar_is_rejected():
    with pytest.raises(ValueError, match="at least one open interval"):
        WeeklyCalendar(())
