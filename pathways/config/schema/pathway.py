"""Resources, stages, pathways and arrivals: the network patients move through, and
the edits (`stage_edits:`) that change its shape."""

from __future__ import annotations

from collections.abc import Callable
from statistics import fmean
from typing import Annotated, Literal

from pydantic import AfterValidator, Discriminator, Field, Tag, model_validator

from pathways.config.schema.base import (
    EXIT,
    NonNegative,
    Positive,
    Probability,
    StageName,
    StrictModel,
    text_or_mapping,
)
from pathways.config.schema.calendars import CalendarRef
from pathways.config.schema.distributions import Distribution


class Resource(StrictModel):
    """Identical servers (clinicians, beds) with one shared queue, or, with
    `slots_per_session`, bookable capacity: every session of the calendar (each open
    interval of a day) offers `capacity` x `slots_per_session` appointments (outpatient
    slots, operations on a theatre list), booked from the resource's waiting list at the
    session's start in order of priority and time on the list. Fractional slots are
    kept exactly over sessions (4.4 slots: sessions of 4 and 5, 4.4 on average)."""

    capacity: int = Field(ge=1)
    calendar: CalendarRef | None = None
    slots_per_session: Positive | None = None
    queue: Literal["fifo", "priority"] = "fifo"
    # In a health economy: who holds it, where, and what kind of capacity it is.
    # Stages that name a `kind` are served by a resource of that kind chosen per patient.
    organisation: str | None = None
    site: str | None = None
    kind: str | None = None


Next = Annotated[
    Annotated[str, Tag("text")] | Annotated[dict[str, float], Tag("mapping")],
    Discriminator(
        text_or_mapping,
        custom_error_type="next_type",
        custom_error_message="expected a stage name or a mapping of stage names to probabilities",
    ),
]


RttStop = Literal["admitted", "non_admitted"]
"""How a referral-to-treatment clock stops at a stage: first definitive treatment as an
admission (e.g. surgery) or without one (e.g. treatment in outpatients)."""


class Cancellation(StrictModel):
    """A stage cancelled when the resource of the next stage is full as it starts (an
    operation with no free bed): the patient is rebooked this many days later."""

    rebook_days: Distribution


class Stage(StrictModel):
    """A step of a pathway: hold a resource (or just wait) for a duration, then move on.

    `rtt_stop` marks first definitive treatment: a patient's RTT clock stops when they
    start the first such stage they reach (see pathways.metrics.rtt).
    `cancel_if_next_full` makes the stage hold the next stage's resource from its start
    (theatre and bed together), and cancels it when none is free.
    `keep_until_next_starts` keeps this stage's resource until the patient's next stage
    starts (a bed held while discharge support is arranged: delayed discharge).
    `lead_days` is a fixed administrative lead time (triage, booking notice,
    pre-operative assessment) between the provider receiving the patient and the
    patient joining the stage's waiting list; it is reported apart from the queue.
    `currency` names the unit of the tariff (`money.prices`) one start of the stage is
    paid as: a first outpatient attendance, an elective spell (on the bed stage, so
    that its length counts against the trim point)."""

    resource: str | None = None
    kind: str | None = None
    duration: Distribution
    next: Next = EXIT
    priority: int = 0
    lead_days: NonNegative = 0.0
    rtt_stop: RttStop | None = None
    cancel_if_next_full: Cancellation | None = None
    keep_until_next_starts: bool = False
    currency: str | None = None  # what a start of the stage is paid as (money.prices)

    @model_validator(mode="after")
    def _resource_or_kind(self) -> Stage:
        if self.resource is not None and self.kind is not None:
            raise ValueError("give a resource or a kind of resource, not both")
        return self

    def routing(self) -> dict[str, float]:
        """Where patients go next, as {stage name or 'exit': probability}."""
        return {self.next: 1.0} if isinstance(self.next, str) else dict(self.next)


class Pathway(StrictModel):
    """A directed graph of stages; patients enter at `start` (default: the first stage).
    In a health economy, `urgent_share` of referrals are urgent: on every list of the
    pathway they are booked ahead of routine patients of the same stage priority."""

    start: str | None = None
    stages: dict[StageName, Stage] = Field(min_length=1)
    # In a health economy: referrals generated from every practice's list, and which
    # organisations offer the pathway (None: any that has the kinds of resource needed).
    referrals_per_1000_per_year: Positive | None = None
    providers: list[str] | None = None
    urgent_share: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0

    @property
    def start_stage(self) -> str:
        return self.start if self.start is not None else next(iter(self.stages))


def _factor_check(count: int, unit: str) -> Callable[[list[float]], list[float]]:
    """A check of a list of rate factors: one per `unit`, not all zero."""

    def check(values: list[float]) -> list[float]:
        if len(values) != count:
            raise ValueError(f"must have exactly {count} values, one per {unit}, got {len(values)}")
        if not any(values):
            raise ValueError("the factors are all zero, so no patient would ever arrive")
        return values

    return check


HourFactors = Annotated[
    list[NonNegative], AfterValidator(_factor_check(24, "hour of the day from 00:00"))
]
DayFactors = Annotated[
    list[NonNegative], AfterValidator(_factor_check(7, "day of the week from Monday"))
]


def _mean_or_one(factors: list[float] | None) -> float:
    return 1.0 if factors is None else fmean(factors)


class Arrival(StrictModel):
    """A stream of patients entering a pathway. The rate at time t is
    rate_per_day x hour_of_day_factors[hour] x day_of_week_factors[weekday]."""

    pathway: str
    start: str | None = None
    rate_per_day: Positive
    hour_of_day_factors: HourFactors | None = None
    day_of_week_factors: DayFactors | None = None

    def mean_rate_per_day(self) -> float:
        """The long-run average rate over a week."""
        hourly, daily = self.hour_of_day_factors, self.day_of_week_factors
        return self.rate_per_day * _mean_or_one(hourly) * _mean_or_one(daily)


EDIT_VERBS = ("insert", "remove", "bypass", "merge", "reroute", "move")
_EDIT_FIELDS = {  # what each verb reads besides `pathways` (the rest must be left out)
    "insert": {"before", "after", "stage"},
    "remove": set(),
    "bypass": {"share", "to"},
    "merge": {"into", "duration", "kind", "currency"},
    "reroute": {"to", "share", "next"},
    "move": {"kind", "resource", "duration", "currency"},
}


class StageEdit(StrictModel):
    """One change to the shape of some pathways (pathways.config.stage_edits), applied
    after every overlay is merged, in the order written. Exactly one verb names the
    stage it acts on:

    - `insert: NEW` with `before: S` or `after: S` and `stage:` (the new stage; without
      a `next:` it leads to S, or where S led);
    - `remove: S`: patients who would have gone to S go where S sent them, in
      proportion;
    - `bypass: S` with `share:`: that share of the patients about to start S skip it,
      going where S sent them in proportion, or `to:` one stage;
    - `merge: [A, B]` with `duration:`: A becomes one visit lasting `duration` for
      everyone who reaches it, of A's kind (or `kind:`), in which those who went on to B
      have B done, and then go where B sent them; `into:` names the merged stage
      (default: A's name);
    - `reroute: S` with `to: T` and `share:` (the share of S's patients sent to T, the
      other routes scaled to fit) or `next:` (S's routing, written out);
    - `move: S` with `kind:` or `resource:` (another kind of resource or another
      organisation's resource), and optionally `duration:` and `currency:` for the stage
      as it is done there."""

    pathways: list[str] = Field(min_length=1)
    insert: StageName | None = None
    remove: str | None = None
    bypass: str | None = None
    merge: list[str] | None = Field(None, min_length=2, max_length=2)
    reroute: str | None = None
    move: str | None = None
    before: str | None = None
    after: str | None = None
    stage: Stage | None = None
    share: Probability | None = None
    to: str | None = None
    next: Next | None = None
    into: StageName | None = None
    kind: str | None = None
    resource: str | None = None
    duration: Distribution | None = None
    currency: str | None = None

    @property
    def verb(self) -> str:
        return next(verb for verb in EDIT_VERBS if getattr(self, verb) is not None)

    @model_validator(mode="after")
    def _one_verb_and_its_fields(self) -> StageEdit:
        verbs = [verb for verb in EDIT_VERBS if getattr(self, verb) is not None]
        if len(verbs) != 1:
            found = f"got {' and '.join(verbs)}" if verbs else "got none"
            raise ValueError(f"an edit has exactly one of {', '.join(EDIT_VERBS)}; {found}")
        verb = verbs[0]
        given = {f for f in type(self).model_fields
                 if f not in ("pathways", verb) and getattr(self, f) is not None}
        stray = sorted(given - _EDIT_FIELDS[verb])
        if stray:
            takes = ", ".join(sorted(_EDIT_FIELDS[verb])) or "nothing but pathways"
            raise ValueError(f"{verb} does not take {', '.join(stray)} (it takes {takes})")
        needs = {
            "insert": [("stage", self.stage is not None),
                       ("before or after (one of them)",
                        (self.before is None) != (self.after is None))],
            "bypass": [("share", self.share is not None)],
            "merge": [("duration", self.duration is not None)],
            "reroute": [("either next, or to and share", (
                self.next is not None and self.to is None and self.share is None) or (
                self.next is None and self.to is not None and self.share is not None))],
            "move": [("kind or resource (one of them)",
                      (self.kind is None) != (self.resource is None))],
        }.get(verb, [])
        missing = [what for what, ok in needs if not ok]
        if missing:
            raise ValueError(f"{verb} needs {', '.join(missing)}")
        return self
