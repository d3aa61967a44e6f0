"""Snapshots of the report's text on a small fixed economy (issue 16).

The small economy of the runner tests (tests/experiment/malformed_runners/models: two
practices, two trusts, bookable clinics, beds) is compared with its pooled-list variant
at 2 replications, seed 0, and run alone at 2 replications; each report's visible text
(what a reader sees without opening anything: no scripts, no styles, nothing inside a
closed <details> but its summary) is compared with the snapshot stored in
tests/report/snapshots/. A mismatch fails with a unified diff of snapshot and report.

Lines that vary from one checkout or machine to the next are masked before comparing:
the temporary folder (results folder, configuration paths, the command to run again)
and the versions of Python and the packages.

After a deliberate change to the report's words, look at the diff, then write the new
snapshots with

    PATHWAYS_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/report/test_snapshots.py

and commit them with the change: the diff of the snapshot files is the change a reader
will see. About 6 s together on 2 idle cores (9 s under load); no browser.
"""

import difflib
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.report.test_browser import invoke

MODELS = Path(__file__).parents[1] / "experiment" / "malformed_runners" / "models"
SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = "PATHWAYS_UPDATE_SNAPSHOTS"
REPLICATIONS = 2

# Elements that start a line of text (roughly as a browser's innerText breaks them).
_BLOCK = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
          "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
          "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
          "tbody", "tfoot", "thead", "tr", "ul"}
_CELL = {"td", "th"}
_HIDDEN = {"head", "noscript", "script", "style", "template", "title"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool, bool]] = []  # (tag, hidden, closed <details>)
        self.parts: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.open) and (self.open[-1][1] or self.open[-1][2])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        parent_hidden = bool(self.open) and self.open[-1][1]
        in_closed_details = bool(self.open) and self.open[-1][2]
        hidden = (parent_hidden or tag in _HIDDEN or "hidden" in attrs
                  or (in_closed_details and tag != "summary"))
        if not hidden:
            self.parts.append("\n" if tag in _BLOCK else "\t" if tag in _CELL else "")
        if tag not in _VOID:
            self.open.append((tag, hidden, tag == "details" and "open" not in attrs))

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK and not (self.open and self.open[-1][1]):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in (t for t, _, _ in self.open):
            return
        while self.open:
            opened, hidden, _ = self.open.pop()
            if opened == tag:
                break
        if tag in _BLOCK and not hidden:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._hidden():
            return
        if any(t == "pre" for t, _, _ in self.open):
            self.parts.append(data)
        else:
            self.parts.append(re.sub(r"\s+", " ", data))


def visible_text(html: str) -> str:
    """The report's text as a reader sees it on opening, one block a line, cells by tabs."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r" *\t *", "\t", re.sub(r" {2,}", " ", line)).strip(" \t")
             for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line) + "\n"


def masked(text: str, folder: Path, versions: dict) -> str:
    """``text`` without what varies by checkout and machine: the temporary folder and the
    versions of Python and the packages (``versions``, as the manifest records them)."""
    text = text.replace(str(folder), "<tmp>")
    for name, version in versions.items():
        text = re.sub(rf"^(version: {re.escape(name)})\t{re.escape(str(version))}$",
                      r"\1\t<version>", text, flags=re.MULTILINE)
        # STRESS-DES 5.1 lists them in a sentence: "numpy 2.4.6, pandas 3.1.1, ..."
        text = text.replace(f"{name} {version}", f"{name} <version>")
    return text


def report_text(out: Path, folder: Path) -> str:
    """The visible text of out/report.html, masked."""
    versions = json.loads((out / "manifest.json").read_text()).get("versions") or {}
    text = visible_text((out / "report.html").read_text(encoding="utf-8"))
    return masked(text, folder, versions)


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get(UPDATE, "").strip() not in ("", "0"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"\nwrote {path}")
        return
    if not path.is_file():
        pytest.fail(f"no snapshot {path}: write it with {UPDATE}=1 (see this module's "
                    "docstring) and read it before committing it", pytrace=False)
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), text.splitlines(keepends=True),
            fromfile=f"snapshot {path.relative_to(Path(__file__).parents[2])}",
            tofile="this report", n=1))
        pytest.fail(f"the report's visible text differs from its snapshot; if the change is "
                    f"meant, rerun with {UPDATE}=1 and commit the new snapshot:\n{diff}",
                    pytrace=False)


@pytest.fixture
def models(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    for name in ("small.yaml", "pooled.yaml", "practices.csv"):
        shutil.copy(MODELS / name, folder / name)
    return folder


def test_compare_report_text_matches_its_snapshot(models, tmp_path):
    out = tmp_path / "small-vs-pooled"
    invoke("compare", models / "small.yaml", models / "pooled.yaml", "-n", REPLICATIONS,
           "--seed", 0, "--workers", 1, "-q", "--out", out)
    check_snapshot("small-vs-pooled.txt", report_text(out, tmp_path))


def test_run_report_text_matches_its_snapshot(models, tmp_path):
    out = tmp_path / "small"
    invoke("run", models / "small.yaml", "-n", REPLICATIONS, "--seed", 0, "--workers", 1,
           "-q", "--out", out)
    check_snapshot("small.txt", report_text(out, tmp_path))


# The extraction itself, on a page small enough to read.
_PAGE = """<!DOCTYPE html><html><head><title>t</title><style>p {color: red}</style>
<script>var hidden = "<p>not text</p>";</script></head><body>
<header><h1>Title</h1>
<ul><li>First &amp; <strong>bold</strong> sentence.</li><li>Second.</li></ul></header>
<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>
<details><summary>Shown summary</summary><p>closed body</p>loose closed text</details>
<details open><summary>Open</summary><p>open body</p></details>
<p hidden>hidden paragraph</p><pre>  kept
  lines</pre></body></html>"""


def test_visible_text_keeps_what_a_reader_sees():
    assert visible_text(_PAGE) == ("Title\nFirst & bold sentence.\nSecond.\na\tb\n1\t2\n"
                                   "Shown summary\nOpen\nopen body\nkept\nlines\n")


def test_masked_leaves_out_folders_and_versions(tmp_path):
    text = (f"Built from {tmp_path}/results.\nversion: numpy\t2.4.6\n"
            "numpy 2.4.6, python 3.11.7.\nOver 2 replications (95% CI 1.2 to 3.4).\n")
    assert masked(text, tmp_path, {"numpy": "2.4.6", "python": "3.11.7"}) == (
        "Built from <tmp>/results.\nversion: numpy\t<version>\n"
        "numpy <version>, python <version>.\nOver 2 replications (95% CI 1.2 to 3.4).\n")
