"""The KPI table: each model's whole-system means and paired differences from the baseline.

A difference cell is coloured only where its 95% interval excludes zero, blue for
higher and orange for lower than the baseline: the colour shows direction only, never
good or bad. An arrow repeats the direction for readers who cannot tell the colours
apart. Every cell's text is HTML-escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import pandas as pd

from pathways.report.load import SYSTEM, Results
from pathways.report.wording import HEADLINE_METRICS, estimate, wording

LEGEND = ("Colour shows direction only, not good or bad: "
          '<span class="up">&#9650; blue</span> the model is higher than the baseline, '
          '<span class="down">&#9660; orange</span> lower, where the 95% confidence interval '
          "of the paired difference excludes zero; an uncoloured difference's interval "
          "includes zero (no significant difference).")


def kpi_tables(results: Results, point: int = 0) -> str:
    """The headline metrics' table, then every other whole-system metric in a fold."""
    summary = results.summary[(results.summary["point"] == point)
                              & (results.summary["stage"] == SYSTEM)]
    metrics = list(dict.fromkeys(summary["metric"]))
    headline = [m for m in HEADLINE_METRICS if m in metrics]
    rest = [m for m in metrics if m not in headline]
    differences = None
    if results.differences is not None:
        differences = results.differences[(results.differences["point"] == point)
                                          & (results.differences["stage"] == SYSTEM)]
    parts = [_table(results, point, summary, differences, headline or rest)]
    if headline and rest:
        parts.append("<details><summary>Every other whole-system metric "
                     f"({len(rest)})</summary>"
                     + _table(results, point, summary, differences, rest) + "</details>")
    return "\n".join(parts)


def _table(results: Results, point: int, summary: pd.DataFrame,
           differences: pd.DataFrame | None, metrics: list[str]) -> str:
    labels = list(results.labels_at(point))
    paired = results.paired_at(point)
    baseline = paired[0] if paired is not None else ""
    compared = [label for label in labels if label != baseline] if paired is not None else []
    means = summary.set_index(["scenario", "metric"])
    changes = (differences.set_index(["scenario", "metric"])
               if compared and differences is not None else None)
    head = ["<th scope=\"col\">Metric</th>"]
    head += [f"<th scope=\"col\">{escape(label)}<br><span class=\"sub\">mean (95% CI)</span></th>"
             for label in labels]
    head += [f"<th scope=\"col\">{escape(label)} &minus; {escape(baseline)}<br>"
             "<span class=\"sub\">paired difference (95% CI)</span></th>" for label in compared]
    body = []
    for metric in metrics:
        words = wording(metric)
        cells = [f"<th scope=\"row\" title=\"{escape(metric)}\">{escape(words.label)}</th>"]
        for label in labels:
            row = _get(means, label, metric)
            cells.append("<td>n/a</td>" if row is None else "<td>" + escape(
                estimate(metric, row["mean"], row["ci_low"], row["ci_high"])) + "</td>")
        for label in compared:
            row = _get(changes, label, metric)
            if row is None or math.isnan(row["mean_difference"]):
                cells.append("<td>n/a</td>")
                continue
            low, high = row["ci_low"], row["ci_high"]
            text = escape(estimate(metric, row["mean_difference"], low, high, signed=True))
            if not math.isnan(low) and low > 0:
                cells.append(f"<td class=\"up\">&#9650; {text}</td>")
            elif not math.isnan(high) and high < 0:
                cells.append(f"<td class=\"down\">&#9660; {text}</td>")
            else:
                cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return ("<div class=\"table-wrap\"><table class=\"kpi\"><thead><tr>" + "".join(head)
            + "</tr></thead><tbody>" + "\n".join(body) + "</tbody></table></div>")


def _get(frame: pd.DataFrame | None, label: str, metric: str) -> pd.Series | None:
    if frame is None or (label, metric) not in frame.index:
        return None
    row = frame.loc[(label, metric)]
    return row.iloc[0] if isinstance(row, pd.DataFrame) else row


def rows_table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """A plain table of text cells (escaped)."""
    head = "".join(f"<th scope=\"col\">{escape(h)}</th>" for h in header)
    body = "\n".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
                     for row in rows)
    return (f"<div class=\"table-wrap\"><table><thead><tr>{head}</tr></thead><tbody>{body}"
            "</tbody></table></div>")
