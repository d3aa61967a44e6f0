"""configs/make_practices.py takes arguments like the CLI: --help writes nothing, and
the file it writes is the committed practices.csv, byte for byte."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "configs" / "make_practices.py"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, timeout=60)


def test_help_says_what_it_does_and_writes_nothing(tmp_path):
    committed = SCRIPT.with_name("practices.csv")
    before = committed.stat().st_mtime_ns
    done = _run("--help")
    assert done.returncode == 0 and "--out" in done.stdout
    assert committed.stat().st_mtime_ns == before


def test_it_regenerates_the_committed_file_where_asked(tmp_path):
    out = tmp_path / "practices.csv"
    assert _run("--out", str(out)).returncode == 0
    assert out.read_bytes() == SCRIPT.with_name("practices.csv").read_bytes()
