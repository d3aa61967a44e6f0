"""The report's animation of replication 0 (issue 16, part 5): written by run and compare
as animation.parquet, drawn as one Plotly figure with frames per model after the
"over-time" section, left out with --no-animation (of run, compare or report), and
without any effect on the KPIs."""

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pathways.cli.main import cli
from pathways.log.animation import IN_SERVICE, WAITING
from pathways.report import load_results
from pathways.report.animation import animation_figures, simulated_time
from pathways.report.html import page

MODELS = Path(__file__).parents[1] / "experiment" / "malformed_runners" / "models"
EVIL = "<script>alert(1)</script>"


def invoke(*args) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def compare(out: Path, *flags) -> Path:
    invoke("compare", MODELS / "small.yaml", MODELS / "pooled.yaml", "-n", 2, "--seed", 0,
           "-q", "--out", out, *flags)
    return out


@pytest.fixture(scope="module")
def animated(tmp_path_factory) -> Path:
    return compare(tmp_path_factory.mktemp("animated") / "results")


@pytest.fixture(scope="module")
def still(tmp_path_factory) -> Path:
    return compare(tmp_path_factory.mktemp("still") / "results", "--no-animation")


def section_ids(html: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)"', html)


def test_compare_writes_replication_0_of_each_model(animated):
    frames = pd.read_parquet(animated / "animation.parquet")
    assert list(frames["scenario"].unique()) == ["small", "pooled"]
    assert set(frames["replication"]) == {0}
    assert set(frames["state"]) <= {WAITING, IN_SERVICE}
    assert frames["time_days"].min() == 10.5  # noon after small.yaml's warm-up
    # the report reads the same frames back, scenario names as text
    pd.testing.assert_frame_equal(load_results(animated).animation,
                                  frames.assign(scenario=frames["scenario"].astype(str)))


def test_the_section_follows_over_time_with_one_animation_per_model(animated):
    results = load_results(animated)
    html, _ = page(results)
    ids = section_ids(html)
    assert ids[ids.index("over-time") + 1] == "animation"
    assert "Patients moving through the stages" in html
    figures = animation_figures(results)
    assert [f.title for f in figures] == [f"{label}: patients moving through the stages"
                                          for label in results.labels]
    for label, figure in zip(results.labels, figures, strict=True):
        fig = figure.figure
        steps = fig.layout.sliders[0].steps
        frames = results.animation.loc[results.animation["scenario"] == label, "frame"]
        assert len(fig.frames) == len(steps) == frames.max() + 1  # empty frames too
        assert steps[0].label == "day 10 (Thu) 12:00" and steps[1].label == "day 11 (Fri) 12:00"
        assert [b.label for b in fig.layout.updatemenus[0].buttons] == ["Play", "Pause"]
        assert [t.name for t in fig.data[:2]] == ["waiting for the stage", "in service"]
        assert "replication 0" in figure.caption and "warm-up" in figure.caption


def test_no_animation_leaves_the_file_and_the_section_out(still, animated):
    assert not (still / "animation.parquet").exists()
    assert "animation" not in section_ids((still / "report.html").read_text())
    assert load_results(still).animation is None
    assert "--no-animation" in (still / "manifest.json").read_text()


def test_the_animation_leaves_the_results_byte_identical(still, animated):
    for name in ("summary.csv", "differences.csv", "replications.parquet",
                 "timeseries.parquet"):
        assert (still / name).read_bytes() == (animated / name).read_bytes(), name


def test_report_no_animation_drops_the_section_even_with_the_data(animated, tmp_path):
    without, with_it = tmp_path / "without.html", tmp_path / "with.html"
    invoke("report", animated, "-o", without, "--no-animation")
    invoke("report", animated, "-o", with_it)
    assert "animation" not in section_ids(without.read_text())
    assert "animation" in section_ids(with_it.read_text())
    assert with_it.stat().st_size > without.stat().st_size


def test_run_writes_it_and_a_run_without_removes_a_stale_one(tmp_path):
    out = tmp_path / "run"
    invoke("run", MODELS / "small.yaml", "-n", 1, "-q", "--no-report", "--out", out)
    assert (out / "animation.parquet").is_file()
    invoke("run", MODELS / "small.yaml", "-n", 1, "-q", "--no-report", "--out", out,
           "--no-animation")
    assert not (out / "animation.parquet").exists()


def test_capped_places_say_how_many_more_and_names_are_escaped(animated):
    results = load_results(animated)
    frames = results.animation.assign(
        pathway=EVIL, stage=lambda f: f["stage"] + "&<i>",
        hidden_patients=lambda f: (f["position"] == 0) * 7)
    figure = animation_figures(replace(results, animation=frames))[0]
    fig = figure.figure
    assert all(text == "+7 more" for text in fig.data[2].text) and fig.data[2].text
    assert fig.layout.yaxis.ticktext == ("&lt;script&gt;alert(1)&lt;/script&gt;",)
    assert set(fig.data[3].text) == {"outpatient&amp;&lt;i&gt;", "surgery&amp;&lt;i&gt;"}
    assert "+N more" in figure.caption


def test_no_animation_data_no_section(animated):
    results = replace(load_results(animated), animation=None)
    assert animation_figures(results) == []
    assert "animation" not in section_ids(page(results)[0])


def test_simulated_time_names_the_day_and_time_without_a_date():
    assert simulated_time(0.0) == "day 0 (Mon) 00:00"
    assert simulated_time(365.5) == "day 365 (Tue) 12:00"
    assert simulated_time(13.25) == "day 13 (Sun) 06:00"
