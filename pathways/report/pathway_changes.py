"""The report's "What differs in the pathways" section, from the outlines the
manifest records (pathways.model.pathway_outline), never from configuration files.

A model whose pathways have another shape than the baseline's (stage edits, or
another configuration altogether) is shown beside the baseline, pathway by pathway, so
that a reader sees which stages, providers, durations and routes the differences in
the figures come from. Every text is escaped.
"""

from __future__ import annotations

from html import escape

from pathways.metrics.pathway_visits import BUSY_UNITS, KIND_PREFIX
from pathways.model.pathway_outline import (
    Outline,
    differing_pathways,
    duration_text,
    next_text,
)
from pathways.report.load import Results
from pathways.report.wording import estimate, wording

#: What a redesign does, whole-system, in the order a service team asks: waits,
#: handoffs, visits, money; then the capacity used by each kind of resource.
EFFECT_METRICS = ("rtt_non_admitted_median_weeks", "rtt_admitted_median_weeks",
                  "handoffs_per_pathway", "visits_per_pathway",
                  "spend_per_1000_population_per_year")

_COLUMNS = ("difference", "stage", "holds", "done by", "mean duration", "lead days",
            "RTT stop", "next")


def pathway_changes_section(results: Results) -> str | None:
    """The section's HTML, or None where no model's pathways differ from the
    baseline's (or the manifest records no outlines)."""
    baseline = results.baseline or results.labels[0]
    base = results.pathway_outlines(baseline)
    if base is None:
        return None
    pairs: dict[str, list[tuple[str, Outline | None]]] = {}  # pathway -> models differing
    for label in results.labels:
        outlines = results.pathway_outlines(label)
        if label == baseline or outlines is None:
            continue
        for name in differing_pathways(base, outlines):
            pairs.setdefault(name, []).append((label, outlines.get(name)))
    if not pairs:
        return None
    parts = [f"<p class=\"note\">{escape(_intro(results, baseline))}</p>"]
    changed = list(dict.fromkeys(label for models in pairs.values() for label, _ in models))
    parts.append(_effects(results, baseline, changed))
    for name, models in pairs.items():
        parts.append(f"<h3>{escape(name)}</h3>")
        for label, outline in models:
            parts.append("<div class=\"side-by-side\">"
                         + _outline_block(baseline, base.get(name), outline, True)
                         + _outline_block(label, outline, base.get(name), False) + "</div>")
    return "\n".join(parts)


def _effects(results: Results, baseline: str, labels: list[str]) -> str:
    """The paired differences against the baseline, with their 95% intervals, of the
    models whose pathways differ: waits, handoffs, visits, money and the capacity each
    kind of resource had in use ("" without stored differences)."""
    if results.differences is None or not labels:
        return ""
    frame = results.differences
    frame = frame[(frame["point"] == results.point_ids[0]) & frame["scenario"].isin(labels)]
    stage = frame["stage"].fillna("")
    rows = [("", metric) for metric in EFFECT_METRICS]
    kinds = sorted(set(stage[stage.str.startswith(KIND_PREFIX)]))
    rows += [(level, BUSY_UNITS) for level in kinds]
    cells = {(row.scenario, s, row.metric): estimate(row.metric, row.mean_difference,
                                                      row.ci_low, row.ci_high, signed=True)
             for row, s in zip(frame.itertuples(index=False), stage, strict=True)}
    body = []
    for level, metric in rows:
        values = [cells.get((label, level, metric)) for label in labels]
        if any(value is not None for value in values):
            name = (f"{level[len(KIND_PREFIX):]}: {BUSY_LABEL}" if level
                    else wording(metric).label)
            body.append(f"<tr><th scope=\"row\">{escape(name)}</th>" + "".join(
                f"<td>{escape(value or 'n/a')}</td>" for value in values) + "</tr>")
    if not body:
        return ""
    head = "".join(f"<th scope=\"col\">{escape(label)}</th>" for label in labels)
    return (f"<h3>What the changes did, against {escape(baseline)}</h3>"
            "<p class=\"note\">Paired differences (the model minus the baseline) with their "
            "95% intervals, over the replications both ran on common random numbers; n/a: "
            "a kind of resource one of the two lacks.</p>"
            f"<div class=\"table-wrap\"><table><thead><tr><th></th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


BUSY_LABEL = "units in use on average (capacity used)"


def _intro(results: Results, baseline: str) -> str:
    written = (" A sweep's pathways are shown as its model files write them, before any "
               "point's values." if results.kind == "sweep" else "")
    return (f"Each pathway whose shape differs from the baseline's ({baseline}): the "
            "baseline's stages beside the model's, in the order written. Done by: the "
            "organisations that hold the stage's resource, or resources of its kind among "
            "the pathway's providers (every holder of the kind where a provider has none, "
            "since its patients go to the nearest that has). Difference: \u201cadded\u201d, "
            "a stage only the model has; \u201cremoved\u201d, one only the baseline has; "
            "\u201cchanged\u201d, one both have but with another resource, provider, "
            f"duration, lead time, RTT stop or routing.{written}")


def _outline_block(label: str, outline: Outline | None, other: Outline | None,
                   is_baseline: bool) -> str:
    heading = f"<h4>{escape(label)}{' (baseline)' if is_baseline else ''}</h4>"
    if outline is None:
        return f"<div>{heading}<p>No such pathway.</p></div>"
    others = {s["name"]: s for s in other["stages"]} if other is not None else {}
    rows = "\n".join(_stage_row(stage, others, is_baseline) for stage in outline["stages"])
    head = "".join(f"<th scope=\"col\">{escape(c)}</th>" for c in _COLUMNS)
    return (f"<div>{heading}<p>Patients start at {escape(outline['start'])}.</p>"
            f"<div class=\"table-wrap\"><table class=\"outline\"><thead><tr>{head}</tr>"
            f"</thead><tbody>{rows}</tbody></table></div></div>")


def _stage_row(stage: dict, others: dict[str, dict], is_baseline: bool) -> str:
    difference = (("removed" if is_baseline else "added") if stage["name"] not in others
                  else "changed" if others[stage["name"]] != stage else "")
    cells = (difference, stage["name"], stage["holds"], ", ".join(stage["by"]),
             duration_text(stage), f"{stage['lead_days']:g}", stage["rtt_stop"] or "",
             next_text(stage))
    marked = " class=\"changed\"" if difference else ""
    return f"<tr{marked}>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>"
