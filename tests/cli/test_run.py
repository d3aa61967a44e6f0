"""`pathways run`, `check` and `vidigi` as a user calls them."""

import json
import textwrap

import pandas as pd
import pytest
from click.testing import CliRunner

from pathways.cli.main import cli

SMALL = """
name: small
horizon_days: 300
warmup_days: 30
resources:
  nurses: {capacity: 2}
arrivals:
  - {pathway: clinic, rate_per_day: 1.2}
pathways:
  clinic:
    stages:
      triage: {resource: nurses, duration: {dist: exponential, mean: 0.5},
               next: {treat: 0.5, exit: 0.5}}
      treat: {resource: nurses, duration: {dist: gamma, mean: 1.0, cv: 0.5}}
"""


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(textwrap.dedent(SMALL))
    return path


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_run_writes_every_output(config, tmp_path):
    out = tmp_path / "out"
    result = invoke("run", config, "-n", 3, "--seed", 4, "--out", out, "--keep-events")
    assert result.exit_code == 0, result.output
    assert f"results written to {out}" in result.output
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    assert list(summary.columns) == ["scenario", "stage", "metric", "mean", "ci_low", "ci_high",
                                     "n"]
    for metric in ("wait_mean", "wait_median", "wait_p95", "time_in_system_mean",
                   "queue_length_mean", "number_present_mean", "utilisation",
                   "throughput_per_day"):
        assert metric in set(summary.metric), metric
    system = summary[summary.stage == ""]
    assert set(system.n) == {3}
    assert {"clinic.triage", "clinic.treat", "resource:nurses"} <= set(summary.stage)
    replications = pd.read_parquet(out / "replications.parquet")
    assert list(replications.columns) == ["scenario", "replication", "stage", "metric", "value"]
    assert sorted(replications.replication.unique()) == [0, 1, 2]
    series = pd.read_parquet(out / "timeseries.parquet")
    assert list(series.columns) == ["scenario", "replication", "time_days", "series", "level",
                                    "value"]
    assert set(series.level) == {"nurses"} and sorted(series.replication.unique()) == [0, 1, 2]
    events = pd.read_parquet(out / "events.parquet")
    assert {"patient", "pathway", "stage", "resource", "event", "time",
            "replication"} <= set(events)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 4 and manifest["replications"] == 3
    assert len(manifest["config_hash"]) == 64
    assert manifest["config_files"][0]["path"].endswith("small.yaml")
    assert {"numpy", "pathways", "python"} <= set(manifest["versions"])
    assert "run" in manifest["command"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "staging left behind"


def test_same_command_twice_gives_byte_identical_summary(config, tmp_path):
    for name in ("a", "b"):
        assert invoke("run", config, "-n", 4, "--seed", 11, "--out", tmp_path / name,
                      "-q").exit_code == 0
    for file in ("summary.csv", "replications.parquet"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()
    invoke("run", config, "-n", 4, "--seed", 12, "--out", tmp_path / "c", "-q")
    assert ((tmp_path / "a" / "summary.csv").read_bytes()
            != (tmp_path / "c" / "summary.csv").read_bytes())


def test_check_prints_offered_loads(config):
    result = invoke("check", config)
    assert result.exit_code == 0
    assert "nurses" in result.output and "ok" in result.output


def test_overloaded_resource_warns_but_runs(config, tmp_path):
    config.write_text(config.read_text().replace("rate_per_day: 1.2", "rate_per_day: 3"))
    result = CliRunner().invoke(cli, ["run", str(config), "-n", "1", "-q",
                                                      "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "nurses" in result.stderr and "load" in result.stderr


def test_bad_config_exits_2_with_located_message(config):
    config.write_text(config.read_text().replace("capacity: 2", "capcity: 2"))
    result = CliRunner().invoke(cli, ["run", str(config)])
    assert result.exit_code == 2
    assert "small.yaml" in result.stderr and "capacity" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_config_exits_2(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml" in result.stderr


def test_vidigi_export(config, tmp_path):
    out = tmp_path / "out"
    invoke("run", config, "-n", 2, "--out", out, "--keep-events", "-q")
    result = invoke("vidigi", out / "events.parquet", "-o", tmp_path / "v.csv", "-r", 1)
    assert result.exit_code == 0
    frame = pd.read_csv(tmp_path / "v.csv")
    assert set(frame.run_number) == {1}
    assert {"arrival", "depart"} <= set(frame.event)


def test_a_later_run_leaves_no_stale_files_of_an_earlier_one(config, tmp_path):
    out = tmp_path / "out"
    invoke("run", config, "-n", 1, "--out", out, "--keep-events", "-q")
    assert (out / "events.parquet").exists()
    invoke("run", config, "-n", 1, "--out", out, "-q")
    assert not (out / "events.parquet").exists()
    assert (out / "summary.csv").exists()


def test_results_do_not_depend_on_the_number_of_worker_processes(config, tmp_path):
    for workers in ("1", "2"):
        result = invoke("run", config, "-n", 4, "--seed", 3, "--workers", workers, "-q",
                        "--out", tmp_path / workers)
        assert result.exit_code == 0, result.output
    for file in ("summary.csv", "replications.parquet", "timeseries.parquet"):
        assert (tmp_path / "1" / file).read_bytes() == (tmp_path / "2" / file).read_bytes()
