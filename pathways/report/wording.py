"""How the report and the terminal state a metric's value: numbers for people, the
lists of metrics a board reads first. What each metric is called, its unit and its
range are in pathways.metrics.registry."""

from __future__ import annotations

import math

import numpy as np

from pathways.metrics.registry import wording

#: Whole-system metrics the board summary and the KPI table lead with, in this order
#: (those a results folder does not hold are skipped).
HEADLINE_METRICS = (
    "rtt_admitted_median_weeks", "rtt_non_admitted_median_weeks",
    "rtt_non_admitted_median_from_referral_weeks", "referral_transfer_days_mean",
    "rtt_time_share_queue", "rtt_completed_within_18_weeks_share",
    "rtt_incomplete_within_18_weeks_share",
    "rtt_waiting_list_mean",
    "handoffs_per_pathway", "handoff_delay_days_per_pathway", "visits_per_pathway",
    "wait_mean", "time_in_system_mean", "throughput_per_day", "utilisation",
    "emergency_admissions_per_1000_population_per_year",
    "emergency_admissions_per_1000_patient_years", "emergency_bed_days_per_1000_patient_years",
    "reviews_overdue_share", "review_days_overdue_mean", "handoffs_per_chronic_patient_year",
    "delayed_discharge_days_mean", "delayed_discharge_bed_days_per_day",
    "cancelled_operations_per_year",
)


#: What a board asks first, in this order: waits against the 18-week standard and the
#: median waits, handoffs, emergency admissions, cancelled operations, money. The
#: report's answer is chosen from these.
BOARD_METRICS = (
    "rtt_completed_within_18_weeks_share", "rtt_incomplete_within_18_weeks_share",
    "rtt_admitted_median_weeks", "rtt_non_admitted_median_weeks", "handoffs_per_pathway",
    "emergency_admissions_per_1000_population_per_year",
    "emergency_admissions_per_1000_patient_years", "cancelled_operations_per_year",
    "spend_per_1000_population_per_year",
)


def missing(value) -> bool:
    """Whether a stored value is absent (None or NaN: no data, or no interval)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float, signed: bool = False, digits: int = 3) -> str:
    """A value for people: ``digits`` significant figures, thousands separated."""
    if missing(value):
        return "n/a"
    value = float(value)
    sign = "+" if signed and value > 0 else ""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{sign}{value:,.0f}"
    if abs(value) < 0.001:  # written out, never as an exponent: 0.0000123
        return sign + np.format_float_positional(value, precision=digits, unique=False,
                                                 fractional=False, trim="-")
    text = f"{value:.{digits}g}"
    if "e" in text:  # .3g switches to exponents from 1000 on; handled above
        text = f"{value:.{digits}f}"
    return sign + text


MAX_DIGITS = 6
"""The most significant figures ``numbers`` uses to tell values apart."""


def numbers(values, signed: bool = False) -> list[str]:
    """Several values written alike (a mean and its interval), with as many significant
    figures (3 to MAX_DIGITS) as it takes for values that differ to read differently:
    never "1.2 (1.2 to 1.2)" for an interval that is narrow but not empty."""
    values = [float(v) for v in values]
    for digits in range(3, MAX_DIGITS + 1):
        texts = [number(v, signed, digits) for v in values]
        if all(texts[i] != texts[j] for i in range(len(values)) for j in range(i)
               if values[i] != values[j]):
            return texts
    return texts


def scaled(metric: str, value: float) -> float:
    """``value`` in the unit the report shows (shares as percentages)."""
    return value * wording(metric).scale


def estimate(metric: str, mean: float, low: float, high: float, signed: bool = False) -> str:
    """``mean (low to high)`` in the report's units; the interval left out where there
    were too few replications for one."""
    scale = wording(metric).scale
    if missing(low) or missing(high):
        return number(mean * scale, signed)
    text, low_text, high_text = numbers((mean * scale, low * scale, high * scale), signed)
    return f"{text} ({low_text} to {high_text})"


def counted(count: int | str, noun: str) -> str:
    """``1 stage``, ``2 stages``: a count (or a description of one, such as ``auto (5
    to 8 per point)``) with its noun in the right number."""
    return f"{count} {noun}" + ("" if str(count) == "1" else "s")
