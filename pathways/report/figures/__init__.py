"""The report's interactive figures (plotly), built from stored results only.

Every figure is aggregated before it is plotted (means and 95% intervals over
replications, never raw replications or events), so a report stays small and quick
to open whatever the size of the run. Every piece of text that comes from a
configuration or from results is HTML-escaped before plotly sees it (see ``common``).

Each builder returns ``None`` where the results hold nothing for it, so the page
shows a section only where there is data. Modules, one per section of the page:
``waits``, ``over_time``, ``flows`` (handoffs), ``utilisation``, ``money``, ``groups``
(chronic care, equity) and ``sweeps``; ``common`` holds what they share.
"""

from __future__ import annotations

from pathways.metrics import DEPRIVATION_PREFIX, DISTANCE_PREFIX
from pathways.report.figures.common import FONT, MODEL_COLOURS, Figure, esc, model_colours
from pathways.report.figures.flows import handoff_matrix, handoff_sankey, handoffs
from pathways.report.figures.groups import chronic, equity
from pathways.report.figures.money import money, money_flow
from pathways.report.figures.over_time import time_series
from pathways.report.figures.sweeps import sweep_heatmap, sweep_lines
from pathways.report.figures.utilisation import MAX_BARS, utilisation
from pathways.report.figures.waits import wait_distributions
from pathways.report.load import Results

__all__ = ["FONT", "MAX_BARS", "MODEL_COLOURS", "Figure", "all_figures", "chronic", "equity",
           "esc", "handoff_matrix", "handoff_sankey", "handoffs", "model_colours", "money",
           "money_flow", "sweep_heatmap", "sweep_lines", "time_series", "utilisation",
           "wait_distributions"]


def all_figures(results: Results, point: int = 0) -> dict[str, list[Figure]]:
    """The figures of each page section that has data, in page order."""
    sections = {
        "waits": [wait_distributions(results, point)],
        "over-time": [time_series(results, point)],
        "handoff-figures": [handoffs(results, point), handoff_matrix(results, point),
                            handoff_sankey(results, point)],
        "utilisation-figures": [utilisation(results, point)],
        "money-figures": [money(results, point), money_flow(results, point)],
        "chronic-figures": [chronic(results, point)],
        "equity-figures": [equity(results, point, DEPRIVATION_PREFIX),
                           equity(results, point, DISTANCE_PREFIX)],
    }
    if results.kind == "sweep" and results.answers is None:  # questions: arms, not a design
        sections["sweep-figures"] = ([sweep_heatmap(results)]
                                     + [sweep_lines(results, p) for p in results.parameters])
    return {name: [f for f in figures if f is not None] for name, figures in sections.items()}
