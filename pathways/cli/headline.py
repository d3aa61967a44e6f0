"""What `pathways run` and `pathways compare` print when they finish: the headline
metrics in the report's words and units (pathways.metrics.registry, the one registry
of metrics), and the warnings a reader of the numbers needs on the terminal as well as
in the report: a warm-up shorter than MSER-5 finds, and fewer replications than the
automatic replication rule asks for.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pathways.report.wording import HEADLINE_METRICS, estimate, missing, wording

NO_DATA = "n/a (no data in the measurement window)"
TOO_FEW = "  (too few replications for an interval)"


def headline_lines(summary: pd.DataFrame, differences: pd.DataFrame | None = None) -> list[str]:
    """Each headline metric the results hold, at the whole-system level: its label
    with the unit, then each model's mean (95% CI) and each paired difference."""
    system = summary[summary["stage"].fillna("") == ""]
    changes = (differences[differences["stage"].fillna("") == ""]
               if differences is not None else None)
    width = max([len(str(s)) for s in system["scenario"]] + [12]) + 2
    if changes is not None and not changes.empty:
        width = max(width, max(len(f"{r.scenario} - {r.baseline}")
                               for r in changes.itertuples()) + 2)
    lines = ["whole system: mean (95% CI)" + (
        "; difference = model minus baseline, paired by replication" if changes is not None
        else "")]
    for metric in HEADLINE_METRICS:
        means = system[system["metric"] == metric]
        if means.empty:
            continue
        lines.append(f"  {wording(metric).label}")
        for row in means.itertuples():
            lines.append(f"    {str(row.scenario):<{width}}"
                         f"{_estimate(metric, row.mean, row.ci_low, row.ci_high)}")
        if changes is None:
            continue
        for row in changes[changes["metric"] == metric].itertuples():
            note = "" if row.significant or missing(row.ci_low) else "  not significant"
            text = _estimate(metric, row.mean_difference, row.ci_low, row.ci_high, signed=True)
            lines.append(f"    {row.scenario + ' - ' + row.baseline:<{width}}{text}{note}")
    return lines


def _estimate(metric: str, mean: float, low: float, high: float, signed: bool = False) -> str:
    if missing(mean):
        return NO_DATA
    text = estimate(metric, mean, low, high, signed)
    return text + (TOO_FEW if missing(low) else "")


def terminal_warnings(out_dir: Path) -> list[str]:
    """The warnings of the stored results, as the report gives them: each model's
    warm-up against MSER-5, and replications short of the automatic rule (too few, or
    headline intervals wider than `replications: auto` accepts)."""
    from pathways.report.load import load_results
    from pathways.report.precision import replication_shortfall, warning_text
    from pathways.report.provenance import warmup_findings

    results = load_results(out_dir)
    findings, _ = warmup_findings(results)
    warnings = [f"{finding.where}: {finding.message}" if finding.where else finding.message
                for finding in findings if not finding.sufficient]
    shortfall = replication_shortfall(results.summary)
    if shortfall is not None:
        warnings.append(warning_text(shortfall))
    return warnings
