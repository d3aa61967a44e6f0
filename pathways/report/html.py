"""Assemble the report: one self-contained HTML page.

plotly.js is embedded once, in the page's first script; each figure is a div and a
short script with its data. Nothing is fetched from anywhere: no CDN, no web fonts
(the page uses the reader's system fonts), no MathJax, no plotly logo link. Every
string that comes from a configuration or from results is escaped with
``html.escape``; plotly escapes ``<``, ``>`` and ``/`` in the figure data it writes
into its scripts, and each figure's HTML is checked to hold exactly one script, so a
name such as ``</script>`` cannot end a script early.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape

import pandas as pd

from pathways.report.animation import with_animation
from pathways.report.figures import Figure, all_figures
from pathways.report.load import Results
from pathways.report.model_differences import model_differences_section
from pathways.report.pathway_changes import pathway_changes_section
from pathways.report.precision import (
    Shortfall,
    replication_shortfall,
    section_note,
    warning_text,
)
from pathways.report.provenance import (
    config_files,
    configuration_warnings,
    manifest_facts,
    stress_checklist,
    warmup_findings,
)
from pathways.report.sentences import answer_sentences, board_answer, board_summary
from pathways.report.tables import LEGEND, kpi_tables, rows_table
from pathways.report.waiting_list import waiting_list_section
from pathways.report.wording import counted, estimate

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "toImageButtonOptions": {"format": "png", "scale": 2}}
#: The one address plotly.js carries for fetching anything: where geo maps load their
#: outlines. No figure here is a map; it is pointed at a relative path so that the page
#: names no host it could ever fetch from.
_PLOTLY_TOPOJSON_URL = '"https://cdn.plot.ly/un/"'


#: Plotly's Play button rejects its animation's promise, with no reason, when Pause or
#: the slider interrupts it, and nothing catches it: the browser logs an error for a
#: click a reader is meant to make. Only such reasonless rejections are silenced.
_QUIET_INTERRUPTED_ANIMATION = ("window.addEventListener('unhandledrejection', e => "
                                "{ if (e.reason === undefined) e.preventDefault(); });")


class UnsafeFigure(Exception):
    """A figure's HTML that does not hold exactly one script (it would break the page)."""


@lru_cache(maxsize=1)
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    js = get_plotlyjs().replace(_PLOTLY_TOPOJSON_URL, '"topojson/"')
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def figure_html(figure: Figure) -> str:
    height = figure.figure.layout.height or 450
    div = figure.figure.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False,
                                config=PLOTLY_CONFIG, div_id=f"fig-{figure.key}",
                                default_width="100%", default_height=f"{height}px",
                                validate=False, auto_play=False)
    lowered = div.lower()
    if lowered.count("<script") != 1 or lowered.count("</script") != 1:
        raise UnsafeFigure(f"figure {figure.key} does not hold exactly one script")
    return (f"<figure id=\"{escape(figure.key)}\"><h3>{escape(figure.title)}</h3>{div}"
            f"<figcaption>{escape(figure.caption)}</figcaption></figure>")


_CSS = """
:root { --ink: #222; --muted: #555; --rule: #ddd; --up: #d6e6f5; --up-ink: #0b4f8a;
        --down: #fde2c4; --down-ink: #8a4b00; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 0; line-height: 1.45; background: #fff; }
header { padding: 1.5rem 2rem 1rem; border-bottom: 1px solid var(--rule); background: #f7f7f7; }
header h1 { margin: 0 0 .3rem; font-size: 1.6rem; }
header p { margin: .2rem 0; color: var(--muted); }
nav { padding: .5rem 2rem; border-bottom: 1px solid var(--rule); position: sticky; top: 0;
      background: #fff; z-index: 10; font-size: .92rem; }
nav a { margin-right: 1rem; color: #0b4f8a; text-decoration: none; white-space: nowrap; }
main { padding: 0 2rem 3rem; max-width: 1400px; }
section { margin-top: 2rem; scroll-margin-top: 3.5rem; }
h2 { border-bottom: 2px solid var(--rule); padding-bottom: .2rem; }
h3 { margin-bottom: .3rem; }
figure { margin: 1.2rem 0 2rem; }
figcaption, .note { color: var(--muted); font-size: .92rem; max-width: 70rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .92rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .55rem; text-align: left;
         vertical-align: top; }
thead th { background: #f2f2f2; }
table.kpi td { text-align: right; white-space: nowrap; }
.sub { font-weight: normal; color: var(--muted); font-size: .85em; }
.up { background: var(--up); color: var(--up-ink); }
.down { background: var(--down); color: var(--down-ink); }
span.up, span.down { padding: 0 .3rem; }
ul.sentences li { margin: .25rem 0; max-width: 70rem; }
pre { background: #f7f7f7; border: 1px solid var(--rule); padding: .7rem; overflow-x: auto;
      font-size: .82rem; max-height: 36rem; }
details { margin: .5rem 0; }
.side-by-side { display: flex; flex-wrap: wrap; gap: 0 2rem; align-items: flex-start; }
h4 { margin: .8rem 0 .2rem; }
tr.changed td { background: #f3f0e6; }
p.flag { color: #8a4b00; }
p.warning, div.warning { color: #8a1c1c; background: #fbeaea; padding: .3rem .6rem;
                         max-width: 70rem; }
div.answer { font-size: 1.1rem; border-left: 4px solid #4a90d9; padding-left: .8rem; }
summary { cursor: pointer; }
.status-matches { color: #1d6b2f; } .status-changed, .status-missing { color: #8a1c1c; }
.status-unverified { color: #8a4b00; }
"""

_SECTION_TITLES = {
    "questions": "Seed questions",
    "summary": "Board summary",
    "kpis": "Key figures",
    "differences": "What differs between the models",
    "pathways": "What differs in the pathways",
    "waiting-list": "Waiting-list check",
    "waits": "Wait distributions",
    "over-time": "Waiting lists and beds over time",
    "animation": "Patients moving through the stages",
    "handoff-figures": "Handoffs",
    "utilisation-figures": "Resource utilisation",
    "money-figures": "Money",
    "chronic-figures": "Chronic care",
    "equity-figures": "Equity",
    "sweep-figures": "Sweep",
    "provenance": "Assumptions and provenance",
    "stress": "STRESS-DES checklist",
}


def page(results: Results) -> tuple[str, list[Figure]]:
    """The whole page, and the figures in it (for static export)."""
    point = results.point_ids[0]
    figures = with_animation(all_figures(results, point), results)
    files = config_files(results)
    sections: list[tuple[str, str]] = [("summary", _board(results))]
    differences = model_differences_section(results)
    if differences is not None:
        sections.append(("differences", differences))
    sections.append(("kpis", _kpis(results)))
    if results.answers is not None:
        sections.insert(0, ("questions", _questions(results.answers)))
    changes = pathway_changes_section(results)
    if changes is not None:
        sections.append(("pathways", changes))
    check = waiting_list_section(results, files, point)
    if check is not None:
        sections.append(("waiting-list", check))
    first_figures = True
    for name, figs in figures.items():
        if not figs:
            continue
        body = "\n".join(figure_html(f) for f in figs)
        if results.kind == "sweep" and name != "sweep-figures" and first_figures:
            others = ("the Seed questions section answers every question"
                      if results.answers is not None else "the Sweep section shows every point")
            body = (f"<p class=\"note\">These figures, like those of the sections down to "
                    f"Equity, show design point {point} ({escape(results.point_label(point))}); "
                    f"{others}.</p>" + body)
            first_figures = False
        sections.append((name, body))
    warmups, warmup_source = warmup_findings(results)
    sections.append(("provenance", _provenance(results, files, warmups, warmup_source)))
    sections.append(("stress", _stress(results, files, warmups)))
    nav = " ".join(f"<a href=\"#{key}\">{escape(_SECTION_TITLES[key])}</a>"
                   for key, _ in sections)
    shortfall = replication_shortfall(results.summary)
    body = "\n".join(f"<section id=\"{key}\"><h2>{escape(_SECTION_TITLES[key])}</h2>\n"
                     f"{_section_warning(shortfall, key)}{html}</section>"
                     for key, html in sections)
    title = f"pathways report: {results.folder.name or results.folder}"
    document = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pathways report">
<title>{escape(title)}</title>
<style>{_CSS}</style>
<script type="text/javascript">{plotly_js()}</script>
<script type="text/javascript">{_QUIET_INTERRUPTED_ANIMATION}</script>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
{_answer(results)}
{_replication_warning(shortfall)}
{_configuration_warnings(results)}
{_intro(results)}
</header>
<nav>{nav}</nav>
<main>
{body}
</main>
</body>
</html>
"""
    return document, [f for figs in figures.values() for f in figs]


def _answer(results: Results) -> str:
    """The answer first: at most three sentences, before anything else on the page."""
    sentences = board_answer(results)
    if not sentences:
        return ""
    compared = results.compared_at(results.point_ids[0])
    note = ("The largest differences against the baseline relative to their 95% "
            "confidence intervals, among waits, handoffs, emergency admissions, cancelled "
            "operations and spending; every figure is below." if compared else
            "The first of the board's figures; every figure is below.")
    items = "".join(f"<li>{escape(sentence)}</li>" for sentence in sentences)
    return (f"<div class=\"answer\"><ul class=\"sentences\">{items}</ul>"
            f"<p class=\"note\">{escape(note)}</p></div>")


def _replication_warning(shortfall: Shortfall | None) -> str:
    """On the first screen, under the answer: results short of the automatic
    replication rule (pathways.report.precision)."""
    if shortfall is None:
        return ""
    return f"<p class=\"warning\"><strong>Warning:</strong> {escape(warning_text(shortfall))}</p>"


def _configuration_warnings(results: Results) -> str:
    """On the first screen too: what the configurations were warned of when loaded."""
    warnings = configuration_warnings(results)
    if not warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in warnings)
    return (f"<div class=\"warning\"><strong>Warnings from the configuration</strong>, "
            f"as given when it was loaded:<ul>{items}</ul></div>")


#: Sections that state no interval, so need no replication warning.
_WITHOUT_INTERVALS = frozenset({"differences", "provenance", "stress", "animation"})


def _section_warning(shortfall: Shortfall | None, key: str) -> str:
    """The replication warning's reminder, at the top of each section with intervals."""
    if shortfall is None or key in _WITHOUT_INTERVALS:
        return ""
    return f"<p class=\"warning\">{escape(section_note(shortfall))}</p>"


def _intro(results: Results) -> str:
    labels = list(results.labels)
    replications = counted(results.replications(), "replication")
    if results.kind == "run":
        what = f"One model, {labels[0]}, over {replications}."
    elif results.kind == "compare":
        what = (f"{len(labels)} models on common random numbers over {replications}: "
                f"{', '.join(labels)}; the baseline is {results.baseline}.")
    else:
        runner = (results.manifest.get("runner") or {}).get("name") or results.folder.name
        what = (f"Sweep {runner}: {counted(len(labels), 'model')} ({', '.join(labels)}) at "
                f"{counted(len(results.point_ids), 'design point')}, {replications}"
                + (f"; the baseline is {results.baseline}." if results.baseline else "."))
    return (f"<p>{escape(what)}</p><p>Built from the results stored in "
            f"<code>{escape(str(results.folder))}</code>; nothing was simulated again. "
            "Differences are stated by direction and size only: the report never says "
            "that one way of organising care is preferable.</p>")


def _board(results: Results) -> str:
    if results.baseline and results.differences is not None:
        intro = (f"Each sentence compares a model with the baseline, "
                 f"{results.baseline}, on the whole system: the mean paired difference "
                 f"over {counted(results.replications(), 'replication')} on common random numbers, "
                 "with its 95% confidence interval. Where the interval includes zero the "
                 "sentence says there is no significant difference.")
    else:
        intro = ("Each model's whole-system headline figures: means over replications with "
                 "their 95% confidence intervals.")
    parts = [f"<p class=\"note\">{escape(intro)}</p>"]
    points = results.point_ids
    for i, point in enumerate(points):
        blocks = []
        for label, sentences in board_summary(results, point).items():
            heading = (f"{label} compared with {results.baseline}"
                       if results.compared_at(point) else label)
            items = "".join(f"<li>{escape(s)}</li>" for s in sentences) or (
                "<li>No headline metric to report.</li>")
            blocks.append(f"<h3>{escape(heading)}</h3><ul class=\"sentences\">{items}</ul>")
        html = "\n".join(blocks)
        if results.kind == "sweep":
            open_ = " open" if i == 0 else ""
            html = (f"<details{open_}><summary>Point {point}: "
                    f"{escape(results.point_label(point))}</summary>{html}</details>")
        parts.append(html)
    return "\n".join(parts)


def _questions(answers: pd.DataFrame) -> str:
    """Each question of the runner, answered in one sentence, then the answers table."""
    intro = ("Each question of the runner file is answered by the paired difference of its "
             "two arms (compare minus against) over replications on common random numbers, "
             "with its 95% confidence interval. The verdict sets the interval against what "
             "the seed paper expects: \u201cas expected\u201d or \u201copposite\u201d where it "
             "excludes zero, \u201cunclear\u201d where it includes zero, \u201creported\u201d "
             "where the seed claims no direction. A verdict tests a seed's claim about a "
             "mechanism; it does not say that one way of organising care is preferable.")
    items = "".join(
        f"<li><strong>{escape(row.question)}</strong>: {escape(row.ask)}<br>{escape(sentence)}"
        f" <em>Verdict: {escape(row.verdict)}.</em></li>"
        for row, sentence in zip(answers.itertuples(index=False), answer_sentences(answers),
                                 strict=True))
    table = rows_table([(r.question, r.seed, r.metric, r.stage or "(system)", r.compare,
                         r.against, r.expect,
                         estimate(r.metric, r.mean_difference, r.ci_low, r.ci_high, signed=True),
                         int(r.n), r.verdict) for r in answers.itertuples(index=False)],
                       ("question", "seed", "metric", "level", "compare", "against", "expect",
                        "difference (95% CI)", "n", "verdict"))
    return (f"<p class=\"note\">{escape(intro)}</p><ul class=\"sentences\">{items}</ul>"
            f"<details><summary>The answers table (answers.csv)</summary>{table}</details>")


def _kpis(results: Results) -> str:
    legend = f"<p class=\"note\">{LEGEND}</p>" if results.differences is not None else ""
    intro = ("<p class=\"note\">Whole-system metrics: each model's mean over replications "
             "with its 95% confidence interval" + (", and each model's paired difference "
                                                   "from the baseline" if legend else "")
             + ". Shares are in per cent; their differences in percentage points.</p>")
    points = results.point_ids
    if results.kind != "sweep":
        return intro + legend + kpi_tables(results, points[0])
    tables = [f"<details{' open' if i == 0 else ''}><summary>Point {point}: "
              f"{escape(results.point_label(point))}</summary>{kpi_tables(results, point)}"
              "</details>" for i, point in enumerate(points)]
    return intro + legend + "\n".join(tables)


def _provenance(results: Results, files, warmups, warmup_source: str) -> str:
    parts = ["<h3>Warm-up</h3>", f"<p class=\"note\">{escape(warmup_source)}</p>"]
    if warmups:
        items = "".join(
            f"<li>{'' if f.sufficient else '<strong>Warning:</strong> '}"
            f"{escape(f.where + ': ' if f.where else '')}{escape(f.message)}</li>"
            for f in warmups)
        parts.append(f"<ul>{items}</ul>")
    elif results.kind == "sweep" and results.manifest.get("warmup_warnings") is not None:
        parts.append("<p>No warm-up warning: every configured warm-up is at least the MSER-5 "
                     "truncation point.</p>")
    parts.append("<h3>Run settings</h3>")
    parts.append(rows_table(manifest_facts(results), ("what", "value")))
    parts.append("<h3>Configuration files as run</h3>")
    if not files:
        parts.append("<p>The manifest lists no configuration files.</p>")
    for f in files:
        sha = f" (SHA-256 recorded {escape(f.recorded_sha256)})" if f.recorded_sha256 else ""
        header = (f"<code>{escape(f.path)}</code>{sha}: <span class=\"status-{f.status}\">"
                  f"{escape(f.note)}</span>")
        if f.text is None:
            parts.append(f"<p>{header}</p>")
        else:
            parts.append(f"<details><summary>{header}</summary><pre>{escape(f.text)}</pre>"
                         "</details>")
    manifest_text = json.dumps(_without_settings(results.manifest), indent=2, sort_keys=True)
    parts.append("<details><summary>The manifest (manifest.json; each model's settings, "
                 "hundreds of lines, are in the file and in What differs between the "
                 "models)</summary>"
                 f"<pre>{escape(manifest_text)}</pre></details>")
    return "\n".join(parts)


def _without_settings(manifest: dict) -> dict:
    """The manifest without the models' settings (pathways.model.settings)."""
    shown = {key: value for key, value in manifest.items() if key != "settings"}
    if isinstance(shown.get("models"), dict):
        shown["models"] = {label: ({k: v for k, v in entry.items() if k != "settings"}
                                   if isinstance(entry, dict) else entry)
                           for label, entry in shown["models"].items()}
    return shown


def _stress(results: Results, files, warmups) -> str:
    rows = stress_checklist(results, files, warmups)
    intro = ("<p class=\"note\">The Strengthening the Reporting of Empirical Simulation "
             "Studies checklist for discrete-event simulation (STRESS-DES; Monks et al., "
             "Journal of Simulation, 2019), filled in from what the results record. Items "
             "the results cannot tell are marked \u201cnot recorded\u201d: they are for the "
             "study's authors to complete.</p>")
    return intro + rows_table([(s, n, i, k) for s, n, i, k in rows],
                              ("section", "item", "name", "what the results record"))
