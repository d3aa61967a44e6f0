"""A pathway's shape as plain data, so that it can be shown and compared without YAML.

A stage edit (`stage_edits:`) changes which stages patients visit, who does them and
where patients go next. The outline of a pathway says that much and nothing more: its
start and, for each stage in written order, what it holds, which organisations can do
it, its mean duration, lead time, RTT clock stop and routing shares. Outlines are
JSON-friendly (lists and mappings of text and numbers, order kept in lists, since
stored JSON sorts mapping keys), so the manifest records them from the configuration
and the report compares models from stored results alone. Organisations are named as
they are, not by their `owner`: integration changes which boundaries count for
handoffs, not the shape of a pathway.
"""

from __future__ import annotations

from typing import Any

from pathways.config.derived import practice_kinds
from pathways.config.schema import MINUTES_PER_DAY, Config, Pathway, Stage

Outline = dict[str, Any]
"""{"start": stage, "stages": [{"name", "holds", "by", "mean_minutes" or "mean_days",
"lead_days", "rtt_stop", "next": [{"to", "share"}]}]}"""

DELAY = "delay"
"""What a stage holds when it names neither a resource nor a kind (results reporting)."""
OWN_PRACTICE = "the patient's practice"
"""Who does a stage of a kind every practice holds for its own patients."""
_SIGNIFICANT_DIGITS = 4  # enough for a diagram; float noise (14.399999 min) is dropped
_SHARE_DECIMALS = 6


def pathway_outlines(config: Config) -> dict[str, Outline]:
    """Every pathway's outline, by name, in written order."""
    return {name: pathway_outline(config, name) for name in config.pathways}


def pathway_outline(config: Config, name: str) -> Outline:
    """One pathway's start and stages, in written order."""
    pathway = config.pathways[name]
    return {"start": pathway.start_stage,
            "stages": [_stage_outline(config, pathway, stage_name, stage)
                       for stage_name, stage in pathway.stages.items()]}


def _stage_outline(config: Config, pathway: Pathway, name: str, stage: Stage) -> dict[str, Any]:
    return {"name": name, "holds": stage.kind or stage.resource or DELAY,
            "by": _done_by(config, pathway, stage), **_mean_duration(stage.duration.mean_days()),
            "lead_days": stage.lead_days, "rtt_stop": stage.rtt_stop,
            "next": [{"to": target, "share": round(share, _SHARE_DECIMALS)}
                     for target, share in stage.routing().items()]}


def _done_by(config: Config, pathway: Pathway, stage: Stage) -> list[str]:
    """The organisations that can do the stage: holders of its resource, or of a
    resource of its kind among the pathway's providers (None: any of them); where a
    provider holds none of the kind, its patients go to the nearest that does
    (pathways.model.economy), so every holder of the kind can."""
    if stage.resource is not None:
        organisation = config.resources[stage.resource].organisation
        return [] if organisation is None else [organisation]
    if stage.kind is None:
        return []
    if stage.kind in practice_kinds(config):
        return [OWN_PRACTICE]
    holders = {r.organisation for r in config.resources.values()
               if r.kind == stage.kind and r.organisation is not None}
    allowed = pathway.providers
    if allowed is None or not set(allowed) <= holders:
        return sorted(holders)  # a provider without the kind sends its patients to others'
    return sorted(holders & set(allowed))


def _mean_duration(days: float) -> dict[str, float]:
    """Minutes under a day, days otherwise: how a team would say it."""
    if days < 1:
        return {"mean_minutes": _rounded(days * MINUTES_PER_DAY)}
    return {"mean_days": _rounded(days)}


def _rounded(value: float) -> float:
    return float(f"{value:.{_SIGNIFICANT_DIGITS}g}")


def differing_pathways(before: dict[str, Outline], after: dict[str, Outline]) -> list[str]:
    """Pathways whose outlines differ, those only one side has included: `before`'s
    order, then those only `after` has."""
    names = list(dict.fromkeys([*before, *after]))
    return [name for name in names if before.get(name) != after.get(name)]


def outline_text(outline: Outline) -> list[str]:
    """One line per stage for the terminal, columns aligned, e.g.
    `first  [outpatients: east_trust, west_trust]  14.4 min  -> scan 50%, exit 50%`."""
    cells = [(s["name"], f"[{who_does(s)}]", duration_text(s), _extras_text(s))
             for s in outline["stages"]]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    lines = [f"start: {outline['start']}"]
    for row, stage in zip(cells, outline["stages"], strict=True):
        columns = [cell.ljust(width) for cell, width in zip(row, widths, strict=True) if width]
        lines.append("  " + "  ".join([*columns, f"-> {next_text(stage)}"]))
    return lines


def who_does(stage: dict[str, Any]) -> str:
    """`outpatients: east_trust, west_trust`, or the resource or delay alone."""
    return f"{stage['holds']}: {', '.join(stage['by'])}" if stage["by"] else stage["holds"]


def duration_text(stage: dict[str, Any]) -> str:
    """`14.4 min` or `2 days`, as the outline holds it."""
    if "mean_minutes" in stage:
        return f"{stage['mean_minutes']:g} min"
    days = stage["mean_days"]
    return f"{days:g} day" + ("" if days == 1 else "s")


def next_text(stage: dict[str, Any]) -> str:
    """`scan 50%, exit 50%` (`exit` alone when everyone leaves)."""
    routes = stage["next"]
    if len(routes) == 1:
        return routes[0]["to"]
    return ", ".join(f"{route['to']} {route['share'] * 100:.3g}%" for route in routes)


def _extras_text(stage: dict[str, Any]) -> str:
    """Lead time and RTT clock stop, where the stage has them."""
    extras = []
    if stage["lead_days"]:
        extras.append(f"lead {stage['lead_days']:g} days")
    if stage["rtt_stop"]:
        extras.append(f"RTT stop: {stage['rtt_stop']}")
    return ", ".join(extras)
