"""Whether the results hold as many replications as the automatic replication rule
asks for, said wherever an interval is shown: the report's first screen, each section
with intervals, and the terminal.

The rule is the one `replications: auto` runs (pathways.experiment.runner
AutoReplications, Hoad, Robinson & Davies 2010): it never judges precision before its
first `initial` replications, and it stops only when every one of its metrics has a
95% interval within a target share of its mean. Results short of either are flagged:
their intervals are wide, and with very few replications unreliable as well.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pathways.experiment.runner import AutoReplications
from pathways.report.load import SYSTEM
from pathways.report.wording import missing, wording


@dataclass(frozen=True)
class Shortfall:
    """How the results fall short of the automatic rule."""

    replications: int
    """The fewest replications behind any of the rule's intervals (0: none measured)."""
    minimum: int
    """The replications the rule runs before it judges precision."""
    wide: tuple[str, ...]
    """``model: metric phrase`` of each of the rule's intervals wider than the target."""
    target: float
    """The half-width the rule asks for, as a share of the mean."""

    @property
    def too_few(self) -> bool:
        return self.replications < self.minimum


#: The rule ``pathways run --replications auto`` applies, unless a runner sets its own.
DEFAULT_RULE = AutoReplications()


def replication_shortfall(summary: pd.DataFrame,
                          rule: AutoReplications = DEFAULT_RULE) -> Shortfall | None:
    """How the system-level rows of ``summary`` (summary.csv) fall short of ``rule``:
    too few replications, or intervals of the rule's metrics wider than its target;
    None where they meet it. Metrics the results do not hold are skipped; where they
    hold none of the rule's metrics, every system-level metric's count is used."""
    system = summary[summary["stage"].fillna(SYSTEM) == SYSTEM]
    judged = system[system["metric"].isin(rule.metrics)]
    counts = (judged if not judged.empty else system)["n"]
    replications = int(counts.min()) if len(counts) else 0
    wide = tuple(f"{row.scenario}: {wording(row.metric).phrase}"
                 for row in judged.itertuples() if _wider(row, rule.target_half_width))
    if replications >= rule.initial and not wide:
        return None
    return Shortfall(replications, rule.initial, wide, rule.target_half_width)


def _wider(row, target: float) -> bool:
    """An interval missing (one replication) or wider than ``target`` x |mean|."""
    if missing(row.mean) or row.mean == 0:
        return False
    if missing(row.ci_low) or missing(row.ci_high):
        return True
    return (row.ci_high - row.ci_low) / 2 > abs(row.mean) * target


def warning_text(shortfall: Shortfall) -> str:
    """The full warning: what is short, what it means, how to fix it."""
    parts = []
    if shortfall.too_few:
        parts.append(
            f"Too few replications: these results have {shortfall.replications}, fewer "
            f"than the {shortfall.minimum} the automatic replication rule runs before it "
            "judges precision, so their confidence intervals are wide and not to be "
            f"relied on. Run {shortfall.minimum} or more (`--replications`), or a runner "
            "with `replications: auto`.")
    if shortfall.wide:
        parts.append(
            f"{'Their' if shortfall.too_few else 'More replications needed: the'} 95% "
            f"intervals of {'; '.join(shortfall.wide)} are wider than "
            f"\u00b1{shortfall.target:.0%} of the mean, the automatic rule's target; more "
            "replications would narrow them (`replications: auto` adds them until every "
            "such interval is that narrow).")
    return " ".join(parts)


def section_note(shortfall: Shortfall) -> str:
    """The one-line reminder beside each table or list of sentences with intervals."""
    if shortfall.too_few:
        return (f"Too few replications behind these intervals ({shortfall.replications}; "
                f"the automatic rule asks for at least {shortfall.minimum}): see the "
                "warning at the top.")
    return ("Some intervals here are wider than the automatic replication rule accepts: "
            "see the warning at the top.")
