"""What run and compare print: the registry's labels and units, no bare nan, and the
warnings a reader needs on the terminal (warm-up, replications)."""

import math

import pandas as pd
from click.testing import CliRunner

from pathways.cli import headline
from pathways.cli.main import cli
from pathways.report.provenance import WarmupFinding
from tests.config.samples import MMC, write

NAN = math.nan


def _summary(rows):
    return pd.DataFrame(rows, columns=["scenario", "stage", "metric", "mean", "ci_low",
                                       "ci_high", "n"])


def test_headline_lines_use_labels_units_and_say_what_is_missing():
    summary = _summary([
        ("a", "", "rtt_admitted_median_weeks", 10.0, 9.5, 10.5, 5),
        ("b", "", "rtt_admitted_median_weeks", 12.0, NAN, NAN, 1),
        ("a", "", "rtt_completed_within_18_weeks_share", 0.9012, 0.89, 0.91, 5),
        ("a", "", "handoffs_per_pathway", NAN, NAN, NAN, 5),
        ("a", "resource:x", "rtt_admitted_median_weeks", 1.0, 1.0, 1.0, 5),
        ("a", "", "not_a_headline_metric", 1.0, 1.0, 1.0, 5),
    ])
    differences = pd.DataFrame([("b", "a", "", "rtt_admitted_median_weeks", 0.00001, -0.5,
                                 0.5, 5, False)],
                               columns=["scenario", "baseline", "stage", "metric",
                                        "mean_difference", "ci_low", "ci_high", "n",
                                        "significant"])
    text = "\n".join(headline.headline_lines(summary, differences))
    assert "Median admitted RTT wait (weeks)" in text and "rtt_admitted" not in text
    assert "10 (9.5 to 10.5)" in text
    assert "12  (too few replications for an interval)" in text
    assert "90.1 (89 to 91)" in text  # a share in percent, as the report states it
    assert "n/a (no data in the measurement window)" in text and "nan" not in text
    assert "b - a" in text and "not significant" in text
    assert "not_a_headline_metric" not in text


def test_run_prints_the_labels_and_the_replication_warning(tmp_path):
    config = write(tmp_path, "mmc.yaml", MMC.replace("horizon_days: 20000", "horizon_days: 3000")
                   .replace("warmup_days: 2000", "warmup_days: 300"))
    result = CliRunner().invoke(cli, ["run", str(config), "-n", "2", "--seed", "0", "-o",
                                      str(tmp_path / "out"), "--no-report", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "Mean queueing time per patient (days)" in result.output
    assert "wait_mean" not in result.output
    assert "warning: Too few replications: these results have 2, fewer than the 5" in (
        result.output)
    assert "intervals of mmc: mean queueing time per patient are wider than" in result.output


def test_a_warm_up_shorter_than_mser_5_finds_is_a_warning(tmp_path, monkeypatch):
    import pathways.report.provenance as provenance

    finding = WarmupFinding("cold", "the warm-up (0 days) is shorter than MSER-5's 120", False)
    monkeypatch.setattr(provenance, "warmup_findings", lambda results: ([finding], ""))
    config = write(tmp_path, "mmc.yaml", MMC.replace("horizon_days: 20000", "horizon_days: 3000")
                   .replace("warmup_days: 2000", "warmup_days: 300"))
    CliRunner().invoke(cli, ["run", str(config), "-n", "3", "-o", str(tmp_path / "out"),
                             "--no-report", "-q", "--workers", "1"])
    warnings = headline.terminal_warnings(tmp_path / "out")
    assert warnings[0] == "cold: the warm-up (0 days) is shorter than MSER-5's 120"
