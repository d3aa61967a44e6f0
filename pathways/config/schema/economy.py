"""The health economy: practices, organisations and their sites, how patients are
allocated to providers and choose them, handoffs between them, and need."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, field_validator

from pathways.config.schema.base import (
    Name,
    NonNegative,
    Positive,
    Probability,
    StrictModel,
)
from pathways.config.schema.calendars import CalendarRef
from pathways.config.schema.distributions import Distribution, Exponential

ProviderType = Literal[
    "teaching", "acute", "small_trust", "specialist", "istc", "community", "primary_care", "ico",
    "commissioner",
]


class PracticeRow(StrictModel):
    """One GP practice, from a row of the practices CSV."""

    name: Name
    list_size: int = Field(ge=1)
    x_km: float
    y_km: float
    deprivation_quintile: int = Field(ge=1, le=5)
    referral_factor: Positive = 1.0  # this practice's referral rate relative to others


class PracticeClinic(StrictModel):
    """Capacity every practice holds for its own patients (a practice nurse's chronic
    disease clinic): `servers_per_1000` registered patients, rounded up (at least one
    per practice), open by `calendar`. Stages that name its `kind` (chronic reviews) are
    served by the patient's own practice."""

    kind: Name
    servers_per_1000: Positive
    calendar: CalendarRef | None = None


class Practices(StrictModel):
    """GP practices (read from `file`, a CSV) and who holds them: each practice its own
    organisation (`organisation: null`), or one organisation for all of them; and the
    clinics every practice runs."""

    rows: list[PracticeRow] = Field(min_length=1)
    organisation: str | None = None
    clinics: dict[Name, PracticeClinic] = {}


class Site(StrictModel):
    x_km: float
    y_km: float


class Organisation(StrictModel):
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


class Allocation(StrictModel):
    """Who decides which provider serves a patient, and when."""

    policy: Literal["nearest", "choice", "shortest_wait", "pooled"] = "nearest"
    pool_across: Literal["organisation", "all"] = "organisation"
    rechoose_at: list[str] = []

    @property
    def pooled(self) -> bool:
        """Whether an organisation's sites share one list per kind of resource (the
        only policy that changes the model's pools rather than who goes where)."""
        return self.policy == "pooled"


class Choice(StrictModel):
    """Multinomial logit utility of a provider to a patient (coefficients per unit)."""

    distance_km: float = -0.265
    distance_km2: float = 0.002
    distance_km3: float = -0.00001
    wait_weeks: float = -0.03
    quality: float = 1.0
    provider_type: dict[str, float] = {}


class PublishedWait(StrictModel):
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


class Navigators(StrictModel):
    """A share of patients helped to choose: fresher information, more weight on waits."""

    share: Probability = 0.0
    information_lag_days: NonNegative = 0.0
    wait_weeks_multiplier: NonNegative = 2.0


class PatientChoice(StrictModel):
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


class HandoffParameters(StrictModel):
    """What a transfer between consecutive contacts costs."""

    delay_days: DelayDays = 0.0
    record_missing: Probability = 0.0
    repeat_test: Probability = 0.0

    @field_validator("delay_days")
    @classmethod
    def _not_negative(cls, delay: float | Distribution) -> float | Distribution:
        if isinstance(delay, float) and delay < 0:
            raise ValueError(f"must be at least 0, got {delay:g}")
        return delay


class RepeatTest(StrictModel):
    """The diagnostic repeated when a record has not arrived."""

    kind: str = "diagnostics"
    duration: Distribution = Exponential(dist="exponential", mean=0.02)


class Handoff(StrictModel):
    within_organisation: HandoffParameters = HandoffParameters()
    between_organisations: HandoffParameters = HandoffParameters()
    repeat_test: RepeatTest = RepeatTest()

    @property
    def repeats_possible(self) -> bool:
        """Whether any transfer can ever need a repeat test."""
        return any(p.record_missing > 0 and p.repeat_test > 0
                   for p in (self.within_organisation, self.between_organisations))


ByQuintile = Annotated[list[Positive], Field(min_length=5, max_length=5)]


class Need(StrictModel):
    """How much care a practice's patients need beyond its list size, by deprivation
    quintile (quintile 1, the most deprived, first): the referral rate as a multiple of
    the pathways' `referrals_per_1000_per_year`, and chronic prevalence and incidence
    as multiples of each condition's. 1 everywhere: need in proportion to the list
    (with each practice's own `referral_factor` for referrals). A chronic condition
    may give its own prevalence gradient (`prevalence_multiplier_by_quintile`)."""

    referral_multiplier_by_quintile: ByQuintile = [1.0, 1.0, 1.0, 1.0, 1.0]
    prevalence_multiplier_by_quintile: ByQuintile = [1.0, 1.0, 1.0, 1.0, 1.0]


class Equity(StrictModel):
    """Protected social priorities: these deprivation quintiles are seen first."""

    priority_deprivation_quintiles: list[Annotated[int, Field(ge=1, le=5)]] = []
