"""The report's "What differs between the models" section: for each model against the
baseline, the settings whose values differ, with both values, computed from the
resolved configurations the manifest records (pathways.model.settings), never written
by hand. A setting that drives an outcome by assumption (a multiplier or a fixed delay
typed in) is flagged with the outcome it drives, so that a reader does not take that
outcome's difference for the work of a mechanism.

Pathways are compared stage by stage in their own section; here they are one line.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from pathways.model.settings import differing_settings, input_driven
from pathways.report.load import Results
from pathways.report.wording import wording

SHOWN_OPEN = 25
"""Rows shown before the rest of a model's differences fold away."""


def model_differences_section(results: Results) -> str | None:
    """The section's HTML, or None for a single model or where no manifest records
    settings."""
    baseline = results.baseline
    if baseline is None:
        return None
    base = results.settings(baseline)
    if base is None:
        return None
    parts = [("<p class=\"note\">The settings of each model that differ from the "
              f"baseline's ({escape(baseline)}), read from the configurations as run "
              "(overlays merged, defaults filled in). \u201cnot set\u201d: no value in that "
              "model (the setting is empty there, or does not exist). A flag marks a "
              "setting that moves an outcome by assumption rather than through a "
              "mechanism.</p>")]
    for label in results.labels:
        other = results.settings(label)
        if label == baseline or other is None:
            continue
        parts.append(_model_table(results, baseline, label, differing_settings(base, other)))
    return "\n".join(parts) if len(parts) > 1 else None


def _model_table(results: Results, baseline: str, label: str,
                 rows: list[tuple[str, Any, Any]]) -> str:
    heading = f"<h3>{escape(label)} against {escape(baseline)}</h3>"
    if not rows:
        pathways = _pathways_differ(results, baseline, label)
        return heading + "<p>No setting differs" + (
            ", only the pathways' shape (below)." if pathways else ".") + "</p>"
    flags = [input_driven(path) for path, _, _ in rows]
    flagged = [(path, *flag) for (path, _, _), flag in zip(rows, flags, strict=True) if flag]
    note = "".join(
        f"<p class=\"flag\">Flag: {escape(path)} differs, and it is {escape(why)}: the "
        f"difference in {escape(wording(metric).phrase)} follows from it directly.</p>"
        for path, metric, why in flagged)
    body = [_row(path, a, b, flag is not None)
            for (path, a, b), flag in zip(rows, flags, strict=True)]
    head = ("<thead><tr><th scope=\"col\">setting</th>"
            f"<th scope=\"col\">{escape(baseline)}</th><th scope=\"col\">{escape(label)}</th>"
            "</tr></thead>")
    table = (f"<div class=\"table-wrap\"><table>{head}<tbody>{''.join(body[:SHOWN_OPEN])}"
             "</tbody></table></div>")
    if len(body) > SHOWN_OPEN:
        table += (f"<details><summary>{len(body) - SHOWN_OPEN} more settings differ</summary>"
                  f"<div class=\"table-wrap\"><table>{head}<tbody>"
                  f"{''.join(body[SHOWN_OPEN:])}</tbody></table></div></details>")
    return heading + note + table


def _row(path: str, base: Any, other: Any, flagged: bool) -> str:
    mark = " (flag)" if flagged else ""
    return (f"<tr><th scope=\"row\"><code>{escape(path)}</code>{mark}</th>"
            f"<td>{escape(_value(base))}</td><td>{escape(_value(other))}</td></tr>")


def _value(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _pathways_differ(results: Results, baseline: str, label: str) -> bool:
    return results.pathway_outlines(baseline) != results.pathway_outlines(label)
