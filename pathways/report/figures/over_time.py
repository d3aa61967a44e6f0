"""The waiting list (and occupancy) over time, from day 0, with the warm-up shaded and
explained, so that nobody reads the model filling up as a result."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pathways.metrics import ALL_PREFIX, OCCUPANCY, list_series
from pathways.metrics.registry import NON_NEGATIVE, SHARE
from pathways.metrics.seasons import DAYS_PER_YEAR, WINTER_DAYS, in_season
from pathways.report.figures.common import Figure, esc, finish, model_colours, rgba
from pathways.report.load import Results
from pathways.report.wording import number
from pathways.stats import t_interval

#: Most points one time-series figure carries; longer series are thinned evenly.
MAX_SERIES_POINTS = 6000
WAITING_LIST, RTT_SHARE = "waiting_list", "rtt_incomplete_within_18_weeks_share"


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
    for row, (_, stats, scale) in enumerate(panels, start=1):
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
                    fill="toself", mode="lines", fillcolor=rgba(colours[label], 0.18),
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
                  finish(fig, 300 + 230 * len(panels)))


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


