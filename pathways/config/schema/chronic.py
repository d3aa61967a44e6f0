"""Chronic care: cohorts on practices' lists, their reviews and exacerbations, case
management, seasonality, and the population's emergency admissions."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from pathways.config.schema.base import Name, NonNegative, Positive, Probability, StrictModel
from pathways.config.schema.economy import ByQuintile


class Overdue(StrictModel):
    """When a review is overdue (not started `after_days` after it fell due) and how
    that raises the exacerbation hazard: x `step` as soon as it is overdue, and x
    `per_week` for every week overdue, never more than `cap` times the base rate.
    step and per_week 1: an overdue review changes nothing."""

    after_days: NonNegative = 28.0
    step: Annotated[float, Field(ge=1.0)] = 1.0
    per_week: Annotated[float, Field(ge=1.0)] = 1.0
    cap: Annotated[float, Field(ge=1.0)] = 4.0


class CaseManagement(StrictModel):
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


class Seasonality(StrictModel):
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


class AvoidanceService(StrictModel):
    """A service that takes an emergency instead of a hospital bed (rapid response at
    home, a step-up community bed): `share` of the population's emergencies are
    referred to it, and it takes each one only when one of its units is free at the
    practice's nearest provider of `pathway`'s first kind; otherwise the patient is
    admitted as usual."""

    pathway: str
    share: Probability


class Emergencies(StrictModel):
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


class ChronicCondition(StrictModel):
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


class Chronic(StrictModel):
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
