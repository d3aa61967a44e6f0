"""An economy of 10,000 practices, each running a clinic (so 10,000 sites), is set up
in memory linear in practices and sites (issue 17): distances and choice utilities
are computed on demand, not stored as a practice x site matrix (5.5 GB before), and
the configuration's checks index resources once instead of searching them per site."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).parents[2]
PRACTICES = 10_000
LIMIT_MB = 1024

SETUP = """
import resource, sys, pathways
model = pathways.load(sys.argv[1])
assert len(model.economy.practices) == {practices}
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.slow  # about 15 s: `make test-all`
def test_ten_thousand_practices_are_set_up_in_under_a_gigabyte(tmp_path):
    rng = np.random.default_rng(1)
    xy = rng.uniform(0, 40, (PRACTICES, 2))
    rows = [f"p{i},25,{x:.3f},{y:.3f},{1 + i % 5}" for i, (x, y) in enumerate(xy)]
    (tmp_path / "practices.csv").write_text(
        "name,list_size,x_km,y_km,deprivation_quintile\n" + "\n".join(rows) + "\n")
    config = tmp_path / "big.yaml"
    config.write_text(f"extends: {ROOT / 'models' / 'competitive.yaml'}\nname: big\n"
                      "practices: {file: practices.csv}\n")
    done = subprocess.run([sys.executable, "-c", SETUP.format(practices=PRACTICES),
                           str(config)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    peak_mb = int(done.stdout.strip().splitlines()[-1])
    print(f"\n{PRACTICES:,} practices set up with a peak of {peak_mb} MB")
    assert peak_mb < LIMIT_MB
