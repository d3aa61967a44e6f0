"""A whole configuration: every section, and the checks between its fields."""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from pathways.config.schema.base import Name, NonNegative, Positive, StrictModel
from pathways.config.schema.calendars import BUILTIN_CALENDARS, Calendar, CalendarName
from pathways.config.schema.chronic import Chronic, Emergencies
from pathways.config.schema.economy import (
    Allocation,
    Choice,
    Equity,
    Handoff,
    Navigators,
    Need,
    Organisation,
    PatientChoice,
    PracticeClinic,
    Practices,
    PublishedWait,
)
from pathways.config.schema.money import (
    CommissionerChoice,
    Contracts,
    Fundholding,
    MarketEntry,
    Money,
    ReferralManagement,
)
from pathways.config.schema.pathway import Arrival, Pathway, Resource, StageEdit
from pathways.config.schema.waiting_list import WaitingList


class Config(StrictModel):
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

    def calendar_of(self, resource: Resource | PracticeClinic) -> Calendar | None:
        """The resource's calendar with names resolved; None means always open."""
        name = resource.calendar
        if not isinstance(name, str):
            return name
        return self.calendars[name] if name in self.calendars else BUILTIN_CALENDARS[name]
