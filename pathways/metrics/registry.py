"""The one registry of metrics: for each metric the label of tables and axes, the
phrase of sentences, the unit, the words for its two directions and the range its
values can take. The terminal table, the report and the intervals of summary.csv and
differences.csv all read it, so no name, unit or range is written twice.

Directions are only ever "longer"/"shorter" (times) or "higher"/"lower": the report
states direction and size, never whether a difference is good or bad.

Ranges: a share lies in [0, 1]; times, counts, rates and ratios are non-negative; a
money balance (a surplus, a budget variance) and an elasticity can take either sign.
A metric not listed gets a wording and a range from its name: ``..._share`` a share,
a name with a time unit (``_weeks``, ``_days``, ``_hours``) a non-negative time, any
other name a plain number of either sign (no range is assumed that was not declared).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

UNBOUNDED = (-math.inf, math.inf)
NON_NEGATIVE = (0.0, math.inf)
SHARE = (0.0, 1.0)


@dataclass(frozen=True)
class Wording:
    label: str  # table rows and axis titles, with the unit
    phrase: str  # "median admitted RTT wait": what a sentence says the model has
    unit: str  # of a difference: "weeks", "percentage points", "" for a plain number
    more: str = "higher"
    less: str = "lower"
    scale: float = 1.0  # shares are stated in percentage points (x 100)
    bounds: tuple[float, float] = NON_NEGATIVE  # the values the metric can take

    @property
    def is_share(self) -> bool:
        return self.scale == 100.0


def _with_unit(label: str, unit: str) -> str:
    """``label (unit)``, unless the label already says its unit."""
    return label if not unit or unit.lower() in label.lower() else f"{label} ({unit})"


def _time(label: str, phrase: str, unit: str) -> Wording:
    return Wording(_with_unit(label, unit), phrase, unit, "longer", "shorter")


def _share(label: str, phrase: str) -> Wording:
    return Wording(f"{label} (%)", phrase, "percentage points", scale=100.0, bounds=SHARE)


def _number(label: str, phrase: str, unit: str = "",
            bounds: tuple[float, float] = NON_NEGATIVE) -> Wording:
    return Wording(_with_unit(label, unit), phrase, unit, bounds=bounds)


_WORDINGS = {
    "arrivals_per_day": _number("Arrivals", "arrival rate", "patients per day"),
    "throughput_per_day": _number("Throughput", "throughput", "patients per day"),
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
    "rtt_removed_share": _share("Clocks stopped by removal from a list",
                                "share of clocks stopped by removal from a list"),
    "rtt_time_share_admin": _share("Share of RTT clock time in administrative lead times",
                                   "share of RTT clock time in administrative lead times"),
    "rtt_time_share_handoff": _share("Share of RTT clock time in handoffs",
                                     "share of RTT clock time in handoff delays"),
    "rtt_time_share_service": _share("Share of RTT clock time in service",
                                     "share of RTT clock time in service"),
    "rtt_admitted_median_from_referral_weeks": _time(
        "Median admitted wait from the GP's referral",
        "median admitted wait from the GP's referral", "weeks"),
    "wait_days": _time("Queueing time per patient", "queueing time per patient", "days"),
    "time_in_system_days": _time("Time in the system", "time in the system", "days"),
    "rtt_admitted_wait_weeks": _time("Admitted RTT wait", "admitted RTT wait", "weeks"),
    "rtt_non_admitted_wait_weeks": _time("Non-admitted RTT wait", "non-admitted RTT wait",
                                         "weeks"),
    "busy_units_mean": _number("Mean units busy", "mean number of units busy", "units"),
    "choice_wait_elasticity_mean": _number(
        "Waiting-time elasticity of referrals", "waiting-time elasticity of referrals",
        bounds=UNBOUNDED),
    "provider_wait_spread_weeks": _time("Spread of providers' waits",
                                        "spread of providers' waits", "weeks"),
    "waiting_list_oscillation_max": _number(
        "Largest swing of a provider's waiting list, share of its mean",
        "largest swing of a provider's waiting list relative to its mean"),
    "choice_offers_per_year": _number("Patient Choice offers per year",
                                      "number of Patient Choice offers per year"),
    "choice_offer_moved_share": _share("Choice offers that moved the patient",
                                       "share of Patient Choice offers that moved the patient"),
    "choice_offer_moved_rtt_median_weeks": _time(
        "Median RTT wait, patients who moved on an offer",
        "median RTT wait of patients who moved on a Patient Choice offer", "weeks"),
    "choice_offer_stayed_rtt_median_weeks": _time(
        "Median RTT wait, patients who stayed after an offer",
        "median RTT wait of patients who stayed after a Patient Choice offer", "weeks"),
    "provider_entries": _number("Providers entering the market",
                                "number of providers entering the market"),
    "provider_exits": _number("Providers leaving the market",
                              "number of providers leaving the market"),
    "provider_entry_day": _time("Day of the first market entry",
                                "day of the first market entry", "days"),
    "spend_per_1000_population_per_year": _number(
        "Commissioner's spending", "commissioner's spending", "pounds per 1,000 registered a year"),
    "activity_value_per_year": _number("Activity at the tariff", "value of the activity at "
                                       "the tariff", "pounds a year"),
    "cost_per_completed_pathway": _number("Tariff value per completed pathway",
                                          "tariff value per completed pathway", "pounds"),
    "budget_variance_per_year": _number("Budget variance, underspend positive",
                                        "budget variance (an underspend is positive)",
                                        "pounds a year", bounds=UNBOUNDED),
    "income_per_year": _number("Income", "income", "pounds a year"),
    "cost_per_year": _number("Cost", "cost", "pounds a year"),
    "surplus_per_year": _number("Surplus", "surplus", "pounds a year", bounds=UNBOUNDED),
    "payment_per_year": _number("Payments", "payments", "pounds a year"),
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
    return _number(words.capitalize(), words, bounds=UNBOUNDED)


def is_registered(metric: str) -> bool:
    """Whether ``metric`` has its own entry (its range declared, not guessed)."""
    return metric in _WORDINGS


def metric_bounds(metric: str) -> tuple[float, float]:
    """The range of ``metric``'s values, (low, high); infinite where unbounded."""
    return wording(metric).bounds


def difference_bounds(metric: str) -> tuple[float, float]:
    """The range of a difference of two of ``metric``'s means: high - low either way."""
    low, high = metric_bounds(metric)
    return (low - high, high - low)
