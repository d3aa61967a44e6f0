"""The notebook API (pathways.api): each function does what its command does, and says
where input is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import pathways
from pathways.cli.main import cli
from pathways.config import ConfigError
from pathways.model import Model
from pathways.report import ReportError
from tests.config.samples import write

# M/M/2 at load 0.8 (and 0.96 with capacity 2 and rate 1.92), short enough for a test.
CLINIC = """\
name: clinic
horizon_days: 3000
warmup_days: 300
resources:
  clinicians: {capacity: 2}
arrivals:
  - {pathway: clinic, rate_per_day: 1.6}
pathways:
  clinic:
    stages:
      consult: {resource: clinicians, duration: {dist: exponential, mean: 1.0}, next: exit}
"""


def _mean(summary: pd.DataFrame, metric: str) -> float:
    row = summary[(summary["metric"] == metric) & (summary["stage"] == "")]
    assert len(row) == 1, row
    return float(row["mean"].iloc[0])


@pytest.fixture
def clinic(tmp_path: Path) -> Model:
    return pathways.load(write(tmp_path, "clinic.yaml", CLINIC))


def test_load_keeps_the_configuration_and_its_located_warnings(tmp_path: Path) -> None:
    quiet = pathways.load(write(tmp_path, "quiet.yaml", CLINIC))
    busy = pathways.load(write(tmp_path, "busy.yaml", CLINIC.replace("1.6}", "1.92}")))
    assert quiet.warnings == ()
    assert len(busy.warnings) == 1
    assert busy.warnings[0].startswith(f"{tmp_path / 'busy.yaml'}:")
    assert "clinicians" in busy.warnings[0] and "0.96" in busy.warnings[0]
    assert busy.config is not None and busy.config.arrivals[0].rate_per_day == 1.92


def test_configure_changes_a_copy_and_the_waits_respond(clinic) -> None:
    three = pathways.configure(clinic, {"resources.clinicians.capacity": 3})
    assert [r.capacity for r in three.resources] == [3]
    assert [r.capacity for r in clinic.resources] == [2]  # the original is untouched
    waits = {c: _mean(pathways.run(m, replications=3, seed=1).summary, "wait_mean")
             for c, m in ((2, clinic), (3, three))}
    # Erlang C at load 0.8: 1.78 days with two servers, 0.24 with three.
    assert 1.2 < waits[2] < 2.5 and waits[3] < 0.4, waits


def test_configure_warns_as_load_does_when_a_change_loads_a_resource_near_1(clinic) -> None:
    busy = pathways.configure(clinic, {"arrivals[0].rate_per_day": 1.92})
    assert len(busy.warnings) == 1 and "0.96" in busy.warnings[0], busy.warnings


def test_configure_scales_every_resource_of_a_kind(tmp_path: Path) -> None:
    economy = pathways.load(Path(__file__).parents[1] / "configs/examples/minimal_economy.yaml")
    more = pathways.configure(economy, {"capacity_multiplier.outpatients": 1.5})
    slots = {r.name: r.slots_per_session for r in more.resources}
    assert slots["town_clinic"] == pytest.approx(9) and slots["valley_clinic"] == pytest.approx(9)
    assert slots["town_theatre"] == pytest.approx(2)


def test_configure_names_a_path_that_does_not_exist(clinic) -> None:
    with pytest.raises(ConfigError, match="resources.clinicans"):
        pathways.configure(clinic, {"resources.clinicans.capacity": 3})
    with pytest.raises(ConfigError, match="capacity"):
        pathways.configure(clinic, {"resources.clinicians.capacity": -1})


def test_run_is_reproducible_and_summarises_every_replication(clinic) -> None:
    first = pathways.run(clinic, replications=3, seed=4)
    again = pathways.run(clinic, replications=3, seed=4)
    other = pathways.run(clinic, replications=3, seed=5)
    pd.testing.assert_frame_equal(first.kpis, again.kpis)
    assert not first.kpis.equals(other.kpis)
    assert sorted(first.kpis["replication"].unique()) == [0, 1, 2]
    assert set(first.summary["n"]) == {3}
    means = first.kpis[(first.kpis["metric"] == "wait_mean") & (first.kpis["stage"] == "")]
    assert _mean(first.summary, "wait_mean") == pytest.approx(means["value"].mean())


@pytest.mark.parametrize("replications", [0, -1, 2.5, True])
def test_run_refuses_a_number_of_replications_that_is_not_a_count(clinic, replications) -> None:
    with pytest.raises(ValueError, match="replications must be a whole number"):
        pathways.run(clinic, replications=replications)


def test_compare_pairs_each_model_with_the_first(clinic) -> None:
    three = pathways.configure(clinic, {"resources.clinicians.capacity": 3})
    comparison = pathways.compare({"two": clinic, "three": three}, replications=3, seed=2)
    assert comparison.labels == ("two", "three")
    difference = comparison.differences.query("metric == 'wait_mean' and stage == ''")
    assert len(difference) == 1 and difference["scenario"].iloc[0] == "three"
    by_model = {label: _mean(comparison.summary[comparison.summary["scenario"] == label],
                             "wait_mean") for label in comparison.labels}
    expected = by_model["three"] - by_model["two"]
    assert difference["mean_difference"].iloc[0] == pytest.approx(expected)
    assert difference["ci_high"].iloc[0] < 0  # a third clinician shortens the wait


def test_compare_labels_a_list_by_the_models_names_and_refuses_a_clash(clinic, tmp_path) -> None:
    renamed = CLINIC.replace("name: clinic", "name: other")
    other = pathways.load(write(tmp_path, "other.yaml", renamed))
    assert pathways.compare([clinic, other], replications=2).labels == ("clinic", "other")
    with pytest.raises(ValueError, match="share the name 'clinic'"):
        pathways.compare([clinic, clinic], replications=2)


def test_read_results_gives_the_frames_the_command_stored(tmp_path: Path) -> None:
    config = write(tmp_path, "clinic.yaml", CLINIC)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(config), "--replications", "3", "--seed", "4",
                                      "--out", str(out), "--no-report"])
    assert result.exit_code == 0, result.output
    stored = pathways.read_results(out)
    assert stored.kind == "run" and stored.labels == ("clinic",)
    assert stored.manifest == json.loads((out / "manifest.json").read_text())
    in_memory = pathways.run(pathways.load(config), replications=3, seed=4).summary
    assert _mean(stored.summary, "wait_mean") == pytest.approx(_mean(in_memory, "wait_mean"))


def test_read_results_says_when_a_folder_holds_none(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="holds no summary.csv"):
        pathways.read_results(tmp_path)
