"""The waiting-list check beside the simulated waits.

For each model, the waiting-list relations of Fong et al. 2022 per provider and pathway
(pathways.config.waiting_list_relations, as `pathways check` prints them), worked out
from the configuration as run: the files the manifest lists, used only while their
SHA-256 still matches (a changed or missing file is said, not guessed at). Where the
results hold a provider's own rows (stage "provider:<name>"), its RTT pathways
together get a row beside its simulated RTT list and waits, the relief capacity that
list calls for and its pressure. Nothing is simulated: loading a configuration and
solving its traffic equations takes a fraction of a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from pathways.config import ConfigError, load_config
from pathways.config.overrides import configure
from pathways.config.schema import Config
from pathways.config.waiting_list_relations import (
    ListRelations,
    column_notes,
    combined,
    provider_relations,
)
from pathways.metrics.providers import PROVIDER_PREFIX
from pathways.report.load import Results
from pathways.report.tables import rows_table
from pathways.report.wording import estimate, number, wording

if TYPE_CHECKING:
    from pathways.report.provenance import ConfigFile

#: Columns of the relations, as `pathways check` prints them and the report shows them.
RELATION_COLUMNS = ("provider", "pathway", "demand/wk", "capacity/wk", "load", "target queue",
                    "relief capacity/wk", "target capacity/wk")
#: A provider's simulated figures shown beside its RTT pathways together.
SIMULATED_METRICS = ("rtt_waiting_list_mean", "rtt_incomplete_median_weeks",
                     "rtt_non_admitted_median_weeks", "rtt_admitted_median_weeks")
LIST_METRIC = "rtt_waiting_list_mean"
ALL_RTT = "all RTT pathways"
_UNUSABLE = {"changed": "has changed since it was run", "missing": "no longer exists",
             "unverified": "was run without a recorded SHA-256"}


def relation_cells(row: ListRelations) -> tuple[str, ...]:
    """A row's RELATION_COLUMNS as text."""
    return (row.provider, row.pathway, number(row.demand_per_week), number(row.capacity_per_week),
            f"{row.load:.3f}", number(row.target_queue), number(row.relief_capacity()),
            number(row.target_capacity))


@dataclass(frozen=True)
class ModelCheck:
    """One model's relations, or why they cannot be worked out."""

    label: str
    config: Config | None
    rows: list[ListRelations]
    reason: str = ""


def model_checks(results: Results, files: list[ConfigFile], point: int) -> list[ModelCheck]:
    """Each model's relations at `point`, from its configuration as run."""
    statuses = {f.path: f.status for f in files}
    checks = []
    for label in results.labels:
        config = _config_as_run(results, label, statuses, point)
        if isinstance(config, str):
            checks.append(ModelCheck(label, None, [], config))
        else:
            checks.append(ModelCheck(label, config, provider_relations(config)))
    return checks


def _config_as_run(results: Results, label: str, statuses: dict[str, str],
                   point: int) -> Config | str:
    """The model's configuration as run (a sweep's with the point's values), or why it
    cannot be had."""
    model_file, read = _files_of(results, label)
    if model_file is None:
        return "the manifest lists no configuration file for it"
    for path in read:
        status = statuses.get(path, "unverified")
        if status != "matches":
            return f"its configuration file {path} {_UNUSABLE[status]}"
    try:
        config = load_config(model_file).config
        if results.kind == "sweep":
            config = configure(config, _point_values(results, point))
    except ConfigError as error:
        return f"its configuration cannot be loaded now: {str(error).splitlines()[0]}"
    return config


def _files_of(results: Results, label: str) -> tuple[str | None, list[str]]:
    """The model's own file, and the files it read (its own included) as the manifest
    lists them with their SHA-256: a sweep lists every model's files together."""
    manifest = results.manifest
    if results.kind == "run":
        entries = manifest.get("config_files") or []
    elif results.kind == "compare":
        entries = ((manifest.get("models") or {}).get(label) or {}).get("config_files") or []
    else:
        entries = manifest.get("config_files") or []
        models, model_files = manifest.get("models") or [], manifest.get("model_files") or []
        if label not in models or len(model_files) != len(models) or not entries:
            return None, []
        return str(model_files[models.index(label)]), [str(e.get("path")) for e in entries]
    read = [str(entry.get("path")) for entry in entries]
    return (read[0] if read else None), read


def _point_values(results: Results, point: int) -> dict:
    entries = [p for p in results.manifest.get("points") or [] if p.get("point") == point]
    return dict(entries[0].get("values") or {}) if entries else {}


def waiting_list_section(results: Results, files: list[ConfigFile], point: int) -> str | None:
    """The section's HTML, or None where no model has a bookable list to check."""
    checks = model_checks(results, files, point)
    configs = [check.config for check in checks if check.rows and check.config is not None]
    if not configs:
        return None
    first = next(check for check in checks if check.rows).rows[0]
    at = (f" They are for design point {point} ({results.point_label(point)})."
          if results.kind == "sweep" else "")
    intro = (f"The waiting-list relations of Fong et al. 2022 (NHSRwaitinglist) "
             f"for each provider's lists of first appointments booked into slots, worked out "
             f"from the configuration as run, not from the simulation: target "
             f"{first.target_weeks:g} weeks, factor {first.factor:g}, so a target mean wait of "
             f"{first.target_mean_wait:g} weeks.{at} " + " ".join(column_notes(configs[0]))
             + f" Where the results hold a provider's own figures, its RTT pathways together "
             f"({ALL_RTT}) are set beside its simulated RTT waiting list and waits (means over "
             "replications, 95% CI); there the relief capacity is the one the simulated list "
             "calls for, and the pressure is 2 x mean wait / target with the mean wait from "
             "Little's law (simulated list / demand).")
    parts = [f"<p class=\"note\">{escape(intro)}</p>"]
    for check in checks:
        if len(checks) > 1:
            parts.append(f"<h3>{escape(check.label)}</h3>")
        if check.reason:
            parts.append(f"<p>Not worked out: {escape(check.reason)}.</p>")
        elif not check.rows:
            parts.append("<p>No list of first appointments is booked into slots.</p>")
        else:
            parts.append(_table(check, _provider_rows(results, check.label, point)))
    return "\n".join(parts)


def _provider_rows(results: Results, label: str, point: int) -> pd.DataFrame:
    """The model's simulated provider rows, indexed by (provider, metric)."""
    summary = results.summary
    rows = summary[(summary["point"] == point) & (summary["scenario"] == label)
                   & summary["stage"].str.startswith(PROVIDER_PREFIX)
                   & summary["metric"].isin(SIMULATED_METRICS)]
    providers = rows["stage"].str.slice(len(PROVIDER_PREFIX))
    return rows.assign(provider=providers).set_index(["provider", "metric"])


def _table(check: ModelCheck, simulated: pd.DataFrame) -> str:
    metrics = [m for m in SIMULATED_METRICS if m in simulated.index.get_level_values("metric")]
    extra = [f"simulated: {wording(m).label}" for m in metrics]
    if LIST_METRIC in metrics:
        extra += ["relief capacity/wk for the simulated list", "pressure"]
    with_figures = set(simulated.index.get_level_values("provider"))
    table = []
    for provider in dict.fromkeys(row.provider for row in check.rows):
        own = [row for row in check.rows if row.provider == provider]
        table += [relation_cells(row) + ("",) * len(extra) for row in own]
        rtt = [row for row in own if row.rtt]
        if rtt and provider in with_figures:
            together = combined(rtt, ALL_RTT)
            table.append(relation_cells(together)
                         + _simulated(together, provider, metrics, simulated))
    return rows_table(table, RELATION_COLUMNS + tuple(extra))


def _simulated(together: ListRelations, provider: str, metrics: list[str],
               simulated: pd.DataFrame) -> tuple[str, ...]:
    """The provider's simulated figures, and what its simulated list calls for."""
    rows = {metric: _row(simulated, provider, metric) for metric in metrics}
    cells = ["n/a" if row is None else estimate(metric, row["mean"], row["ci_low"],
                                                row["ci_high"])
             for metric, row in rows.items()]
    if LIST_METRIC in metrics:
        listed = rows[LIST_METRIC]
        size = math.nan if listed is None else float(listed["mean"])
        cells += ["n/a", "n/a"] if math.isnan(size) else [
            number(together.relief_capacity(size)), f"{together.pressure(size):.2f}"]
    return tuple(cells)


def _row(simulated: pd.DataFrame, provider: str, metric: str) -> pd.Series | None:
    if (provider, metric) not in simulated.index:
        return None
    row = simulated.loc[(provider, metric)]
    return row.iloc[0] if isinstance(row, pd.DataFrame) else row
