"""What every figure of the report shares: the look (font, colour-blind-safe model
colours, one plotly template), the Figure record the page places, escaping of names,
summary rows at a design point, 95% error bars and hover texts, and the dropdown that
shows one group of traces at a time.

Every piece of text that comes from a configuration or from results (model,
organisation, resource and parameter names) is HTML-escaped before plotly sees it:
plotly renders a few HTML tags in names and labels, and a name must show as the text
it is.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pathways.report.load import Results
from pathways.report.wording import number, numbers, wording

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
#: Okabe-Ito: distinguishable with the common colour-vision deficiencies.
MODEL_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#000000", "#F0E442")
#: Figures with a dropdown above them keep their legend on the right, out of its way.
SIDE_LEGEND = {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1.0, "yanchor": "top"}

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


def rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def finish(fig: go.Figure, height: int, **layout) -> go.Figure:
    fig.update_layout(template=_TEMPLATE, height=height, **layout)
    return fig


def summary_rows(results: Results, point: int, metrics: Sequence[str] | None = None,
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


def error_bars(rows: pd.DataFrame, scale: float = 1.0) -> dict:
    """Asymmetric error bars from the 95% interval (none where there is no interval)."""
    plus = ((rows["ci_high"] - rows["mean"]) * scale).to_numpy(dtype=float)
    minus = ((rows["mean"] - rows["ci_low"]) * scale).to_numpy(dtype=float)
    return {"type": "data", "symmetric": False, "array": _none_for_nan(plus),
            "arrayminus": _none_for_nan(minus), "thickness": 1.2, "width": 3}


def _none_for_nan(values: np.ndarray) -> list:
    return [None if math.isnan(v) else round(float(v), 6) for v in values]


def ci_text(rows: pd.DataFrame, scale: float = 1.0) -> list[str]:
    return [esc(_with_interval(m * scale, lo * scale, hi * scale))
            for m, lo, hi in zip(rows["mean"], rows["ci_low"], rows["ci_high"], strict=True)]


def _with_interval(mean: float, low: float, high: float) -> str:
    if math.isnan(low):
        return f"{number(mean)} (no interval)"
    mean_text, low_text, high_text = numbers((mean, low, high))
    return f"{mean_text} (95% CI {low_text} to {high_text})"


def dropdown(fig: go.Figure, groups: Sequence[tuple[str, int]],
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


def informative(values) -> bool:
    """Whether any value is a finite number other than zero: a chart of zeros and gaps
    says nothing, so it is left out."""
    values = np.asarray(values, dtype=float)
    return bool(np.any(np.isfinite(values) & (values != 0)))


def none_in_any_model(rows: pd.DataFrame, metrics: Sequence[str], shown: Sequence[str]) -> str:
    """A caption's note naming the metrics left out for being zero in every model."""
    left_out = [wording(m).label for m in metrics if m in set(rows["metric"]) and m not in shown]
    return (" Not shown, being zero in every model: " + "; ".join(left_out) + "."
            if left_out else "")
