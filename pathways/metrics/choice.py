"""Choice: the waits patients were shown, how their referrals responded, what that did
to providers' lists, and what the Patient Choice rule offered.

``choice_kpis`` gives system rows (stage ""), in CHOICE_METRICS order, for a log with a
patient table; the offer rows (OFFER_METRICS) follow only when the log has an offer
table (the Patient Choice rule was on). Patients referred, and waits published, inside
[warmup, horizon] count.

choice_wait_elasticity_mean
    The waiting-time elasticity of referrals the logit implies (an elasticity of a
    site's share with respect to its published wait): beta x published wait in weeks x
    (1 - share) per site and specialty, averaged over the window's publications, then
    over sites weighted by their referrals. beta is the wait coefficient, raised by the
    navigator multiplier for the share of patients navigated. NaN unless patients
    choose by the logit (allocation ``choice``). Published estimates: about -0.04 (hip
    replacement) to -0.1 (cataract).
provider_wait_spread_weeks
    How far apart providers' waits are: per specialty, the standard deviation across
    sites of the median wait from referral to first appointment of the patients first
    seen there in the window (sites with at least MIN_SEEN of them), averaged over
    specialties weighted by patients. Choice can narrow it by moving patients to the
    shorter waits.
waiting_list_oscillation_max
    How much providers' RTT waiting lists swing: per provider, half the distance
    between the 5th and 95th percentiles of its weekly list size in the window, after
    removing a straight-line trend, over its mean list size; the largest over providers
    whose mean list is at least MIN_LIST. About 0.1-0.2 is sampling noise for lists of
    a few hundred; herding, patients moving together on a lagged wait, shows as more.
choice_offers_per_year, choice_offer_moved_share
    Patient Choice offers made in the window per year, and the share of them that
    moved the patient to another provider.
choice_offer_moved_rtt_median_weeks, choice_offer_stayed_rtt_median_weeks
    The median RTT wait (referral to clock stop) of the patients offered in the window
    who moved, and of those who stayed; NaN with no such completed pathway.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import ARRIVE, START, EventLog, required

from .allocation import referred_in_window
from .equity import _Rows
from .providers import provider_waiting_lists
from .rtt import DAYS_PER_WEEK, RttClocks, has_rtt, rtt_clocks

CHOICE_METRICS = ("choice_wait_elasticity_mean", "provider_wait_spread_weeks",
                  "waiting_list_oscillation_max")
OFFER_METRICS = ("choice_offers_per_year", "choice_offer_moved_share",
                 "choice_offer_moved_rtt_median_weeks", "choice_offer_stayed_rtt_median_weeks")
MIN_SEEN = 20  # patients first seen at a site before its median wait counts in the spread
MIN_LIST = 20  # mean list size before a provider's oscillation counts
DAYS_PER_YEAR = 365.0


def _first_stages(log: EventLog) -> dict[int, int]:
    """Each referred pathway's choice stage: its first stage with a published wait,
    else its first stage that some patient started on a resource."""
    published = log.published
    if published is not None and len(published.stage):
        stages = np.unique(published.stage).tolist()
    else:
        stages = np.unique(log.stage[(log.event == START) & (log.resource >= 0)]).tolist()
    first: dict[int, int] = {}
    for stage in stages:
        first.setdefault(log.stages[stage].pathway, stage)
    return first


def _arrival_times(log: EventLog, ids: np.ndarray) -> np.ndarray:
    """The ARRIVE (referral) time of each patient id (every id must have one)."""
    arrive = log.event == ARRIVE
    return log.time[arrive][_Rows(log.patient[arrive])(ids)]


def published_series(log: EventLog) -> pd.DataFrame:
    """Columns time_days, level ("<site>:<pathway>"), wait_weeks: every published wait of
    each pathway's choice stage (empty when nothing was published)."""
    published = log.published
    if published is None or not len(published.time):
        return pd.DataFrame({"time_days": [], "level": [], "wait_weeks": []})
    first = set(_first_stages(log).values())
    keep = np.isin(published.stage, list(first))
    names = [s.name for s in log.sites]
    level = [f"{names[site]}:{log.pathways[log.stages[stage].pathway]}"
             for site, stage in zip(published.site[keep].tolist(),
                                    published.stage[keep].tolist(), strict=False)]
    return pd.DataFrame({"time_days": published.time[keep], "level": level,
                         "wait_weeks": published.wait_days[keep] / DAYS_PER_WEEK})


def choice_share_series(log: EventLog, every_days: float = DAYS_PER_WEEK) -> pd.DataFrame:
    """Columns time_days, level ("<site>:<pathway>"), share: of each pathway's patients
    referred in [t, t + every_days), the share referred to each site (weeks with no
    referral of the pathway are left out)."""
    table = log.patients
    empty = pd.DataFrame({"time_days": [], "level": [], "share": []})
    if table is None or not len(table.patient):
        return empty
    when = _arrival_times(log, table.patient)
    frame = pd.DataFrame({"time_days": np.floor(when / every_days) * every_days,
                          "pathway": table.pathway, "site": table.referred_site})
    counts = frame.groupby(["time_days", "pathway", "site"]).size().rename("n").reset_index()
    counts["share"] = counts["n"] / counts.groupby(["time_days", "pathway"])["n"].transform("sum")
    names = [s.name for s in log.sites]
    counts["level"] = [f"{names[s]}:{log.pathways[p]}" for s, p in
                       zip(counts["site"].tolist(), counts["pathway"].tolist(), strict=False)]
    return counts[["time_days", "level", "share"]]


def wait_elasticity(log: EventLog) -> float:
    """choice_wait_elasticity_mean (see the module docstring)."""
    published, table = log.published, log.patients
    if published is None or published.policy != "choice" or table is None:
        return np.nan
    counted = referred_in_window(log)
    if not counted.any():
        return np.nan
    navigated = float(np.mean(table.navigator[counted]))
    beta = published.wait_weeks_coefficient * (
        1.0 + navigated * (published.navigator_wait_multiplier - 1.0))
    window = (published.time >= log.warmup_days) & (published.time <= log.horizon_days)
    weights, values = [], []
    for pathway, stage in _first_stages(log).items():
        mine = counted & (table.pathway == pathway)
        n = int(mine.sum())
        if not n:
            continue
        sites, referred = np.unique(table.referred_site[mine], return_counts=True)
        for site, count in zip(sites.tolist(), referred.tolist(), strict=False):
            rows = window & (published.stage == stage) & (published.site == site)
            if not rows.any():
                continue
            wait_weeks = float(np.mean(published.wait_days[rows])) / DAYS_PER_WEEK
            weights.append(count)
            values.append(beta * wait_weeks * (1.0 - count / n))
    return float(np.average(values, weights=weights)) if weights else np.nan


def provider_wait_spread(log: EventLog) -> float:
    """provider_wait_spread_weeks (see the module docstring)."""
    table = required(log.patients, "patient table")
    first_stage = _first_stages(log)
    start = (log.event == START) & np.isin(log.stage, list(first_stage.values()))
    ids, starts, stage = log.patient[start], log.time[start], log.stage[start]
    ids, first = np.unique(ids, return_index=True)  # log rows are in time order
    starts, stage = starts[first], stage[first]
    keep = (starts >= log.warmup_days) & (starts <= log.horizon_days)
    ids, starts, stage = ids[keep], starts[keep], stage[keep]
    rows = _Rows(table.patient)(ids)
    known = rows >= 0
    ids, starts, stage, rows = ids[known], starts[known], stage[known], rows[known]
    referred = _arrival_times(log, ids)
    pathway, site = table.pathway[rows], table.referred_site[rows]
    first_of = np.array([first_stage.get(int(p), -2) for p in pathway.tolist()])
    at_choice = stage == first_of
    wait_weeks = (starts - referred)[at_choice] / DAYS_PER_WEEK
    frame = pd.DataFrame({"pathway": pathway[at_choice], "site": site[at_choice],
                          "wait": wait_weeks})
    medians = frame.groupby(["pathway", "site"])["wait"].agg(["median", "size"])
    medians = medians[medians["size"] >= MIN_SEEN].reset_index()
    spreads = medians.groupby("pathway").agg(spread=("median", lambda m: np.std(m)),
                                             sites=("median", "size"),
                                             patients=("size", "sum"))
    spreads = spreads[spreads["sites"] >= 2]
    if spreads.empty:
        return np.nan
    return float(np.average(spreads["spread"], weights=spreads["patients"]))


def list_oscillation(lists: pd.DataFrame) -> float:
    """waiting_list_oscillation_max from ``provider_waiting_lists`` rows in the window."""
    largest = np.nan
    for _, rows in lists.groupby("level", sort=False):
        size = rows["waiting"].to_numpy(dtype=np.float64)
        if len(size) < 3 or size.mean() < MIN_LIST:
            continue
        t = rows["time_days"].to_numpy(dtype=np.float64)
        residual = size - np.polyval(np.polyfit(t, size, 1), t)
        p5, p95 = np.percentile(residual, [5, 95])
        amplitude = (p95 - p5) / 2.0 / size.mean()
        largest = amplitude if np.isnan(largest) else max(largest, amplitude)
    return float(largest)


def offer_values(log: EventLog, clocks: RttClocks | None) -> list[float]:
    """The OFFER_METRICS values (see the module docstring)."""
    offers = required(log.offers, "offer table")
    lo, hi = float(log.warmup_days), float(log.horizon_days)
    inside = (offers.time >= lo) & (offers.time <= hi)
    moved = offers.to_site != offers.from_site
    n = int(inside.sum())
    per_year = n / (hi - lo) * DAYS_PER_YEAR if hi > lo else np.nan
    share = float(np.mean(moved[inside])) if n else np.nan
    medians = [np.nan, np.nan]
    if clocks is not None and n:
        done = np.isfinite(clocks.stopped) & ~clocks.removed
        wait = (clocks.stopped - clocks.referred) / DAYS_PER_WEEK
        for k, group in enumerate((moved, ~moved)):
            ids = offers.patient[inside & group]
            picked = np.isin(clocks.patient, ids) & done
            if picked.any():
                medians[k] = float(np.median(wait[picked]))
    return [per_year, share, *medians]


def choice_kpis(log: EventLog, clocks: RttClocks | None = None) -> pd.DataFrame:
    """System rows: CHOICE_METRICS, then OFFER_METRICS where the log has offers."""
    if clocks is None and has_rtt(log):
        clocks = rtt_clocks(log)
    oscillation = np.nan
    if clocks is not None:
        lists = provider_waiting_lists(log, clocks=clocks)
        oscillation = list_oscillation(lists)
    metrics = list(CHOICE_METRICS)
    values = [wait_elasticity(log), provider_wait_spread(log), oscillation]
    if log.offers is not None:
        metrics += OFFER_METRICS
        values += offer_values(log, clocks)
    return pd.DataFrame({"stage": pd.Series([""] * len(metrics), dtype=object),
                         "metric": pd.Series(metrics, dtype=object),
                         "value": np.asarray(values, dtype=np.float64)})
