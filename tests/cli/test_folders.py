"""Names are labels, never paths (issue 17, part 2): a model or runner whose `name:`
holds '..' or '/' gets one safe folder inside results/, and nothing outside it is
written or deleted."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.cli.folders import folder_name
from pathways.cli.main import cli
from tests.config.samples import MMC, write


@pytest.mark.parametrize("name, folder", [
    ("../../escaped", "escaped"),
    ("..", "unnamed"),
    ("/etc/passwd", "etc-passwd"),
    ("a\\b c", "a-b-c"),
    (".hidden", "hidden"),
    ("--help", "help"),
    ("integrated v2.1", "integrated-v2.1"),
])
def test_a_name_becomes_one_safe_folder_name(name, folder):
    assert folder_name(name) == folder


def test_a_model_named_like_a_path_writes_inside_results_only(tmp_path, monkeypatch):
    work, victim = tmp_path / "work", tmp_path / "escaped"
    victim.mkdir()
    (victim / "summary.csv").write_text("precious\n")
    (victim / "report.html").write_text("precious\n")
    config = write(work, "model.yaml", MMC.replace("name: mmc", 'name: "../../escaped"')
                   .replace("horizon_days: 20000", "horizon_days: 300")
                   .replace("warmup_days: 2000", "warmup_days: 30"))
    monkeypatch.chdir(work)
    result = CliRunner().invoke(cli, ["run", str(config), "-n", "2", "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert (work / "results" / "escaped" / "summary.csv").is_file()
    assert sorted(p.name for p in victim.iterdir()) == ["report.html", "summary.csv"]
    assert (victim / "summary.csv").read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["escaped", "work"]


def test_a_runner_named_like_a_path_sweeps_into_results_only(tmp_path, monkeypatch):
    models = Path(__file__).parents[1] / "experiment" / "malformed_runners" / "models"
    work = tmp_path / "work"
    runner = write(work, "runner.yaml", f"""\
        name: ../../swept
        models: [{models / 'small.yaml'}]
        replications: 2
        seed: 1
        parameters:
          capacity_multiplier.beds: [1.0]
        """)
    monkeypatch.chdir(work)
    result = CliRunner().invoke(cli, ["sweep", str(runner), "--workers", "1", "-q",
                                      "--no-report"])
    assert result.exit_code == 0, result.output
    assert (work / "results" / "swept" / "summary.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
