"""The demo comparison gives the same numbers, to the bit, as before the issue-18 refactor.

Splitting the engine, the runner and the configuration into smaller modules must not
change a single result. The digests below were taken at commit c4b6b65, before the
refactor began; a change that alters a number on purpose must say so in its commit and
update them (run this file with ``-s`` to print the new ones).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pathways
from pathways.experiment.compare import compare_models
from tests.regression.digests import frame_digest

MODELS = Path(__file__).resolve().parents[2] / "models"

#: (event log, KPIs) of replication 0, seed 0, of each demo model.
REPLICATION_0 = {
    "integrated": ("75cf91f58ead38092ed9256f9c89fd7c1d9328b84941928888e0e02e89a77d0e",
                   "814ed1da7ee378b0f9cc391708448d30c149c64e5cc5aefb4ec4a328dff39c62"),
    "competitive": ("33d6510ff48c03c0d7e520da54aedcd80ea3bb60caea91a6b0db718927998223",
                    "43795a6077338d38b1442068230dddf274387b92df7bf338a0018b8c98cad3e0"),
}

#: replications, summary, differences and series of the demo comparison, 3 replications.
COMPARISON = {
    "replications": "845df94b00a8f4a404dbc7207f3c36ed7e5970bc5f437010521368f333932fe5",
    "summary": "d26b8abf807b9ae5aad4112bd6ad4cd7c7edfb350b3ebd0a7ddfa9a32caf2deb",
    "differences": "89ea6f78b38098d60ec8cafb491a9be06a717053ad058c3a2d5e6cedc4d77b44",
    "timeseries": "df0fda18074454fba641a14d4c80ff117d93d6101f9f10ebb2a66d7d75e38e40",
}


@pytest.mark.parametrize("name", sorted(REPLICATION_0))
def test_one_replication_of_each_demo_model_is_unchanged(name: str) -> None:
    result = pathways.simulate(pathways.load(MODELS / f"{name}.yaml"), seed=0, replication=0)
    got = (frame_digest(result.events.to_frame()), frame_digest(result.kpis))
    print(name, got)
    assert got == REPLICATION_0[name]


@pytest.mark.slow
def test_the_demo_comparison_is_unchanged() -> None:
    models = {name: pathways.load(MODELS / f"{name}.yaml")
              for name in ("integrated", "competitive")}
    comparison = compare_models(models, replications=3, seed=0, progress=False, workers=1)
    got = {"replications": frame_digest(comparison.replications),
           "summary": frame_digest(comparison.summary),
           "differences": frame_digest(comparison.differences),
           "timeseries": frame_digest(comparison.timeseries)}
    print(got)
    assert got == COMPARISON
