"""`pathways sweep`: every model of a runner file over its parameter design.

Registered by ``pathways.cli.main``; like ``compare`` it imports main's helpers only
when it runs (see the note in pathways.cli.compare).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pathways.cli.options import no_report_option, out_option, quiet_option

EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C


@click.command()
@click.argument("runner", type=click.Path(dir_okay=False))
@click.option("--workers", "-w", default=0, show_default=True, type=click.IntRange(min=0),
              help="Local processes (0: every core); results do not depend on it.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on a Dask distributed cluster instead, e.g. tcp://host:8786.")
@out_option("results/<runner name>")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted sweep in the same folder: only missing runs run.")
@quiet_option
@no_report_option
def sweep(runner: str, workers: int, scheduler: str | None, out: str | None, resume: bool,
          quiet: bool, no_report: bool) -> None:
    """Run every model of RUNNER at every point of its design (or the arms of its
    questions) and write runs.parquet, summary.csv, differences.csv, points.csv,
    timeseries.parquet, answers.csv (with questions), manifest.json and report.html."""
    from pathways.cli.main import _reports_bad_input

    _reports_bad_input(_sweep)(runner, workers, scheduler, out, resume, quiet, no_report)


def _sweep(path: str, workers: int, scheduler: str | None, out: str | None, resume: bool,
           quiet: bool, no_report: bool = False) -> None:
    from pathways.cli.folders import results_folder, writing_results
    from pathways.cli.main import EXIT_BAD_INPUT
    from pathways.cli.report import write_default_report
    from pathways.experiment.runner import load_runner
    from pathways.experiment.store import SweepError
    from pathways.experiment.sweep import run_sweep

    runner = load_runner(path)
    out_dir = Path(out) if out else results_folder(runner.name)
    size = "auto" if runner.replications is None else runner.replications
    shape = (f"{len(runner.questions)} questions, {len(runner.cells)} arms" if runner.questions
             else f"{len(runner.models)} models x {len(runner.points)} points")
    if not quiet:
        click.echo(f"{runner.name}: {shape} x {size} replications -> {out_dir}/")
    try:
        with writing_results(out_dir):
            result = run_sweep(runner, out_dir, workers, scheduler, resume,
                               progress=False if quiet else None)
    except SweepError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: finished runs are stored in {out_dir}/runs/; "
                   f"continue with: pathways sweep {path} --out {out_dir} --resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if result.moved_aside:
        click.echo(f"resume: {len(result.moved_aside)} stored runs did not match this "
                   f"runner's inputs and were moved into {out_dir}/superseded/ (those of "
                   "this runner run again):", err=True)
        for line in result.moved_aside[:10]:
            click.echo(f"  {line}", err=True)
        if len(result.moved_aside) > 10:
            click.echo(f"  and {len(result.moved_aside) - 10} more", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.failed:
        click.echo(f"{len(result.failed)} runs failed; their errors are in {out_dir}/errors/ "
                   "(--resume runs them again)", err=True)
    click.echo(f"{result.runs} runs ({result.ran} now) in {result.seconds:.1f} s; results "
               f"written to {out_dir}/ ({', '.join(result.files)})")
    write_default_report(out_dir, no_report)
    if result.failed:
        sys.exit(1)
