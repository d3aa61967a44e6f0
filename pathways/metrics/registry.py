"""How each metric is named in the report: a label for tables and axes, a phrase for
sentences, its unit and the words for its two directions.

Directions are only ever "longer"/"shorter" (times) or "higher"/"lower": the report
states direction and size, never whether a difference is good or bad.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Whole-system metrics the board summary and the KPI table lead with, in this order
#: (those a results folder does not hold are skipped).
HEADLINE_METRICS = (
    "rtt_admitted_median_weeks", "rtt_non_admitted_median_weeks",
    "rtt_non_admitted_median_from_referral_weeks", "referral_transfer_days_mean",
    "rtt_time_share_queue", "rtt_completed_within_18_weeks_share", "rtt_incomplete_within_18_weeks_share",
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


@dataclass(frozen=True)
class Wording:
    label: str  # table rows and axis titles, with the unit
    phrase: str  # "median admitted RTT wait": what a sentence says the model has
    unit: str  # of a difference: "weeks", "percentage points", "" for a plain number
    more: str = "higher"
    less: str = "lower"
    scale: float = 1.0  # shares are stated in percentage points (x 100)

    @property
    def is_share(self) -> bool:
        return self.scale == 100.0


def _time(label: str, phrase: str, unit: str) -> Wording:
    return Wording(f"{label} ({unit})", phrase, unit, "longer", "shorter")


def _share(label: str, phrase: str) -> Wording:
    return Wording(f"{label} (%)", phrase, "percentage points", scale=100.0)


def _number(label: str, phrase: str, unit: str = "") -> Wording:
    return Wording(f"{label} ({unit})" if unit else label, phrase, unit)


_WORDINGS = {
    "arrivals_per_day": _number("Arrivals per day", "arrival rate", "patients per day"),
    "throughput_per_day": _number("Throughput per day", "throughput", "patients per day"),
    "rtt_non_admitted_median_from_referral_weeks": _time(
        "Median non-admitted wait from the GP's referral", "median non-admitted wait from the "
        "GP's referral", "weeks"),
    "referral_transfer_days_mean": _time("Mean referral transfer, GP to provider",
                                         "mean referral transfer", "days"),
    "rtt_time_share_queue": _share("Share of RTT clock time spent on waiting lists",
                                   "share of RTT clock time spent on waiting lists"),
    "wait_mean": _time("Mean queueing time per patient", "mean queueing time per patient",
                       "days"),
    "wait_median": _time("Median queueing time", "median queueing time", "days"),
    "wait_p90": _time("90th percentile queueing time", "90th percentile queueing time", "days"),
    "wait_p95": _time("95th percentile queueing time", "95th percentile queueing time", "days"),
    "time_in_system_mean": _time("Mean time in the system", "mean time in the system", "days"),
    "time_in_system_median": _time("Median time in the system", "median time in the system",
                                   "days"),
    "time_in_system_p95": _time("95th percentile time in the system",
                                "95th percentile time in the system", "days"),
    "queue_length_mean": _number("Mean number waiting", "mean number waiting", "patients"),
    "number_present_mean": _number("Mean number present", "mean number of patients present",
                                   "patients"),
    "utilisation": _share("Utilisation", "utilisation"),
    "sojourn_mean": _time("Mean time at the stage", "mean time at the stage", "days"),
    "rtt_admitted_median_weeks": _time("Median admitted RTT wait", "median admitted RTT wait",
                                       "weeks"),
    "rtt_admitted_p92_weeks": _time("92nd percentile admitted RTT wait",
                                    "92nd percentile admitted RTT wait", "weeks"),
    "rtt_admitted_p95_weeks": _time("95th percentile admitted RTT wait",
                                    "95th percentile admitted RTT wait", "weeks"),
    "rtt_non_admitted_median_weeks": _time("Median non-admitted RTT wait",
                                           "median non-admitted RTT wait", "weeks"),
    "rtt_non_admitted_p92_weeks": _time("92nd percentile non-admitted RTT wait",
                                        "92nd percentile non-admitted RTT wait", "weeks"),
    "rtt_non_admitted_p95_weeks": _time("95th percentile non-admitted RTT wait",
                                        "95th percentile non-admitted RTT wait", "weeks"),
    "rtt_completed_within_18_weeks_share": _share(
        "Completed pathways within 18 weeks", "share of completed pathways within 18 weeks"),
    "rtt_admitted_share": _share("Pathways completed as admitted",
                                 "share of pathways completed as admitted"),
    "rtt_incomplete_median_weeks": _time("Median time waited on the RTT list",
                                         "median time waited so far on the RTT waiting list",
                                         "weeks"),
    "rtt_incomplete_within_18_weeks_share": _share(
        "RTT waiting list within 18 weeks", "share of the RTT waiting list within 18 weeks"),
    "rtt_waiting_list_mean": _number("Mean RTT waiting list", "mean RTT waiting list size",
                                     "patients"),
    "visits_per_pathway": _number("Visits per completed referral pathway",
                                  "number of visits (appointments, tests, operations, bed "
                                  "stays) per completed referral pathway"),
    "handoffs_per_pathway": _number("Handoffs per completed pathway",
                                    "number of handoffs between organisations per completed "
                                    "pathway"),
    "handoff_delay_days_per_pathway": _time("Handoff delay per completed pathway",
                                            "handoff delay per completed pathway", "days"),
    "transfers_within_per_pathway": _number("Transfers within an organisation per pathway",
                                            "number of transfers within an organisation per "
                                            "completed pathway"),
    "records_missing_per_pathway": _number("Missing records per pathway",
                                           "number of missing records per completed pathway"),
    "repeat_tests_per_pathway": _number("Repeat tests per pathway",
                                        "number of repeat tests per completed pathway"),
    "handoffs_per_day": _number("Handoffs per day", "number of handoffs per day"),
    "bypassed_nearest_share": _share("Referred past the nearest site",
                                     "share of patients referred past their nearest site"),
    "distance_km_mean": _number("Mean distance to the site referred to",
                                "mean distance to the site referred to", "km"),
    "patients_per_day": _number("Patients referred per day", "number of patients referred "
                                "per day"),
    "chronic_patient_years": _number("Chronic patient-years", "number of chronic "
                                     "patient-years", "patient-years"),
    "emergency_admissions_per_1000_patient_years": _number(
        "Emergency admissions per 1,000 patient-years", "emergency admission rate",
        "per 1,000 patient-years"),
    "emergency_bed_days_per_1000_patient_years": _number(
        "Emergency bed days per 1,000 patient-years", "emergency bed-day rate",
        "bed days per 1,000 patient-years"),
    "emergency_bed_wait_hours_mean": _time("Mean wait for an emergency bed",
                                           "mean wait for an emergency bed", "hours"),
    "delayed_discharge_days_per_1000_patient_years": _number(
        "Delayed discharge days per 1,000 patient-years", "delayed discharge rate",
        "days per 1,000 patient-years"),
    "delayed_discharge_days_mean": _time("Mean delayed discharge", "mean delayed discharge",
                                         "days"),
    "reviews_overdue_share": _share("Reviews overdue", "share of reviews overdue"),
    "review_days_overdue_mean": _time("Mean days overdue per review",
                                      "mean time overdue per review", "days"),
    "handoffs_per_chronic_patient_year": _number(
        "Handoffs per chronic patient-year", "number of handoffs per chronic patient-year"),
    "cancelled_operations_per_year": _number("Cancelled operations per year",
                                             "number of cancelled operations per year"),
    "rtt_admitted_mean_weeks_cancelled": _time(
        "Mean admitted RTT wait, patients with a cancellation",
        "mean admitted RTT wait of patients with a cancelled operation", "weeks"),
    "rtt_admitted_mean_weeks_not_cancelled": _time(
        "Mean admitted RTT wait, patients without a cancellation",
        "mean admitted RTT wait of patients without a cancelled operation", "weeks"),
    "cancelled_operations_winter_to_summer_ratio": _number(
        "Cancelled operations, winter day over summer day",
        "ratio of cancelled operations a winter day to a summer day"),
    "emergency_admissions_per_1000_population_per_year": _number(
        "Emergency admissions, all causes",
        "all-cause emergency admission rate", "per 1,000 registered a year"),
    "emergencies_avoided_per_1000_population_per_year": _number(
        "Emergencies avoided",
        "rate of emergencies taken by avoidance services", "per 1,000 registered a year"),
    "delayed_discharge_bed_days_per_day": _number(
        "Beds blocked by delayed discharge, average day",
        "number of beds blocked by delayed discharge on an average day", "beds"),
    "rtt_completed_winter_to_summer_ratio": _number(
        "Completed pathways, winter day over summer day",
        "ratio of pathways completed a winter day to a summer day"),
    "rtt_median_weeks_winter": _time("Median RTT wait, pathways completed in winter",
                                     "median RTT wait of pathways completed in winter",
                                     "weeks"),
    "rtt_median_weeks_summer": _time("Median RTT wait, pathways completed in summer",
                                     "median RTT wait of pathways completed in summer",
                                     "weeks"),
    "reviews_combined_share": _share("Multimorbid patients' reviews combined",
                                     "share of multimorbid patients' reviews combined"),
}

_UNIT_SUFFIXES = (("_weeks", "weeks"), ("_days", "days"), ("_hours", "hours"))


def wording(metric: str) -> Wording:
    """The wording of ``metric``; one derived from its name for a metric not listed."""
    if metric in _WORDINGS:
        return _WORDINGS[metric]
    words = metric.replace("_", " ")
    if metric.endswith("_share"):
        return _share(words[:-len(" share")].capitalize(), f"share {words[:-len(' share')]}")
    for suffix, unit in _UNIT_SUFFIXES:
        if suffix in metric:
            text = metric.replace(suffix, "").replace("_", " ")
            return _time(text.capitalize(), text, unit)
    return _number(words.capitalize(), words)


def number(value: float, signed: bool = False) -> str:
    """A value for people: three significant figures, thousands separated."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    value = float(value)
    sign = "+" if signed and value > 0 else ""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{sign}{value:,.0f}"
    if abs(value) < 0.001:
        return f"{sign}{value:.2e}"
    text = f"{value:.3g}"
    if "e" in text:  # .3g switches to exponents from 1000 on; handled above
        text = f"{value:.3f}"
    return sign + text


def scaled(metric: str, value: float) -> float:
    """``value`` in the unit the report shows (shares as percentages)."""
    return value * wording(metric).scale


def estimate(metric: str, mean: float, low: float, high: float, signed: bool = False) -> str:
    """``mean (low to high)`` in the report's units; the interval left out where there
    were too few replications for one."""
    scale = wording(metric).scale
    text = number(mean * scale, signed)
    if low is None or math.isnan(low) or math.isnan(high):
        return text
    return f"{text} ({number(low * scale, signed)} to {number(high * scale, signed)})"
