"""The event log: the only thing the engine emits and the only input of metrics.

Columnar numpy arrays with small integer codes, plus the name tables and the few
static facts (capacities, calendars, horizon, warm-up) that metrics need, so that
everything downstream is a pure function of this one object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

#: Event codes, in the order they happen to one patient at one stage.
ARRIVE, QUEUE, START, END, EXIT = 0, 1, 2, 3, 4
EVENT_NAMES: tuple[str, ...] = ("arrive", "queue", "start", "end", "exit")

#: A stage, resource or server index of -1 means "none" (arrive/exit rows, delay stages).
NONE = -1

COLUMNS: tuple[str, ...] = (
    "patient", "pathway", "stage", "resource", "unit", "event", "time", "replication",
)

_Table = TypeVar("_Table")


@dataclass(frozen=True)
class StageInfo:
    """A stage as the log knows it: qualified name, owning pathway, resource used, and
    whether starting it stops the RTT clock ("admitted", "non_admitted" or None)."""

    name: str  # "pathway.stage"
    pathway: int
    resource: int  # NONE for a pure delay
    rtt_stop: str | None = None
    lead_days: float = 0.0  # fixed administrative lead time inside its QUEUE -> START


@dataclass(frozen=True)
class ResourceInfo:
    """A resource as metrics need it: capacity, weekly open intervals (None = always)
    and, in a health economy, the organisation and site that hold it."""

    name: str
    capacity: int
    open_intervals_days: tuple[tuple[float, float], ...] | None = None
    organisation: int = NONE
    site: int = NONE
    kind: str = ""
    slots_per_session: float | None = None  # bookable capacity; None: servers


@dataclass(frozen=True)
class SiteInfo:
    """A place where an organisation's resources sit."""

    name: str
    organisation: int
    x_km: float
    y_km: float


@dataclass(frozen=True)
class PracticeInfo:
    """A GP practice: referrals come from here and discharges go back here."""

    name: str
    list_size: int
    x_km: float
    y_km: float
    deprivation_quintile: int  # 1 = most deprived ... 5 = least deprived
    organisation: int
    fundholding: bool = False  # holds a fund for its patients' elective care


@dataclass(frozen=True)
class PatientTable:
    """One row per patient referred in a health economy (equal-length arrays).

    patient (int64), pathway (int16), practice (int32), navigator (bool: had a
    navigator's help choosing), referred_site (int32: the site allocated at referral,
    NONE if none), distance_km (float64: practice to that site, NaN if none),
    nearest_site (int32: the nearest site that offers the pathway; a patient referred
    elsewhere bypassed it), rival (bool: registered with the rival commissioner, where
    patients choose their commissioner; None otherwise).
    """

    patient: np.ndarray
    pathway: np.ndarray
    practice: np.ndarray
    navigator: np.ndarray
    referred_site: np.ndarray
    distance_km: np.ndarray
    nearest_site: np.ndarray | None = None
    rival: np.ndarray | None = None


@dataclass(frozen=True)
class CommissionerTable:
    """Choice of commissioner: the rival's name, and at the start and every refresh of
    published waits the rival's share of patients (time in days) and the median wait
    from referral to a first appointment of each commissioner's members over the
    window that moved it (NaN: nobody seen)."""

    rival: str
    time: np.ndarray
    rival_share: np.ndarray
    home_wait_days: np.ndarray
    rival_wait_days: np.ndarray


@dataclass(frozen=True)
class EmergencyTable:
    """One row per population emergency (``emergencies``): patient (int64), the
    practice (int32) whose list they came from, the time (float64) and the avoidance
    service (int16) that took it, index into ``emergencies.avoidance`` (-1: none, the
    patient was admitted)."""

    patient: np.ndarray
    practice: np.ndarray
    time: np.ndarray
    service: np.ndarray


@dataclass(frozen=True)
class HandoffTable:
    """One row per transfer between consecutive contacts at different resources.

    patient (int64), time (float64: when the sending contact ended), from_organisation
    and to_organisation (int16), between_organisations (bool: a handoff proper; False
    for a transfer within one organisation), delay_days (float64), record_missing
    (bool), repeat_test (bool: a repeat diagnostic was needed), to_stage (int16: the
    stage the patient moves to, NONE for discharge back to the GP practice).
    """

    patient: np.ndarray
    time: np.ndarray
    from_organisation: np.ndarray
    to_organisation: np.ndarray
    between_organisations: np.ndarray
    delay_days: np.ndarray
    record_missing: np.ndarray
    repeat_test: np.ndarray
    to_stage: np.ndarray


@dataclass(frozen=True)
class CancellationTable:
    """One row per cancelled stage (an operation with no free bed as it was due to
    start): patient (int64), time (float64), stage (int16), resource (int16: the
    resource whose stage was cancelled, e.g. the theatre). The patient rejoins the
    stage's list after the rebooking delay."""

    patient: np.ndarray
    time: np.ndarray
    stage: np.ndarray
    resource: np.ndarray


@dataclass(frozen=True)
class HeldTable:
    """One row per stage whose resource was kept after its service ended, until the
    patient's next stage started (a bed held while discharge support is arranged):
    patient (int64), stage (int16), resource (int16), ready (float64: when the service
    ended, e.g. medically fit), released (float64: when the next stage started; +inf
    if still held at the horizon). released - ready is the delayed discharge."""

    patient: np.ndarray
    stage: np.ndarray
    resource: np.ndarray
    ready: np.ndarray
    released: np.ndarray


@dataclass(frozen=True)
class RemovalTable:
    """One row per patient removed from a list untreated (validation, treatment
    elsewhere, no longer needed): patient (int64), time (float64), stage (int16: the
    stage they were waiting for), resource (int16). Their RTT clock stops there, but
    they are not a completed pathway; the log has an EXIT row at the same time."""

    patient: np.ndarray
    time: np.ndarray
    stage: np.ndarray
    resource: np.ndarray


@dataclass(frozen=True)
class SessionTable:
    """One row per session of bookable capacity: resource (int16), time (float64: its
    start), offered (int32: slots it had, added sessions included), booked (int32: slots
    filled from the list), extra_share (float64: the share of slots added by the
    provider's response to its list, 0 when none)."""

    resource: np.ndarray
    time: np.ndarray
    offered: np.ndarray
    booked: np.ndarray
    extra_share: np.ndarray


@dataclass(frozen=True)
class PublishedTable:
    """The waits published for choice: one row per publication, choice stage and site
    offering it. time (float64), stage (int16: the stage chosen for, a pathway's first
    appointment or a stage chosen again), site (int32), wait_days (float64: the wait
    published, RTT-type: from allocation to the site to starting the stage), seen
    (int32: patients who started it there in the window), waiting (int32: patients
    allocated there and not yet started). Plus what the choice model weighed it by:
    ``policy`` (the allocation policy), ``wait_weeks_coefficient`` (the logit's weight
    per week) and ``navigator_wait_multiplier`` (navigated patients' extra weight)."""

    time: np.ndarray
    stage: np.ndarray
    site: np.ndarray
    wait_days: np.ndarray
    seen: np.ndarray
    waiting: np.ndarray
    policy: str
    wait_weeks_coefficient: float
    navigator_wait_multiplier: float


@dataclass(frozen=True)
class OfferTable:
    """One row per Patient Choice offer (a patient still waiting at the threshold, with
    at least one provider whose published wait is shorter by the margin): patient
    (int64), time (float64), stage (int16: the stage they were waiting for), from_site
    and to_site (int32: equal when they chose to stay)."""

    patient: np.ndarray
    time: np.ndarray
    stage: np.ndarray
    from_site: np.ndarray
    to_site: np.ndarray


@dataclass(frozen=True)
class MarketTable:
    """Providers entering and leaving the market (``market_entry``): one row each.

    time (float64, days), organisation (int16, index into the log's organisations),
    entered (bool: True on entry, False on leaving)."""

    time: np.ndarray
    organisation: np.ndarray
    entered: np.ndarray


@dataclass(frozen=True)
class MoneyInfo:
    """What activity is paid and what capacity costs, as configured (``money``,
    ``contracts``): the static facts the money metrics count the log's activity with.

    stage_price: pounds per start of each stage (0 where unpriced); stage_trim_days:
    the spell's trim point (inf: none), past which each day of the stage is paid at
    excess_bed_day_price; resource_slot_cost: a provider's cost per bookable slot
    offered; resource_server_day_cost: per server open a day; per organisation (the
    log's order) its contract ("activity", "block", "capitated") for elective work
    (stages of pathways that run an RTT clock) and for the rest (non_elective), and
    its block sum a year (held by the paying body only); capitation, budget and a
    fundholding practice's fund per registered head a year (NaN: none); the
    organisation that is the commissioner itself, providing its own services (NONE:
    none)."""

    tariff: str
    stage_price: tuple[float, ...]
    stage_trim_days: tuple[float, ...]
    excess_bed_day_price: float
    resource_slot_cost: tuple[float, ...]
    resource_server_day_cost: tuple[float, ...]
    organisation_contract: tuple[str, ...]
    organisation_non_elective_contract: tuple[str, ...]
    organisation_block_sum_per_year: tuple[float, ...]
    capitation_per_head_per_year: float
    budget_per_head_per_year: float
    fund_per_head_per_year: float = float("nan")
    rival_capitation_per_head_per_year: float = float("nan")
    commissioner_organisation: int = NONE  # the organisation that is the commissioner


@dataclass(frozen=True)
class ChronicConditionInfo:
    """A chronic condition as metrics need it: its pathways, the stage whose start is
    the review, the stage whose start is the emergency admission (taking a bed), the
    review interval and the grace before a review counts as overdue."""

    name: str
    review_pathway: int
    review_stage: int
    admission_pathway: int
    admission_stage: int
    review_interval_days: float
    overdue_after_days: float


@dataclass(frozen=True)
class ChronicTable:
    """The chronic cohorts and their episodes.

    Persons (equal-length arrays): person (int64), condition (int16, into
    ``conditions``), practice (int32), entered (float64: 0 for the prevalent cohort,
    else the day of diagnosis), left (float64: the day they leave the cohort by death
    or moving away; may lie beyond the horizon).
    Episodes (equal-length arrays): episode_patient (int64: the patient id of the
    episode in the event log), episode_person (int64), episode_admission (bool: an
    emergency admission; False: a review). An episode's ARRIVE row is when the review
    fell due, or when the exacerbation happened.
    Multimorbidity (None in a table written without it): linked (int64, per person: the
    person of another condition who is the same patient, -1 for none) and
    episode_combined (int64, per episode: the linked person whose review took place at
    this review's visit, -1 for none).
    """

    conditions: tuple[ChronicConditionInfo, ...]
    person: np.ndarray
    condition: np.ndarray
    practice: np.ndarray
    entered: np.ndarray
    left: np.ndarray
    episode_patient: np.ndarray
    episode_person: np.ndarray
    episode_admission: np.ndarray
    linked: np.ndarray | None = None
    episode_combined: np.ndarray | None = None


@dataclass(frozen=True)
class EventLog:
    """One replication's events, sorted by time (ties keep the order they happened in).

    Columns (equal length numpy arrays):
      patient (int64), pathway (int16), stage (int16, NONE on arrive/exit),
      resource (int16, NONE when the stage uses none), unit (int32: which server of
      the resource, NONE when none), event (int8 code, see EVENT_NAMES),
      time (float64, days), replication (int32).
    """

    patient: np.ndarray
    pathway: np.ndarray
    stage: np.ndarray
    resource: np.ndarray
    unit: np.ndarray
    event: np.ndarray
    time: np.ndarray
    replication: np.ndarray
    pathways: tuple[str, ...]
    stages: tuple[StageInfo, ...]
    resources: tuple[ResourceInfo, ...]
    horizon_days: float
    warmup_days: float
    scenario: str = ""
    # A health economy adds who is where and what happened between contacts.
    organisations: tuple[str, ...] = ()
    sites: tuple[SiteInfo, ...] = ()
    practices: tuple[PracticeInfo, ...] = ()
    patients: PatientTable | None = None
    handoffs: HandoffTable | None = None
    cancellations: CancellationTable | None = None
    held: HeldTable | None = None
    chronic: ChronicTable | None = None
    removals: RemovalTable | None = None
    missed: RemovalTable | None = None  # booked appointments not attended (same columns)
    sessions: SessionTable | None = None
    published: PublishedTable | None = None
    offers: OfferTable | None = None
    money: MoneyInfo | None = None
    market: MarketTable | None = None
    commissioners: CommissionerTable | None = None
    emergency_admission_stage: int = NONE  # whose start is a population emergency admission
    emergencies: EmergencyTable | None = None

    def __len__(self) -> int:
        return len(self.time)

    def column(self, name: str) -> np.ndarray:
        """A column by name (see COLUMNS)."""
        if name not in COLUMNS:
            raise KeyError(f"no column {name!r}; columns are {', '.join(COLUMNS)}")
        return getattr(self, name)

    def to_frame(self) -> pd.DataFrame:
        """A tidy DataFrame with names instead of codes (categoricals keep it small)."""
        stage_names = [s.name for s in self.stages]
        resource_names = [r.name for r in self.resources]
        return pd.DataFrame({
            "patient": self.patient,
            "pathway": _decode(self.pathway, self.pathways),
            "stage": _decode(self.stage, stage_names),
            "resource": _decode(self.resource, resource_names),
            "unit": self.unit,
            "event": _decode(self.event, EVENT_NAMES),
            "time": self.time,
            "replication": self.replication,
        })


def required(table: _Table | None, what: str) -> _Table:
    """``table`` (one of a health economy's optional tables or columns), or a ValueError
    naming ``what`` the log lacks: for the code that is only called where it is there."""
    if table is None:
        raise ValueError(f"the event log has no {what}: it is not from a health economy "
                         "that records them")
    return table


def patients_frame(log: EventLog) -> pd.DataFrame:
    """The patient table with names (practice, sites, deprivation) and the replication."""
    table = required(log.patients, "patient table")
    sites = [site.name for site in log.sites]
    return pd.DataFrame({
        "patient": table.patient,
        "pathway": _decode(table.pathway, log.pathways),
        "practice": _decode(table.practice, [p.name for p in log.practices]),
        "deprivation_quintile": np.array([p.deprivation_quintile for p in log.practices],
                                         dtype=np.int8)[table.practice],
        "navigator": table.navigator,
        "referred_site": _decode(table.referred_site, sites),
        "nearest_site": _decode(required(table.nearest_site, "nearest site per patient"),
                                sites),
        "distance_km": table.distance_km,
        "replication": np.full(len(table.patient), _replication(log), np.int32),
    })


def handoffs_frame(log: EventLog) -> pd.DataFrame:
    """The handoff table with organisation and stage names and the replication."""
    table = required(log.handoffs, "handoff table")
    return pd.DataFrame({
        "patient": table.patient,
        "time": table.time,
        "from_organisation": _decode(table.from_organisation, log.organisations),
        "to_organisation": _decode(table.to_organisation, log.organisations),
        "between_organisations": table.between_organisations,
        "delay_days": table.delay_days,
        "record_missing": table.record_missing,
        "repeat_test": table.repeat_test,
        "to_stage": _decode(table.to_stage, [s.name for s in log.stages]),
        "replication": np.full(len(table.patient), _replication(log), np.int32),
    })


def _replication(log: EventLog) -> int:
    return int(log.replication[0]) if len(log.replication) else 0


def _decode(codes: np.ndarray, names: Sequence[str]) -> pd.Categorical:
    """Integer codes (NONE -> missing) as a categorical of names."""
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=list(names))


def concat_logs(logs: list[EventLog]) -> EventLog:
    """Stack the logs of several replications of one model (names must agree)."""
    if not logs:
        raise ValueError("no event logs to concatenate")
    first = logs[0]

    def stacked(name: str) -> np.ndarray:
        return np.concatenate([log.column(name) for log in logs])

    return EventLog(
        patient=stacked("patient"), pathway=stacked("pathway"), stage=stacked("stage"),
        resource=stacked("resource"), unit=stacked("unit"), event=stacked("event"),
        time=stacked("time"), replication=stacked("replication"),
        pathways=first.pathways,
        stages=first.stages,
        resources=first.resources,
        horizon_days=first.horizon_days,
        warmup_days=first.warmup_days,
        scenario=first.scenario,
    )
