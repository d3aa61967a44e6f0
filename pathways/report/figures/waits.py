"""The wait distributions: each model's whole distribution of waits as a cumulative
curve with its 95% band, RTT waits where every model has RTT clocks."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pathways.metrics.rtt import DAYS_PER_WEEK, TARGET_DAYS
from pathways.metrics.wait_quantiles import (
    PROBABILITIES,
    QUANTILE_PREFIX,
    RTT_DISTRIBUTIONS,
    level_probability,
)
from pathways.report.figures.common import (
    Figure,
    ci_text,
    esc,
    finish,
    model_colours,
    rgba,
    summary_rows,
)
from pathways.report.load import Results

_RTT_PANELS = (("Admitted RTT waits", "rtt_admitted_wait_weeks", "weeks"),
               ("Non-admitted RTT waits", "rtt_non_admitted_wait_weeks", "weeks"))
_QUEUE_PANELS = (("Queueing time per patient", "wait_days", "days"),
                 ("Time in the system", "time_in_system_days", "days"))
#: The NHS standard: 18 weeks from referral to treatment.
RTT_STANDARD_WEEKS = TARGET_DAYS / DAYS_PER_WEEK


def _quantile_curves(results: Results, point: int) -> pd.DataFrame:
    """The wait quantiles' summary rows at a point, with their probability, in order."""
    rows = summary_rows(results, point, prefix=QUANTILE_PREFIX)
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
            y=by + by[::-1], fill="toself", mode="lines", fillcolor=rgba(colour, 0.18),
            line={"width": 0}, hoverinfo="skip", showlegend=False, legendgroup=esc(label),
            name=esc(label) + " 95% band"), row=1, col=col)
    fig.add_trace(go.Scatter(
        x=curve["mean"].round(4).tolist(), y=y, mode="lines", name=esc(label),
        legendgroup=esc(label), showlegend=legend, line={"color": colour, "width": 2},
        customdata=ci_text(curve),
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
                  finish(fig, 450, margin={"t": 100}, legend={"y": 1.12}))


