"""The report's interactive figures (plotly), built from stored results only.

Every figure is aggregated before it is plotted (means and 95% intervals over
replications, never raw replications or events), so a report stays small and quick
to open whatever the size of the run. Every piece of text that comes from a
configuration or from results (model, organisation, resource and parameter names)
is HTML-escaped before plotly sees it: plotly renders a few HTML tags in names and
labels, and a name must show as the text it is.

Each builder returns ``None`` where the results hold nothing for it, so the page
shows a section only where there is data.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pathways.metrics import (
    ALL_PREFIX,
    CANCELLATION_METRICS,
    CHRONIC_METRICS,
    CONDITION_PREFIX,
    DEPRIVATION_PREFIX,
    DISTANCE_PREFIX,
    EQUITY_METRICS,
    FLOW_PREFIX,
    HANDOFF_METRICS,
    HANDOFF_PREFIX,
    MATRIX_METRIC,
    OCCUPANCY,
    PROVIDER_PREFIX,
    RESOURCE_PREFIX,
    list_series,
)
from pathways.metrics.pathway_visits import KIND_PREFIX
from pathways.metrics.registry import NON_NEGATIVE, SHARE
from pathways.metrics.rtt import DAYS_PER_WEEK, TARGET_DAYS
from pathways.metrics.seasons import DAYS_PER_YEAR, WINTER_DAYS, in_season
from pathways.metrics.wait_quantiles import (
    PROBABILITIES,
    QUANTILE_PREFIX,
    RTT_DISTRIBUTIONS,
    level_probability,
)
from pathways.report.load import SYSTEM, Results
from pathways.report.sentences import headline_metrics
from pathways.report.wording import number, numbers, wording
from pathways.stats import t_interval

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
#: Okabe-Ito: distinguishable with the common colour-vision deficiencies.
MODEL_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#000000", "#F0E442")
#: Most points one time-series figure carries; longer series are thinned evenly.
MAX_SERIES_POINTS = 6000
#: Most organisations a handoff matrix or Sankey shows; the rest are grouped.
MAX_ORGANISATIONS = 20
#: Other parameters' combinations drawn as separate lines in a sweep; more: one slice.
MAX_SLICES = 3
#: Zero is a pale grey, so a pair with no handoffs differs from one no handoff can join.
_MATRIX_COLOURS = [[0.0, "#eeeeee"], [1e-9, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08306b"]]
#: Figures with a dropdown above them keep their legend on the right, out of its way.
_SIDE_LEGEND = {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1.0, "yanchor": "top"}
WAITING_LIST, RTT_SHARE = "waiting_list", "rtt_incomplete_within_18_weeks_share"

_TEMPLATE = go.layout.Template(layout=go.Layout(
    autotypenumbers="strict",  # names that look like numbers ("2") stay categories
    font={"family": FONT, "size": 13, "color": "#222"},
    paper_bgcolor="white", plot_bgcolor="white",
    xaxis={"gridcolor": "#e6e6e6", "zerolinecolor": "#bbb", "automargin": True,
           "linecolor": "#999"},
    yaxis={"gridcolor": "#e6e6e6", "zerolinecolor": "#bbb", "automargin": True,
           "linecolor": "#999"},
    hoverlabel={"font": {"family": FONT}},
    legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
    margin={"l": 60, "r": 30, "t": 60, "b": 50},
))


@dataclass(frozen=True)
class Figure:
    key: str  # unique in the page: its anchor and its file name as a static image
    title: str  # plain text (escaped by the page)
    caption: str  # plain text (escaped by the page)
    figure: go.Figure


def esc(text: object) -> str:
    """Text as plotly should show it, literally (plotly reads a few HTML tags)."""
    return html.escape(str(text), quote=False)


def model_colours(labels: Sequence[str]) -> dict[str, str]:
    return {label: MODEL_COLOURS[i % len(MODEL_COLOURS)] for i, label in enumerate(labels)}


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _finish(fig: go.Figure, height: int, **layout) -> go.Figure:
    fig.update_layout(template=_TEMPLATE, height=height, **layout)
    return fig


def _rows(results: Results, point: int, metrics: Sequence[str] | None = None,
          stage: str | None = None, prefix: str | None = None) -> pd.DataFrame:
    """Summary rows at one point, optionally of some metrics at one level or prefix."""
    rows = results.summary[results.summary["point"] == point]
    if stage is not None:
        rows = rows[rows["stage"] == stage]
    if prefix is not None:
        rows = rows[rows["stage"].str.startswith(prefix)]
    if metrics is not None:
        rows = rows[rows["metric"].isin(list(metrics))]
    return rows[rows["mean"].notna()]


def _errors(rows: pd.DataFrame, scale: float = 1.0) -> dict:
    """Asymmetric error bars from the 95% interval (none where there is no interval)."""
    plus = ((rows["ci_high"] - rows["mean"]) * scale).to_numpy(dtype=float)
    minus = ((rows["mean"] - rows["ci_low"]) * scale).to_numpy(dtype=float)
    return {"type": "data", "symmetric": False, "array": _none_for_nan(plus),
            "arrayminus": _none_for_nan(minus), "thickness": 1.2, "width": 3}


def _values(values) -> list:
    """Parameter values for plotly: text escaped, numbers as they are."""
    return [esc(v) if isinstance(v, str) else v for v in values]


def _none_for_nan(values: np.ndarray) -> list:
    return [None if math.isnan(v) else round(float(v), 6) for v in values]


def _ci_text(rows: pd.DataFrame, scale: float = 1.0) -> list[str]:
    return [esc(_with_interval(m * scale, lo * scale, hi * scale))
            for m, lo, hi in zip(rows["mean"], rows["ci_low"], rows["ci_high"], strict=True)]


def _with_interval(mean: float, low: float, high: float) -> str:
    if math.isnan(low):
        return f"{number(mean)} (no interval)"
    mean_text, low_text, high_text = numbers((mean, low, high))
    return f"{mean_text} (95% CI {low_text} to {high_text})"


def _dropdown(fig: go.Figure, groups: Sequence[tuple[str, int]],
              layouts: Sequence[dict] | None = None, y: float = 1.18) -> None:
    """Show one group of traces at a time (``groups``: label, trace count, in the
    order the traces were added), chosen from a dropdown; ``layouts``: per group,
    layout changes (axis titles) to apply with it."""
    total = sum(count for _, count in groups)
    visible_sets, start = [], 0
    for _, count in groups:
        visible_sets.append([start <= i < start + count for i in range(total)])
        start += count
    for i, trace in enumerate(fig.data):
        trace.visible = visible_sets[0][i]
    if layouts:
        fig.update_layout(dict(layouts[0]))
    if len(groups) < 2:
        return
    buttons = [{"label": label, "method": "update",
                "args": [{"visible": visible}, dict(layouts[i]) if layouts else {}]}
               for i, ((label, _), visible) in enumerate(zip(groups, visible_sets, strict=True))]
    fig.update_layout(updatemenus=[{"buttons": buttons, "direction": "down", "x": 0,
                                    "xanchor": "left", "y": y, "yanchor": "bottom",
                                    "showactive": True}])


# --- waits ------------------------------------------------------------------------------

_RTT_PANELS = (("Admitted RTT waits", "rtt_admitted_wait_weeks", "weeks"),
               ("Non-admitted RTT waits", "rtt_non_admitted_wait_weeks", "weeks"))
_QUEUE_PANELS = (("Queueing time per patient", "wait_days", "days"),
                 ("Time in the system", "time_in_system_days", "days"))
#: The NHS standard: 18 weeks from referral to treatment.
RTT_STANDARD_WEEKS = TARGET_DAYS / DAYS_PER_WEEK


def _quantile_curves(results: Results, point: int) -> pd.DataFrame:
    """The wait quantiles' summary rows at a point, with their probability, in order."""
    rows = _rows(results, point, prefix=QUANTILE_PREFIX)
    rows = rows.assign(probability=[level_probability(s) for s in rows["stage"]])
    return rows.sort_values("probability", kind="stable")


def _wait_panels(curves: pd.DataFrame) -> list[tuple[str, str, str]]:
    """RTT waits where every model with curves has RTT clocks; else queueing time and
    time in the system, which every model has, so that the curves compare."""
    models = set(curves["scenario"])
    with_rtt = set(curves.loc[curves["metric"].isin(RTT_DISTRIBUTIONS), "scenario"])
    panels = _RTT_PANELS if models and with_rtt == models else _QUEUE_PANELS
    return [panel for panel in panels if (curves["metric"] == panel[1]).any()]


def _cdf_traces(fig: go.Figure, curve: pd.DataFrame, label: str, colour: str, unit: str,
                col: int, legend: bool) -> None:
    """One model's curve (x: the mean of each quantile, y: its probability) and its 95%
    band: each quantile's interval, a horizontal span at its height."""
    y = curve["probability"].round(4).tolist()
    band = curve[curve["ci_low"].notna()]
    if len(band):
        by = band["probability"].round(4).tolist()
        fig.add_trace(go.Scatter(
            x=band["ci_low"].round(4).tolist() + band["ci_high"].round(4).tolist()[::-1],
            y=by + by[::-1], fill="toself", mode="lines", fillcolor=_rgba(colour, 0.18),
            line={"width": 0}, hoverinfo="skip", showlegend=False, legendgroup=esc(label),
            name=esc(label) + " 95% band"), row=1, col=col)
    fig.add_trace(go.Scatter(
        x=curve["mean"].round(4).tolist(), y=y, mode="lines", name=esc(label),
        legendgroup=esc(label), showlegend=legend, line={"color": colour, "width": 2},
        customdata=_ci_text(curve),
        hovertemplate=(f"{esc(label)}<br>%{{y:.1%}} waited at most %{{customdata}} {unit}"
                       "<extra></extra>")), row=1, col=col)


def wait_distributions(results: Results, point: int = 0) -> Figure | None:
    """Each model's whole wait distribution as a cumulative curve with its 95% band."""
    curves = _quantile_curves(results, point)
    panels = _wait_panels(curves)
    if not panels:
        return None
    colours = model_colours(results.labels)
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[p[0] for p in panels],
                        shared_yaxes=True, horizontal_spacing=0.06)
    in_legend: set[str] = set()
    for col, (_, metric, unit) in enumerate(panels, start=1):
        for label in results.labels:
            curve = curves[(curves["scenario"] == label) & (curves["metric"] == metric)]
            if curve.empty:
                continue
            _cdf_traces(fig, curve, label, colours[label], unit, col, label not in in_legend)
            in_legend.add(label)
        fig.update_xaxes(title_text=f"wait ({unit})", rangemode="tozero", row=1, col=col)
        if unit == "weeks":
            fig.add_vline(x=RTT_STANDARD_WEEKS, line_dash="dot", line_color="#666",
                          line_width=1, row=1, col=col,
                          annotation_text=f"{RTT_STANDARD_WEEKS:g} weeks",
                          annotation_position="bottom right",
                          annotation_font={"size": 11, "color": "#555"})
    fig.update_yaxes(range=[0, 1.0], tickformat=".0%", row=1, col=1,
                     title_text="share who waited at most this long")
    low, high = PROBABILITIES[0], PROBABILITIES[-1]
    if panels[0][2] == "weeks":
        what = ("the RTT waits (referral to treatment) of pathways completed in the window; "
                f"the dotted line is the {RTT_STANDARD_WEEKS:g}-week standard")
    else:
        what = ("each patient's total queueing time and time in the system, of patients "
                "who arrived in the window and left before the horizon")
    caption = (f"Cumulative distribution of {what}. A curve's height at a wait is the "
               "share of patients who waited at most that long: the further right, the "
               f"longer the waits. Each curve joins the {len(PROBABILITIES)} quantiles "
               f"from {low:.0%} to {high:.0%} (the mean of each over replications); the "
               "band is their 95% confidence interval (none with fewer than two "
               "replications).")
    return Figure("waits", "Wait distributions", caption,
                  _finish(fig, 450, margin={"t": 100}, legend={"y": 1.12}))


# --- time series ------------------------------------------------------------------------


def _over_replications(frame: pd.DataFrame, bounds: tuple[float, float] = NON_NEGATIVE
                       ) -> pd.DataFrame:
    """Per scenario and time: mean and 95% t-interval across replications of ``value``,
    cut at ``bounds`` (every series is a count or a share: never negative)."""
    agg = frame.groupby(["scenario", "time_days"], sort=True)["value"].agg(
        ["mean", "std", "count"]).reset_index()
    low, high = t_interval(agg["mean"].to_numpy(), agg["std"].to_numpy(),
                           agg["count"].to_numpy(), 0.95, *bounds)
    return agg.assign(ci_low=low, ci_high=high)


def time_series(results: Results, point: int = 0) -> Figure | None:
    """The total waiting list and the RTT list's share within 18 weeks over time, from
    day 0, with 95% bands across replications and the warm-up shaded."""
    if results.timeseries is None:
        return None
    series = results.timeseries[results.timeseries["point"] == point]
    panels = []
    lists = list_series(series)
    title = ("Waiting list (patients, all providers)" if (lists["series"] == WAITING_LIST).any()
             else "Waiting on resource lists (patients, all resources)")
    if not lists.empty:
        total = lists.groupby(["scenario", "replication", "time_days"], sort=True)[
            "value"].sum().reset_index()
        panels.append((title, _over_replications(total), 1.0))
    share = series[series["series"] == RTT_SHARE]
    if not share.empty:
        mean_share = share.groupby(["scenario", "replication", "time_days"], sort=True)[
            "value"].mean().reset_index()
        panels.append(("RTT waiting list within 18 weeks (%)",
                       _over_replications(mean_share, SHARE), 100.0))
    used = series[(series["series"] == OCCUPANCY)
                  & series["level"].astype(str).str.startswith(ALL_PREFIX)]
    for level in dict.fromkeys(used["level"]):
        panels.append((f"Occupied {level[len(ALL_PREFIX):]} (%, every provider)",
                       _over_replications(used[used["level"] == level], SHARE), 100.0))
    if not panels:
        return None
    colours = model_colours(results.labels)
    n_times = max(len(p[1]) for p in panels)
    stride = max(1, math.ceil(n_times * 3 * len(panels) / MAX_SERIES_POINTS))
    fig = make_subplots(rows=len(panels), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[p[0] for p in panels])
    for row, (title, stats, scale) in enumerate(panels, start=1):
        for label in results.labels:
            mine = stats[stats["scenario"] == label].iloc[::stride]
            if mine.empty:
                continue
            x = mine["time_days"].round(3).tolist()
            if mine["ci_low"].notna().any():
                band = mine[mine["ci_low"].notna()]
                bx = band["time_days"].round(3).tolist()
                fig.add_trace(go.Scatter(
                    x=bx + bx[::-1],
                    y=((band["ci_high"] * scale).round(4).tolist()
                       + (band["ci_low"] * scale).round(4).tolist()[::-1]),
                    fill="toself", mode="lines", fillcolor=_rgba(colours[label], 0.18),
                    line={"width": 0}, hoverinfo="skip", showlegend=False,
                    legendgroup=esc(label), name=esc(label) + " 95% band"), row=row, col=1)
            fig.add_trace(go.Scatter(
                x=x, y=(mine["mean"] * scale).round(4).tolist(), mode="lines",
                name=esc(label), legendgroup=esc(label), showlegend=row == 1,
                line={"color": colours[label], "width": 2},
                hovertemplate=f"{esc(label)}<br>day %{{x}}: %{{y:.4g}}<extra></extra>"),
                row=row, col=1)
        fig.update_yaxes(title_text="%" if scale == 100.0 else "patients", row=row, col=1)
    fig.update_xaxes(title_text="day of the simulation", row=len(panels), col=1)
    warmups = sorted({w for label in results.labels
                      if (w := results.warmup_days(label, point)) is not None and w > 0})
    _mark_warmups(fig, warmups)
    if not used.empty:
        _shade_winters(fig, float(series["time_days"].max()))
    times = np.unique(series["time_days"].to_numpy(dtype=float))
    sampled = ("" if stride == 1 or len(times) < 2 else " Thinned to one snapshot every "
               f"{number(stride * float(np.median(np.diff(times))))} days to keep the page light.")
    occupied = ("" if used.empty else
                " Occupancy is the share of always-open units (beds, reablement places) in "
                "use, a unit kept while its patient waits for the next stage included; "
                "winters (December to February) are shaded blue.")
    caption = ("Weekly snapshots from day 0: the line is the mean over replications and "
               "the band its 95% confidence interval (none with fewer than two "
               "replications). The waiting list adds up every provider's RTT list (incomplete "
               f"pathways), or without RTT clocks every resource's list.{occupied} "
               f"{_warmup_note(warmups, winters=not used.empty)}{sampled}")
    title = "Waiting list over time" if used.empty else "Waiting list and occupancy over time"
    return Figure("over-time", title, caption,
                  _finish(fig, 300 + 230 * len(panels)))


def _mark_warmups(fig: go.Figure, warmups: Sequence[float]) -> None:
    """Shade each warm-up on every panel, outlined dotted so that its right edge marks
    where the statistics start: nobody should read the filling-up as a result."""
    for warmup in warmups:
        fig.add_vrect(x0=0, x1=warmup, fillcolor="rgba(136,136,136,0.12)", layer="below",
                      line={"color": "#777", "width": 1, "dash": "dot"}, row="all", col=1)
    if warmups:
        fig.add_annotation(x=warmups[0] / 2, y=1.0, xref="x", yref="paper", yanchor="bottom",
                           text="warm-up (not in the statistics)", showarrow=False,
                           font={"size": 11, "color": "#555"})


def _warmup_note(warmups: Sequence[float], winters: bool) -> str:
    """What the warm-up span is, and why a line may change just after it: the run goes
    on without a break, so the change is the model's own (a year's warm-up ends in
    winter, when seasonal demand peaks)."""
    if not warmups:
        return "No warm-up is recorded for these results."
    days = " and ".join(f"0 to {number(w)}" for w in warmups)
    note = (f"The grey span (days {days}) is the warm-up: the model starts empty and fills "
            "up, and every statistic leaves it out; its dotted right edge marks where the "
            "statistics start. The simulation runs on across it without a break, so a "
            "change in a line just after it is the model's own, not a restart")
    in_winter = in_season(np.asarray(warmups, dtype=float), WINTER_DAYS).any()
    if winters and in_winter:
        note += ": here it ends in winter (shaded blue), so a change there may be the season's"
    return note + "."


def _shade_winters(fig: go.Figure, last_day: float) -> None:
    """Shade December to February of every simulated year (day 0 is 1 January)."""
    for year in range(math.ceil(last_day / DAYS_PER_YEAR) + 1):
        start = max(0.0, year * DAYS_PER_YEAR + WINTER_DAYS[0] - DAYS_PER_YEAR)
        end = min(last_day, year * DAYS_PER_YEAR + WINTER_DAYS[1])
        if end > start:  # one shape over every panel (they share the x axis): cheap to draw
            fig.add_shape(type="rect", xref="x", yref="paper", x0=start, x1=end, y0=0, y1=1,
                          fillcolor="#4a90d9", opacity=0.08, line_width=0, layer="below")


# --- handoffs ---------------------------------------------------------------------------


def _informative(values) -> bool:
    """Whether any value is a finite number other than zero: a chart of zeros and gaps
    says nothing, so it is left out."""
    values = np.asarray(values, dtype=float)
    return bool(np.any(np.isfinite(values) & (values != 0)))


def _none_in_any_model(rows: pd.DataFrame, metrics: Sequence[str], shown: Sequence[str]) -> str:
    """A caption's note naming the metrics left out for being zero in every model."""
    left_out = [wording(m).label for m in metrics if m in set(rows["metric"]) and m not in shown]
    return (" Not shown, being zero in every model: " + "; ".join(left_out) + "."
            if left_out else "")


def handoffs(results: Results, point: int = 0) -> Figure | None:
    """Handoff metrics per completed pathway, one panel per metric, a bar per model;
    a metric that is zero in every model (no repeat tests anywhere) gets no panel."""
    system = _rows(results, point, HANDOFF_METRICS, stage=SYSTEM)
    metrics = [m for m in HANDOFF_METRICS
               if _informative(system.loc[system["metric"] == m, "mean"])]
    if not metrics:
        return None
    colours = model_colours(results.labels)
    cols = min(3, len(metrics))
    n_rows = math.ceil(len(metrics) / cols)
    fig = make_subplots(rows=n_rows, cols=cols, vertical_spacing=0.22 / n_rows + 0.08,
                        subplot_titles=[esc(wording(m).label) for m in metrics])
    for i, metric in enumerate(metrics):
        rows = system[system["metric"] == metric].set_index("scenario").reindex(
            [label for label in results.labels]).dropna(subset=["mean"])
        fig.add_trace(go.Bar(
            x=[esc(label) for label in rows.index], y=rows["mean"].round(6).tolist(),
            marker_color=[colours[label] for label in rows.index], error_y=_errors(rows),
            customdata=_ci_text(rows), showlegend=False,
            hovertemplate="%{x}: %{customdata}<extra></extra>"),
            row=i // cols + 1, col=i % cols + 1)
    fig.update_xaxes(type="category")
    caption = ("Handoffs between organisations (the GP practice counts as one) of the "
               "pathways completed in the window, per completed pathway, with their delay, "
               "and transfers within one organisation, missing records and repeat tests; "
               "bars are means over replications, whiskers 95% confidence intervals."
               + _none_in_any_model(system, HANDOFF_METRICS, metrics))
    return Figure("handoffs", "Handoffs per pathway", caption, _finish(fig, 330 * n_rows))


@dataclass(frozen=True)
class _Flows:
    """One model's mean handoffs a year between organisations (from, to, value), over
    its organisations with any, the busiest first; ``grouped``: how many of them the
    last name stands for (0: none grouped)."""

    organisations: list[str]
    flows: pd.DataFrame
    grouped: int


def _model_flows(flows: pd.DataFrame) -> _Flows | None:
    """One model's flows over its own organisations (None: it has no handoffs), the
    least busy grouped into one when there are more than MAX_ORGANISATIONS."""
    volume = pd.concat([flows.groupby("from")["value"].sum(), flows.groupby("to")["value"].sum()]
                       ).groupby(level=0).sum().sort_values(ascending=False, kind="stable")
    organisations = list(volume.index[volume > 0])
    if not organisations:
        return None
    flows = flows[flows["from"].isin(organisations) & flows["to"].isin(organisations)]
    if len(organisations) <= MAX_ORGANISATIONS:
        return _Flows(organisations, flows, 0)
    kept = organisations[:MAX_ORGANISATIONS - 1]
    other = f"{len(organisations) - len(kept)} other organisations"
    rename = {org: (org if org in kept else other) for org in organisations}
    flows = flows.assign(**{"from": flows["from"].map(rename), "to": flows["to"].map(rename)})
    flows = flows.groupby(["from", "to"], sort=False)["value"].sum().reset_index()
    return _Flows(kept + [other], flows, len(organisations) - len(kept))


def _matrix(results: Results, point: int) -> dict[str, _Flows]:
    """Per model with handoffs: its mean handoffs a year between organisations. Each
    model has its own organisations, so that one with few (an integrated care
    organisation and a treatment centre) is not lost among another's many."""
    rows = _rows(results, point, [MATRIX_METRIC], prefix=HANDOFF_PREFIX)
    if rows.empty:
        return {}
    pairs = rows["stage"].str.slice(len(HANDOFF_PREFIX)).str.split("->", n=1, expand=True)
    if pairs.shape[1] < 2:
        return {}
    flows = pd.DataFrame({"scenario": rows["scenario"].to_numpy(), "from": pairs[0].to_numpy(),
                          "to": pairs[1].to_numpy(),
                          "value": rows["mean"].to_numpy() * DAYS_PER_YEAR})
    per_model = {label: _model_flows(flows[flows["scenario"] == label])
                 for label in results.labels}
    return {label: flows for label, flows in per_model.items() if flows is not None}


def _grouped_note(per_model: dict[str, _Flows]) -> str:
    grouped = [f"{label}: {flows.grouped} grouped" for label, flows in per_model.items()
               if flows.grouped]
    if not grouped:
        return ""
    return (f" Where a model has more than {MAX_ORGANISATIONS} organisations with handoffs, "
            f"the {MAX_ORGANISATIONS - 1} busiest are named and the rest grouped as one "
            f"({'; '.join(grouped)}).")


def _grid(flows: _Flows) -> dict[str, list]:
    """A model's matrix as heatmap data: rows send, columns receive; None where no
    handoff can join the pair; each cell's number written in it, but for none."""
    grid = flows.flows.pivot_table(index="from", columns="to", values="value", aggfunc="sum")
    grid = grid.reindex(index=flows.organisations, columns=flows.organisations).to_numpy()
    names = [esc(org) for org in flows.organisations]
    return {"x": names, "y": names,
            "z": [[None if pd.isna(v) else round(float(v), 2) for v in row] for row in grid],
            "text": [["" if pd.isna(v) or v == 0 else number(v) for v in row] for row in grid]}


def handoff_matrix(results: Results, point: int = 0) -> Figure | None:
    """Heatmap of handoffs a year from each organisation (rows) to each other (columns),
    one model at a time over its own organisations."""
    per_model = _matrix(results, point)
    if not per_model:
        return None
    grids = {label: _grid(flows) for label, flows in per_model.items()}
    top = max(float(flows.flows["value"].max()) for flows in per_model.values())
    # One trace; the menu swaps its data (restyle), so each model keeps its own axes.
    fig = go.Figure(go.Heatmap(
        **next(iter(grids.values())), colorscale=_MATRIX_COLOURS, zmin=0, zmax=top or 1,
        colorbar={"title": {"text": "a year"}}, xgap=1, ygap=1, texttemplate="%{text}",
        textfont={"size": 10},
        hovertemplate="from %{y} to %{x}: %{z:,.0f} handoffs a year<extra></extra>"))
    if len(grids) > 1:
        buttons = [{"label": esc(label), "method": "restyle",
                    "args": [{key: [grid[key]] for key in ("x", "y", "z", "text")}]}
                   for label, grid in grids.items()]
        fig.update_layout(updatemenus=[{"buttons": buttons, "direction": "down", "x": 0,
                                        "xanchor": "left", "y": 1.18, "yanchor": "bottom",
                                        "showactive": True}])
    n = max(len(flows.organisations) for flows in per_model.values())
    fig.update_xaxes(title_text="to", tickangle=-45, type="category", showgrid=False)
    fig.update_yaxes(title_text="from", autorange="reversed", type="category", showgrid=False)
    models = ("" if len(per_model) < 2 else " Choose the model from the menu; the colour "
              "scale is the same for every model.")
    caption = ("Mean handoffs a year sent by each organisation (row) to each other one "
               "(column), between organisations, of the pathways completed in the window; "
               "grey: none; blank: a pair no handoff can join. Each model shows the "
               "organisations it has handoffs between, ordered by the handoffs they send "
               f"and receive, the busiest first.{models}{_grouped_note(per_model)}")
    return Figure("handoff-matrix", "Handoffs between organisations", caption,
                  _finish(fig, max(420, 260 + 24 * n), margin={"t": 90}))


def _flow_sankey(label: str, sources: list[str], targets: list[str], flow_from: list[str],
                 flow_to: list[str], values: list[float], value_suffix: str,
                 value_prefix: str = "") -> go.Sankey:
    """One model's flows (handoffs, money) as a Sankey: ``sources`` on the left,
    ``targets`` on the right, one link per (flow_from, flow_to, value). Each node is
    labelled with all it sends or receives, so the numbers show without hovering."""
    index = {("from", o): i for i, o in enumerate(sources)}
    index.update({("to", o): len(sources) + i for i, o in enumerate(targets)})
    sent = pd.Series(values, dtype=float).groupby(flow_from).sum()
    received = pd.Series(values, dtype=float).groupby(flow_to).sum()
    labels = ([f"{esc(o)}: {value_prefix}{number(sent[o])}{value_suffix}" for o in sources]
              + [f"{esc(o)}: {value_prefix}{number(received[o])}{value_suffix}"
                 for o in targets])
    return go.Sankey(
        name=esc(label), arrangement="snap", valueformat=",.0f", valuesuffix=value_suffix,
        node={"label": labels, "pad": 12, "thickness": 14,
              "color": ["#7f9fbf"] * len(sources) + ["#bf9f7f"] * len(targets),
              "line": {"width": 0}},
        link={"source": [index[("from", o)] for o in flow_from],
              "target": [index[("to", o)] for o in flow_to],
              "value": values, "color": "rgba(120,120,120,0.28)"})


def handoff_sankey(results: Results, point: int = 0) -> Figure | None:
    """Patient flows between organisations: senders on the left, receivers on the right,
    each labelled with its handoffs a year."""
    per_model = _matrix(results, point)
    fig = go.Figure()
    for label, model in per_model.items():
        flows = model.flows[model.flows["value"] > 0]
        senders = [o for o in model.organisations if o in set(flows["from"])]
        receivers = [o for o in model.organisations if o in set(flows["to"])]
        fig.add_trace(_flow_sankey(label, senders, receivers, list(flows["from"]),
                                   list(flows["to"]), flows["value"].round(2).tolist(),
                                   " a year"))
    if not fig.data:
        return None
    _dropdown(fig, [(esc(label), 1) for label in per_model], y=1.06)
    n = max(len(model.organisations) for model in per_model.values())
    caption = ("Flows of patients between organisations, from the same handoff matrix: each "
               "sending organisation on the left, labelled with all the handoffs it sends, "
               "each receiving one on the right with all it receives; widths and labels in "
               "mean handoffs a year. Hover over a link for its own flow."
               + _grouped_note(per_model))
    return Figure("handoff-sankey", "Patient flows between organisations", caption,
                  _finish(fig, max(420, 22 * n + 200), margin={"t": 80}))


# --- money -------------------------------------------------------------------------------

_MONEY_BARS = (("income_per_year", "income"), ("cost_per_year", "cost"),
               ("surplus_per_year", "surplus"))


def money(results: Results, point: int = 0) -> Figure | None:
    """Each provider's income, cost and surplus a year per model, with 95% intervals."""
    rows = _rows(results, point, [m for m, _ in _MONEY_BARS], prefix=PROVIDER_PREFIX)
    if not _informative(rows["mean"]):
        return None
    providers = list(dict.fromkeys(rows["stage"]))
    colours = model_colours(results.labels)
    fig = make_subplots(rows=1, cols=len(_MONEY_BARS), shared_yaxes=True,
                        subplot_titles=[title for _, title in _MONEY_BARS])
    for column, (metric, title) in enumerate(_MONEY_BARS, start=1):
        for label in results.labels:
            mine = rows[(rows["scenario"] == label) & (rows["metric"] == metric)]
            mine = mine.set_index("stage").reindex(providers).dropna(subset=["mean"])
            if mine.empty:
                continue
            fig.add_trace(go.Bar(
                y=[esc(s[len(PROVIDER_PREFIX):]) for s in mine.index],
                x=mine["mean"].round(2).tolist(), orientation="h", name=esc(label),
                legendgroup=esc(label), showlegend=column == 1,
                marker_color=colours[label], error_x=_errors(mine),
                customdata=_ci_text(mine),
                hovertemplate=f"{esc(label)}<br>%{{y}} {title}: %{{customdata}} a year"
                              "<extra></extra>"), row=1, col=column)
    fig.update_xaxes(title_text="pounds a year")
    fig.update_yaxes(autorange="reversed")
    caption = ("What each provider is paid, what its capacity costs (and, for an "
               "organisation holding a budget, what it pays others) and the difference, "
               "in pounds a year over the window, at the prices and costs of the "
               "configuration (`money`); means over replications, whiskers 95% confidence "
               "intervals. Costs count capacity offered, used or not.")
    return Figure("money", "Provider income, cost and surplus", caption,
                  _finish(fig, max(360, 120 + 34 * len(providers) * max(1, len(results.labels))),
                          barmode="group"))


def money_flow(results: Results, point: int = 0) -> Figure | None:
    """Who pays whom, a year: payers on the left, the providers they pay on the right."""
    rows = _rows(results, point, ["payment_per_year"], prefix=FLOW_PREFIX)
    if rows.empty:
        return None
    fig = go.Figure()
    labels = []
    for label in results.labels:
        mine = rows[(rows["scenario"] == label) & (rows["mean"] > 0)]
        if mine.empty:
            continue
        pairs = [s[len(FLOW_PREFIX):].split("->", 1) for s in mine["stage"]]
        payers, payees = [a for a, _ in pairs], [b for _, b in pairs]
        fig.add_trace(_flow_sankey(label, list(dict.fromkeys(payers)),
                                   list(dict.fromkeys(payees)), payers, payees,
                                   mine["mean"].round(2).tolist(), " a year", "£"))
        labels.append(label)
    if not fig.data:
        return None
    _dropdown(fig, [(esc(label), 1) for label in labels], y=1.06)
    caption = ("The money flow: each payer (the commissioner, an organisation holding a "
               "capitated budget) on the left, labelled with all it pays, each provider it "
               "pays on the right, with all it is paid; widths and labels in mean pounds a "
               "year (activity at the tariff, block sums, capitation).")
    return Figure("money-flow", "Money flow", caption, _finish(fig, 460, margin={"t": 80}))


# --- resources, chronic care, equity ------------------------------------------------------


MAX_BARS = 25
"""Most categories a chart shows at once; more are grouped (utilisation: by kind)."""


def utilisation(results: Results, point: int = 0) -> Figure | None:
    """Utilisation per model with 95% intervals: each kind of resource (all its
    resources together), and from a dropdown each kind's own resources where there are
    at most MAX_BARS of them; without kinds (a plain network), each resource."""
    resources = _rows(results, point, ["utilisation"], prefix=RESOURCE_PREFIX)
    kinds = _rows(results, point, ["utilisation"], prefix=KIND_PREFIX)
    if not _informative(pd.concat([resources["mean"], kinds["mean"]])):
        return None
    kind_of = _resource_kinds(results)
    blocks: list[tuple[str, pd.DataFrame, int]] = []  # dropdown label, rows, prefix length
    if kinds.empty:
        blocks.append(("every resource", resources, len(RESOURCE_PREFIX)))
    else:
        blocks.append(("every kind", kinds, len(KIND_PREFIX)))
    folded = []
    for kind in dict.fromkeys(s[len(KIND_PREFIX):] for s in kinds["stage"]):
        mine = resources[[kind_of.get(s[len(RESOURCE_PREFIX):]) == kind
                          for s in resources["stage"]]]
        count = mine["stage"].nunique()
        if 1 < count <= MAX_BARS:
            blocks.append((f"{kind}: each resource", mine, len(RESOURCE_PREFIX)))
        elif count > MAX_BARS:
            folded.append(f"{kind} ({count})")
    colours = model_colours(results.labels)
    # One bar trace per model; the menu swaps the bars' data (restyle) rather than
    # showing hidden traces, which a browser would build too.
    data = [_utilisation_bars(results.labels, rows, cut) for _, rows, cut in blocks]
    fig = go.Figure()
    for label in results.labels:
        bars = data[0][label]
        fig.add_trace(go.Bar(
            orientation="h", name=esc(label), marker_color=colours[label], **bars,
            hovertemplate=f"{esc(label)}<br>%{{y}}: %{{customdata}}%<extra></extra>"))
    most = max(len(dict.fromkeys(rows["stage"])) for _, rows, _ in blocks)
    if len(blocks) > 1:
        buttons = [{"label": esc(title), "method": "restyle",
                    "args": [{key: [block[label][key] for label in results.labels]
                              for key in ("x", "y", "error_x", "customdata")}]}
                   for (title, _, _), block in zip(blocks, data, strict=True)]
        fig.update_layout(updatemenus=[{"buttons": buttons, "direction": "down", "x": 0,
                                        "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                                        "showactive": True}])
    fig.update_xaxes(title_text="utilisation (%)", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", type="category")
    height = 160 + min(most, MAX_BARS) * (6 * len(results.labels) + 10)
    caption = ("Busy time over the capacity-time available inside the window (a calendar "
               "resource can exceed 100% when work runs past closing), by kind of resource; "
               "choose a kind from the menu to see its resources. Under a pooled list the "
               "pool books work to any of its resources, so compare kinds rather than sites. "
               "Bars are means over replications, whiskers 95% confidence intervals.")
    if folded:
        caption += (" Shown only as a kind, having more than "
                    f"{MAX_BARS} resources (each is in summary.csv): {', '.join(folded)}.")
    return Figure("utilisation", "Resource utilisation", caption,
                  _finish(fig, max(360, height), barmode="group", margin={"t": 80}))


def _utilisation_bars(labels: Sequence[str], rows: pd.DataFrame, cut: int) -> dict[str, dict]:
    """Per model, a bar trace's data for these rows (categories in their order, a
    model without them: no bars)."""
    categories = list(dict.fromkeys(rows["stage"]))
    bars = {}
    for label in labels:
        mine = rows[rows["scenario"] == label].set_index("stage").reindex(categories)
        mine = mine.dropna(subset=["mean"])
        bars[label] = {"y": [esc(s[cut:]) for s in mine.index],
                       "x": (mine["mean"] * 100).round(4).tolist(),
                       "error_x": _errors(mine, 100.0), "customdata": _ci_text(mine, 100.0)}
    return bars


def _resource_kinds(results: Results) -> dict[str, str]:
    """Each resource's kind, from the settings the manifest records (a practice's
    clinic, named `practice:clinic`, has its clinic's kind)."""
    kinds: dict[str, str] = {}
    clinics: dict[str, str] = {}
    for label in results.labels:
        for path, value in (results.settings(label) or {}).items():
            parts = path.split(".")
            if len(parts) == 3 and parts[2] == "kind" and parts[0] == "resources":
                kinds.setdefault(parts[1], value)
            elif len(parts) == 4 and parts[:2] == ["practices", "clinics"] and (
                    parts[3] == "kind"):
                clinics.setdefault(parts[2], value)
    for stage in results.summary["stage"].dropna().unique():
        name = str(stage)[len(RESOURCE_PREFIX):]
        clinic = name.rsplit(":", 1)[1] if ":" in name else None
        if str(stage).startswith(RESOURCE_PREFIX) and clinic in clinics:
            kinds.setdefault(name, clinics[clinic])
    return kinds


def _by_group(results: Results, point: int, rows: pd.DataFrame, metrics: Sequence[str],
              groups: Sequence[tuple[str, str]], key: str, title: str, caption: str,
              ) -> Figure | None:
    """Grouped bars (x: group, a bar per model) for one metric at a time, chosen from a
    dropdown. ``groups``: (stage level, shown name) in order. A metric that is zero or
    missing in every model and group is left out of the menu, and the caption says so."""
    colours = model_colours(results.labels)
    fig = go.Figure()
    menu, layouts = [], []
    shown = [m for m in metrics if _informative(rows.loc[rows["metric"] == m, "mean"])]
    caption += _none_in_any_model(rows, metrics, shown)
    for metric in shown:
        words = wording(metric)
        mine = rows[rows["metric"] == metric]
        count = 0
        for label in results.labels:
            data = mine[mine["scenario"] == label].set_index("stage").reindex(
                [g for g, _ in groups]).dropna(subset=["mean"])
            if data.empty:
                continue
            names = dict(groups)
            fig.add_trace(go.Bar(
                x=[esc(names[s]) for s in data.index],
                y=(data["mean"] * words.scale).round(6).tolist(), name=esc(label),
                marker_color=colours[label], error_y=_errors(data, words.scale),
                customdata=_ci_text(data, words.scale),
                hovertemplate=f"{esc(label)}<br>%{{x}}: %{{customdata}}<extra></extra>"))
            count += 1
        if count:
            menu.append((esc(words.label), count))
            layouts.append({"yaxis.title.text": esc(words.label)})
    if not menu:
        return None
    _dropdown(fig, menu, layouts, y=1.12)
    fig.update_xaxes(categoryorder="array", categoryarray=[esc(name) for _, name in groups],
                     type="category")
    return Figure(key, title, caption, _finish(fig, 460, barmode="group",
                                                 margin={"t": 110},
                                                 legend=_SIDE_LEGEND))


def _with_chronic_care(results: Results, point: int) -> list[str]:
    """The models with chronic care: a chronic metric other than zero. A model with
    cancelled operations but no chronic cohort has chronic rows too, all zero or NaN."""
    rows = _rows(results, point, CHRONIC_METRICS)
    return [label for label in results.labels
            if _informative(rows.loc[rows["scenario"] == label, "mean"])]


def chronic(results: Results, point: int = 0) -> Figure | None:
    """Chronic care outcomes by model, for the whole system and each condition; only
    the models that have chronic care, and nothing where none has."""
    metrics = CHRONIC_METRICS + CANCELLATION_METRICS
    models = _with_chronic_care(results, point)
    rows = _rows(results, point, metrics)
    rows = rows[((rows["stage"] == SYSTEM) | rows["stage"].str.startswith(CONDITION_PREFIX))
                & rows["scenario"].isin(models)]
    if rows.empty:
        return None
    without = [label for label in results.labels_at(point) if label not in models]
    conditions = list(dict.fromkeys(s for s in rows["stage"] if s != SYSTEM))
    groups = [(SYSTEM, "all conditions")] + [(c, c[len(CONDITION_PREFIX):]) for c in conditions]
    present = [m for m in metrics if m in set(rows["metric"])]
    caption = ("Chronic care per model: the whole system and each condition. Choose the "
               "metric from the menu; bars are means over replications, whiskers 95% "
               "confidence intervals. Cancelled operations and the waits of patients "
               "whose operation was cancelled are whole-system figures.")
    if without:
        caption += f" Left out, having no chronic care: {', '.join(without)}."
    return _by_group(results, point, rows, present, groups, "chronic", "Chronic care outcomes",
                     caption)


def equity(results: Results, point: int, prefix: str) -> Figure | None:
    """Metrics by deprivation quintile or by travel distance band."""
    rows = _rows(results, point, prefix=prefix)
    if rows.empty:
        return None
    levels = list(dict.fromkeys(rows["stage"]))
    if prefix == DEPRIVATION_PREFIX:
        def name(level: str) -> str:
            q = level[len(prefix):]
            return {"1": "1 (most deprived)", "5": "5 (least deprived)"}.get(q, q)
        key, title = "equity-deprivation", "By deprivation quintile"
        what = ("the deprivation quintile of the patient's practice (1 = most deprived, "
                "5 = least)")
    else:
        def name(level: str) -> str:
            return f"{level[len(prefix):]} km"
        key, title = "equity-distance", "By travel distance"
        what = "the patient's travel distance to the site allocated at referral"
    order = list(EQUITY_METRICS) + list(CHRONIC_METRICS) + list(CANCELLATION_METRICS)
    present = [m for m in order if m in set(rows["metric"])]
    present += [m for m in dict.fromkeys(rows["metric"]) if m not in present]
    caption = (f"Patients grouped by {what}. Choose the metric from the menu; bars are "
               "means over replications, whiskers 95% confidence intervals (an empty "
               "group has none).")
    return _by_group(results, point, rows, present, [(lv, name(lv)) for lv in levels], key,
                     title, caption)


# --- sweeps -----------------------------------------------------------------------------


def _ordered(values: Sequence) -> list:
    unique = list(dict.fromkeys(values))
    try:
        return sorted(unique)
    except TypeError:
        return unique


def is_grid(results: Results) -> bool:
    points = results.points
    if points is None or not results.parameters:
        return False
    cells = math.prod(points[p].nunique(dropna=False) for p in results.parameters)
    return cells == len(points) and not points[list(results.parameters)].duplicated().any()


def _sweep_rows(results: Results, metrics: Sequence[str]) -> pd.DataFrame:
    rows = results.summary[(results.summary["stage"] == SYSTEM)
                           & results.summary["metric"].isin(list(metrics))]
    return rows.merge(results.points, on="point", how="left")


def sweep_lines(results: Results, parameter: str) -> Figure | None:
    """Each headline metric against ``parameter``, a line with its 95% band per model
    (and per combination of the other parameters, when there are few)."""
    if results.points is None or parameter not in results.parameters:
        return None
    metrics = headline_metrics(results.summary)
    if not metrics:
        return None
    rows = _sweep_rows(results, metrics)
    others = [p for p in results.parameters if p != parameter]
    grid = is_grid(results)
    if grid or not others:
        combos = list(dict.fromkeys(tuple(r) for r in results.points[others].itertuples(
            index=False))) if others else [()]
        if len(combos) > MAX_SLICES:
            first = results.points.iloc[0]
            combos = [tuple(first[p] for p in others)]
    else:
        combos = None  # scattered design: points, no lines
    colours = model_colours(results.labels)
    dashes = ("solid", "dash", "dot")
    fig = go.Figure()
    menu, layouts = [], []
    x_order = _ordered(results.points[parameter])
    for metric in metrics:
        words = wording(metric)
        mine = rows[rows["metric"] == metric]
        count = 0
        for label in results.labels:
            of_model = mine[mine["scenario"] == label]
            if combos is None:
                count += _sweep_markers(fig, of_model, parameter, label, colours[label],
                                        words.scale)
                continue
            for i, combo in enumerate(combos):
                data = of_model
                for p, value in zip(others, combo, strict=True):
                    data = data[data[p] == value]
                data = data.dropna(subset=["mean"])
                data = data.set_index(parameter).reindex(
                    [x for x in x_order if x in set(data[parameter])]).reset_index()
                if data.empty:
                    continue
                name = label if len(combos) == 1 else label + " · " + ", ".join(
                    f"{p}={v}" for p, v in zip(others, combo, strict=True))
                count += _line_with_band(fig, data, parameter, name, colours[label],
                                         dashes[i % len(dashes)], words.scale)
        if count:
            menu.append((esc(words.label), count))
            layouts.append({"yaxis.title.text": esc(words.label)})
    if not menu:
        return None
    _dropdown(fig, menu, layouts, y=1.12)
    fig.update_xaxes(title_text=esc(parameter))
    if combos is None:
        held = "the other parameters vary from point to point (not a grid), so points are not joined"
    elif others and len(combos) == 1:
        held = "the other parameters held at " + ", ".join(
            f"{p}={v}" for p, v in zip(others, combos[0], strict=True))
    elif others:
        held = "one line per combination of the other parameters"
    else:
        held = "the only parameter swept"
    caption = (f"Whole-system headline metrics against {parameter} ({held}). Choose the "
               "metric from the menu; lines join the means over replications, bands are "
               "95% confidence intervals.")
    return Figure(f"sweep-{_slug(parameter)}", f"Sweep: against {parameter}", caption,
                  _finish(fig, 480, margin={"t": 110},
                          legend=_SIDE_LEGEND))


def _line_with_band(fig: go.Figure, data: pd.DataFrame, parameter: str, name: str, colour: str,
                    dash: str, scale: float) -> int:
    x = _values(data[parameter])
    traces = 0
    band = data[data["ci_low"].notna()]
    numeric = pd.api.types.is_numeric_dtype(data[parameter])
    if len(band) and numeric:
        bx = _values(band[parameter])
        fig.add_trace(go.Scatter(
            x=bx + bx[::-1], y=((band["ci_high"] * scale).round(6).tolist()
                                + (band["ci_low"] * scale).round(6).tolist()[::-1]),
            fill="toself", mode="lines", fillcolor=_rgba(colour, 0.15), line={"width": 0},
            hoverinfo="skip", showlegend=False, legendgroup=esc(name)))
        traces += 1
    fig.add_trace(go.Scatter(
        x=x, y=(data["mean"] * scale).round(6).tolist(), mode="lines+markers", name=esc(name),
        legendgroup=esc(name), line={"color": colour, "dash": dash},
        error_y=None if numeric else _errors(data, scale), customdata=_ci_text(data, scale),
        hovertemplate=f"{esc(name)}<br>%{{x}}: %{{customdata}}<extra></extra>"))
    return traces + 1


def _sweep_markers(fig: go.Figure, data: pd.DataFrame, parameter: str, label: str, colour: str,
                   scale: float) -> int:
    data = data.dropna(subset=["mean"])
    if data.empty:
        return 0
    fig.add_trace(go.Scatter(
        x=_values(data[parameter]), y=(data["mean"] * scale).round(6).tolist(),
        mode="markers", name=esc(label), marker={"color": colour, "size": 8},
        error_y=_errors(data, scale), customdata=_ci_text(data, scale),
        text=[esc(f"point {p}") for p in data["point"]],
        hovertemplate=f"{esc(label)}, %{{text}}<br>%{{x}}: %{{customdata}}<extra></extra>"))
    return 1


def sweep_heatmap(results: Results) -> Figure | None:
    """For a two-parameter grid: each headline metric over the grid, a panel per model."""
    if len(results.parameters) != 2 or not is_grid(results):
        return None
    metrics = headline_metrics(results.summary)
    if not metrics:
        return None
    a, b = results.parameters
    rows = _sweep_rows(results, metrics)
    xs, ys = _ordered(results.points[a]), _ordered(results.points[b])
    labels = list(results.labels)
    cols = min(3, len(labels))
    n_rows = math.ceil(len(labels) / cols)
    fig = make_subplots(rows=n_rows, cols=cols, subplot_titles=[esc(label) for label in labels],
                        horizontal_spacing=0.08, vertical_spacing=0.25 / n_rows + 0.05)
    menu, layouts = [], []
    for metric in metrics:
        words = wording(metric)
        mine = rows[rows["metric"] == metric]
        values = (mine["mean"] * words.scale).dropna()
        if values.empty:
            continue
        low, high = float(values.min()), float(values.max())
        count = 0
        for i, label in enumerate(labels):
            grid = mine[mine["scenario"] == label]
            means = grid.pivot_table(index=b, columns=a, values="mean", aggfunc="first"
                                     ).reindex(index=ys, columns=xs)
            text = grid.assign(text=_ci_text(grid, words.scale) if len(grid) else []
                               ).pivot_table(index=b, columns=a, values="text",
                                             aggfunc="first").reindex(index=ys, columns=xs)
            fig.add_trace(go.Heatmap(
                z=[[None if pd.isna(v) else round(float(v) * words.scale, 6) for v in r]
                   for r in means.to_numpy()],
                x=[esc(x) for x in xs], y=[esc(y) for y in ys],
                text=[["" if pd.isna(t) else t for t in r] for r in text.to_numpy()],
                colorscale="Viridis", zmin=low, zmax=high if high > low else low + 1,
                showscale=i == 0, colorbar={"title": {"text": esc(words.unit or "")}},
                name=esc(label),
                hovertemplate=(f"{esc(label)}<br>{esc(a)}=%{{x}}, {esc(b)}=%{{y}}<br>"
                               "%{text}<extra></extra>")),
                row=i // cols + 1, col=i % cols + 1)
            count += 1
        menu.append((esc(words.label), count))
        layouts.append({})
    if not menu:
        return None
    _dropdown(fig, menu, layouts, y=1.08)
    fig.update_xaxes(title_text=esc(a), type="category")
    fig.update_yaxes(title_text=esc(b), type="category")
    caption = (f"Each headline metric over the grid of {a} (across) and {b} (up), one panel "
               "per model, on one colour scale per metric; hover for the mean and its 95% "
               "confidence interval. Choose the metric from the menu.")
    return Figure("sweep-grid", "Sweep: the two-parameter grid", caption,
                  _finish(fig, 180 + 300 * n_rows, margin={"t": 130}))


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text).strip("-").lower() or "parameter"


# --- all of them ------------------------------------------------------------------------


def all_figures(results: Results, point: int = 0) -> dict[str, list[Figure]]:
    """The figures of each page section that has data, in page order."""
    sections = {
        "waits": [wait_distributions(results, point)],
        "over-time": [time_series(results, point)],
        "handoff-figures": [handoffs(results, point), handoff_matrix(results, point),
                            handoff_sankey(results, point)],
        "utilisation-figures": [utilisation(results, point)],
        "money-figures": [money(results, point), money_flow(results, point)],
        "chronic-figures": [chronic(results, point)],
        "equity-figures": [equity(results, point, DEPRIVATION_PREFIX),
                           equity(results, point, DISTANCE_PREFIX)],
    }
    if results.kind == "sweep" and results.answers is None:  # questions: arms, not a design
        sections["sweep-figures"] = ([sweep_heatmap(results)]
                                     + [sweep_lines(results, p) for p in results.parameters])
    return {name: [f for f in figures if f is not None] for name, figures in sections.items()}
