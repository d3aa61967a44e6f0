"""Money and contracts: how providers are paid for their work, what it costs, and the
commissioning arrangements (referral management, fundholding, a rival commissioner,
market entry) that buy it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from pathways.config.schema.base import Name, NonNegative, Positive, Probability, StrictModel
from pathways.config.schema.distributions import Distribution

ContractType = Literal["activity", "block", "capitated"]
SERVICE_LINES: tuple[str, ...] = ("elective", "non_elective")


class LineContracts(StrictModel):
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


class AddedSessionsShare(StrictModel):
    """The share of the waiting-list supply response a provider on each contract makes.
    Under a block contract or a capitated budget an added session is a cost to the
    provider, not income (illustrative: 0.5, sweep 0-1)."""

    activity: Annotated[float, Field(ge=0.0, le=1.0)] = 1.0
    block: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5
    capitated: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5


class Contracts(StrictModel):
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


class Price(StrictModel):
    """A unit of the tariff: `price` in pounds, and for a spell the `trim_point_days`
    past which every further day in the bed is paid at `money.excess_bed_day_price`."""

    price: NonNegative
    trim_point_days: Positive | None = None


class Money(StrictModel):
    """What activity is paid and what capacity costs. Money changes nothing in the
    simulation by itself (contracts do, through `contracts`): it is counted from the
    event log. `prices` in pounds per unit of activity (a stage's `currency`),
    `tariff` says which published tariff they are; `slot_cost_by_kind` is a provider's
    cost of one bookable slot it offers (an outpatient appointment, a theatre slot),
    `server_day_cost_by_kind` of one server (a bed, a clinician) per 24 hours open, so
    a clinic open 4 hours a day costs a sixth of it a day; `capitation_per_head_per_year`
    is what a capitated organisation receives per registered patient,
    `budget_per_head_per_year` the commissioner's budget."""

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


class ReferralManagement(StrictModel):
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


class Fundholding(StrictModel):
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


class CommissionerChoice(StrictModel):
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


class MarketEntry(StrictModel):
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
