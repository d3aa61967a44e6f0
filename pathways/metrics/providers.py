"""Per-provider RTT results: the unit patients choose. The definitions are in the
package docstring ("Providers").

Each RTT clock belongs to one *provider*, for the whole run: the organisation of the
resource of the patient's first START at a stage with a resource; for a patient who
never started one, the organisation of the site they were referred to (the patient
table's ``referred_site``); failing that (a plain network), the resource of their first
QUEUE at a stage with a resource. A resource that no organisation holds is a provider
of its own, named after the resource (in a plain network, every resource is). A clock
with none of these belongs to no provider (``NO_PROVIDER``).
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pandas as pd

from pathways.log.event_log import NONE, QUEUE, START, EventLog

from .equity import _Rows, _take
from .handoffs import NO_ORGANISATION
from .rtt import (
    DAYS_PER_WEEK,
    RTT_METRICS,
    WAIT_QUANTILES,
    RttClocks,
    _mean,
    _quantile_weeks,
    _snapshots,
    rtt_clocks,
    snapshot_times,
)
from .visits import time_order

PROVIDER_PREFIX = "provider:"
NO_PROVIDER = NO_ORGANISATION  # "(none)": the level of clocks no provider can be found for
PROVIDER_METRICS: tuple[str, ...] = tuple(m for m in RTT_METRICS if m in {
    "rtt_admitted_median_weeks", "rtt_admitted_p95_weeks",
    "rtt_non_admitted_median_weeks", "rtt_non_admitted_p95_weeks",
    "rtt_incomplete_median_weeks", "rtt_waiting_list_mean",
})
_MEDIAN, _P95 = WAIT_QUANTILES.index(0.5), WAIT_QUANTILES.index(0.95)


def _resource_codes(log: EventLog) -> np.ndarray:
    """The provider code of each resource: its organisation's index, or (held by none)
    len(organisations) + the resource's index."""
    n_orgs = len(log.organisations)
    return np.array([r.organisation if r.organisation != NONE else n_orgs + i
                     for i, r in enumerate(log.resources)], dtype=np.int64)


def provider_names(log: EventLog) -> list[str]:
    """The name of each provider code: organisations, then resources held by none, then
    NO_PROVIDER (the code ``len(provider_names(log)) - 1``)."""
    return [*log.organisations, *(r.name for r in log.resources), NO_PROVIDER]


def _first_resource(log: EventLog, code: int, ids: np.ndarray) -> np.ndarray:
    """The resource of each patient id's first ``code`` row (QUEUE or START) at a stage
    with a resource; NONE for a patient with no such row."""
    stage = np.asarray(log.stage, dtype=np.int64)
    rows = np.flatnonzero((np.asarray(log.event) == code) & (stage != NONE))
    stage_resource = np.array([s.resource for s in log.stages], dtype=np.int64)
    row_resource = np.asarray(log.resource, dtype=np.int64)[rows]
    resource = np.where(row_resource != NONE, row_resource, stage_resource[stage[rows]])
    rows, resource = rows[resource != NONE], resource[resource != NONE]
    if time_order(log) is not None:  # rows are in log order: put them in time order
        order = np.argsort(np.asarray(log.time)[rows], kind="stable")
        rows, resource = rows[order], resource[order]
    first_ids, first = np.unique(np.asarray(log.patient, dtype=np.int64)[rows],
                                 return_index=True)  # each patient's first row
    found = np.full(len(ids), NONE, dtype=np.int64)
    if len(first_ids):
        at = np.minimum(np.searchsorted(first_ids, ids), len(first_ids) - 1)
        known = first_ids[at] == ids
        found[known] = resource[first[at[known]]]
    return found


def clock_providers(log: EventLog, clocks: RttClocks | None = None) -> np.ndarray:
    """The provider code (an index into ``provider_names(log)``) of each clock."""
    clocks = rtt_clocks(log) if clocks is None else clocks
    names = provider_names(log)
    by_resource = _resource_codes(log)
    ids = np.asarray(clocks.patient, dtype=np.int64)
    code = np.full(len(ids), len(names) - 1, dtype=np.int64)
    started = _first_resource(log, START, ids)
    seen = started != NONE
    code[seen] = by_resource[started[seen]]
    table = log.patients
    if table is not None and (~seen).any():  # not started: the provider referred to
        site_org = np.array([s.organisation for s in log.sites] + [NONE], dtype=np.int64)
        site = _take(table.referred_site, _Rows(table.patient)(ids), NONE).astype(np.int64)
        bad = site[(site < NONE) | (site >= len(log.sites))]
        if len(bad):
            raise ValueError(f"patient table names site {int(bad[0])} but the log has "
                             f"{len(log.sites)} sites")
        org = site_org[site]
        referred = ~seen & (org != NONE)
        code[referred] = org[referred]
        seen |= referred
    if (~seen).any():  # a plain network: the resource of the list they joined first
        queued = _first_resource(log, QUEUE, ids[~seen])
        code[np.flatnonzero(~seen)[queued != NONE]] = by_resource[queued[queued != NONE]]
    return code


def provider_levels(log: EventLog, codes: np.ndarray) -> np.ndarray:
    """The providers listed: those that at least one clock belongs to (NO_PROVIDER
    never), in code order (the log's organisations, then its resources)."""
    no_provider = len(provider_names(log)) - 1
    present = np.unique(codes)
    return present[present != no_provider]


def _subset(clocks: RttClocks, mask: np.ndarray) -> RttClocks:
    return RttClocks(**{f.name: getattr(clocks, f.name)[mask] for f in fields(RttClocks)})


def provider_kpis(log: EventLog, clocks: RttClocks | None = None) -> pd.DataFrame:
    """The PROVIDER_METRICS of each provider as rows (stage "provider:<name>", metric,
    value), providers in ``provider_levels`` order."""
    clocks = rtt_clocks(log) if clocks is None else clocks
    codes = clock_providers(log, clocks)
    names = provider_names(log)
    lo, hi = float(log.warmup_days), float(log.horizon_days)
    done = (clocks.stopped >= lo) & (clocks.stopped <= hi) & ~clocks.removed
    wait = clocks.stopped - clocks.referred
    times = snapshot_times(log)
    stages, values = [], []
    for code in provider_levels(log, codes):
        mine = codes == code
        admitted = _quantile_weeks(wait[mine & done & clocks.admitted])
        non_admitted = _quantile_weeks(wait[mine & done & ~clocks.admitted])
        snaps = _snapshots(_subset(clocks, mine), times)
        values += [admitted[_MEDIAN], admitted[_P95], non_admitted[_MEDIAN],
                   non_admitted[_P95], _mean(snaps["median_weeks"]),
                   _mean(snaps["waiting_list"])]  # in PROVIDER_METRICS order
        stages += [PROVIDER_PREFIX + names[code]] * len(PROVIDER_METRICS)
    n = len(stages) // max(len(PROVIDER_METRICS), 1)
    return pd.DataFrame({"stage": pd.Series(stages, dtype=object),
                         "metric": pd.Series(list(PROVIDER_METRICS) * n, dtype=object),
                         "value": np.asarray(values, dtype=np.float64)})


def provider_waiting_lists(log: EventLog, every_days: float = DAYS_PER_WEEK,
                           from_days: float | None = None,
                           clocks: RttClocks | None = None) -> pd.DataFrame:
    """Columns time_days, level, waiting: the RTT incomplete pathways (clocks running)
    of each provider at from_days (default warmup_days) + k x every_days up to the
    horizon; one row per snapshot and provider in ``provider_levels`` order, then, only
    where some clock belongs to no provider, NO_PROVIDER, so the levels add up to the
    whole list."""
    clocks = rtt_clocks(log) if clocks is None else clocks
    codes = clock_providers(log, clocks)
    names = provider_names(log)
    levels = provider_levels(log, codes)
    no_provider = len(names) - 1
    if (codes == no_provider).any():
        levels = np.append(levels, no_provider)
    times = snapshot_times(log, every_days, from_days)
    frames = [pd.DataFrame({"time_days": times, "level": names[code],
                            "waiting": _snapshots(_subset(clocks, codes == code),
                                                  times)["waiting_list"]})
              for code in levels]
    if not frames:
        return pd.DataFrame({"time_days": pd.Series(dtype=float),
                             "level": pd.Series(dtype=object),
                             "waiting": pd.Series(dtype=np.int64)})
    return pd.concat(frames, ignore_index=True)
