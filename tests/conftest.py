"""Fixtures shared by the tests of more than one stage."""

from __future__ import annotations

import pytest

import pathways.experiment.resume as resume_module


@pytest.fixture
def simulated(monkeypatch) -> list[tuple[str, int]]:
    """(model, replication) of every replication simulated, in order (one worker: they
    run in this process)."""
    real, calls = resume_module.replication_outputs, []

    def counting(model, seed, replication, *args):
        calls.append((model.name, replication))
        return real(model, seed, replication, *args)

    monkeypatch.setattr(resume_module, "replication_outputs", counting)
    return calls
