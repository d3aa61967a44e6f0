"""Records packed into float64 blocks during a run give the same columns, and so the
same event log, as records kept as Python numbers to the end."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import pathways
import pathways.engine.replication as replication
from pathways.api import configure
from pathways.engine import simulate_replication
from pathways.log.assemble import Flat, record_columns
from tests.regression.digests import log_digest

MODELS = Path(__file__).resolve().parents[2] / "models"


def test_a_packed_flat_gives_the_columns_of_a_plain_list():
    rows = [(patient, 2, 0.5 * patient, patient + 0.25) for patient in range(10)]
    plain, packed = [], Flat()
    for row in rows[:4]:
        plain.extend(row)
        packed.extend(row)
    packed.pack(at_least=100)
    assert packed.blocks == [] and len(packed) == 16  # too few to pack
    packed.pack(at_least=16)
    assert len(packed.blocks) == 1 and len(packed) == 0
    for row in rows[4:]:
        plain.extend(row)
        packed.extend(row)
    for got, expected in zip(record_columns(packed, 4), record_columns(plain, 4), strict=True):
        np.testing.assert_array_equal(got, expected)
        assert got.flags.c_contiguous
    np.testing.assert_array_equal(record_columns(packed, 4)[2], [0.5 * p for p in range(10)])


def test_packing_during_a_run_changes_nothing(monkeypatch):
    model = configure(pathways.load(MODELS / "competitive.yaml"),
                      {"horizon_days": 150, "warmup_days": 30})
    monkeypatch.setattr(replication, "PACK_AT_LEAST", 10**12)  # never packed
    unpacked = simulate_replication(model, seed=2, replication=0)
    monkeypatch.setattr(replication, "PACK_AT_LEAST", 1)  # everything, every 30 days
    packed = simulate_replication(model, seed=2, replication=0)
    assert len(packed.patient) > 100_000 and len(packed.handoffs.patient) > 10_000
    assert log_digest(packed) == log_digest(unpacked)
