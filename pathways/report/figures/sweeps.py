"""A sweep's responses: each headline metric against each parameter, and over the
grid of a two-parameter design."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pathways.report.figures.common import (
    SIDE_LEGEND,
    Figure,
    ci_text,
    dropdown,
    error_bars,
    esc,
    finish,
    model_colours,
    rgba,
)
from pathways.report.load import SYSTEM, Results
from pathways.report.sentences import headline_metrics
from pathways.report.wording import wording

#: Other parameters' combinations drawn as separate lines in a sweep; more: one slice.
MAX_SLICES = 3


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
    dropdown(fig, menu, layouts, y=1.12)
    fig.update_xaxes(title_text=esc(parameter))
    if combos is None:
        held = ("the other parameters vary from point to point (not a grid), so points are "
                "not joined")
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
                  finish(fig, 480, margin={"t": 110},
                          legend=SIDE_LEGEND))


def _values(values) -> list:
    """Parameter values for plotly: text escaped, numbers as they are."""
    return [esc(v) if isinstance(v, str) else v for v in values]


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
            fill="toself", mode="lines", fillcolor=rgba(colour, 0.15), line={"width": 0},
            hoverinfo="skip", showlegend=False, legendgroup=esc(name)))
        traces += 1
    fig.add_trace(go.Scatter(
        x=x, y=(data["mean"] * scale).round(6).tolist(), mode="lines+markers", name=esc(name),
        legendgroup=esc(name), line={"color": colour, "dash": dash},
        error_y=None if numeric else error_bars(data, scale), customdata=ci_text(data, scale),
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
        error_y=error_bars(data, scale), customdata=ci_text(data, scale),
        text=[esc(f"point {p}") for p in data["point"]],
        hovertemplate=f"{esc(label)}, %{{text}}<br>%{{x}}: %{{customdata}}<extra></extra>"))
    return 1


def sweep_heatmap(results: Results) -> Figure | None:
    """For a two-parameter grid: each headline metric over the grid, a panel per model."""
    points = results.points
    if points is None or len(results.parameters) != 2 or not is_grid(results):
        return None
    metrics = headline_metrics(results.summary)
    if not metrics:
        return None
    a, b = results.parameters
    rows = _sweep_rows(results, metrics)
    xs, ys = _ordered(points[a]), _ordered(points[b])
    labels = list(results.labels)
    cols = min(3, len(labels))
    n_rows = math.ceil(len(labels) / cols)
    fig = make_subplots(rows=n_rows, cols=cols, subplot_titles=[esc(label) for label in labels],
                        horizontal_spacing=0.08, vertical_spacing=0.25 / n_rows + 0.05)
    menu: list[tuple[str, int]] = []
    layouts: list[dict[str, str]] = []
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
            text = grid.assign(text=ci_text(grid, words.scale) if len(grid) else []
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
    dropdown(fig, menu, layouts, y=1.08)
    fig.update_xaxes(title_text=esc(a), type="category")
    fig.update_yaxes(title_text=esc(b), type="category")
    caption = (f"Each headline metric over the grid of {a} (across) and {b} (up), one panel "
               "per model, on one colour scale per metric; hover for the mean and its 95% "
               "confidence interval. Choose the metric from the menu.")
    return Figure("sweep-grid", "Sweep: the two-parameter grid", caption,
                  finish(fig, 180 + 300 * n_rows, margin={"t": 130}))


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text).strip("-").lower() or "parameter"


