"""`pathways check`: offered loads per kind and per resource, and the waiting-list
relations of every bookable list, on the hand-worked economy of
tests/config/hand_economy.py."""

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
