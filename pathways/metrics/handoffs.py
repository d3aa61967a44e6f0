"""Handoffs of one replication: transfers between consecutive contacts, per completed
pathway and as a from-to matrix of organisations. The definitions are in the package
docstring."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import EXIT, NONE, EventLog, HandoffTable

from .visits import check_one_replication, unique_ids

HANDOFF_METRICS: tuple[str, ...] = (
    "handoffs_per_pathway",
    "handoff_delay_days_per_pathway",
    "transfers_within_per_pathway",
    "records_missing_per_pathway",
    "repeat_tests_per_pathway",
)
#: Level of a from-to matrix cell in ``kpis``: "handoff:<from>-><to>".
HANDOFF_PREFIX = "handoff:"
HANDOFF_ARROW = "->"
MATRIX_METRIC = "handoffs_per_day"
MATRIX_COLUMNS: tuple[str, ...] = ("from_organisation", "to_organisation", "handoffs")
#: Matrix name of organisation NONE (a transfer to a resource no organisation holds).
NO_ORGANISATION = "(none)"


def long_frame(stage, metric, value) -> pd.DataFrame:
    """KPI rows (stage, metric, value) with kpis' dtypes (object, object, float64)."""
    return pd.DataFrame({"stage": pd.Series(list(stage), dtype=object),
                         "metric": pd.Series(list(metric), dtype=object),
                         "value": np.asarray(value, dtype=np.float64)})


def completed_patients(log: EventLog) -> np.ndarray:
    """Sorted ids of the patients whose pathway completed (EXIT) in the window
    [warmup_days, horizon_days]."""
    check_one_replication(log)
    event, time = np.asarray(log.event), np.asarray(log.time, dtype=np.float64)
    done = (event == EXIT) & (time >= log.warmup_days) & (time <= log.horizon_days)
    return unique_ids(np.asarray(log.patient)[done])


def _table(log: EventLog) -> HandoffTable:
    """The log's handoff table, checked for equal-length columns."""
    table = log.handoffs
    if table is None:
        raise ValueError("event log has no handoff table (not a health economy)")
    n = len(table.patient)
    columns = ("time", "from_organisation", "to_organisation", "between_organisations",
               "delay_days", "record_missing", "repeat_test", "to_stage")
    bad = [c for c in columns if len(getattr(table, c)) != n]
    if bad:
        raise ValueError(f"handoff table columns {', '.join(bad)} are not the length of "
                         f"its patient column ({n})")
    return table


def _per(x: float | np.integer, n: int) -> float:
    """x per completed pathway; NaN when none completed."""
    return float(x) / n if n > 0 else np.nan


def handoff_kpis(log: EventLog) -> pd.DataFrame:
    """The HANDOFF_METRICS of one replication as rows (stage "", metric, value).

    Over the pathways completed in the window, each counted with its whole history of
    transfers (those before the warm-up too). No rows for a log without a handoff table.
    """
    if log.handoffs is None:
        return long_frame([], [], [])
    table = _table(log)
    ids = completed_patients(log)
    mine = np.isin(np.asarray(table.patient, dtype=np.int64), ids)
    between = np.asarray(table.between_organisations, dtype=bool)
    handoff = mine & between
    n = len(ids)
    values = [
        _per(np.count_nonzero(handoff), n),
        _per(np.sum(np.asarray(table.delay_days, dtype=np.float64)[handoff]), n),
        _per(np.count_nonzero(mine & ~between), n),
        _per(np.count_nonzero(mine & np.asarray(table.record_missing, dtype=bool)), n),
        _per(np.count_nonzero(mine & np.asarray(table.repeat_test, dtype=bool)), n),
    ]  # in HANDOFF_METRICS order
    return long_frame([""] * len(HANDOFF_METRICS), HANDOFF_METRICS, values)


GP_PRACTICES = "gp_practices"


def matrix_groups(log: EventLog) -> tuple[np.ndarray, list[str]]:
    """Map each organisation to a row of the matrix: providers (anything holding a
    resource) keep their own row; practices that are organisations of their own and
    hold nothing else share one row, GP_PRACTICES, so that fifty practices do not make
    a fifty-row matrix. The last group stands for NONE (a resource nobody holds)."""
    n_org = len(log.organisations)
    providers = np.zeros(n_org, dtype=bool)
    for org in (r.organisation for r in log.resources):
        if 0 <= org < n_org:
            providers[org] = True
    practice_only = np.zeros(n_org, dtype=bool)
    for org in (p.organisation for p in log.practices):
        if 0 <= org < n_org and not providers[org]:
            practice_only[org] = True
    names = [name for org, name in enumerate(log.organisations) if not practice_only[org]]
    group = np.empty(n_org + 1, dtype=np.int64)
    group[~np.r_[practice_only, False]] = np.arange(len(names) + 1)
    if practice_only.any():
        group[np.r_[practice_only, False]] = len(names) + 1
        names.append(NO_ORGANISATION)
        names.append(GP_PRACTICES)
        return group, names
    return group, [*names, NO_ORGANISATION]


def possible_pairs(log: EventLog) -> np.ndarray:
    """(n_group, n_group) bool over matrix_groups: ordered pairs of different groups a
    handoff can join, from the static tables alone: both hold a resource or a practice,
    and at least one holds a resource (no one moves from one practice to another)."""
    group, names = matrix_groups(log)
    providers = np.zeros(len(names), dtype=bool)
    involved = np.zeros(len(names), dtype=bool)
    for org in (r.organisation for r in log.resources):
        if 0 <= org < len(log.organisations):
            providers[group[org]] = involved[group[org]] = True
    for org in (p.organisation for p in log.practices):
        if 0 <= org < len(log.organisations):
            involved[group[org]] = True
    pairs = involved[:, None] & involved[None, :] & (providers[:, None] | providers[None, :])
    np.fill_diagonal(pairs, False)
    return pairs


def _matrix_counts(log: EventLog) -> np.ndarray:
    """Counts of between-organisation handoffs of completed pathways, by matrix group
    (see matrix_groups) of the sending and receiving organisation."""
    table = _table(log)
    n_org = len(log.organisations)
    rows = (np.asarray(table.between_organisations, dtype=bool)
            & np.isin(np.asarray(table.patient, dtype=np.int64), completed_patients(log)))
    src = np.asarray(table.from_organisation, dtype=np.int64)[rows]
    dst = np.asarray(table.to_organisation, dtype=np.int64)[rows]
    codes = np.concatenate([src, dst])
    bad = codes[(codes < NONE) | (codes >= n_org)]
    if len(bad):
        raise ValueError(f"handoff table names organisation {int(bad[0])} but the log has "
                         f"{n_org} organisations")
    group, names = matrix_groups(log)
    n = len(names)
    src, dst = group[np.where(src == NONE, n_org, src)], group[np.where(dst == NONE, n_org, dst)]
    return np.bincount(src * n + dst, minlength=n * n).reshape(n, n)


def handoff_matrix(log: EventLog, all_pairs: bool = False) -> pd.DataFrame:
    """Between-organisation handoffs of the pathways completed in the window, by sending
    and receiving organisation (GP practices of their own grouped as GP_PRACTICES).

    Columns from_organisation, to_organisation (names; NO_ORGANISATION for a resource
    that no organisation holds) and handoffs (int64), sorted by from then to name. Pairs
    with no handoff are left out, unless ``all_pairs``: then every pair in
    ``possible_pairs(log)`` is listed (zeros included), so the rows depend only on the
    model, not on the replication.
    """
    counts = _matrix_counts(log)
    keep = counts > 0
    if all_pairs:
        keep |= possible_pairs(log)
    src, dst = np.nonzero(keep)
    names = np.array(matrix_groups(log)[1], dtype=object)
    rank = np.argsort(np.argsort(names, kind="stable"), kind="stable")
    order = np.lexsort((rank[dst], rank[src]))
    src, dst = src[order], dst[order]
    return pd.DataFrame({
        "from_organisation": pd.Series(names[src], dtype=object),
        "to_organisation": pd.Series(names[dst], dtype=object),
        "handoffs": counts[src, dst].astype(np.int64),
    })


def matrix_level(source: str, target: str) -> str:
    """The kpis level of one from-to matrix cell: "handoff:<from>-><to>"."""
    return f"{HANDOFF_PREFIX}{source}{HANDOFF_ARROW}{target}"


def handoff_matrix_kpis(log: EventLog) -> pd.DataFrame:
    """The from-to matrix as kpis rows: stage "handoff:<from>-><to>", metric
    "handoffs_per_day" (handoffs / window length). Every possible pair is listed, zeros
    included, so that every replication of a model has the same rows (see
    ``handoff_matrix(log, all_pairs=True)``). No rows without a handoff table."""
    if log.handoffs is None:
        return long_frame([], [], [])
    matrix = handoff_matrix(log, all_pairs=True)
    length = float(log.horizon_days) - float(log.warmup_days)
    counts = matrix["handoffs"].to_numpy(dtype=np.float64)
    per_day = counts / length if length > 0 else np.full(len(counts), np.nan)
    stages = [matrix_level(a, b) for a, b in zip(matrix["from_organisation"],
                                                 matrix["to_organisation"], strict=False)]
    return long_frame(stages, [MATRIX_METRIC] * len(stages), per_day)

