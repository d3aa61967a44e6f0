"""Waits respond to capacity and demand on the shipped competitive model.

Each case runs the same replications (common random numbers) at the base and at a
changed point, and judges the paired ratio of a median wait by its 95% confidence
interval (Student t over replications). The figures behind these bounds are in
configs/README.md (Calibration and responses) and benchmarks/capacity_response.py
prints the whole curve.
"""

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from pathways.config import load_config
from pathways.config.overrides import configure
from pathways.experiment import run_replications
from pathways.model.compile import compile_config

pytestmark = pytest.mark.slow

MODEL = Path(__file__).parents[2] / "models" / "competitive.yaml"
REPLICATIONS = 4
NON_ADMITTED, ADMITTED = "rtt_non_admitted_median_weeks", "rtt_admitted_median_weeks"


def _system(values: dict) -> dict[str, np.ndarray]:
    config = load_config(MODEL).config
    model = compile_config(configure(config, values) if values else config)
    kpis = run_replications(model, REPLICATIONS, seed=0, progress=False, workers=0).kpis
    system = kpis[kpis.stage == ""]
    return {m: system[system.metric == m].sort_values("replication").value.to_numpy()
            for m in (NON_ADMITTED, ADMITTED, "rtt_time_share_queue")}


@pytest.fixture(scope="module")
def base():
    return _system({})


def _ratio(changed: np.ndarray, base: np.ndarray) -> tuple[float, float, float]:
    """Mean paired ratio and its 95% interval."""
    ratio = changed / base
    half = stats.t.ppf(0.975, len(ratio) - 1) * stats.sem(ratio)
    return float(np.mean(ratio)), float(np.mean(ratio) - half), float(np.mean(ratio) + half)


def test_fewer_clinic_slots_lengthen_the_non_admitted_wait_by_a_tenth_or_more(base):
    mean, low, _ = _ratio(_system({"capacity_multiplier.outpatients": 0.9})[NON_ADMITTED],
                          base[NON_ADMITTED])
    assert mean >= 1.10 and low > 1.0, (mean, low)


@pytest.mark.parametrize("factor, at_most", [(1.1, 1.0), (1.25, 0.90)])
def test_more_clinic_slots_shorten_the_non_admitted_wait(base, factor, at_most):
    mean, _, high = _ratio(_system({"capacity_multiplier.outpatients": factor})[NON_ADMITTED],
                           base[NON_ADMITTED])
    assert high < 1.0 and mean <= at_most, (mean, high)


def test_more_theatre_lists_shorten_the_admitted_wait_by_a_tenth_or_more(base):
    mean, _, high = _ratio(_system({"capacity_multiplier.theatre": 1.25})[ADMITTED],
                           base[ADMITTED])
    assert mean <= 0.90 and high < 1.0, (mean, high)


def test_more_referrals_lengthen_both_medians(base):
    config = load_config(MODEL).config
    more = _system({f"pathways.{name}.referrals_per_1000_per_year":
                    pathway.referrals_per_1000_per_year * 1.05
                    for name, pathway in config.pathways.items()
                    if pathway.referrals_per_1000_per_year})
    for metric in (NON_ADMITTED, ADMITTED):
        _, low, _ = _ratio(more[metric], base[metric])
        assert low > 1.0, metric


@pytest.mark.parametrize("kind", ["outpatients", "theatre"])
@pytest.mark.parametrize("factor", [0.8, 1.5])
def test_no_median_passes_52_weeks_across_the_range(kind, factor):
    waits = _system({f"capacity_multiplier.{kind}": factor})
    for metric in (NON_ADMITTED, ADMITTED):
        assert np.all(waits[metric] < 52), (kind, factor, metric, waits[metric])


def test_most_rtt_time_is_spent_waiting_for_capacity(base):
    assert np.all(base["rtt_time_share_queue"] >= 0.6)
