"""`pathways check`: offered loads per kind and per resource, the waiting-list
relations of every bookable list, and the pathways stage edits change (or, with
--pathways, every pathway), on the hand-worked economy of tests/config/hand_economy.py."""

import re

from click.testing import CliRunner

from pathways.cli.main import cli
from tests.config.hand_economy import write_economy


def test_check_prints_each_resource_s_load_and_each_provider_s_relations(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(write_economy(tmp_path))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "  kind:outpatients         offered load 0.9\n" in out
    assert re.search(r"\n  east_clinic +offered load 1\.1  will grow without limit\n", out)
    assert re.search(r"\n  west_clinic +offered load 0\.66\n", out)
    assert re.search(r"\n  nurse clinics of 2 practices +offered load 0\.01 to 0\.01\n", out)
    # demand 30.8 a week, capacity 28, load 1.1, target queue 138.6, relief capacity for a
    # list of twice that over 26 weeks 30.8 + 138.6 / 26, target capacity 30.8 + 4 / 18
    assert re.search(r"\n  east_trust +elective +30\.8 +28 +1\.100 +139 +36\.1 +31\n", out)
    assert "nearest provider" in out and "in proportion to demand" in out
    assert "resources.east_clinic" in result.stderr
    assert out.endswith("hand.yaml: ok\n")


REMOVE_SCAN = """
stage_edits:
  - pathways: [elective]
    remove: scan
"""


def test_check_prints_each_pathway_stage_edits_change_before_and_after(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(write_economy(tmp_path, REMOVE_SCAN))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    shown = out[out.index("Pathways the stage edits change:\n"):out.index("  kind:")]
    assert shown.splitlines()[1:3] == ["  elective", "    before:"]
    before, after = shown.split("    after:\n")
    assert re.search(r"\n        scan +\[diagnostics: east_trust, west_trust\] +720 min +-> review",
                     before)
    assert "scan" not in after  # patients go from first where scan sent them: to review
    assert re.search(r"\n        first +\[outpatients: east_trust, west_trust\] +14\.4 min "
                     r"+-> exit 50%, review 50%\n", after)
    assert "copd" not in shown  # pathways the edits leave alone are not shown
    assert out.endswith("hand.yaml: ok\n")


def test_check_shows_no_outline_without_edits_unless_asked(tmp_path):
    config = str(write_economy(tmp_path))
    plain = CliRunner().invoke(cli, ["check", config])
    assert plain.exit_code == 0 and "start:" not in plain.stdout
    every = CliRunner().invoke(cli, ["check", "--pathways", config])
    assert every.exit_code == 0, every.output
    out = every.stdout
    assert out.startswith("Pathways:\n  elective\n    start: first\n      first ")
    assert ("\n  copd_review\n    start: review\n      review  [practice_nurse: the patient's "
            "practice]  144 min  -> exit\n") in out
    assert "before:" not in out


def test_check_pathways_with_edits_shows_every_pathway_and_the_edited_ones_twice(tmp_path):
    result = CliRunner().invoke(cli, ["check", "--pathways",
                                      str(write_economy(tmp_path, REMOVE_SCAN))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Pathways (stage edits applied; those they change before and after):\n"
                          "  elective\n    before:\n")
    assert ("\n  copd_admission\n    start: stay\n      stay  [beds: east_trust, west_trust]  "
            "2 days  -> exit\n") in out
