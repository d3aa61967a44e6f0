"""What the economy's rules keep per patient is for the patients still in the system:
a patient who has left (discharged, or removed from a list untreated) is forgotten, so
memory grows with the patients in care, not with every patient ever seen."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import pathways
from pathways.api import configure
from pathways.engine import simulate_replication
from pathways.engine.economy_rules import EconomyRules
from pathways.log.event_log import ARRIVE, EXIT

MODELS = Path(__file__).resolve().parents[2] / "models"


def test_patients_who_left_are_forgotten(monkeypatch):
    model = configure(pathways.load(MODELS / "competitive.yaml"),
                      {"horizon_days": 200, "warmup_days": 50})
    kept: dict[str, set[int]] = {}
    tables = EconomyRules.tables

    def look_then_tabulate(rules: EconomyRules):
        for name in ("practice", "rank", "navigator", "taste", "site", "last_organisation",
                     "last_resource"):
            kept[name] = set(getattr(rules, name))
        return tables(rules)

    monkeypatch.setattr(EconomyRules, "tables", look_then_tabulate)
    log = simulate_replication(model, seed=1, replication=0)
    arrived = set(log.patient[log.event == ARRIVE].tolist())
    left = set(log.patient[log.event == EXIT].tolist())
    in_care = arrived - left
    assert len(left) > 1000 and len(in_care) > 100
    assert log.removals is not None and np.isin(log.removals.patient, list(left)).all()
    for name, patients in kept.items():
        assert patients <= in_care, name
    assert kept["practice"] == in_care  # every patient in care is still known
