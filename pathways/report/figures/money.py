"""Money: each provider's income, cost and surplus, and who pays whom."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pathways.metrics import FLOW_PREFIX, PROVIDER_PREFIX
from pathways.report.figures.common import (
    Figure,
    ci_text,
    dropdown,
    error_bars,
    esc,
    finish,
    informative,
    model_colours,
    summary_rows,
)
from pathways.report.figures.flows import flow_sankey
from pathways.report.load import Results

_MONEY_BARS = (("income_per_year", "income"), ("cost_per_year", "cost"),
               ("surplus_per_year", "surplus"))


def money(results: Results, point: int = 0) -> Figure | None:
    """Each provider's income, cost and surplus a year per model, with 95% intervals."""
    rows = summary_rows(results, point, [m for m, _ in _MONEY_BARS], prefix=PROVIDER_PREFIX)
    if not informative(rows["mean"]):
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
                marker_color=colours[label], error_x=error_bars(mine),
                customdata=ci_text(mine),
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
                  finish(fig, max(360, 120 + 34 * len(providers) * max(1, len(results.labels))),
                          barmode="group"))


def money_flow(results: Results, point: int = 0) -> Figure | None:
    """Who pays whom, a year: payers on the left, the providers they pay on the right."""
    rows = summary_rows(results, point, ["payment_per_year"], prefix=FLOW_PREFIX)
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
        fig.add_trace(flow_sankey(label, list(dict.fromkeys(payers)),
                                   list(dict.fromkeys(payees)), payers, payees,
                                   mine["mean"].round(2).tolist(), " a year", "£"))
        labels.append(label)
    if not fig.data:
        return None
    dropdown(fig, [(esc(label), 1) for label in labels], y=1.06)
    caption = ("The money flow: each payer (the commissioner, an organisation holding a "
               "capitated budget) on the left, labelled with all it pays, each provider it "
               "pays on the right, with all it is paid; widths and labels in mean pounds a "
               "year (activity at the tariff, block sums, capitation).")
    return Figure("money-flow", "Money flow", caption, finish(fig, 460, margin={"t": 80}))


