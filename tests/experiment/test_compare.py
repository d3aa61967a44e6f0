"""`pathways compare`: common random numbers, honest labels, paired differences, outputs."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import pathways
from pathways.cli.compare import compare
from pathways.experiment import run_replications
from pathways.experiment.compare import (
    DIFFERENCE_COLUMNS,
    compare_models,
    paired_differences,
    unique_labels,
)
from pathways.stats import SUMMARY_COLUMNS, paired_difference
from tests.validation.oracles import mmc_mean_wait

ARRIVALS_PER_DAY = 2.4
#: M/M/c with exponential(1) consultations: load 0.8 on 3 servers, 0.6 on 4.
MMC = """
name: {name}
horizon_days: {horizon}
warmup_days: 30
resources:
  clinicians: {{capacity: {servers}}}
arrivals:
  - {{pathway: clinic, rate_per_day: {rate}}}
pathways:
  clinic:
    stages:
      consult: {{resource: clinicians, duration: {{dist: exponential, mean: 1.0}}, next: exit}}
"""
#: Triage (3 nurses, load 0.8) then a consultation whose clinicians the models change:
#: with common random numbers the triage wait cancels out of every paired difference.
TANDEM = """
name: tandem-{servers}
horizon_days: 300
warmup_days: 30
resources:
  nurses: {{capacity: 3}}
  clinicians: {{capacity: {servers}}}
arrivals:
  - {{pathway: clinic, rate_per_day: 2.4}}
pathways:
  clinic:
    stages:
      triage: {{resource: nurses, duration: {{dist: exponential, mean: 1.0}}, next: consult}}
      consult: {{resource: clinicians, duration: {{dist: exponential, mean: 1.0}}, next: exit}}
"""
#: Routing, a loop and two duration streams, so the null test exercises every kind of stream.
TRIAGE = """
name: {name}
horizon_days: 200
warmup_days: 20
resources:
  nurses: {{capacity: 2}}
arrivals:
  - {{pathway: clinic, rate_per_day: 1.2}}
pathways:
  clinic:
    stages:
      triage: {{resource: nurses, duration: {{dist: exponential, mean: 0.5}},
               next: {{treat: 0.5, exit: 0.5}}}}
      treat: {{resource: nurses, duration: {{dist: gamma, mean: 1.0, cv: 0.5}},
              next: {{treat: 0.2, exit: 0.8}}}}
"""


def write(folder: Path, filename: str, template: str, **values) -> Path:
    path = folder / filename
    path.write_text(textwrap.dedent(template.format(**values)))
    return path


def write_mmc(folder: Path, name: str, servers: int, horizon: int = 300) -> Path:
    return write(folder, f"{name}.yaml", MMC, name=name, servers=servers, horizon=horizon,
                 rate=ARRIVALS_PER_DAY)


def system_values(replications: pd.DataFrame, scenario: str, metric: str) -> np.ndarray:
    rows = replications[(replications["scenario"] == scenario)
                        & (replications["stage"] == "") & (replications["metric"] == metric)]
    return rows.sort_values("replication")["value"].to_numpy()


def system_difference(differences: pd.DataFrame, metric: str) -> pd.Series:
    rows = differences[(differences["stage"] == "") & (differences["metric"] == metric)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def invoke(*args):
    return CliRunner().invoke(compare, [str(a) for a in args])


# --- the comparison itself -----------------------------------------------------------

def test_two_labels_on_one_system_give_identical_results(tmp_path):
    first = write(tmp_path, "first.yaml", TRIAGE, name="integrated")
    second = tmp_path / "second.yaml"
    second.write_text(first.read_text().replace("name: integrated", "name: competitive"))
    comparison = compare_models({"integrated": pathways.load(first),
                                 "competitive": pathways.load(second)}, 5, seed=3,
                                progress=False)
    by_label = {label: rows.drop(columns="scenario").reset_index(drop=True)
                for label, rows in comparison.replications.groupby("scenario")}
    pd.testing.assert_frame_equal(by_label["integrated"], by_label["competitive"],
                                  check_exact=True)
    differences = comparison.differences
    assert len(differences) > 20 and set(differences["scenario"]) == {"competitive"}
    assert (differences["mean_difference"] == 0.0).all()
    assert (differences["ci_low"] == 0.0).all() and (differences["ci_high"] == 0.0).all()
    assert not differences["significant"].any()


def test_common_random_numbers_pair_the_same_patients_and_tighten_the_interval(tmp_path):
    three, four = (pathways.load(write(tmp_path, f"t{c}.yaml", TANDEM, servers=c)) for c in (3, 4))
    seed, replications = 5, 10
    paired = compare_models({"t3": three, "t4": four}, replications, seed, progress=False)
    np.testing.assert_array_equal(system_values(paired.replications, "t3", "arrivals_per_day"),
                                  system_values(paired.replications, "t4", "arrivals_per_day"))
    crn = system_difference(paired.differences, "wait_mean")
    independent = run_replications(four, replications, seed + 1, progress=False).kpis
    _, low, high, _ = paired_difference(system_values(paired.replications, "t3", "wait_mean"),
                                        system_values(independent, four.name, "wait_mean"))
    # Over seeds 0-9 the ratio averages 0.34 (at most 0.58); independent runs cannot
    # cancel the triage wait, so a ratio near 1 would mean the pairing had been lost.
    assert crn["ci_high"] - crn["ci_low"] < 0.75 * (high - low)


def test_adding_a_server_lowers_the_wait_by_what_erlang_c_predicts(tmp_path):
    three, four = (pathways.load(write_mmc(tmp_path, f"c{c}", c, horizon=500)) for c in (3, 4))
    comparison = compare_models({"c3": three, "c4": four}, 20, seed=1, progress=False)
    change = system_difference(comparison.differences, "wait_mean")
    theory = (mmc_mean_wait(ARRIVALS_PER_DAY, 1.0, 4) - mmc_mean_wait(ARRIVALS_PER_DAY, 1.0, 3))
    assert change["significant"] and change["ci_high"] < 0
    assert change["ci_low"] <= theory <= change["ci_high"]


@pytest.mark.parametrize(("names", "stems", "labels"), [
    (["a", "b"], ["x", "y"], ["a", "b"]),
    (["a", "a", "b"], ["x", "y", "z"], ["x", "y", "b"]),
    (["a", "a"], ["x", "x"], ["x", "x#2"]),
    (["a", "a", "a"], ["x", "x", "x"], ["x", "x#2", "x#3"]),
    (["b", "a", "a"], ["p", "b", "q"], ["b", "b#2", "q"]),
])
def test_labels_are_names_then_stems_then_numbered(names, stems, labels):
    assert unique_labels(names, stems) == labels


def test_a_metric_missing_in_one_model_is_skipped_and_nan_pairs_dropped():
    def rows(scenario, stage, values):
        return pd.DataFrame({"scenario": scenario, "replication": range(len(values)),
                             "stage": stage, "metric": "wait_mean", "value": values})

    replications = pd.concat([rows("base", "", [1.0, 2.0, 3.0]),
                              rows("other", "", [2.0, np.nan, 5.0]),
                              rows("other", "only_here", [1.0, 1.0, 1.0])])
    differences = paired_differences(replications, "base")
    assert list(differences.columns) == list(DIFFERENCE_COLUMNS)
    assert differences[["scenario", "baseline", "stage", "n"]].values.tolist() == [
        ["other", "base", "", 2]]
    assert differences["mean_difference"].iloc[0] == 1.5


def test_fewer_than_two_models_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least two"):
        compare_models({"only": pathways.load(write_mmc(tmp_path, "c3", 3))}, 2, seed=0)


# --- the command line ----------------------------------------------------------------

@pytest.fixture
def models(tmp_path):
    return write_mmc(tmp_path, "c3", 3), write_mmc(tmp_path, "c4", 4)


def test_compare_writes_every_output(models, tmp_path):
    out = tmp_path / "out"
    result = invoke(*models, "-n", 4, "--seed", 2, "--out", out)
    assert result.exit_code == 0, result.output
    assert f"results written to {out}" in result.output
    assert "c4 - c3" in result.stdout and "Mean queueing time per patient (days)" in result.stdout
    assert "not significant" in result.stdout  # the throughput difference covers 0
    assert not {"better", "worse"} & set(result.stdout.lower().split())
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    assert list(dict.fromkeys(summary["scenario"])) == ["c3", "c4"]
    differences = pd.read_csv(out / "differences.csv", keep_default_na=False)
    assert list(differences.columns) == list(DIFFERENCE_COLUMNS)
    assert set(differences["scenario"]) == {"c4"} and set(differences["baseline"]) == {"c3"}
    assert set(differences["n"]) == {4}
    replications = pd.read_parquet(out / "replications.parquet")
    assert list(replications.columns) == ["scenario", "replication", "stage", "metric", "value"]
    assert sorted(replications.groupby("scenario")["replication"].nunique().items()) == [
        ("c3", 4), ("c4", 4)]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 2 and manifest["replications"] == 4
    assert manifest["baseline"] == "c3" and list(manifest["models"]) == ["c3", "c4"]
    for label, path in zip(("c3", "c4"), models, strict=True):
        entry = manifest["models"][label]
        assert len(entry["config_hash"]) == 64
        assert entry["config_files"] == [
            {"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}]
    assert "compare" in manifest["command"] and "numpy" in manifest["versions"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "staging left behind"


def test_same_command_twice_gives_byte_identical_files(models, tmp_path):
    for name in ("a", "b"):
        assert invoke(*models, "-n", 3, "--seed", 7, "-q", "--out", tmp_path / name).exit_code == 0
    for file in ("differences.csv", "summary.csv", "replications.parquet"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_results_do_not_depend_on_the_number_of_worker_processes(models, tmp_path):
    """Every model's replications share one pool; results come back in model then
    replication order whichever finishes first."""
    for workers in ("1", "3"):
        result = invoke(*models, "-n", 3, "--seed", 5, "--workers", workers, "-q",
                        "--no-report", "--out", tmp_path / workers)
        assert result.exit_code == 0, result.output
    for file in ("differences.csv", "summary.csv", "replications.parquet",
                 "timeseries.parquet", "animation.parquet"):
        assert (tmp_path / "1" / file).read_bytes() == (tmp_path / "3" / file).read_bytes()


@pytest.mark.slow  # starting a LocalCluster takes about 13 s: `make test-all`
def test_compare_on_a_dask_cluster_gives_the_same_files(models, tmp_path):
    distributed = pytest.importorskip("distributed")
    common = ["-n", 3, "--seed", 5, "-q", "--no-report"]
    assert invoke(*models, *common, "--out", tmp_path / "local").exit_code == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result = invoke(*models, *common, "--scheduler", cluster.scheduler_address,
                        "--out", tmp_path / "dask")
    assert result.exit_code == 0, result.output
    for file in ("differences.csv", "summary.csv", "replications.parquet",
                 "timeseries.parquet", "animation.parquet"):
        assert (tmp_path / "local" / file).read_bytes() == (tmp_path / "dask" / file).read_bytes()


def test_default_folder_names_the_models(models, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke(*models, "-n", 2, "-q").exit_code == 0
    assert (tmp_path / "results" / "compare-c3-vs-c4" / "differences.csv").is_file()


def test_clashing_names_get_unique_labels(tmp_path):
    one = write(tmp_path, "north.yaml", MMC, name="clinic", servers=3, horizon=100, rate=2.4)
    other = write(tmp_path, "south.yaml", MMC, name="clinic", servers=4, horizon=100, rate=2.4)
    out = tmp_path / "out"
    assert invoke(one, other, one, "-n", 2, "-q", "--out", out).exit_code == 0
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    assert list(dict.fromkeys(summary["scenario"])) == ["north", "south", "north#2"]
    differences = pd.read_csv(out / "differences.csv", keep_default_na=False)
    assert list(dict.fromkeys(differences["scenario"])) == ["south", "north#2"]


def test_one_model_is_a_usage_error(models, tmp_path):
    result = invoke(models[0], "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "at least two models" in result.output
    assert not (tmp_path / "out").exists()


def test_bad_config_exits_2_with_located_message_and_writes_nothing(models, tmp_path):
    models[1].write_text(models[1].read_text().replace("capacity:", "capcity:"))
    result = invoke(*models, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "c4.yaml" in result.stderr and "capacity" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
