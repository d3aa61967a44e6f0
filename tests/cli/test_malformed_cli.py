"""Every malformed configuration, run through the CLI: exit 2, located message, no traceback."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from pathways.cli.main import cli
from tests.config.test_malformed import CASES, JARGON


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
@pytest.mark.parametrize("command", ["run", "check"])
def test_cli_rejects_malformed_config(path, command, tmp_path):
    result = CliRunner().invoke(cli, [command, str(path), "--out", str(tmp_path)]
                                if command == "run" else [command, str(path)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: invalid configuration")
    assert ".yaml" in result.stderr or ".csv" in result.stderr
    for word in JARGON:
        assert word not in result.output
    assert not list(tmp_path.iterdir()), "nothing is written for a rejected configuration"


def test_real_process_exit_status_and_no_traceback():
    """The installed entry point, not just click's test runner."""
    bad = next(path for path in CASES if path.stem == "misspelt_stage_in_next")
    process = subprocess.run([sys.executable, "-m", "pathways", "run", str(bad)],
                             capture_output=True, text=True, check=False)
    assert process.returncode == 2
    assert "did you mean 'consult'?" in process.stderr
    assert "Traceback" not in process.stderr
