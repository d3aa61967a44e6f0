"""Guards before work starts (issue 17): hostile or mistaken inputs (a FIFO, a device, a
folder, an oversized file, a YAML alias bomb, a horizon or a rate far beyond the event
budget) are refused with a located error, never a hang, a MemoryError or a traceback."""

import os
import time

import pytest
from click.testing import CliRunner

from pathways.cli.main import cli
from pathways.config import ConfigError, limits, load_config
from tests.config.samples import MMC, write

EMPIRICAL = "{dist: empirical, file: times.csv, column: days}"


def _error(path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    """`levels` lists of `width` aliases to the list before: width ** (levels + 1) values."""
    lines = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def test_a_fifo_is_refused_without_opening_it(tmp_path):
    os.mkfifo(tmp_path / "base.yaml")
    path = write(tmp_path, "model.yaml", "extends: base.yaml\n")
    assert _error(path) == (f"{path}:1: extends: cannot read '{tmp_path / 'base.yaml'}': "
                            "a FIFO (named pipe), not a regular file")


def test_a_config_that_is_a_fifo_is_refused(tmp_path):
    os.mkfifo(tmp_path / "model.yaml")
    assert "a FIFO (named pipe), not a regular file" in _error(tmp_path / "model.yaml")


def test_extending_dev_zero_is_refused_at_the_extends_line(tmp_path):
    path = write(tmp_path, "model.yaml", "name: x\nextends: /dev/zero\n")
    assert _error(path) == (f"{path}:2: extends: cannot read '/dev/zero': "
                            "a character device, not a regular file")


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "base.yaml").mkdir()
    path = write(tmp_path, "model.yaml", "extends: base.yaml\n")
    assert _error(path).endswith("base.yaml': a folder, not a regular file")


def test_a_file_over_the_size_limit_is_refused_with_how_to_raise_it(tmp_path, monkeypatch):
    monkeypatch.setitem(limits.FILE_LIMIT_BYTES, "YAML", 100)
    write(tmp_path, "base.yaml", MMC)
    path = write(tmp_path, "model.yaml", "extends: base.yaml\n")
    message = _error(path)
    assert message.startswith(f"{path}:1: extends: cannot read")
    assert "over the 9.54e-05 MB limit for a YAML file" in message
    assert "PATHWAYS_MAX_FILE_MB" in message
    monkeypatch.setenv("PATHWAYS_MAX_FILE_MB", "1")
    assert load_config(path).config.name == "mmc"


def test_a_csv_file_over_its_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setitem(limits.FILE_LIMIT_BYTES, "CSV", 10)
    write(tmp_path, "times.csv", "days\n" + "1.0\n" * 10)
    path = write(tmp_path, "mmc.yaml", MMC.replace("{dist: exponential, mean: 1.0}", EMPIRICAL))
    assert "over the 9.54e-06 MB limit for a CSV file" in _error(path)


def test_the_alias_bomb_is_refused_fast_at_the_alias_that_crosses_the_limit(tmp_path):
    path = write(tmp_path, "bomb.yaml", _alias_bomb())
    started = time.perf_counter()
    message = _error(path)
    assert time.perf_counter() - started < 2
    assert message == (f"{path}:6: more than 100,000 values once aliases are expanded "
                       "(an alias bomb?); raise the limit with the environment variable "
                       "PATHWAYS_MAX_YAML_NODES")


def test_the_alias_limit_can_be_raised(tmp_path, monkeypatch):
    path = write(tmp_path, "small_bomb.yaml", _alias_bomb(levels=2, width=9))  # 820 values
    monkeypatch.setenv("PATHWAYS_MAX_YAML_NODES", "500")
    assert "more than 500 values" in _error(path)
    monkeypatch.setenv("PATHWAYS_MAX_YAML_NODES", "1000")
    assert "pathways" in _error(path)  # past the aliases: the schema's missing fields


def test_a_recursive_alias_is_refused(tmp_path):
    path = write(tmp_path, "loop.yaml", "name: x\na: &a [1, *a]\n")
    assert _error(path) == f"{path}:2: alias *a refers to the value it is inside"


def test_a_bad_limit_in_the_environment_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("PATHWAYS_MAX_EVENTS", "lots")
    path = write(tmp_path, "mmc.yaml", MMC)
    assert _error(path) == ("environment variable PATHWAYS_MAX_EVENTS: "
                            "must be a positive number, got 'lots'")


def test_a_horizon_far_beyond_the_budget_is_refused_at_horizon_days(tmp_path):
    path = write(tmp_path, "mmc.yaml", MMC.replace("horizon_days: 20000", "horizon_days: 1e12"))
    message = _error(path)
    assert message.startswith(f"{path}:2: horizon_days: one replication would log about "
                              "2.25e+13 events")
    assert "raise the budget with the environment variable PATHWAYS_MAX_EVENTS" in message


def test_a_rate_far_beyond_the_budget_is_refused_at_the_rate(tmp_path):
    path = write(tmp_path, "mmc.yaml", MMC.replace("rate_per_day: 4.5", "rate_per_day: 1e9"))
    message = _error(path)
    assert message.startswith(f"{path}:7: arrivals[0].rate_per_day: one replication would "
                              "log about 1e+14 events")
    assert "PATHWAYS_MAX_EVENTS=1.1e+14" in message


def test_the_event_budget_can_be_raised(tmp_path, monkeypatch):
    path = write(tmp_path, "mmc.yaml", MMC)  # 4.5 patients a day for 20000 days: 450,000
    monkeypatch.setattr(limits, "EVENTS_LIMIT", 400_000)
    assert "beyond the budget of 4e+05 events" in _error(path)
    monkeypatch.setenv("PATHWAYS_MAX_EVENTS", "5e5")
    assert load_config(path).config.name == "mmc"


@pytest.mark.parametrize("text", ["extends: /dev/zero\n", _alias_bomb(),
                                  MMC.replace("horizon_days: 20000", "horizon_days: 1e12")],
                         ids=["device", "alias bomb", "horizon"])
def test_pathways_run_exits_2_without_a_traceback(tmp_path, text):
    path = write(tmp_path, "model.yaml", text)
    result = CliRunner().invoke(cli, ["run", str(path), "-n", "1", "-q", "--no-report",
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "error: invalid configuration" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
