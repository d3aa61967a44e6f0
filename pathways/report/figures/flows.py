"""Handoffs between organisations: per completed pathway, as a matrix and as a
Sankey of patient flows (the Sankey builder is shared with the money flow)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pathways.metrics import HANDOFF_METRICS, HANDOFF_PREFIX, MATRIX_METRIC
from pathways.metrics.seasons import DAYS_PER_YEAR
from pathways.report.figures.common import (
    Figure,
    ci_text,
    dropdown,
    error_bars,
    esc,
    finish,
    informative,
    model_colours,
    none_in_any_model,
    summary_rows,
)
from pathways.report.load import SYSTEM, Results
from pathways.report.wording import number, wording

#: Most organisations a handoff matrix or Sankey shows; the rest are grouped.
MAX_ORGANISATIONS = 20
#: Zero is a pale grey, so a pair with no handoffs differs from one no handoff can join.
_MATRIX_COLOURS = [[0.0, "#eeeeee"], [1e-9, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08306b"]]


def handoffs(results: Results, point: int = 0) -> Figure | None:
    """Handoff metrics per completed pathway, one panel per metric, a bar per model;
    a metric that is zero in every model (no repeat tests anywhere) gets no panel."""
    system = summary_rows(results, point, HANDOFF_METRICS, stage=SYSTEM)
    metrics = [m for m in HANDOFF_METRICS
               if informative(system.loc[system["metric"] == m, "mean"])]
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
            marker_color=[colours[label] for label in rows.index], error_y=error_bars(rows),
            customdata=ci_text(rows), showlegend=False,
            hovertemplate="%{x}: %{customdata}<extra></extra>"),
            row=i // cols + 1, col=i % cols + 1)
    fig.update_xaxes(type="category")
    caption = ("Handoffs between organisations (the GP practice counts as one) of the "
               "pathways completed in the window, per completed pathway, with their delay, "
               "and transfers within one organisation, missing records and repeat tests; "
               "bars are means over replications, whiskers 95% confidence intervals."
               + none_in_any_model(system, HANDOFF_METRICS, metrics))
    return Figure("handoffs", "Handoffs per pathway", caption, finish(fig, 330 * n_rows))


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
    rows = summary_rows(results, point, [MATRIX_METRIC], prefix=HANDOFF_PREFIX)
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
                  finish(fig, max(420, 260 + 24 * n), margin={"t": 90}))


def flow_sankey(label: str, sources: list[str], targets: list[str], flow_from: list[str],
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
        fig.add_trace(flow_sankey(label, senders, receivers, list(flows["from"]),
                                   list(flows["to"]), flows["value"].round(2).tolist(),
                                   " a year"))
    if not fig.data:
        return None
    dropdown(fig, [(esc(label), 1) for label in per_model], y=1.06)
    n = max(len(model.organisations) for model in per_model.values())
    caption = ("Flows of patients between organisations, from the same handoff matrix: each "
               "sending organisation on the left, labelled with all the handoffs it sends, "
               "each receiving one on the right with all it receives; widths and labels in "
               "mean handoffs a year. Hover over a link for its own flow."
               + _grouped_note(per_model))
    return Figure("handoff-sankey", "Patient flows between organisations", caption,
                  finish(fig, max(420, 22 * n + 200), margin={"t": 80}))
