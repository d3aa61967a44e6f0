"""Weekly calendars: when a resource is open. The weekly clock runs over [0, 7) days
from Monday 00:00."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Discriminator, Field, Tag, model_validator

from pathways.config.schema.base import Name, StrictModel, text_or_mapping

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_GROUPS = {"weekdays": DAYS[:5], "weekend": DAYS[5:]}
MINUTES_PER_DAY = 24 * 60
DAYS_PER_WEEK = len(DAYS)

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def _time_of_day(text: str) -> str:
    """Checks `HH:MM` (00:00 to 24:00) and returns it zero-padded."""
    match = _TIME.match(text)
    minutes = int(match[1]) * 60 + int(match[2]) if match and int(match[2]) < 60 else -1
    if not 0 <= minutes <= MINUTES_PER_DAY:
        raise ValueError(f"{text!r} is not a time of day: expected HH:MM from 00:00 to 24:00")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(time_of_day: str) -> int:
    hours, minutes = time_of_day.split(":")
    return int(hours) * 60 + int(minutes)


def _expand_days(days: list[str]) -> list[str]:
    """`[weekdays, sat]` -> `[mon, tue, wed, thu, fri, sat]`, in week order, once each."""
    chosen = {day for entry in days for day in DAY_GROUPS.get(entry, (entry,))}
    return [day for day in DAYS if day in chosen]


TimeOfDay = Annotated[str, AfterValidator(_time_of_day)]
DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekdays", "weekend"]


class Session(StrictModel):
    """Opening hours on some days of the week, e.g. weekdays 09:00-17:00."""

    days: Annotated[list[DayName], Field(min_length=1), AfterValidator(_expand_days)]
    start: TimeOfDay
    end: TimeOfDay

    @model_validator(mode="after")
    def _ends_after_start(self) -> Session:
        if _minutes(self.end) <= _minutes(self.start):
            raise ValueError(
                f"the session ends at {self.end}, not after it starts at {self.start}; "
                "end must be later than start (24:00 is allowed)"
            )
        return self

    def open_minutes(self) -> list[tuple[int, int]]:
        """Open intervals on the weekly clock, in minutes from Monday 00:00."""
        start, end = _minutes(self.start), _minutes(self.end)
        offsets = [DAYS.index(day) * MINUTES_PER_DAY for day in self.days]
        return [(offset + start, offset + end) for offset in offsets]


class Calendar(StrictModel):
    """When a resource is open during the week; it repeats every week."""

    sessions: list[Session] = Field(min_length=1)

    def _merged_minutes(self) -> list[tuple[int, int]]:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(iv for session in self.sessions for iv in session.open_minutes()):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def open_intervals_days(self) -> tuple[tuple[float, float], ...]:
        """Sorted, merged open intervals on the weekly clock [0, 7), in days
        (Tuesday 09:00 is 1.375)."""
        return tuple((a / MINUTES_PER_DAY, b / MINUTES_PER_DAY) for a, b in self._merged_minutes())

    def open_fraction(self) -> float:
        """The share of the week the calendar is open."""
        open_minutes = sum(b - a for a, b in self._merged_minutes())
        return open_minutes / (DAYS_PER_WEEK * MINUTES_PER_DAY)


WEEKDAYS = Calendar.model_validate(
    {"sessions": [{"days": ["weekdays"], "start": "09:00", "end": "17:00"}]}
)
BUILTIN_CALENDARS: dict[str, Calendar | None] = {"always": None, "weekdays": WEEKDAYS}
"""Calendars a resource may name without defining them; None means always open."""

CalendarRef = Annotated[
    Annotated[str, Tag("text")] | Annotated[Calendar, Tag("mapping")],
    Discriminator(
        text_or_mapping,
        custom_error_type="calendar_type",
        custom_error_message="expected a calendar name or a mapping with 'sessions'",
    ),
]



def _not_builtin_calendar(name: str) -> str:
    if name in BUILTIN_CALENDARS:
        raise ValueError(f"{name!r} is a built-in calendar; give yours another name")
    return name



CalendarName = Annotated[Name, AfterValidator(_not_builtin_calendar)]
