"""The report's figures carry information: the whole wait distribution with its band,
flows labelled a year, the warm-up explained, and no empty chart, no chart of more
than MAX_BARS categories and no section for a mechanism no model has. Hand-built
summaries (each test says what it holds), and one small comparison run for real."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from pathways.cli.main import cli
from pathways.metrics.wait_quantiles import PROBABILITIES, quantile_level
from pathways.report.figures import (
    MAX_BARS,
    all_figures,
    chronic,
    equity,
    handoff_matrix,
    handoff_sankey,
    handoffs,
    time_series,
    wait_distributions,
)
from pathways.report.load import Results, load_results
from pathways.report.tables import kpi_tables

ROOT = Path(__file__).parents[2]
MODELS = ROOT / "tests" / "experiment" / "malformed_runners" / "models"
COLUMNS = ["scenario", "stage", "metric", "mean", "ci_low", "ci_high"]


def results(rows, labels=("a", "b"), timeseries=None, warmup_days=None) -> Results:
    """A comparison of ``labels`` whose summary holds ``rows`` (scenario, stage, metric,
    mean[, ci_low, ci_high]; no interval: a tenth either side of the mean)."""
    full = [(*r, r[3] * 0.9, r[3] * 1.1) if len(r) == 4 else r for r in rows]
    summary = pd.DataFrame(full, columns=COLUMNS).assign(n=5, point=0)
    manifest = {"models": {label: {"warmup_days": warmup_days, "horizon_days": 730}
                           for label in labels}}
    return Results(Path("."), "compare", manifest, summary, tuple(labels), labels[0],
                   None, timeseries)


# --- what the tests read from a figure -----------------------------------------------------------


def _restyled(fig) -> list[dict]:
    """Each trace's data, and the data each menu button swaps into it (restyle)."""
    traces = [t.to_plotly_json() for t in fig.data]
    for menu in fig.layout.updatemenus or ():
        for button in menu.buttons:
            if button.method == "restyle":
                for key, per_trace in button.args[0].items():
                    for i, value in enumerate(per_trace):
                        traces.append({**traces[i], key: value})
    return traces


def _categories(trace: dict) -> int:
    """How many categories (bars a model, rows or columns, nodes a side) a trace shows."""
    kind = trace.get("type")
    if kind == "bar":
        axis = trace.get("y") if trace.get("orientation") == "h" else trace.get("x")
        return len(axis if axis is not None else ())
    if kind == "heatmap":
        return max(len(trace["x"]), len(trace["y"]))
    if kind == "sankey":
        link = trace["link"]
        return max(len(set(link["source"])), len(set(link["target"])))
    return 0


def _values(trace: dict) -> list:
    kind = trace.get("type")
    if kind == "bar":
        values = trace.get("x") if trace.get("orientation") == "h" else trace.get("y")
    elif kind == "heatmap":
        values = [v for row in trace["z"] for v in row]
    elif kind == "sankey":
        values = trace["link"]["value"]
    else:
        values = trace.get("y")
    return [v for v in (values if values is not None else ()) if isinstance(v, (int, float))]


def _has_data(fig) -> bool:
    return any(math.isfinite(v) and v != 0 for t in _restyled(fig) for v in _values(t))


def _most_categories(fig) -> int:
    return max((_categories(t) for t in _restyled(fig)), default=0)


def _lines(fig) -> list:
    return [t for t in fig.data if t.type == "scatter" and t.fill != "toself"]


def _bands(fig) -> list:
    return [t for t in fig.data if t.type == "scatter" and t.fill == "toself"]


# --- wait distributions --------------------------------------------------------------------------


def _curve_rows(label: str, metric: str, scale: float) -> list[tuple]:
    """Quantile rows of an exponential wait of mean ``scale``: q(p) = -scale log(1 - p)."""
    return [(label, quantile_level(p), metric, -scale * math.log(1 - p),
             -0.8 * scale * math.log(1 - p), -1.2 * scale * math.log(1 - p))
            for p in PROBABILITIES]


def test_the_wait_distribution_is_every_quantile_joined_with_its_band():
    rows = (_curve_rows("a", "rtt_admitted_wait_weeks", 10.0)
            + _curve_rows("b", "rtt_admitted_wait_weeks", 20.0)
            + _curve_rows("a", "rtt_non_admitted_wait_weeks", 5.0)
            + _curve_rows("b", "rtt_non_admitted_wait_weeks", 6.0)
            + _curve_rows("a", "wait_days", 30.0) + _curve_rows("b", "wait_days", 30.0))
    fig = wait_distributions(results(rows)).figure
    lines, bands = _lines(fig), _bands(fig)
    assert [t.name for t in lines] == ["a", "b", "a", "b"]  # RTT panels only, weeks
    expected = np.array([-20.0 * math.log(1 - p) for p in PROBABILITIES])
    np.testing.assert_allclose(lines[1].x, expected, atol=1e-4)
    assert list(lines[1].y) == pytest.approx(PROBABILITIES)
    # the band runs up the interval's lower ends and back down its upper ones
    n = len(PROBABILITIES)
    np.testing.assert_allclose(bands[1].x[:n], 0.8 * expected, atol=1e-4)
    np.testing.assert_allclose(bands[1].x[n:], 1.2 * expected[::-1], atol=1e-4)
    assert "quantiles" in wait_distributions(results(rows)).caption
    assert "18-week standard" in wait_distributions(results(rows)).caption


def test_models_without_rtt_clocks_compare_on_queueing_time_and_time_in_system():
    rows = (_curve_rows("a", "rtt_admitted_wait_weeks", 10.0)
            + _curve_rows("a", "wait_days", 30.0) + _curve_rows("b", "wait_days", 40.0)
            + _curve_rows("a", "time_in_system_days", 35.0)
            + _curve_rows("b", "time_in_system_days", 45.0))
    figure = wait_distributions(results(rows))
    assert [t.name for t in _lines(figure.figure)] == ["a", "b", "a", "b"]
    assert _lines(figure.figure)[1].x[-1] == pytest.approx(-40.0 * math.log(0.01), abs=1e-3)
    assert "queueing time" in figure.caption
    assert wait_distributions(results([("a", "", "wait_mean", 3.0)])) is None


# --- time series ---------------------------------------------------------------------------------


def _series(n_times: int, warmup_days: float) -> pd.DataFrame:
    """Weekly waiting lists of two replications of each model, growing steadily."""
    times = 7.0 * np.arange(n_times)
    frames = [pd.DataFrame({"point": 0, "scenario": label, "replication": r,
                            "time_days": times, "series": "waiting_list", "level": "trust",
                            "value": times / 7.0 + r})
              for label in ("a", "b") for r in (0, 1)]
    return pd.concat(frames, ignore_index=True)


def test_a_thinned_series_says_how_often_in_days_and_the_warm_up_is_explained():
    figure = time_series(results([("a", "", "wait_mean", 1.0)], timeseries=_series(2000, 364.0),
                                 warmup_days=364.0))
    assert "one snapshot every 14 days" in figure.caption
    assert "2th" not in figure.caption
    assert "days 0 to 364" in figure.caption and "not a restart" in figure.caption
    # the span is shaded, its dotted edge where the statistics start
    (span,) = [s for s in figure.figure.layout.shapes if s.x0 == 0]
    assert (span.type, span.x1, span.line.dash) == ("rect", 364.0, "dot")
    plain = time_series(results([("a", "", "wait_mean", 1.0)], timeseries=_series(10, 0.0)))
    assert "Thinned" not in plain.caption and "No warm-up" in plain.caption


# --- handoffs ------------------------------------------------------------------------------------


def _handoff_rows(label: str, pairs: dict[tuple[str, str], float]) -> list[tuple]:
    return [(label, f"handoff:{a}->{b}", "handoffs_per_day", per_day)
            for (a, b), per_day in pairs.items()]


def _two_economies() -> Results:
    """a: an integrated care organisation and a treatment centre, 2 handoffs a day
    each way; b: a trust and 30 practices, each practice 1 + i/10 a day to the trust
    and 1 a day back."""
    a = _handoff_rows("a", {("ico", "istc"): 2.0, ("istc", "ico"): 2.0})
    practices = {f"P{i:02d}": 1.0 + i / 10 for i in range(30)}
    b = _handoff_rows("b", {**{(p, "trust"): v for p, v in practices.items()},
                            **{("trust", p): 1.0 for p in practices},
                            ("P00", "P01"): 0.0})
    return results(a + b)


def test_each_model_s_matrix_shows_its_own_organisations_a_year():
    figure = handoff_matrix(_two_economies())
    heatmap = figure.figure.data[0]
    assert list(heatmap.x) == ["ico", "istc"]  # a's own, not a corner of b's thirty-one
    assert heatmap.z[0][1] == pytest.approx(2.0 * 365)
    (menu,) = figure.figure.layout.updatemenus
    b = menu.buttons[1].args[0]
    assert len(b["x"][0]) == 20 and b["x"][0][0] == "trust"
    assert b["x"][0][-1] == "12 other organisations"  # 31 - 19 named
    assert "a year" in heatmap.hovertemplate and "(b: 12 grouped)" in figure.caption


def test_the_sankey_labels_each_organisation_with_its_flows_a_year():
    figure = handoff_sankey(results(_handoff_rows("a", {("gp", "trust"): 2.0,
                                                        ("trust", "gp"): 0.5,
                                                        ("trust", "istc"): 1.5})))
    labels = list(figure.figure.data[0].node.label)
    # busiest first; left, what each sends: trust 182.5 + 547.5, gp 730 a year; right,
    # what each receives: trust 730, gp 182.5, istc 547.5 (three significant figures)
    assert labels == ["trust: 730 a year", "gp: 730 a year", "trust: 730 a year",
                      "gp: 182 a year", "istc: 548 a year"]
    assert figure.figure.data[0].valuesuffix == " a year"
    assert "a year" in figure.caption


def test_a_handoff_metric_zero_in_every_model_gets_no_panel():
    rows = [(label, "", metric, value) for label in ("a", "b") for metric, value in (
        ("handoffs_per_pathway", 1.0), ("repeat_tests_per_pathway", 0.0))]
    figure = handoffs(results(rows))
    titles = [a.text for a in figure.figure.layout.annotations]
    assert titles == ["Handoffs per completed pathway"]
    assert "Not shown, being zero in every model: Repeat tests per pathway." in figure.caption
    zeros = [(label, "", "repeat_tests_per_pathway", 0.0) for label in ("a", "b")]
    assert handoffs(results(zeros)) is None
    assert handoff_matrix(results(_handoff_rows("a", {("x", "y"): 0.0}))) is None


# --- chronic care and equity ---------------------------------------------------------------------


def test_no_chronic_section_without_chronic_care_and_no_model_without_it():
    # cancelled operations alone bring the chronic rows, zero or NaN: no chronic care
    none = results([(label, "", "chronic_patient_years", 0.0) for label in ("a", "b")]
                   + [(label, "", "cancelled_operations_per_year", 3.0) for label in ("a", "b")]
                   + [(label, "condition:copd", "chronic_patient_years", 0.0)
                      for label in ("a", "b")])
    assert chronic(none) is None
    assert all_figures(none)["chronic-figures"] == []
    one = results([("a", "", "chronic_patient_years", 100.0),
                   ("b", "", "chronic_patient_years", 0.0),
                   ("a", "condition:copd", "chronic_patient_years", 100.0),
                   ("a", "", "reviews_overdue_share", 0.0),
                   ("b", "", "reviews_overdue_share", 0.0)])
    figure = chronic(one)
    assert {t.name for t in figure.figure.data} == {"a"}
    assert "Left out, having no chronic care: b." in figure.caption
    assert "Reviews overdue" in figure.caption  # zero everywhere: out of the menu
    assert len(figure.figure.data) == 1


def test_an_equity_metric_zero_in_every_group_is_left_out_of_the_menu():
    rows = [(label, f"deprivation_quintile:{q}", metric, value)
            for label in ("a", "b") for q in range(1, 6)
            for metric, value in (("patients_per_day", 2.0 + q),
                                  ("handoffs_per_chronic_patient_year", 0.0))]
    figure = equity(results(rows), 0, "deprivation_quintile:")
    menu = figure.figure.layout.updatemenus
    assert not menu  # one metric left: no menu
    assert len(figure.figure.data) == 2 and _has_data(figure.figure)


# --- a real, small comparison --------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Results:
    """small (baseline) against pooled lists: two trusts, two practices (a few seconds)."""
    out = tmp_path_factory.mktemp("figures") / "results"
    result = CliRunner().invoke(cli, ["compare", str(MODELS / "small.yaml"),
                                      str(MODELS / "pooled.yaml"), "-n", "2", "--out", str(out),
                                      "--no-report", "--no-animation", "--quiet"])
    assert result.exit_code == 0, result.output
    return load_results(out)


def test_no_figure_is_empty_or_has_more_than_max_bars_categories(small):
    figures = [f for figs in all_figures(small).values() for f in figs]
    keys = {f.key for f in figures}
    assert {"waits", "over-time", "handoff-matrix", "handoff-sankey", "utilisation"} <= keys
    assert "chronic" not in keys  # neither model has chronic care
    for figure in figures:
        assert _has_data(figure.figure), figure.key
        assert _most_categories(figure.figure) <= MAX_BARS, figure.key


def test_the_small_comparison_s_wait_curves_are_smooth(small):
    lines = _lines(wait_distributions(small).figure)
    assert lines and all(len(t.x) == len(PROBABILITIES) for t in lines)
    assert all(np.all(np.diff(np.asarray(t.x, dtype=float)) >= 0) for t in lines)


def test_the_quantile_rows_stay_out_of_the_whole_system_table(small):
    assert (small.summary["stage"].str.startswith("quantile:")).any()
    table = kpi_tables(small)
    for metric in ("wait_days", "time_in_system_days", "rtt_admitted_wait_weeks"):
        assert f'title="{metric}"' not in table


@pytest.mark.slow
def test_the_demo_comparison_s_figures_carry_information(demo_comparison):
    """`make run`'s comparison (2 replications): every figure has data and at most
    MAX_BARS categories, the wait curves have every quantile, the flows are labelled."""
    results = load_results(demo_comparison)
    figures = {f.key: f for figs in all_figures(results).values() for f in figs}
    for figure in figures.values():
        assert _has_data(figure.figure), figure.key
        assert _most_categories(figure.figure) <= MAX_BARS, figure.key
    assert all(len(t.x) == len(PROBABILITIES) for t in _lines(figures["waits"].figure))
    for key in ("handoff-sankey", "money-flow"):
        for trace in figures[key].figure.data:
            assert all(label.endswith(" a year") for label in trace.node.label), key
