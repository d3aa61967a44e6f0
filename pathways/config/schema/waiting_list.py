"""How lists of bookable capacity are managed: supply and demand responses to waits,
removals, missed appointments and booking out of turn."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from pathways.config.schema.base import NonNegative, Positive, StrictModel


class SupplyResponse(StrictModel):
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


class DemandResponse(StrictModel):
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


class Removals(StrictModel):
    """Patients leave a list untreated (validation, treatment elsewhere, no longer
    needed) at `monthly_rate` per month waited (a month is 30.44 days), while their RTT
    clock runs. 0 switches removals off; at most 1 a month."""

    monthly_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0


class WaitingList(StrictModel):
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
