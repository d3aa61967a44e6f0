"""Resource utilisation, by kind of resource and, from a menu, each kind's own
resources (at most MAX_BARS of them, so that no chart is unreadable)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from pathways.metrics import RESOURCE_PREFIX
from pathways.metrics.pathway_visits import KIND_PREFIX
from pathways.report.figures.common import (
    Figure,
    ci_text,
    error_bars,
    esc,
    finish,
    informative,
    model_colours,
    summary_rows,
)
from pathways.report.load import Results

MAX_BARS = 25
"""Most categories a chart shows at once; more are grouped (utilisation: by kind)."""


def utilisation(results: Results, point: int = 0) -> Figure | None:
    """Utilisation per model with 95% intervals: each kind of resource (all its
    resources together), and from a dropdown each kind's own resources where there are
    at most MAX_BARS of them; without kinds (a plain network), each resource."""
    resources = summary_rows(results, point, ["utilisation"], prefix=RESOURCE_PREFIX)
    kinds = summary_rows(results, point, ["utilisation"], prefix=KIND_PREFIX)
    if not informative(pd.concat([resources["mean"], kinds["mean"]])):
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
                  finish(fig, max(360, height), barmode="group", margin={"t": 80}))


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
                       "error_x": error_bars(mine, 100.0), "customdata": ci_text(mine, 100.0)}
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
