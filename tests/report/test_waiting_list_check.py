"""The report's waiting-list check: the relations of the configuration as run (the
hand-worked economy of tests/config/hand_economy.py) beside a provider's simulated
figures, from a results folder written by hand."""

import hashlib
import json
import os
import re
from pathlib import Path

import pandas as pd

from pathways.report import build_report, load_results
from pathways.report.provenance import config_files
from pathways.report.waiting_list import waiting_list_section
from tests.config.hand_economy import write_economy


def _results(folder: Path, provider_rows: bool = True) -> Path:
    """A run of the hand economy; east_trust's RTT list averaged 150 (140 to 160)."""
    config = write_economy(folder / "model")
    files = [{"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
             for path in (config, config.parent / "practices.csv")]
    rows = [("hand", "", "wait_mean", 3.0, 2.5, 3.5, 5)]
    if provider_rows:
        rows += [("hand", "provider:east_trust", "rtt_waiting_list_mean", 150.0, 140.0, 160.0, 5),
                 ("hand", "provider:east_trust", "rtt_non_admitted_median_weeks", 6.0, 5.0, 7.0,
                  5)]
    out = folder / "results"
    out.mkdir()
    pd.DataFrame(rows, columns=["scenario", "stage", "metric", "mean", "ci_low", "ci_high", "n"]
                 ).to_csv(out / "summary.csv", index=False)
    (out / "manifest.json").write_text(json.dumps({
        "scenario": "hand", "config_files": files, "seed": 0, "replications": 5,
        "horizon_days": 100, "warmup_days": 10}))
    return out


def _section(out: Path) -> str:
    results = load_results(out)
    return waiting_list_section(results, config_files(results), point=0)


def _cells(html: str) -> list[list[str]]:
    """The body rows' cells (the header row has none)."""
    rows = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", html)]
    return [row for row in rows if row]


def test_relations_stand_beside_the_provider_s_simulated_list_and_waits(tmp_path):
    rows = _cells(_section(_results(tmp_path)))
    east = [row for row in rows if row[0] == "east_trust"]
    # demand 30.8, capacity 28 (tests/config/test_waiting_list_relations.py)
    assert east[0] == ["east_trust", "elective", "30.8", "28", "1.100", "139", "36.1", "31",
                       "", "", "", ""]
    # 150 on the list: relief capacity 30.8 + (150 - 138.6) / 26, mean wait by Little's
    # law 150 / 30.8 weeks, pressure 2 x that / 18
    assert east[1] == ["east_trust", "all RTT pathways", "30.8", "28", "1.100", "139", "36.1",
                       "31", "150 (140 to 160)", "6 (5 to 7)", "31.2", "0.54"]
    assert [row[:2] for row in rows if row[0] == "west_trust"] == [["west_trust", "elective"]]


def test_without_provider_rows_the_configured_relations_stand_alone(tmp_path):
    html = _section(_results(tmp_path, provider_rows=False))
    assert "simulated" not in html.split("</p>", 1)[1]
    assert [len(row) for row in _cells(html)] == [8, 8]


def test_a_changed_configuration_is_not_guessed_at(tmp_path):
    out = _results(tmp_path)
    (tmp_path / "model" / "practices.csv").write_text("name,list_size,x_km,y_km,"
                                                      "deprivation_quintile\nP1,1,0,0,1\n")
    assert _section(out) is None  # no model's relations can be shown: no section


def test_a_sweep_shows_its_point_with_the_point_s_values(tmp_path):
    """The runner names a model's file its own way; the manifest lists every file read."""
    out = _results(tmp_path)
    config = tmp_path / "model" / "hand.yaml"
    manifest = json.loads((out / "manifest.json").read_text())
    values = {"capacity_multiplier.outpatients": 2.0}
    manifest.update(models=["hand"], model_files=[os.path.relpath(config)],
                    points=[{"point": 0, "label": "x2", "values": values}])
    (out / "manifest.json").write_text(json.dumps(manifest))
    pd.DataFrame([{"point": 0, "label": "x2", **values}]).to_csv(out / "points.csv", index=False)
    summary = pd.read_csv(out / "summary.csv")
    summary.insert(0, "point", 0)
    summary.to_csv(out / "summary.csv", index=False)
    html = _section(out)
    east = [row for row in _cells(html) if row[0] == "east_trust"]
    assert east[0][2:5] == ["30.8", "56", "0.550"]  # twice the slots: half the load
    assert "design point 0 (x2)" in html


def test_the_report_has_the_section(tmp_path):
    page = build_report(_results(tmp_path)).read_text()
    assert '<section id="waiting-list"><h2>Waiting-list check</h2>' in page
    assert 'href="#waiting-list"' in page
