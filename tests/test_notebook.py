"""examples/notebook.ipynb runs top to bottom, and says what its text says it shows."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).parents[1] / "examples" / "notebook.ipynb"


def run_notebook(path: Path) -> dict:
    """Execute the code cells in order in one namespace, as a kernel would (without
    Jupyter, which the test extras do not install); returns the namespace."""
    namespace: dict = {"__name__": "__main__"}
    for number, cell in enumerate(json.loads(path.read_text())["cells"]):
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), f"{path.name}, cell {number}", "exec"),
                 namespace)
    return namespace


@pytest.mark.parametrize("folder", ["root", "examples"])
def test_the_example_notebook_runs_from_the_root_or_examples(folder, monkeypatch,
                                                            tmp_path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # its stored results land here
    monkeypatch.chdir(NOTEBOOK.parents[1] if folder == "root" else NOTEBOOK.parent)
    namespace = run_notebook(NOTEBOOK)
    differences = namespace["comparison"].differences.set_index(["scenario", "stage", "metric"])
    busier = differences.loc[("busier", "", "wait_mean")]
    relieved = differences.loc[("busier, more clinics", "", "wait_mean")]
    assert busier["ci_low"] > 0  # more referrals, longer waits
    assert relieved["mean_difference"] < busier["mean_difference"]  # more clinics, shorter
    assert namespace["stored"].kind == "run"
    assert namespace["stored"].manifest["replications"] == 3
    assert namespace["folder"].is_relative_to(tmp_path)
