"""Outcomes by group, one metric at a time from a menu: chronic care by condition,
and equity by deprivation quintile or travel distance."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from pathways.metrics import (
    CANCELLATION_METRICS,
    CHRONIC_METRICS,
    CONDITION_PREFIX,
    DEPRIVATION_PREFIX,
    EQUITY_METRICS,
)
from pathways.report.figures.common import (
    SIDE_LEGEND,
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
from pathways.report.wording import wording


def _by_group(results: Results, point: int, rows: pd.DataFrame, metrics: Sequence[str],
              groups: Sequence[tuple[str, str]], key: str, title: str, caption: str,
              ) -> Figure | None:
    """Grouped bars (x: group, a bar per model) for one metric at a time, chosen from a
    dropdown. ``groups``: (stage level, shown name) in order. A metric that is zero or
    missing in every model and group is left out of the menu, and the caption says so."""
    colours = model_colours(results.labels)
    fig = go.Figure()
    menu, layouts = [], []
    shown = [m for m in metrics if informative(rows.loc[rows["metric"] == m, "mean"])]
    caption += none_in_any_model(rows, metrics, shown)
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
                marker_color=colours[label], error_y=error_bars(data, words.scale),
                customdata=ci_text(data, words.scale),
                hovertemplate=f"{esc(label)}<br>%{{x}}: %{{customdata}}<extra></extra>"))
            count += 1
        if count:
            menu.append((esc(words.label), count))
            layouts.append({"yaxis.title.text": esc(words.label)})
    if not menu:
        return None
    dropdown(fig, menu, layouts, y=1.12)
    fig.update_xaxes(categoryorder="array", categoryarray=[esc(name) for _, name in groups],
                     type="category")
    return Figure(key, title, caption, finish(fig, 460, barmode="group",
                                                 margin={"t": 110},
                                                 legend=SIDE_LEGEND))


def _with_chronic_care(results: Results, point: int) -> list[str]:
    """The models with chronic care: a chronic metric other than zero. A model with
    cancelled operations but no chronic cohort has chronic rows too, all zero or NaN."""
    rows = summary_rows(results, point, CHRONIC_METRICS)
    return [label for label in results.labels
            if informative(rows.loc[rows["scenario"] == label, "mean"])]


def chronic(results: Results, point: int = 0) -> Figure | None:
    """Chronic care outcomes by model, for the whole system and each condition; only
    the models that have chronic care, and nothing where none has."""
    metrics = CHRONIC_METRICS + CANCELLATION_METRICS
    models = _with_chronic_care(results, point)
    rows = summary_rows(results, point, metrics)
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
    rows = summary_rows(results, point, prefix=prefix)
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


