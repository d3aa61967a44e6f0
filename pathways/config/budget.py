"""How much work one replication of a configuration is, estimated before it runs, and
the refusal of one far beyond the budget (pathways.config.limits: PATHWAYS_MAX_EVENTS).

A horizon of 1e12 days or a rate of 1e9 patients a day validates, and then runs for
ever or dies of MemoryError; a located error before the run says what to change. The
estimate counts event-log rows, which the engine keeps in memory until the end: two
per patient (arrive, exit) and three per stage visit (queue, start, end), plus the
chronic persons seeded at the start. On models/competitive.yaml it says 1.05 million
where a replication logs 0.99 million.
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.config import limits
from pathways.config.derived import (
    chronic_starts_per_day,
    emergency_starts_per_day,
    prevalence_weights,
    referrals_per_day,
)
from pathways.config.errors import FieldPath, Finding
from pathways.config.schema import Config

EVENTS_PER_PATIENT = 2  # arrive, exit
EVENTS_PER_VISIT = 3  # queue, start, end
BYTES_PER_EVENT = 300  # peak memory per logged event, measured on models/competitive.yaml
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class Estimate:
    """The work of one replication."""

    patients_per_day: float
    visits_per_day: float
    chronic_persons: float
    horizon_days: float

    @property
    def events_per_day(self) -> float:
        return EVENTS_PER_PATIENT * self.patients_per_day + EVENTS_PER_VISIT * self.visits_per_day

    @property
    def events(self) -> float:
        return self.events_per_day * self.horizon_days + self.chronic_persons


def estimate(config: Config, stage_rates: dict[str, dict[str, float]]) -> Estimate:
    """The work of one replication of `config`, given each stage's long-run arrivals a
    day (pathways.config.lint.stage_arrival_rates)."""
    patients = sum(rate for _, rate in entry_rates(config))
    visits = sum(sum(rates.values()) for rates in stage_rates.values())
    return Estimate(patients, visits, chronic_persons(config), config.horizon_days)


def entry_rates(config: Config) -> list[tuple[FieldPath, float]]:
    """Patients a day entering the pathways from each source, at the field that sets it."""
    rates: list[tuple[FieldPath, float]] = [
        (("arrivals", i, "rate_per_day"), arrival.mean_rate_per_day())
        for i, arrival in enumerate(config.arrivals)]
    for name in config.pathways:
        rates.append((("pathways", name, "referrals_per_1000_per_year"),
                      referrals_per_day(config, name)))
        rates.append((("chronic",), chronic_starts_per_day(config, name)))
        rates.append((("emergencies", "admissions_per_1000_per_year"),
                      emergency_starts_per_day(config, name)))
    return rates


def chronic_persons(config: Config) -> float:
    """Persons in the chronic cohorts at the start, each held in memory."""
    if config.chronic is None or config.practices is None:
        return 0.0
    return sum(sum(prevalence_weights(config, name)) * condition.prevalence
               for name, condition in config.chronic.conditions.items())


def over_budget(config: Config, stage_rates: dict[str, dict[str, float]]) -> list[Finding]:
    """An error if one replication would log more events than the budget allows, at the
    horizon, or at the largest source of patients when even a year would be too much."""
    budget_events = limits.limit(limits.EVENTS_VARIABLE, limits.EVENTS_LIMIT)
    work = estimate(config, stage_rates)
    if work.events <= budget_events:  # also refuses NaN
        return []
    return [Finding(_blamed_field(config, work, budget_events), _message(work, budget_events))]


def _blamed_field(config: Config, work: Estimate, budget_events: float) -> FieldPath:
    if not work.events_per_day * DAYS_PER_YEAR > budget_events:
        return ("horizon_days",)
    largest = max(entry_rates(config), key=lambda entry: entry[1], default=None)
    return ("horizon_days",) if largest is None else largest[0]


def _message(work: Estimate, budget_events: float) -> str:
    memory_gb = work.events * BYTES_PER_EVENT / 1e9
    return (f"one replication would log about {work.events:.3g} events (about "
            f"{memory_gb:.3g} GB of memory): {work.patients_per_day:.3g} patients a day "
            f"making {work.visits_per_day:.3g} stage visits over {work.horizon_days:g} days, "
            f"beyond the budget of {budget_events:.3g} events; shorten horizon_days or "
            f"lower the arrival rates, or raise the budget with the environment variable "
            f"{limits.EVENTS_VARIABLE} (e.g. {limits.EVENTS_VARIABLE}={work.events * 1.1:.2g})")
