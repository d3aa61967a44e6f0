"""`pathways report`: one self-contained HTML page from stored results, for a run, a
comparison and a sweep, with every name escaped and sentences that state direction and
size only.

Results come from the real commands on tiny models (two small economies, a model of
the same economy named like a script, a plain M/M/c network, the tiny sweep), plus a
hand-written results folder where exact intervals are needed.
"""

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pathways.cli.main import cli
from pathways.report import REPORT_FILE, build_report, load_results
from pathways.report.figures import time_series
from pathways.report.html import plotly_js
from pathways.report.sentences import (
    board_summary,
    difference_sentence,
    headline_metrics,
    level_sentence,
)

ROOT = Path(__file__).parents[2]
MODELS = ROOT / "tests" / "experiment" / "malformed_runners" / "models"
TINY_SWEEP = ROOT / "tests" / "experiment" / "sweeps" / "tiny.yaml"
EVIL = "<script>alert(1)</script>"
SIZE_LIMIT = 10 * 1024 * 1024
VERDICTS = re.compile(r"\b(better|worse)\b", re.IGNORECASE)


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> tuple[Path, str]:
    """small (baseline), the same economy named like a script, and pooled lists."""
    folder = tmp_path_factory.mktemp("comparison")
    evil = folder / "evil.yaml"
    evil.write_text(f"extends: {MODELS / 'small.yaml'}\nname: {json.dumps(EVIL)}\n")
    out = folder / "results"
    output = _invoke("compare", str(MODELS / "small.yaml"), str(evil), str(MODELS / "pooled.yaml"),
                     "-n", "3", "--out", str(out), "--quiet")
    return out, output


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory) -> tuple[Path, str]:
    """A plain network (configs/examples/mmc.yaml, shortened): no economy, no RTT."""
    folder = tmp_path_factory.mktemp("plain")
    config = folder / "mmc.yaml"
    config.write_text(f"extends: {ROOT / 'configs' / 'examples' / 'mmc.yaml'}\n"
                      "horizon_days: 300\nwarmup_days: 50\n")
    out = folder / "results"
    return out, _invoke("run", str(config), "-n", "2", "--out", str(out), "--quiet")


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("sweep") / "results"
    return out, _invoke("sweep", str(TINY_SWEEP), "--workers", "1", "--out", str(out), "--quiet")


@pytest.fixture(scope="module")
def reports(comparison, plain_run, sweep) -> dict[str, str]:
    return {name: (folder / REPORT_FILE).read_text(encoding="utf-8")
            for name, (folder, _) in (("compare", comparison), ("run", plain_run),
                                      ("sweep", sweep))}


def _outside_plotly_js(page: str) -> str:
    """The page without the embedded plotly.js library (the page's first script)."""
    start = page.index("<script")
    end = page.index("</script>", start) + len("</script>")
    assert plotly_js() in page[start:end]
    return page[:start] + page[end:]


def _visible_text(page: str) -> str:
    """What a reader reads: no scripts, no configuration files (<pre>), no tags."""
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.DOTALL)
    page = re.sub(r"<pre>.*?</pre>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# --- the commands -----------------------------------------------------------------------


def test_run_compare_and_sweep_write_a_report_and_print_its_path(comparison, plain_run, sweep):
    for folder, output in (comparison, plain_run, sweep):
        assert (folder / REPORT_FILE).is_file()
        assert output.strip().splitlines()[-1] == f"report written to {folder / REPORT_FILE}"


def test_report_command_writes_where_asked_and_prints_the_path(comparison, tmp_path):
    out = tmp_path / "elsewhere" / "board.html"
    output = _invoke("report", str(comparison[0]), "-o", str(out))
    assert out.is_file() and f"report written to {out}" in output


def test_no_report_skips_it_and_removes_a_stale_one(plain_run, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(plain_run[0], folder)
    config = json.loads((folder / "manifest.json").read_text())["config_files"][0]["path"]
    output = _invoke("run", config, "-n", "1", "--out", str(folder), "--quiet", "--no-report")
    assert not (folder / REPORT_FILE).exists() and "report written" not in output


def test_a_folder_without_results_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["report", str(tmp_path)])
    assert result.exit_code == 2 and "no summary.csv" in result.output


def test_static_figures_need_kaleido(comparison, tmp_path):
    try:
        import kaleido  # noqa: F401
        pytest.skip("kaleido is installed")
    except ImportError:
        pass
    result = CliRunner().invoke(cli, ["report", str(comparison[0]), "-o",
                                      str(tmp_path / "r.html"), "--png"])
    assert result.exit_code == 2 and "pip install 'pathways[images]'" in result.output


# --- the page ---------------------------------------------------------------------------


def test_the_page_is_self_contained_and_small(reports):
    for name, page in reports.items():
        assert len(page.encode("utf-8")) < SIZE_LIMIT, name
        assert "cdn.plot.ly" not in page, name
        assert page.count(plotly_js()) == 1, name  # plotly.js embedded once
        rest = _outside_plotly_js(page)
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", rest,
                             re.IGNORECASE), name
        assert "<link" not in rest.lower() and "@import" not in rest and "url(" not in rest
        assert "mathjax" not in rest.lower(), name
        assert '"displaylogo": false' in rest, name
        # one script per figure besides plotly.js and the page's one handler (which
        # quietens interrupted animations): no script can be opened by data
        assert rest.lower().count("<script") == rest.count('class="plotly-graph-div"') + 1, name


def _sections(page: str) -> set[str]:
    return set(re.findall(r'<(?:section|figure) id="([^"]+)"', page))


def test_each_kind_of_results_gets_the_sections_it_has_data_for(reports):
    common = {"summary", "kpis", "waits", "over-time", "utilisation-figures", "utilisation",
              "provenance", "stress"}
    economy = {"handoff-figures", "handoffs", "handoff-matrix", "handoff-sankey",
               "equity-figures", "equity-deprivation", "equity-distance",
               "money-figures", "money", "money-flow"}
    assert common | economy <= _sections(reports["compare"])
    assert common <= _sections(reports["run"])
    assert not (economy | {"chronic-figures", "sweep-figures"}) & _sections(reports["run"])
    sweep = _sections(reports["sweep"])
    assert common | economy | {"sweep-figures", "sweep-grid"} <= sweep
    assert {"sweep-capacity-multiplier-beds",
            "sweep-handoff-between-organisations-delay-days"} <= sweep
    assert not any("questions" in _sections(page) for page in reports.values())


def test_names_from_configs_appear_as_text_never_as_markup(reports):
    page = reports["compare"]
    assert "<script>alert(1)" not in page
    assert html.escape(EVIL) in page
    assert EVIL in _visible_text(page)  # shown to the reader as the text it is


def test_configuration_files_are_shown_as_run(reports):
    page = reports["compare"]
    assert "Unchanged since it was run (SHA-256 matches)." in page
    assert html.escape("name: " + json.dumps(EVIL)) in page  # evil.yaml, escaped in <pre>
    assert "STRESS-DES" in page and "not recorded" in page
    assert "Run again with: pathways compare" in _visible_text(page)


def test_changed_or_missing_configuration_files_are_said_plainly(plain_run, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(plain_run[0], folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["config_files"][0]["sha256"] = "0" * 64
    manifest["config_files"][1]["path"] = str(tmp_path / "gone.yaml")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    text = _visible_text(build_report(folder).read_text())
    assert "has changed since it was run" in text and "no longer exists" in text


def test_the_time_series_starts_at_day_0_with_the_warm_up_shaded(plain_run):
    figure = time_series(load_results(plain_run[0])).figure
    assert min(min(trace.x) for trace in figure.data) == 0
    assert [(shape.x0, shape.x1) for shape in figure.layout.shapes] == [(0, 50.0)]


# --- sentences --------------------------------------------------------------------------


def test_sentences_state_direction_and_size_or_no_significant_difference():
    longer = difference_sentence("B", "A", "rtt_admitted_median_weeks", 0.6, 0.5, 0.7)
    assert longer == ("B's median admitted RTT wait is 0.6 weeks longer than A's "
                      "(95% CI 0.5 to 0.7).")
    lower = difference_sentence("B", "A", "rtt_completed_within_18_weeks_share",
                                -0.031, -0.04, -0.02)
    assert lower == ("B's share of completed pathways within 18 weeks is 3.1 percentage "
                     "points lower than A's (95% CI 2 to 4).")
    for low, high in ((-0.1, 0.3), (0.0, 0.2), (0.0, 0.0)):
        sentence = difference_sentence("B", "A", "handoffs_per_pathway", 0.1 * (high > 0),
                                       low, high)
        assert "No significant difference" in sentence
    assert "no confidence interval" in difference_sentence("B", "A", "wait_mean", 1.0,
                                                           float("nan"), float("nan"), 1)
    assert "95% CI" in level_sentence("A", "wait_mean", 2.0, 1.5, 2.5)


def test_board_sentences_follow_the_stored_intervals(comparison, sweep):
    for folder, _ in (comparison, sweep):
        results = load_results(folder)
        system = results.differences[results.differences["stage"] == ""]
        for point in results.point_ids:
            for label, sentences in board_summary(results, point).items():
                rows = system[(system["scenario"] == label) & (system["point"] == point)]
                rows = rows[rows["metric"].isin(headline_metrics(rows))]
                assert len(sentences) == len(rows) > 0
                for row in rows.itertuples():
                    sentence = difference_sentence(label, results.baseline, row.metric,
                                                   row.mean_difference, row.ci_low,
                                                   row.ci_high, row.n)
                    assert sentence in sentences
                    assert ("No significant difference" in sentence) == (
                        row.ci_low <= 0 <= row.ci_high), sentence
                    assert not VERDICTS.search(sentence), sentence
    evil = board_summary(load_results(comparison[0]))[EVIL]
    assert evil and all(s.startswith("No significant difference") for s in evil)


def test_no_verdicts_anywhere_a_reader_reads(reports):
    for name, page in reports.items():
        assert not VERDICTS.search(_visible_text(page)), name


# --- the KPI table, on intervals written by hand ----------------------------------------------


def _hand_written(folder: Path) -> Path:
    """A comparison folder with chosen intervals, chronic metrics and conditions."""
    rows, differences = [], []
    for scenario, shift in (("base", 0.0), ("other", 1.0)):
        for stage, metric, mean in (("", "rtt_admitted_median_weeks", 10.0),
                                    ("", "wait_mean", 3.0),
                                    ("", "utilisation", 0.8),
                                    ("", "emergency_admissions_per_1000_patient_years", 50.0),
                                    ("condition:copd",
                                     "emergency_admissions_per_1000_patient_years", 80.0)):
            rows.append((scenario, stage, metric, mean + shift, mean + shift - 0.5,
                         mean + shift + 0.5, 5))
    for stage, metric, mean, low, high in (("", "rtt_admitted_median_weeks", 1.0, 0.5, 1.5),
                                           ("", "wait_mean", -1.0, -1.5, -0.5),
                                           ("", "utilisation", 0.01, -0.02, 0.04),
                                           ("", "emergency_admissions_per_1000_patient_years",
                                            1.0, -0.5, 2.5),
                                           ("condition:copd",
                                            "emergency_admissions_per_1000_patient_years",
                                            1.0, -0.5, 2.5)):
        differences.append(("other", "base", stage, metric, mean, low, high, 5,
                            low > 0 or high < 0))
    folder.mkdir()
    pd.DataFrame(rows, columns=["scenario", "stage", "metric", "mean", "ci_low", "ci_high", "n"]
                 ).to_csv(folder / "summary.csv", index=False)
    pd.DataFrame(differences, columns=["scenario", "baseline", "stage", "metric",
                                       "mean_difference", "ci_low", "ci_high", "n", "significant"]
                 ).to_csv(folder / "differences.csv", index=False)
    (folder / "manifest.json").write_text(json.dumps({
        "baseline": "base", "seed": 0, "replications": 5, "command": "pathways compare a b",
        "models": {"base": {"horizon_days": 100, "warmup_days": 10, "config_files": []},
                   "other": {"horizon_days": 100, "warmup_days": 10, "config_files": []}}}))
    return folder


def test_kpi_differences_are_coloured_by_direction_only_where_significant(tmp_path):
    page = build_report(_hand_written(tmp_path / "hand")).read_text()
    table = page[page.index('<section id="kpis">'):page.index("</section>",
                                                               page.index('<section id="kpis">'))]
    assert "Colour shows direction only, not good or bad" in table
    assert re.search(r'<td class="up">&#9650; \+1 \(\+0\.5 to \+1\.5\)</td>', table)
    assert re.search(r'<td class="down">&#9660; -1 \(-1\.5 to -0\.5\)</td>', table)
    assert re.search(r"<td>\+1 \(\+?-2 to \+4\)</td>", table)  # utilisation: percentage points
    assert table.count('class="up"') == 2 and table.count('class="down"') == 2  # legend + cell
    assert "chronic-figures" in _sections(page) and "sweep-figures" not in _sections(page)
    sentences = board_summary(load_results(tmp_path / "hand"))["other"]
    assert sentences == [
        "other's median admitted RTT wait is 1 week longer than base's (95% CI 0.5 to 1.5).",
        ("other's mean queueing time per patient is 1 day shorter than base's "
         "(95% CI 0.5 to 1.5)."),
        ("No significant difference in utilisation between other and base: other minus base "
         "is +1 percentage point (95% CI -2 to +4), an interval that includes zero."),
        ("No significant difference in emergency admission rate between other and base: "
         "other minus base is +1 per 1,000 patient-years (95% CI -0.5 to +2.5), an interval "
         "that includes zero."),
    ]


def test_a_scattered_design_gets_points_not_lines_and_no_grid(sweep, tmp_path):
    folder = tmp_path / "lhs"
    shutil.copytree(sweep[0], folder)
    points = pd.read_csv(folder / "points.csv")
    points["capacity_multiplier.beds"] = [1.1, 1.9, 1.4, 1.6]  # a Latin hypercube, say
    points.to_csv(folder / "points.csv", index=False)
    page = build_report(folder).read_text()
    sections = _sections(page)
    assert "sweep-capacity-multiplier-beds" in sections and "sweep-grid" not in sections
    assert "not a grid" in page


# --- what differs in the pathways ---------------------------------------------------------


def _stage(name: str, holds: str, next_: list[tuple[str, float]], **extra) -> dict:
    return {"name": name, "holds": holds, "by": ["east_trust"], "mean_minutes": 20.0,
            "lead_days": 0.0, "rtt_stop": None,
            "next": [{"to": to, "share": share} for to, share in next_], **extra}


BASE_OUTLINES = {
    "elective": {"start": "first", "stages": [
        _stage("first", "outpatients", [("decision", 0.4), ("exit", 0.6)]),
        _stage("decision", "outpatients", [("exit", 1.0)], rtt_stop="non_admitted")]},
    EVIL: {"start": "s", "stages": [_stage("s", EVIL, [("exit", 1.0)])]},
}


def _with_entries(folder: Path, key: str, base: dict, other: dict) -> Path:
    """The hand-written comparison, its manifest recording `key` (pathways, settings)
    for base and other."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["models"]["base"][key] = base
    manifest["models"]["other"][key] = other
    (folder / "manifest.json").write_text(json.dumps(manifest, sort_keys=True))
    return folder


def _with_outlines(folder: Path, other: dict) -> Path:
    return _with_entries(folder, "pathways", BASE_OUTLINES, other)


def _section(page: str, key: str) -> str:
    start = page.index(f'<section id="{key}">')
    return page[start:page.index("</section>", start)]


def _pathways_section(page: str) -> str:
    return _section(page, "pathways")


def test_pathways_that_differ_from_the_baseline_s_are_shown_beside_it(tmp_path):
    other = {**BASE_OUTLINES, "elective": {"start": "first", "stages": [
        _stage("first", "outpatients", [("exit", 0.6), ("surgery", 0.4)]),
        _stage("surgery", "beds", [("exit", 1.0)], rtt_stop="admitted")]},
        EVIL: {"start": "s", "stages": [_stage("s", EVIL, [("exit", 1.0)], lead_days=7.0)]}}
    page = build_report(_with_outlines(_hand_written(tmp_path / "hand"), other)).read_text()
    assert "pathways" in _sections(page)
    assert '<a href="#pathways">What differs in the pathways</a>' in page
    section = _pathways_section(page)
    assert section.count("<h3>") == 3 and "<h3>elective</h3>" in section  # and the effects
    assert "<h4>base (baseline)</h4>" in section and "<h4>other</h4>" in section
    text = _visible_text(section)
    assert re.search(r"changed +first +outpatients +east_trust +20 min +0 +decision 40%, "
                     r"exit 60%", text)
    assert re.search(r"removed +decision +outpatients .* non_admitted +exit", text)
    assert re.search(r"added +surgery +beds +east_trust +20 min +0 +admitted +exit", text)
    assert EVIL in text and "<script>alert(1)" not in page  # names stay text
    assert re.search(r"changed +s +" + re.escape(EVIL) + r" +east_trust +20 min +7 ", text)


def test_the_pathways_section_says_what_the_changes_did_to_waits_visits_and_capacity(tmp_path):
    folder = _hand_written(tmp_path / "hand")
    differences = pd.read_csv(folder / "differences.csv")
    extra = pd.DataFrame([("other", "base", "", "visits_per_pathway", -0.4, -0.45, -0.35, 5, True),
                          ("other", "base", "kind:outpatients", "busy_units_mean", -0.16, -0.18,
                           -0.14, 5, True)], columns=differences.columns)
    pd.concat([differences, extra]).to_csv(folder / "differences.csv", index=False)
    other = {**BASE_OUTLINES, "elective": {"start": "first", "stages": [
        _stage("first", "outpatients", [("exit", 1.0)])]}}
    section = _visible_text(_pathways_section(build_report(_with_outlines(folder, other))
                                              .read_text()))
    assert "What the changes did, against base" in section
    assert re.search(r"Median admitted RTT wait \(weeks\) +\+1 \(\+0\.5 to \+1\.5\)", section)
    assert re.search(r"Visits per completed referral pathway +-0\.4 \(-0\.45 to -0\.35\)",
                     section)
    assert re.search(r"outpatients: units in use on average \(capacity used\) +-0\.16 "
                     r"\(-0\.18 to -0\.14\)", section)
    assert "Handoffs per completed pathway" not in section  # nothing stored, no row


def test_the_pathways_section_is_left_out_where_no_pathway_differs(comparison, plain_run, sweep,
                                                                   reports, tmp_path):
    for folder, _ in (comparison, plain_run, sweep):  # every model's outlines are stored
        results = load_results(folder)
        assert all(results.pathway_outlines(label) for label in results.labels), folder
    for name, page in reports.items():  # and the models' pathways are the same
        assert "pathways" not in _sections(page), name
    same = build_report(_with_outlines(_hand_written(tmp_path / "same"), BASE_OUTLINES))
    assert "pathways" not in _sections(same.read_text())


def test_results_stored_before_pathway_outlines_still_make_a_report(tmp_path):
    results = load_results(_hand_written(tmp_path / "old"))  # its manifest has no outlines
    assert results.pathway_outlines("base") is None
    assert "pathways" not in _sections(build_report(tmp_path / "old").read_text())


# --- what differs between the models ------------------------------------------------------


def _with_settings(folder: Path, base: dict, other: dict) -> Path:
    return _with_entries(folder, "settings", base, other)


def _differences_section(page: str) -> str:
    return _section(page, "differences")


def test_the_settings_that_differ_are_listed_with_both_values_and_assumptions_flagged(
        tmp_path):
    base = {"allocation.policy": "choice", "organisations.east_trust.owner": None,
            "chronic.case_management.rate_multiplier": 1.0, "horizon_days": 100,
            "need.referral_multiplier_by_quintile": [1.0, 1.0]}
    other = {**base, "allocation.policy": "pooled", "organisations.east_trust.owner": EVIL,
             "chronic.case_management.rate_multiplier": 0.8,
             "need.referral_multiplier_by_quintile": [1.2, 1.0], "contracts.providers.ico": "x"}
    page = build_report(_with_settings(_hand_written(tmp_path / "hand"), base, other)
                        ).read_text()
    assert page.index('<section id="differences">') < page.index('<section id="kpis">')
    text = _visible_text(_differences_section(page))
    assert re.search(r"allocation\.policy +choice +pooled", text)
    assert re.search(r"organisations\.east_trust\.owner +not set +" + re.escape(EVIL), text)
    assert re.search(r"need\.referral_multiplier_by_quintile +\[1\.0, 1\.0\] +\[1\.2, 1\.0\]",
                     text)
    assert re.search(r"contracts\.providers\.ico +not set +x", text)
    assert "horizon_days" not in text  # the same in both
    assert re.search(r"Flag: chronic\.case_management\.rate_multiplier differs, and it is an "
                     r"assumed multiplier on exacerbations", text)
    assert "<script>alert(1)" not in page
    # the settings fill the manifest file, not the page's copy of it
    assert '"settings"' not in page


def test_many_differing_settings_fold_away_after_the_first_ones(tmp_path):
    base = {f"resources.r{i}.capacity": 1 for i in range(40)}
    other = {path: 2 for path in base}
    section = _differences_section(build_report(
        _with_settings(_hand_written(tmp_path / "hand"), base, other)).read_text())
    assert "<summary>15 more settings differ</summary>" in section
    assert section.count("<tr><th scope=\"row\">") == 40


def test_no_differences_section_without_stored_settings_or_a_baseline(tmp_path, plain_run):
    assert "differences" not in _sections(build_report(_hand_written(tmp_path / "old"))
                                          .read_text())
    folder, _ = plain_run
    assert "differences" not in _sections(build_report(folder).read_text())


def test_integrated_against_competitive_lists_the_allocation_policy_and_the_owners(tmp_path):
    from pathways.config import load_config
    from pathways.model.settings import settings

    models = Path(__file__).parents[2] / "models"
    competitive, integrated = (settings(load_config(models / f"{name}.yaml").config)
                               for name in ("competitive", "integrated"))
    text = _visible_text(_differences_section(build_report(
        _with_settings(_hand_written(tmp_path / "hand"), competitive, integrated)).read_text()))
    assert re.search(r"allocation\.policy +choice +pooled", text)
    for organisation in ("city_trust", "north_trust", "south_trust", "community"):
        assert re.search(rf"organisations\.{organisation}\.owner +not set +ico", text)
    assert "Flag:" not in text  # ownership and pooling are mechanisms, not assumptions


# --- the answer first ---------------------------------------------------------------------


def test_the_answer_is_the_three_board_differences_largest_against_their_intervals(tmp_path):
    from pathways.report.sentences import board_answer

    folder = _hand_written(tmp_path / "hand")  # admitted wait +1 (0.5 to 1.5): 2 half-widths
    differences = pd.read_csv(folder / "differences.csv")
    extra = pd.DataFrame([
        ("other", "base", "", "handoffs_per_pathway", -0.9, -1.0, -0.8, 5, True),      # 9
        ("other", "base", "", "cancelled_operations_per_year", 50, 10, 90, 5, True),   # 1.25
        ("other", "base", "", "rtt_completed_within_18_weeks_share", -0.01, -0.02, -0.0001,
         5, True),                                                                     # 1.01
        ("other", "base", "", "throughput_per_day", -9.0, -9.1, -8.9, 5, True),  # not board
    ], columns=differences.columns)
    pd.concat([differences, extra]).to_csv(folder / "differences.csv", index=False)
    answer = board_answer(load_results(folder))
    assert len(answer) == 3
    assert answer[0].startswith("other's number of handoffs between organisations per "
                                "completed pathway is 0.9 lower than base's (95% CI 0.8 to 1)")
    assert "median admitted RTT wait is 1 week longer" in answer[1]
    assert "cancelled operations" in answer[2]
    page = build_report(folder).read_text()
    body = page[page.index("<body>"):]  # a reader sees the body, not the style sheet
    first_screen = re.sub(r"\s+", " ", _visible_text(body))[:1500]
    for sentence in answer:
        assert sentence in first_screen


def test_with_no_board_difference_beyond_its_interval_the_answer_says_so(tmp_path):
    from pathways.report.sentences import board_answer

    folder = _hand_written(tmp_path / "hand")
    differences = pd.read_csv(folder / "differences.csv")
    differences = differences[differences.metric != "rtt_admitted_median_weeks"]
    differences.to_csv(folder / "differences.csv", index=False)
    assert board_answer(load_results(folder)) == [
        "No headline figure of other differs from base's beyond its 95% confidence interval."]


# --- utilisation, grouped by kind ---------------------------------------------------------


def test_utilisation_shows_kinds_first_and_never_more_than_25_bars_of_one_kind(tmp_path):
    from pathways.report.figures import MAX_BARS, utilisation

    folder = _hand_written(tmp_path / "hand")
    summary = pd.read_csv(folder / "summary.csv")
    rows, kinds = [], {}
    for name, kind in [*((f"nurse{i}", "practice_nurse") for i in range(30)),
                       ("clinic_a", "outpatients"), ("clinic_b", "outpatients")]:
        kinds[f"resources.{name}.kind"] = kind
        rows += [(scenario, f"resource:{name}", "utilisation", 0.5, 0.4, 0.6, 5)
                 for scenario in ("base", "other")]
    rows += [(scenario, f"kind:{kind}", "utilisation", 0.5, 0.4, 0.6, 5)
             for kind in ("practice_nurse", "outpatients") for scenario in ("base", "other")]
    pd.concat([summary, pd.DataFrame(rows, columns=summary.columns)]).to_csv(
        folder / "summary.csv", index=False)
    _with_settings(folder, kinds, kinds)
    figure = utilisation(load_results(folder))
    buttons = figure.figure.layout.updatemenus[0].buttons
    assert [button.label for button in buttons] == ["every kind", "outpatients: each resource"]
    assert [tuple(trace.y) for trace in figure.figure.data] == [
        ("practice_nurse", "outpatients")] * 2  # one trace a model, kinds first
    chosen = [button.args[0]["y"] for button in buttons]  # the menu swaps the bars' data
    assert chosen[1] == [["clinic_a", "clinic_b"]] * 2
    assert max(len(y) for bars in chosen for y in bars) <= MAX_BARS
    assert "practice_nurse (30)" in figure.caption and "pooled list" in figure.caption


def test_utilisation_of_a_network_without_kinds_shows_each_resource(plain_run):
    from pathways.report.figures import utilisation

    folder, _ = plain_run
    figure = utilisation(load_results(folder))
    assert not figure.figure.layout.updatemenus  # one group: nothing to choose
    assert [tuple(trace.y) for trace in figure.figure.data] == [("clinicians",)]
