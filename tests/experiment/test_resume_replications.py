"""Replications of `run` and `compare` stored one by one (pathways.experiment.resume):
the numbers read back from the store are those computed in memory, each replication is
stored as soon as it finishes, and a resume reuses exactly the stored replications of
the same inputs."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

import pathways
import pathways.experiment.resume as resume_module
from pathways.experiment.compare import compare_models
from pathways.experiment.outputs import event_tables
from pathways.experiment.replications import replicate_models
from pathways.experiment.resume import StoredReplications, replicate_stored
from tests.cli.test_run import SMALL


@pytest.fixture
def models(tmp_path):
    one = tmp_path / "small.yaml"
    one.write_text(textwrap.dedent(SMALL))
    two = tmp_path / "more.yaml"
    two.write_text(one.read_text().replace("name: small", "name: more")
                   .replace("capacity: 2", "capacity: 3"))
    return {"small": pathways.load(one), "more": pathways.load(two)}


def _stored(models, out, resume, replications=3, **options):
    with StoredReplications(out, resume) as stored:
        results = replicate_stored(models, replications, 7, stored, progress=False, **options)
    return results, stored


def _same_values(one: pd.DataFrame, other: pd.DataFrame) -> None:
    """Equal values, columns and order (the store reads strings back as pandas' string
    dtype where the engine's frames may hold them as objects)."""
    pd.testing.assert_frame_equal(one.reset_index(drop=True), other.reset_index(drop=True),
                                  check_dtype=False)


def test_the_store_gives_back_the_numbers_computed_in_memory(models, tmp_path):
    small = {"small": models["small"]}
    memory = replicate_models(small, 3, 7, keep_events=True, animation=True,
                              progress=False)["small"]
    stored = _stored(small, tmp_path / "out", False, keep_events=True,
                     animation=True)[0]["small"]
    _same_values(memory.kpis, stored.kpis)
    assert memory.timeseries is not None and stored.timeseries is not None
    _same_values(memory.timeseries, stored.timeseries)
    assert memory.animation is not None and stored.animation is not None
    _same_values(memory.animation, stored.animation)
    events = event_tables(memory.events)["events.parquet"]
    pd.testing.assert_frame_equal(events, stored.event_tables["events.parquet"])


def test_a_comparison_resumed_gives_the_same_comparison(models, tmp_path, simulated):
    out = tmp_path / "out"
    with StoredReplications(out, False) as stored:
        first = compare_models(models, 3, 7, progress=False, animation=True, stored=stored)
    (out / "replications" / "p0000-m01-r0001.parquet").unlink()
    simulated.clear()
    with StoredReplications(out, True) as stored:
        again = compare_models(models, 3, 7, progress=False, animation=True, stored=stored)
    assert simulated == [("more", 1)] and (stored.reused, stored.ran) == (5, 1)
    for name in ("replications", "summary", "differences", "timeseries", "animation"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name))


def test_each_replication_is_stored_as_soon_as_it_finishes(models, tmp_path, monkeypatch,
                                                          simulated):
    """A replication that raises stops the command; those finished before it are kept,
    and a resume runs only the rest."""
    counting = resume_module.replication_outputs

    def failing(model, seed, replication, *args):
        if replication == 1:
            raise RuntimeError("stopped")
        return counting(model, seed, replication, *args)

    monkeypatch.setattr(resume_module, "replication_outputs", failing)
    small = {"small": models["small"]}
    with pytest.raises(RuntimeError, match="stopped"):
        _stored(small, tmp_path / "out", False)
    assert simulated == [("small", 0)]
    assert (tmp_path / "out" / "replications" / "p0000-m00-r0000.parquet").exists()
    monkeypatch.setattr(resume_module, "replication_outputs", counting)
    simulated.clear()
    _, stored = _stored(small, tmp_path / "out", True)
    assert simulated == [("small", 1), ("small", 2)] and stored.reused == 1


def test_replications_a_resume_does_not_have_are_moved_aside(models, tmp_path, simulated):
    out = tmp_path / "out"
    _stored(models, out, False)
    simulated.clear()
    notes: list[str] = []
    with StoredReplications(out, True, notes.append) as stored:
        replicate_stored({"small": models["small"]}, 2, 7, stored, progress=False)
    assert simulated == [] and stored.reused == 2
    assert len(stored.moved_aside) == 4  # replication 2 of small, every one of more
    assert all("not a replication of this command" in line for line in stored.moved_aside)
    assert notes[0].startswith("resume: 4 stored replications do not match")
    assert notes[-1].startswith("resume: 2 of 2 replications reused")
    assert len(list((out / "superseded").glob("p0000-m01-*"))) == 6  # kpis and series
