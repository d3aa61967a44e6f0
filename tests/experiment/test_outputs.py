"""The manifest of a run: what was run, and each pathway's outline for the report."""

import json

from pathways.config import load_config
from pathways.experiment import manifest
from pathways.model import compile_loaded
from pathways.model.pathway_outline import pathway_outlines
from tests.config.hand_economy import write_economy

REMOVE_SCAN = """
stage_edits:
  - pathways: [elective]
    remove: scan
"""


def test_the_manifest_records_every_pathway_s_outline_as_run(tmp_path):
    loaded = load_config(write_economy(tmp_path, REMOVE_SCAN))
    entry = manifest(compile_loaded(loaded), loaded.config, seed=0, replications=1)
    assert entry["pathways"] == pathway_outlines(loaded.config)  # the edits applied
    assert [s["name"] for s in entry["pathways"]["elective"]["stages"]] == ["first", "review"]
    assert json.loads(json.dumps(entry, sort_keys=True))["pathways"] == entry["pathways"]
    assert entry["settings"]["horizon_days"] == loaded.config.horizon_days
    assert json.loads(json.dumps(entry, sort_keys=True))["settings"] == entry["settings"]
