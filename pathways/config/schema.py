"""The shape of a pathways configuration, as pydantic models.

Time is in days. The weekly clock runs over [0, 7) days from Monday 00:00.
Models check what can be checked field by field; checks that need the whole
configuration (names that refer to other sections, routing, load) live in lint.py,
so that one load reports every problem at once.

Validation is strict: YAML already gives numbers, text and lists their types, so a
quoted "5" where a number belongs is reported rather than silently converted.
"""

from __future__ import annotations

import re
from statistics import fmean
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

EXIT = "exit"
"""The routing target that takes a patient out of the pathway; no stage may use the name."""

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_GROUPS = {"weekdays": DAYS[:5], "weekend": DAYS[5:]}
MINUTES_PER_DAY = 24 * 60
DAYS_PER_WEEK = len(DAYS)

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


class _Model(BaseModel):
    """Base of every configuration model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


# --- names ---------------------------------------------------------------------------


def _valid_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(
            f"{name!r} is not a valid name: use letters, digits, '_' and '-', "
            "starting with a letter or '_'"
        )
    return name


def _not_exit(name: str) -> str:
    if name == EXIT:
        raise ValueError("'exit' is reserved for leaving the pathway; give the stage another name")
    return name


def _not_builtin_calendar(name: str) -> str:
    if name in BUILTIN_CALENDARS:
        raise ValueError(f"{name!r} is a built-in calendar; give yours another name")
    return name


Name = Annotated[str, AfterValidator(_valid_name)]
StageName = Annotated[Name, AfterValidator(_not_exit)]
CalendarName = Annotated[Name, AfterValidator(_not_builtin_calendar)]


def _text_or_mapping(value: Any) -> str | None:
    """Picks the branch of a 'name or inline mapping' field, so errors name one branch."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, (dict, BaseModel)):
        return "mapping"
    return None


# --- distributions -------------------------------------------------------------------

NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]


def _check_range(low: float, high: float) -> None:
    if not low < high:
        raise ValueError(f"high ({high:g}) must be greater than low ({low:g})")


class Exponential(_Model):
    """Memoryless durations (the M of M/M/c)."""

    dist: Literal["exponential"]
    mean: Positive

    def mean_days(self) -> float:
        return self.mean


class Fixed(_Model):
    """The same duration every time."""

    dist: Literal["fixed"]
    value: NonNegative

    def mean_days(self) -> float:
        return self.value


class Uniform(_Model):
    """Any duration between low and high, equally likely."""

    dist: Literal["uniform"]
    low: NonNegative
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        _check_range(self.low, self.high)
        return self

    def mean_days(self) -> float:
        return (self.low + self.high) / 2


class Triangular(_Model):
    """A rough three-point estimate: shortest, most likely, longest."""

    dist: Literal["triangular"]
    low: NonNegative
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        _check_range(self.low, self.high)
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"mode ({self.mode:g}) must lie between low ({self.low:g}) and high ({self.high:g})"
            )
        return self

    def mean_days(self) -> float:
        return (self.low + self.mode + self.high) / 3


class LogNormal(_Model):
    """Right-skewed durations, given by their own mean and standard deviation
    (not those of the underlying normal)."""

    dist: Literal["lognormal"]
    mean: Positive
    sd: Positive

    def mean_days(self) -> float:
        return self.mean


class Gamma(_Model):
    """Right-skewed durations given by mean and coefficient of variation (sd / mean)."""

    dist: Literal["gamma"]
    mean: Positive
    cv: Positive

    def mean_days(self) -> float:
        return self.mean


class Empirical(_Model):
    """Observed durations, resampled. In YAML they may come from a CSV column
    (`file:`, `column:`); the loader reads it, so a model always holds `values`."""

    dist: Literal["empirical"]
    values: list[NonNegative] = Field(min_length=1)

    def mean_days(self) -> float:
        return fmean(self.values)


Distribution = Annotated[
    Exponential | Fixed | Uniform | Triangular | LogNormal | Gamma | Empirical,
    Field(discriminator="dist"),
]


# --- calendars -----------------------------------------------------------------------


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


class Session(_Model):
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


class Calendar(_Model):
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
        _text_or_mapping,
        custom_error_type="calendar_type",
        custom_error_message="expected a calendar name or a mapping with 'sessions'",
    ),
]


# --- resources and pathways ----------------------------------------------------------


class Resource(_Model):
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
        _text_or_mapping,
        custom_error_type="next_type",
        custom_error_message="expected a stage name or a mapping of stage names to probabilities",
    ),
]


RttStop = Literal["admitted", "non_admitted"]
"""How a referral-to-treatment clock stops at a stage: first definitive treatment as an
admission (e.g. surgery) or without one (e.g. treatment in outpatients)."""


class Cancellation(_Model):
    """A stage cancelled when the resource of the next stage is full as it starts (an
    operation with no free bed): the patient is rebooked this many days later."""

    rebook_days: Distribution


class Stage(_Model):
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


class Pathway(_Model):
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


def _factors(count: int, unit: str) -> Any:
    def check(values: list[float]) -> list[float]:
        if len(values) != count:
            raise ValueError(f"must have exactly {count} values, one per {unit}, got {len(values)}")
        if not any(values):
            raise ValueError("the factors are all zero, so no patient would ever arrive")
        return values

    return Annotated[list[NonNegative], AfterValidator(check)]


HourFactors = _factors(24, "hour of the day from 00:00")
DayFactors = _factors(7, "day of the week from Monday")


def _mean_or_one(factors: list[float] | None) -> float:
    return 1.0 if factors is None else fmean(factors)


class Arrival(_Model):
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


# --- the health economy ---------------------------------------------------------------

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
ProviderType = Literal[
    "teaching", "acute", "small_trust", "specialist", "istc", "community", "primary_care", "ico",
    "commissioner",
]


class PracticeRow(_Model):
    """One GP practice, from a row of the practices CSV."""

    name: Name
    list_size: int = Field(ge=1)
    x_km: float
    y_km: float
    deprivation_quintile: int = Field(ge=1, le=5)
    referral_factor: Positive = 1.0  # this practice's referral rate relative to others


class PracticeClinic(_Model):
    """Capacity every practice holds for its own patients (a practice nurse's chronic
    disease clinic): `servers_per_1000` registered patients, rounded up (at least one
    per practice), open by `calendar`. Stages that name its `kind` (chronic reviews) are
    served by the patient's own practice."""

    kind: Name
    servers_per_1000: Positive
    calendar: CalendarRef | None = None


class Practices(_Model):
    """GP practices (read from `file`, a CSV) and who holds them: each practice its own
    organisation (`organisation: null`), or one organisation for all of them; and the
    clinics every practice runs."""

    rows: list[PracticeRow] = Field(min_length=1)
    organisation: str | None = None
    clinics: dict[Name, PracticeClinic] = {}


class Site(_Model):
    x_km: float
    y_km: float


class Organisation(_Model):
    """A legal, budget-holding body that runs sites and resources. An `owner` (say an
    integrated care organisation) makes it part of a larger body: the boundaries that
    count for handoffs and pooled lists are then the owner's, while the provider keeps
    its own sites, type and quality. One organisation may be of type `commissioner`:
    the commissioner itself, providing the services of the organisations it owns (a
    primary care trust's community services, a care trust's social care) from its
    budget rather than buying them by contract."""

    type: ProviderType = "acute"
    quality: float = 0.0
    sites: dict[Name, Site] = {}
    owner: str | None = None


class Allocation(_Model):
    """Who decides which provider serves a patient, and when."""

    policy: Literal["nearest", "choice", "shortest_wait", "pooled"] = "nearest"
    pool_across: Literal["organisation", "all"] = "organisation"
    rechoose_at: list[str] = []


class Choice(_Model):
    """Multinomial logit utility of a provider to a patient (coefficients per unit)."""

    distance_km: float = -0.265
    distance_km2: float = 0.002
    distance_km3: float = -0.00001
    wait_weeks: float = -0.03
    quality: float = 1.0
    provider_type: dict[str, float] = {}


class PublishedWait(_Model):
    """The wait a patient (and a GP) sees: an RTT-type wait in weeks per provider and
    specialty, as the NHS published it, refreshed every ``publish_every_days`` and seen
    ``information_lag_days`` late. ``measure``: ``median_seen``, the median wait from
    referral to first appointment of patients first seen in the last ``window_days``
    (the list-based figure where nobody was); ``list_over_throughput``, the patients
    waiting for a first appointment over those first seen in the window, per day."""

    measure: Literal["median_seen", "list_over_throughput"] = "median_seen"
    information_lag_days: NonNegative = 28.0
    publish_every_days: Positive = 7.0
    window_days: Positive = 28.0


class Navigators(_Model):
    """A share of patients helped to choose: fresher information, more weight on waits."""

    share: Probability = 0.0
    information_lag_days: NonNegative = 0.0
    wait_weeks_multiplier: NonNegative = 2.0


class PatientChoice(_Model):
    """The Patient Choice rule: a patient still waiting this long after referral is
    offered the providers whose published wait is shorter than their own provider's by
    at least ``margin_weeks`` (threshold None: the rule is off)."""

    threshold_weeks: Positive | None = None
    margin_weeks: NonNegative = 2.0


DelayDays = Annotated[
    Annotated[float, Tag("number")] | Annotated[Distribution, Tag("mapping")],
    Discriminator(
        lambda value: "mapping" if isinstance(value, dict) or hasattr(value, "dist") else "number",
        custom_error_type="delay_type",
        custom_error_message="expected a number of days or a distribution",
    ),
]


class HandoffParameters(_Model):
    """What a transfer between consecutive contacts costs."""

    delay_days: DelayDays = 0.0
    record_missing: Probability = 0.0
    repeat_test: Probability = 0.0

    @field_validator("delay_days")
    @classmethod
    def _not_negative(cls, delay):
        if isinstance(delay, float) and delay < 0:
            raise ValueError(f"must be at least 0, got {delay:g}")
        return delay


class RepeatTest(_Model):
    """The diagnostic repeated when a record has not arrived."""

    kind: str = "diagnostics"
    duration: Distribution = Exponential(dist="exponential", mean=0.02)


class Handoff(_Model):
    within_organisation: HandoffParameters = HandoffParameters()
    between_organisations: HandoffParameters = HandoffParameters()
    repeat_test: RepeatTest = RepeatTest()

    @property
    def repeats_possible(self) -> bool:
        """Whether any transfer can ever need a repeat test."""
        return any(p.record_missing > 0 and p.repeat_test > 0
                   for p in (self.within_organisation, self.between_organisations))


ByQuintile = Annotated[list[Positive], Field(min_length=5, max_length=5)]


class Need(_Model):
    """How much care a practice's patients need beyond its list size, by deprivation
    quintile (quintile 1, the most deprived, first): the referral rate as a multiple of
    the pathways' `referrals_per_1000_per_year`, and chronic prevalence and incidence
    as multiples of each condition's. 1 everywhere: need in proportion to the list
    (with each practice's own `referral_factor` for referrals). A chronic condition
    may give its own prevalence gradient (`prevalence_multiplier_by_quintile`)."""

    referral_multiplier_by_quintile: ByQuintile = [1.0, 1.0, 1.0, 1.0, 1.0]
    prevalence_multiplier_by_quintile: ByQuintile = [1.0, 1.0, 1.0, 1.0, 1.0]


class Equity(_Model):
    """Protected social priorities: these deprivation quintiles are seen first."""

    priority_deprivation_quintiles: list[Annotated[int, Field(ge=1, le=5)]] = []


class Overdue(_Model):
    """When a review is overdue (not started `after_days` after it fell due) and how
    that raises the exacerbation hazard: x `step` as soon as it is overdue, and x
    `per_week` for every week overdue, never more than `cap` times the base rate.
    step and per_week 1: an overdue review changes nothing."""

    after_days: NonNegative = 28.0
    step: Annotated[float, Field(ge=1.0)] = 1.0
    per_week: Annotated[float, Field(ge=1.0)] = 1.0
    cap: Annotated[float, Field(ge=1.0)] = 4.0


class CaseManagement(_Model):
    """Case management of chronic patients, where a model provides it (`provided`), for
    the `conditions` named (none named: all). Its mechanisms: a case manager books and
    chases the managed patients' reviews, which queue ahead of elective work and of
    unmanaged reviews (fewer overdue reviews, so a lower exacerbation hazard where
    `chronic.overdue` links the two); and each managed patient has
    `contacts_per_year` proactive contacts along `contact_pathway` (a stage of a kind:
    community capacity that reviews and other work compete for). Its direct effect on
    exacerbations is an assumption, not a mechanism: `rate_multiplier` multiplies every
    exacerbation rate, 1.0 (no direct effect, as English evaluations found) unless a
    model or a sweep says otherwise."""

    provided: bool = False
    rate_multiplier: Positive = 1.0
    conditions: list[str] = []
    contact_pathway: str | None = None
    contacts_per_year: NonNegative = 0.0

    @model_validator(mode="after")
    def _contacts_need_a_pathway(self) -> CaseManagement:
        if self.contacts_per_year > 0 and self.contact_pathway is None:
            raise ValueError("proactive contacts need a contact_pathway")
        return self


#: A simulated year's months (365 days: no leap years).
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Seasonality(_Model):
    """A rate's yearly profile, relative to its yearly mean (day 0 of the simulation is
    1 January): 1 + winter_peak x cos(2 pi (day - peak_day_of_year) / 365), or, where
    `by_month` gives twelve factors (January first), each month's own. Either way the
    profile must average 1 over the year, so that the configured rate is the yearly
    one."""

    winter_peak: Probability = 0.0
    peak_day_of_year: Annotated[float, Field(ge=0.0, lt=365.0)] = 15.0
    by_month: Annotated[list[NonNegative], Field(min_length=12, max_length=12)] | None = None

    @model_validator(mode="after")
    def _one_profile_averaging_one(self) -> Seasonality:
        if self.by_month is None:
            return self
        if self.winter_peak > 0:
            raise ValueError("give either winter_peak or by_month, not both")
        mean = sum(f * d for f, d in zip(self.by_month, DAYS_IN_MONTH, strict=False)) / 365.0
        if abs(mean - 1.0) > 0.01:
            raise ValueError(f"by_month averages {mean:.3f} over the year (weighted by the "
                             "months' days); it must average 1, the configured rate being "
                             "the yearly mean: divide each month by the average")
        return self


class AvoidanceService(_Model):
    """A service that takes an emergency instead of a hospital bed (rapid response at
    home, a step-up community bed): `share` of the population's emergencies are
    referred to it, and it takes each one only when one of its units is free at the
    practice's nearest provider of `pathway`'s first kind; otherwise the patient is
    admitted as usual."""

    pathway: str
    share: Probability


class Emergencies(_Model):
    """Emergency admissions of the whole registered population, beyond the chronic
    cohorts' own: `admissions_per_1000_per_year` from every practice's list, x its
    deprivation quintile's `multiplier_by_quintile`, along `pathway`, whose first stage
    with a kind takes the patient straight to the practice's nearest provider of that
    kind (no choice), queued ahead of planned work as the cohorts' admissions are, and
    competing with them and with elective patients for the same beds. The rate follows
    `seasonality` (a mean of 1 over the year). `avoidance` lists services that take a
    share of these emergencies when they have a unit free. 0 switches them off."""

    admissions_per_1000_per_year: NonNegative = 0.0
    pathway: str | None = None
    multiplier_by_quintile: ByQuintile = [1.0, 1.0, 1.0, 1.0, 1.0]
    seasonality: Seasonality = Seasonality()
    avoidance: list[AvoidanceService] = []

    @model_validator(mode="after")
    def _a_pathway_when_on(self) -> Emergencies:
        if self.admissions_per_1000_per_year > 0 and self.pathway is None:
            raise ValueError("emergency admissions need a pathway (the admission's stages)")
        shares = sum(service.share for service in self.avoidance)
        if shares > 1.0 + 1e-9:
            raise ValueError(f"avoidance services' shares add up to {shares:g}: more than "
                             "every emergency")
        return self


class ChronicCondition(_Model):
    """A long-term condition: a cohort on every practice's list, reviewed on a schedule
    along `review_pathway`, admitted as an emergency along `admission_pathway`;
    prevalence and incidence by deprivation quintile as its own
    `prevalence_multiplier_by_quintile` says, else as `need`'s."""

    prevalence: Annotated[float, Field(gt=0.0, le=1.0)]
    incidence_per_1000_per_year: NonNegative = 0.0
    review_pathway: str
    review_interval_days: Positive
    admission_pathway: str
    admissions_per_year: NonNegative
    prevalence_multiplier_by_quintile: ByQuintile | None = None  # else need's


class Chronic(_Model):
    """Chronic cohorts, their reviews and exacerbations, and the contract that orders
    reviews against elective work where both queue: `activity` (payment by activity:
    elective patients first), `block` (block or capitated budget: due and overdue
    reviews first), `fifo` (no priority) or `by_provider` (each provider as its own
    contract in `contracts` says: activity puts elective patients first, block and
    capitated put reviews first). `multimorbidity: {a: {b: share}}` makes a share of
    condition a's persons one patient with a person of b at the same practice (pairs
    in the order listed; a person is in one pair at most, so a later pair's share is of
    the persons still single); one organisation reviewing both sees them at one visit."""

    contract: Literal["activity", "block", "fifo", "by_provider"] = "fifo"
    case_management: CaseManagement = CaseManagement()
    overdue: Overdue = Overdue()
    seasonality: Seasonality = Seasonality()
    conditions: dict[Name, ChronicCondition] = Field(min_length=1)
    multimorbidity: dict[Name, dict[Name, Probability]] = {}


class SupplyResponse(_Model):
    """Providers add sessions (waiting-list initiatives, insourcing) when a list's
    expected wait (list size / booked slots a week) passes `trigger_wait_weeks`: the
    extra share of slots rises in proportion to the excess and reaches
    `max_extra_share` at `cap_wait_weeks`. Each list is reviewed every
    `review_every_days`; a decision takes effect `delay_days` later.
    max_extra_share 0 switches the response off."""

    max_extra_share: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    trigger_wait_weeks: Positive = 4.5
    cap_wait_weeks: Positive = 18.0
    delay_days: NonNegative = 28.0
    review_every_days: Positive = 7.0

    @model_validator(mode="after")
    def _trigger_below_cap(self) -> SupplyResponse:
        if not self.trigger_wait_weeks < self.cap_wait_weeks:
            raise ValueError(
                f"trigger_wait_weeks ({self.trigger_wait_weeks:g}) must be below "
                f"cap_wait_weeks ({self.cap_wait_weeks:g}): the response starts at the "
                "trigger and is full at the cap")
        return self


class DemandResponse(_Model):
    """GP referrals fall as the provider's published wait rises: a referral goes ahead
    with probability (published wait / reference_wait_weeks) ** elasticity when the
    published wait is above the reference, else always. elasticity 0 switches it off;
    it cannot be positive (longer waits never draw more referrals)."""

    elasticity: float = 0.0
    reference_wait_weeks: Positive = 4.0

    @field_validator("elasticity")
    @classmethod
    def _not_positive(cls, elasticity: float) -> float:
        if elasticity > 0:
            raise ValueError(f"must be 0 or negative (longer waits never draw more "
                             f"referrals), got {elasticity:g}")
        return elasticity


class Removals(_Model):
    """Patients leave a list untreated (validation, treatment elsewhere, no longer
    needed) at `monthly_rate` per month waited (a month is 30.44 days), while their RTT
    clock runs. 0 switches removals off; at most 1 a month."""

    monthly_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0


ContractType = Literal["activity", "block", "capitated"]
SERVICE_LINES: tuple[str, ...] = ("elective", "non_elective")


class LineContracts(_Model):
    """A provider paid differently for its two service lines: `elective`, the stages
    of pathways that run an RTT clock (referral to treatment), and `non_elective`,
    everything else (chronic reviews and contacts, emergency admissions, reablement).
    A capitated budget covers all an organisation's care, so it is not given by line."""

    elective: Literal["activity", "block"] = "activity"
    non_elective: Literal["activity", "block"] = "activity"


ContractSpec = Annotated[
    Annotated[ContractType, Tag("name")] | Annotated[LineContracts, Tag("lines")],
    Discriminator(
        lambda value: "lines" if isinstance(value, dict | LineContracts) else "name",
        custom_error_type="contract_type",
        custom_error_message="expected a contract (activity, block, capitated) or one "
                             "per service line (elective, non_elective)",
    ),
]


class AddedSessionsShare(_Model):
    """The share of the waiting-list supply response a provider on each contract makes.
    Under a block contract or a capitated budget an added session is a cost to the
    provider, not income (illustrative: 0.5, sweep 0-1)."""

    activity: Annotated[float, Field(ge=0.0, le=1.0)] = 1.0
    block: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5
    capitated: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5


class Contracts(_Model):
    """How providers are paid for elective work, and what that does to their lists.
    `activity` (Payment by Results: paid per unit at `money.prices`, so an added
    session pays for itself), `block` (a fixed annual sum, `block_sums_per_year`: an
    added session is a cost) or `capitated` (the organisation holds the budget of its
    registered population, `money.capitation_per_head_per_year`, and pays for its
    patients' care elsewhere at the tariff). `default` for every organisation,
    `providers` per organisation (an owned one takes its owner's where it has none of
    its own; GP practices that are their own organisations are paid by activity). A
    contract may differ by service line (`{elective: activity, non_elective: block}`,
    see LineContracts). A provider adds `added_sessions_share` of the supply response
    (`waiting_list.supply`) its contract for the list's line allows."""

    default: ContractSpec = "activity"
    providers: dict[str, ContractSpec] = {}
    block_sums_per_year: dict[str, NonNegative] = {}
    added_sessions_share: AddedSessionsShare = AddedSessionsShare()


class Price(_Model):
    """A unit of the tariff: `price` in pounds, and for a spell the `trim_point_days`
    past which every further day in the bed is paid at `money.excess_bed_day_price`."""

    price: NonNegative
    trim_point_days: Positive | None = None


class Money(_Model):
    """What activity is paid and what capacity costs. Money changes nothing in the
    simulation by itself (contracts do, through `contracts`): it is counted from the
    event log. `prices` in pounds per unit of activity (a stage's `currency`),
    `tariff` says which published tariff they are; `slot_cost_by_kind` is a provider's
    cost of one bookable slot it offers (an outpatient appointment, a theatre slot),
    `server_day_cost_by_kind` of one server (a bed, a clinician) per 24 hours open, so
    a clinic open 4 hours a day costs a sixth of it a day; `capitation_per_head_per_year` is what a capitated organisation receives
    per registered patient, `budget_per_head_per_year` the commissioner's budget."""

    tariff: str = ""
    prices: dict[Name, NonNegative | Price] = {}
    excess_bed_day_price: NonNegative = 0.0
    slot_cost_by_kind: dict[Name, NonNegative] = {}
    server_day_cost_by_kind: dict[Name, NonNegative] = {}
    capitation_per_head_per_year: NonNegative | None = None
    budget_per_head_per_year: NonNegative | None = None

    def price_of(self, currency: str) -> Price:
        spec = self.prices[currency]
        return spec if isinstance(spec, Price) else Price(price=spec)


class ReferralManagement(_Model):
    """A referral management service in front of the hospital: every GP referral on
    `pathways` is triaged first (`triage_days`, a fixed delay after the GP's referral,
    inside the RTT clock), and `redirect_share` of them go to an alternative instead of
    a first outpatient appointment: a stage of `alternative_kind` (a community clinic,
    a GP with a special interest) lasting `alternative_duration`, paid as
    `alternative_currency`, after which the patient is discharged (a clock stop without
    treatment in hospital). The two stages are added to each managed pathway as
    `referral_triage` (its new start) and `referral_alternative`. `practices` names
    the practices whose referrals are managed (none named: every practice's): with
    a few named, the service is practice-based commissioning, practices holding an
    indicative budget that send their own referrals through triage first."""

    pathways: list[str] = []
    practices: list[str] = []
    triage_days: NonNegative = 0.0
    redirect_share: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    alternative_kind: str | None = None
    alternative_duration: Distribution | None = None
    alternative_currency: str | None = None

    @model_validator(mode="after")
    def _alternative_when_redirecting(self) -> ReferralManagement:
        if self.redirect_share > 0 and (self.alternative_kind is None
                                        or self.alternative_duration is None):
            raise ValueError("redirecting referrals needs an alternative_kind and an "
                             "alternative_duration")
        return self


class Fundholding(_Model):
    """GP fundholding: the `practices` named hold a fund for their patients' elective
    care (pathways that run an RTT clock), `fund_per_head_per_year` per registered
    patient from the commissioner, and buy that care from providers at the tariff,
    per unit, whatever the provider's contract with the commissioner. A provider on a
    block contract for elective work is paid nothing more for the commissioner's
    patients it treats, but is paid for each fundholder's patient: where both wait on
    its lists, the fundholders' patients go first (after urgent referrals). Under
    activity payment every patient pays, and nobody goes first."""

    practices: list[str] = []
    fund_per_head_per_year: NonNegative | None = None


class CommissionerChoice(_Model):
    """Choice of commissioner: patients may register with a competing commissioner,
    `rival` (a name), instead of the home one. The rival receives
    `capitation_per_head_per_year` for each member and buys its members' elective care
    (pathways that run an RTT clock) from providers per unit at the tariff, whatever
    their contracts with the home commissioner, as a fund does (`fundholding`): a
    provider paid a block sum by the home commissioner books the rival's members
    first. `initial_share` of patients are members at the start, and a referred patient
    is a member with the share of the day. At every refresh of published waits each
    patient reconsiders at `switch_per_year` a year and moves to the other
    commissioner where its members' median wait from referral to a first appointment
    over the published window was shorter by at least `margin_weeks`; otherwise stays.
    Off without a rival."""

    rival: str | None = None
    initial_share: Probability = 0.0
    capitation_per_head_per_year: NonNegative | None = None
    switch_per_year: NonNegative = 0.0
    margin_weeks: NonNegative = 1.0


class MarketEntry(_Model):
    """Independent providers that enter when waits make it pay and leave after
    sustained losses. An entrant (`entrants`, organisations) holds its resources from
    the start but takes no patients and books no sessions until it enters: once the
    mean published wait of the other providers at a stage it offers has stayed above
    `enter_wait_weeks` for `enter_after_days`. It leaves (takes no new patients, and
    runs its sessions only until its lists are empty) once the share of its slots
    booked has stayed below `break_even_booked_share` (the share its slot costs need
    at the tariff) over the last `exit_after_days`. Checked every `review_every_days`;
    an entrant enters at most once."""

    entrants: list[str] = []
    enter_wait_weeks: Positive = 8.0
    enter_after_days: Positive = 90.0
    break_even_booked_share: Annotated[float, Field(ge=0.0, le=1.0)] = 0.6
    exit_after_days: Positive = 180.0
    review_every_days: Positive = 7.0


class WaitingList(_Model):
    """How lists of bookable capacity are managed, and how patients use their slots.
    Every part defaults to off, which leaves a pure queue. `did_not_attend_share` of
    booked appointments on RTT pathways are missed: the slot is lost and the patient
    goes back on the list, behind those already waiting. `booked_in_turn_share` of
    slots go to the longest-waiting patient of the highest priority (1: strictly in
    turn); the others to a patient of that priority drawn at random (out of turn)."""

    supply: SupplyResponse = SupplyResponse()
    demand: DemandResponse = DemandResponse()
    removals: Removals = Removals()
    did_not_attend_share: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.0
    booked_in_turn_share: Annotated[float, Field(ge=0.0, le=1.0)] = 1.0


EDIT_VERBS = ("insert", "remove", "bypass", "merge", "reroute", "move")
_EDIT_FIELDS = {  # what each verb reads besides `pathways` (the rest must be left out)
    "insert": {"before", "after", "stage"},
    "remove": set(),
    "bypass": {"share", "to"},
    "merge": {"into", "duration", "kind", "currency"},
    "reroute": {"to", "share", "next"},
    "move": {"kind", "resource", "duration", "currency"},
}


class StageEdit(_Model):
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


class Config(_Model):
    """A whole simulation: what arrives, where it goes, and what serves it."""

    name: str = Field(min_length=1)
    horizon_days: Positive
    warmup_days: NonNegative = 0.0
    calendars: dict[CalendarName, Calendar] = {}
    resources: dict[Name, Resource] = {}
    arrivals: list[Arrival] = []
    pathways: dict[Name, Pathway] = Field(min_length=1)
    practices: Practices | None = None
    organisations: dict[Name, Organisation] = {}
    allocation: Allocation = Allocation()
    choice: Choice = Choice()
    published_wait: PublishedWait = PublishedWait()
    navigators: Navigators = Navigators()
    patient_choice: PatientChoice = PatientChoice()
    handoff: Handoff = Handoff()
    equity: Equity = Equity()
    need: Need = Need()
    chronic: Chronic | None = None
    emergencies: Emergencies = Emergencies()
    waiting_list: WaitingList = WaitingList()
    contracts: Contracts = Contracts()
    money: Money | None = None
    referral_management: ReferralManagement = ReferralManagement()
    fundholding: Fundholding = Fundholding()
    commissioner_choice: CommissionerChoice = CommissionerChoice()
    market_entry: MarketEntry = MarketEntry()
    stage_edits: list[StageEdit] = []

    @property
    def is_economy(self) -> bool:
        """True when patients come from GP practices and providers are allocated."""
        return self.practices is not None

    @field_validator("warmup_days")
    @classmethod
    def _warmup_before_horizon(cls, warmup: float, info: ValidationInfo) -> float:
        horizon = info.data.get("horizon_days")
        if horizon is not None and warmup >= horizon:
            raise ValueError(f"must be less than horizon_days ({horizon:g}), got {warmup:g}")
        return warmup

    def calendar_of(self, resource: Resource) -> Calendar | None:
        """The resource's calendar with names resolved; None means always open."""
        name = resource.calendar
        if not isinstance(name, str):
            return name
        return self.calendars[name] if name in self.calendars else BUILTIN_CALENDARS[name]
