"""No interval in summary.csv or differences.csv reaches past its metric's range
(pathways.metrics.registry), even at two replications, where the t interval does."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from pathways.cli.main import cli
from pathways.experiment.compare import paired_differences
from pathways.metrics.registry import difference_bounds, metric_bounds
from pathways.stats import summarise

MODELS = Path(__file__).parent / "malformed_runners" / "models"


@pytest.fixture(scope="module")
def two_replications(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bounded") / "out"
    result = CliRunner().invoke(cli, ["compare", str(MODELS / "small.yaml"),
                                      str(MODELS / "pooled.yaml"), "-n", "2", "--seed", "0",
                                      "--workers", "1", "-q", "--no-report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _outside(frame: pd.DataFrame, bounds) -> pd.DataFrame:
    ranges = frame["metric"].map(bounds)
    low = ranges.map(lambda r: r[0])
    high = ranges.map(lambda r: r[1])
    return frame[(frame["ci_low"] < low - 1e-12) | (frame["ci_high"] > high + 1e-12)]


def test_the_summary_stays_inside_each_metrics_range(two_replications):
    stored = pd.read_csv(two_replications / "summary.csv")
    unbounded = summarise(pd.read_parquet(two_replications / "replications.parquet"))
    assert len(_outside(unbounded, metric_bounds)) > 50  # what the t interval alone gives
    assert _outside(stored, metric_bounds).empty
    assert np.allclose(stored["mean"], unbounded["mean"], rtol=1e-9, equal_nan=True)


def test_differences_stay_inside_the_range_of_a_difference(two_replications):
    stored = pd.read_csv(two_replications / "differences.csv")
    assert _outside(stored.rename(columns={"mean_difference": "mean"}), difference_bounds).empty


def test_a_paired_difference_of_a_share_is_cut_at_plus_or_minus_one():
    # two replications that swap a share between 0.05 and 0.95: differences +0.9 and
    # -0.9, a t interval of about +-11; a difference of two shares lies in [-1, 1]
    runs = pd.DataFrame({"scenario": ["a", "a", "b", "b"], "replication": [0, 1, 0, 1],
                         "stage": "", "metric": "rtt_completed_within_18_weeks_share",
                         "value": [0.05, 0.95, 0.95, 0.05]})
    row = paired_differences(runs, "a").iloc[0]
    assert (row["mean_difference"], row["ci_low"], row["ci_high"]) == (0.0, -1.0, 1.0)


def test_replication_values_lie_in_the_declared_ranges(two_replications):
    # a range declared wrongly (a signed metric called non-negative) would cut true
    # intervals: every value the models produced must lie in its metric's range
    runs = pd.read_parquet(two_replications / "replications.parquet").dropna(subset=["value"])
    ranges = runs["metric"].map(metric_bounds)
    low, high = ranges.map(lambda r: r[0]), ranges.map(lambda r: r[1])
    wrong = runs[(runs["value"] < low) | (runs["value"] > high)]
    assert wrong.empty, wrong.drop_duplicates("metric")
    assert not math.isnan(runs["value"].sum())
