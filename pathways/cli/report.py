"""`pathways report`: one self-contained HTML report from a stored results folder.

``write_default_report`` is what ``run``, ``compare`` and ``sweep`` call to leave
``report.html`` in their folder.
"""

from __future__ import annotations

from pathlib import Path

import click

from pathways.cli.common import bad_input_on
from pathways.cli.options import animation_option


@click.command()
@click.argument("results_dir", metavar="RESULTS_DIR",
                type=click.Path(exists=True, file_okay=False))
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
              help="HTML file to write [default: RESULTS_DIR/report.html].")
@click.option("--png", is_flag=True,
              help="Also write each figure as a PNG into <report>_figures/ (needs kaleido).")
@click.option("--svg", is_flag=True,
              help="Also write each figure as an SVG into <report>_figures/ (needs kaleido).")
@animation_option("Show the animation of patients moving through the stages where the "
                  "results hold it (--no-animation: a smaller report).")
def report(results_dir: str, out: str | None, png: bool, svg: bool, animation: bool) -> None:
    """Build one self-contained interactive HTML report from the results stored in
    RESULTS_DIR (of pathways run, compare or sweep), without simulating again."""
    from pathways.report import ReportError, build_report

    static = tuple(fmt for fmt, wanted in (("png", png), ("svg", svg)) if wanted)
    with bad_input_on(ReportError):
        path = build_report(results_dir, out, static=static, animation=animation)
    if static:
        click.echo(f"figures written to {path.parent / (path.stem + '_figures')}/")
    click.echo(f"report written to {path}")


def write_default_report(out_dir: Path, no_report: bool) -> None:
    """After run, compare or sweep: write ``report.html`` into ``out_dir`` and print its
    path, or, with ``--no-report``, remove a stale one an earlier run left there. A
    report that fails is a warning: the results themselves are written already."""
    from pathways.report import REPORT_FILE, build_report

    if no_report:
        (Path(out_dir) / REPORT_FILE).unlink(missing_ok=True)
        return
    try:
        path = build_report(out_dir)
    except Exception as error:  # noqa: BLE001 - the results are safe; say why, go on
        click.echo(f"warning: the report could not be written ({type(error).__name__}: "
                   f"{error}); the results are complete: try pathways report {out_dir}",
                   err=True)
        return
    click.echo(f"report written to {path}")
