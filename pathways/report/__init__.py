"""HTML reports built from stored results, without simulating again.

``build_report(results_dir)`` reads a results folder of ``pathways run``, ``compare``
or ``sweep`` and writes one self-contained interactive HTML page (plotly.js embedded
once; nothing fetched from any other host): the answer first, with the warnings a
reader needs (too few replications, the configuration's); for a sweep with questions,
each answer in one sentence; a board summary in plain English from the confidence
intervals, what differs between the models' settings, the key figures, what differs in
the models' pathways, wait distributions, the waiting list over time, an animation of
patients moving through the stages, handoffs, utilisation, chronic care, equity, the
sweep's responses, and the assumptions and provenance of the run with a STRESS-DES
checklist.

Modules: ``load`` (reading the three kinds of folder), ``wording`` (how values are
written; what metrics are called is in ``pathways.metrics.registry``), ``precision``
(the replication warning), ``sentences`` (the board summary and the answers to
questions), ``tables`` (the KPI table), ``figures`` (plotly figures),
``model_differences`` and ``pathway_changes`` (settings and pathways that differ from
the baseline's), ``provenance`` (manifest, configuration files, STRESS-DES),
``animation`` (replication 0's patients moving through the stages) and ``html`` (the
page).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pathways.report.load import ReportError, Results, load_results

REPORT_FILE = "report.html"
STATIC_FORMATS = ("png", "svg")

__all__ = ["REPORT_FILE", "ReportError", "Results", "build_report", "load_results",
           "static_figures"]


def build_report(results_dir: str | os.PathLike[str],
                 out_file: str | os.PathLike[str] | None = None,
                 static: tuple[str, ...] = (), animation: bool = True) -> Path:
    """Write the report of ``results_dir`` to ``out_file`` (default: ``report.html`` in
    the folder), atomically, and return its path. ``static``: also write every figure
    as ``png`` and/or ``svg`` files into ``<report name>_figures/`` (needs kaleido);
    ``animation=False``: leave out the animation of patients even where there is one."""
    from pathways.report.html import page

    for fmt in static:
        if fmt not in STATIC_FORMATS:
            raise ReportError(f"static figures can be png or svg, not {fmt!r}")
    if static:
        _need_kaleido()
    results = load_results(results_dir, animation=animation)
    out = Path(out_file) if out_file is not None else Path(results_dir) / REPORT_FILE
    if out.is_dir():
        out = out / REPORT_FILE
    document, figures = page(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(document)
        os.chmod(temporary, 0o666 & ~_umask())  # as a plain open() would (mkstemp: 0600)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if static:
        static_figures(figures, out.parent / f"{out.stem}_figures", static)
    return out


def static_figures(figures, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    """Every figure as a static image (``formats``: png, svg), named by its key."""
    _need_kaleido()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for figure in figures:
        for fmt in formats:
            path = folder / f"{figure.key}.{fmt}"
            figure.figure.write_image(path, format=fmt, width=1100,
                                      height=figure.figure.layout.height or 500)
            written.append(path)
    return written


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _need_kaleido() -> None:
    try:
        import kaleido  # noqa: F401
    except ImportError as error:
        raise ReportError("static figures (--png, --svg) need kaleido, which is not "
                          "installed; it comes with the images extra: "
                          "pip install 'pathways[images]'") from error
