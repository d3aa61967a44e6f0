"""Expected visits to each stage of a pathway, worked out from its routing alone (the
tests' own oracle for stage edits and redesigns, independent of the edit code)."""

import numpy as np

from pathways.config.schema import EXIT, Pathway


def expected_visits(pathway: Pathway) -> dict[str, float]:
    """Visits to each stage per patient entering: solve v = e + P^T v."""
    names = list(pathway.stages)
    index = {name: i for i, name in enumerate(names)}
    routing = np.zeros((len(names), len(names)))
    for name, stage in pathway.stages.items():
        for target, p in stage.routing().items():
            if target != EXIT:
                routing[index[name], index[target]] += p
    entry = np.zeros(len(names))
    entry[index[pathway.start_stage]] = 1.0
    visits = np.linalg.solve(np.eye(len(names)) - routing.T, entry)
    return dict(zip(names, visits, strict=True))
