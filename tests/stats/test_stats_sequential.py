"""Sequential replications (Hoad et al. 2010): stopping, look-ahead, budget, skipped metrics."""

import math

import numpy as np
import pytest
from scipy import stats

from pathways.stats import ReplicationsAlgorithm, replications_needed
from pathways.stats.sequential import look_ahead_count, relative_half_width


def drive(alg, draw, limit=10_000):
    """Add replications from draw(i) until the algorithm says stop; return the history."""
    history = []
    while not alg.done and alg.replications < limit:
        alg.add(draw(alg.replications))
        history.append(alg.done)
    return history


def normal_metrics(seed):
    rng = np.random.default_rng(seed)
    return lambda i: {"wait_mean": rng.normal(100.0, 10.0), "rtt_share": rng.normal(0.6, 0.072)}


def test_look_ahead_count():
    assert [look_ahead_count(n, 5) for n in (1, 50, 100, 101, 120, 200)] == [5, 5, 5, 5, 6, 10]
    assert look_ahead_count(250, 3) == 7
    assert look_ahead_count(500, 0) == 0


def test_relative_half_width_is_the_student_t_half_width_over_the_mean():
    x = np.array([98.0, 103.0, 95.0, 107.0, 101.0, -3.0])
    h = stats.t.ppf(0.975, 5) * x.std(ddof=1) / math.sqrt(6)
    assert relative_half_width(x) == pytest.approx((x.mean(), h / abs(x.mean())))
    assert math.isnan(relative_half_width([5.0])[1])
    assert math.isnan(relative_half_width([-1.0, 1.0])[1])


@pytest.mark.parametrize("seed", range(10))
def test_stops_with_every_half_width_within_target(seed):
    alg = ReplicationsAlgorithm(target_half_width=0.05)
    drive(alg, normal_metrics(seed))
    assert alg.done and alg.converged
    assert alg.replications < alg.max_replications
    assert all(h <= 0.05 for h in alg.half_widths.values())
    # sd/mean = 0.1 and 0.12: about (2.07 * 0.12 / 0.05)^2 = 25 replications for the second
    assert alg.solution is not None and alg.initial <= alg.solution < alg.replications
    assert alg.replications == alg.solution + 5


def test_one_metric_at_known_sd_needs_about_the_theoretical_number():
    # sd / mean = 0.1, target 0.05: n with t(n-1) * 0.1 / sqrt(n) <= 0.05 is 18
    n_star = next(n for n in range(2, 100) if stats.t.ppf(0.975, n - 1) * 0.1 / math.sqrt(n)
                  <= 0.05)
    assert n_star == 18
    solutions = []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        solutions.append(replications_needed(rng.normal(100.0, 10.0, 200)))
    assert None not in solutions
    assert 12 <= np.median(solutions) <= 24


def test_never_stops_before_initial():
    alg = ReplicationsAlgorithm(initial=10, look_ahead=0)
    history = drive(alg, lambda i: {"x": 7.0})  # precise (zero width) from 2 values on
    assert history == [False] * 9 + [True]
    assert alg.solution == 10
    alg = ReplicationsAlgorithm(initial=10, look_ahead=5)
    assert drive(alg, lambda i: {"x": 7.0}) == [False] * 14 + [True]
    assert alg.solution == 10 and alg.replications == 15


def test_stops_at_the_budget_when_the_target_is_out_of_reach():
    rng = np.random.default_rng(5)
    alg = ReplicationsAlgorithm(target_half_width=0.05, max_replications=50)
    drive(alg, lambda i: {"x": rng.normal(1.0, 1000.0)})
    assert alg.done and not alg.converged and alg.solution is None
    assert alg.replications == 50
    assert alg.half_widths["x"] > 0.05
    assert "stopped at the maximum of 50 without confirming" in alg.status.splitlines()[0]


def test_look_ahead_is_honoured():
    # Precise (zero width) at 5 and 6; the 150 at replication 7 breaks it, and it comes
    # back only once enough 100s have diluted the 150.
    values = [100.0] * 6 + [150.0] + [100.0] * 100
    alg = ReplicationsAlgorithm(target_half_width=0.05, initial=5, look_ahead=5)
    shares = []
    for v in values:
        alg.add({"x": v})
        shares.append(alg.half_widths["x"])
        if alg.done:
            break
    assert shares[4] == 0.0 and shares[6] > 0.05  # reached at n=5, lost at n=7
    regained = next(n for n in range(8, len(values)) if shares[n - 1] <= 0.05)
    assert all(s <= 0.05 for s in shares[regained - 1:])  # and then held
    assert alg.solution == regained > 10  # not the first hit at 5, nor done at 5 + 5
    assert alg.replications == regained + 5


def test_precision_lost_during_the_look_ahead_restarts_it():
    alg = ReplicationsAlgorithm(target_half_width=0.05, initial=5, look_ahead=5)
    for v in [100.0] * 8:
        alg.add({"x": v})
    assert not alg.done and "reached at 5, held for 3 of 5" in alg.status
    alg.add({"x": 200.0})
    assert not alg.done and "not reached" in alg.status.splitlines()[0]


def test_look_ahead_scales_beyond_one_hundred():
    alg = ReplicationsAlgorithm(initial=120, max_replications=500, look_ahead=5)
    history = drive(alg, lambda i: {"x": 1.0})
    assert len(history) == 126 and history[-2:] == [False, True]  # 5% of 120 = 6


def test_done_needs_every_metric():
    rng = np.random.default_rng(8)
    wide = ReplicationsAlgorithm()
    drive(wide, lambda i: {"narrow": rng.normal(100, 1), "wide": rng.normal(100, 1000)})
    assert wide.replications == 50 and not wide.converged


def test_zero_and_empty_metrics_are_skipped_and_said_so():
    draw = normal_metrics(3)
    alone = ReplicationsAlgorithm()
    drive(alone, draw)
    draw = normal_metrics(3)
    alg = ReplicationsAlgorithm()
    drive(alg, lambda i: {**draw(i), "deaths": 0.0, "transfers_out": math.nan})
    assert alg.replications == alone.replications and alg.converged
    assert math.isnan(alg.half_widths["deaths"]) and math.isnan(alg.half_widths["transfers_out"])
    lines = alg.status.splitlines()
    assert len(lines) == 1 + 4
    assert "  deaths: skipped, mean is 0 (no relative half-width)" in lines
    assert "  transfers_out: skipped, no values (no relative half-width)" in lines
    assert lines[1].startswith("  wait_mean: mean 98.97, half-width ")
    assert "within target 5.0%" in lines[1]


def test_a_metric_with_one_value_is_not_yet_precise():
    alg = ReplicationsAlgorithm(look_ahead=0)
    for i in range(5):
        alg.add({"x": 1.0} if i < 4 else {"x": 1.0, "rare": 3.0})  # rare: missing = NaN
    assert not alg.done
    assert "rare: mean 3, half-width not available (1 finite value)" in alg.status
    alg.add({"x": 1.0, "rare": 3.0})
    assert alg.done and alg.solution == 6


def test_deterministic_with_a_seeded_generator():
    runs = []
    for _ in range(2):
        alg = ReplicationsAlgorithm(target_half_width=0.03)
        drive(alg, normal_metrics(42))
        runs.append((alg.replications, alg.solution, alg.half_widths, alg.status))
    assert runs[0] == runs[1]


def test_replications_needed_replays_the_algorithm():
    rng = np.random.default_rng(9)
    x = rng.normal(50.0, 8.0, 300)
    alg = ReplicationsAlgorithm(target_half_width=0.04, max_replications=300)
    for v in x:
        alg.add({"x": v})
        if alg.done:
            break
    assert alg.solution == 67 and alg.replications == 72  # the solution, then the look-ahead
    assert replications_needed(x, 0.04) == 67
    assert replications_needed(x[: alg.solution + 4], 0.04) is None  # look-ahead cut short
    assert replications_needed([1.0, 2.0], 0.04) is None


def test_status_before_initial_and_bad_arguments():
    alg = ReplicationsAlgorithm()
    alg.add({"x": 1.0})
    assert alg.status.splitlines()[0] == "1 replications: fewer than the initial 5, not yet checked"
    for kwargs, message in (
            ({"target_half_width": 0.0}, r"target_half_width must be positive, got 0\.0"),
            ({"initial": 1}, r"initial must be at least 2 .*got 1"),
            ({"initial": 10, "max_replications": 9},
             r"max_replications \(9\) must be at least initial \(10\)"),
            ({"look_ahead": -1}, r"look_ahead must be non-negative, got -1"),
            ({"level": 1.0}, r"confidence level must be between 0 and 1, got 1\.0")):
        with pytest.raises(ValueError, match=message):
            ReplicationsAlgorithm(**kwargs)
