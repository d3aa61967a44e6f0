"""Pathway outlines: a pathway's shape as plain data, its text, and which pathways differ,
on the hand-worked economy of tests/config/hand_economy.py and a plain network."""

import json

from pathways.config import load_config
from pathways.model.pathway_outline import (
    OWN_PRACTICE,
    differing_pathways,
    outline_text,
    pathway_outline,
    pathway_outlines,
)
from tests.config.hand_economy import write_economy
from tests.config.samples import write

PLAIN = """\
name: plain
horizon_days: 50
resources:
  clinicians: {capacity: 2}
arrivals:
  - {pathway: clinic, rate_per_day: 1}
pathways:
  clinic:
    start: consult
    stages:
      results: {duration: {dist: uniform, low: 1, high: 3}, lead_days: 0.5}
      consult: {resource: clinicians, duration: {dist: fixed, value: 0.0173611},
                next: {results: 0.25, exit: 0.75}}
"""


def test_an_economy_s_stages_say_what_they_hold_who_does_them_and_where_patients_go(tmp_path):
    config = load_config(write_economy(tmp_path)).config
    elective = pathway_outline(config, "elective")
    assert elective["start"] == "first"
    assert elective["stages"] == [
        {"name": "first", "holds": "outpatients", "by": ["east_trust", "west_trust"],
         "mean_minutes": 14.4, "lead_days": 0.0, "rtt_stop": None,
         "next": [{"to": "scan", "share": 0.5}, {"to": "exit", "share": 0.5}]},
        {"name": "scan", "holds": "diagnostics", "by": ["east_trust", "west_trust"],
         "mean_minutes": 720.0, "lead_days": 0.0, "rtt_stop": None,
         "next": [{"to": "review", "share": 1.0}]},
        {"name": "review", "holds": "outpatients", "by": ["east_trust", "west_trust"],
         "mean_minutes": 14.4, "lead_days": 0.0, "rtt_stop": "non_admitted",
         "next": [{"to": "exit", "share": 1.0}]},
    ]
    assert pathway_outline(config, "copd_review")["stages"][0]["by"] == [OWN_PRACTICE]
    assert pathway_outline(config, "copd_admission")["stages"][0]["mean_days"] == 2.0


def test_only_the_pathway_s_providers_do_its_stages(tmp_path):
    config = load_config(write_economy(tmp_path)).config
    narrowed = config.model_copy(update={"pathways": {
        **config.pathways,
        "elective": config.pathways["elective"].model_copy(update={"providers": ["west_trust"]}),
    }})
    assert {tuple(s["by"]) for s in pathway_outline(narrowed, "elective")["stages"]} == {
        ("west_trust",)}


def test_a_plain_network_s_resources_and_delays_keep_written_order(tmp_path):
    config = load_config(write(tmp_path, "plain.yaml", PLAIN)).config
    outline = pathway_outline(config, "clinic")
    assert outline["start"] == "consult"
    results, consult = outline["stages"]
    assert (results["holds"], results["by"], results["mean_days"], results["lead_days"]) == (
        "delay", [], 2.0, 0.5)
    assert (consult["holds"], consult["by"], consult["mean_minutes"]) == ("clinicians", [], 25.0)


def test_outlines_survive_json_unchanged(tmp_path):
    outlines = pathway_outlines(load_config(write_economy(tmp_path)).config)
    assert list(outlines) == ["elective", "copd_review", "copd_admission"]
    assert json.loads(json.dumps(outlines, sort_keys=True)) == outlines


def test_the_text_has_a_line_per_stage_with_aligned_columns(tmp_path):
    lines = outline_text(pathway_outline(load_config(write_economy(tmp_path)).config, "elective"))
    assert lines[0] == "start: first"
    assert [line.split()[0] for line in lines[1:]] == ["first", "scan", "review"]
    assert lines[1].startswith("  first   [outpatients: east_trust, west_trust]  14.4 min  ")
    assert lines[1].endswith("-> scan 50%, exit 50%")
    assert "RTT stop: non_admitted" in lines[3] and lines[3].endswith("-> exit")
    assert len({line.index("->") for line in lines[1:]}) == 1
    plain = outline_text(pathway_outline(load_config(write(tmp_path, "plain.yaml", PLAIN)).config,
                                         "clinic"))
    assert "[delay]" in plain[1] and "2 days" in plain[1] and "lead 0.5 days" in plain[1]


def test_differing_pathways_names_changed_added_and_removed_ones(tmp_path):
    config = load_config(write_economy(tmp_path)).config
    before = pathway_outlines(config)
    assert differing_pathways(before, json.loads(json.dumps(before))) == []
    after = {**before, "elective": {**before["elective"], "start": "scan"}}
    del after["copd_review"]
    after["new"] = before["copd_review"]
    assert differing_pathways(before, after) == ["elective", "copd_review", "new"]
