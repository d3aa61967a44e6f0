"""`pathways sweep`: every model of a runner file over its parameter design."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from pathways.cli.common import bad_input_on, reports_bad_input, resumable
from pathways.cli.folders import results_folder, writing_results
from pathways.cli.options import (
    no_report_option,
    out_option,
    quiet_option,
    resume_option,
    scheduler_option,
)
from pathways.cli.report import write_default_report


@click.command()
@click.argument("path", metavar="RUNNER", type=click.Path(dir_okay=False))
@click.option("--workers", "-w", default=0, show_default=True, type=click.IntRange(min=0),
              help="Local processes (0: every core); results do not depend on it.")
@scheduler_option
@out_option("results/<runner name>")
@resume_option("Continue an interrupted sweep in the same folder: only missing runs run.")
@quiet_option
@no_report_option
@reports_bad_input
def sweep(path: str, workers: int, scheduler: str | None, out: str | None, resume: bool,
          quiet: bool, no_report: bool) -> None:
    """Run every model of RUNNER at every point of its design (or the arms of its
    questions) and write runs.parquet, summary.csv, differences.csv, points.csv,
    timeseries.parquet, answers.csv (with questions), manifest.json and report.html."""
    from pathways.experiment.executors import SchedulerError
    from pathways.experiment.runner import load_runner
    from pathways.experiment.store import StoreError
    from pathways.experiment.sweep import run_sweep

    runner = load_runner(path)
    out_dir = Path(out) if out else results_folder(runner.name)
    size = "auto" if runner.replications is None else runner.replications
    shape = (f"{len(runner.questions)} questions, {len(runner.cells)} arms" if runner.questions
             else f"{len(runner.models)} models x {len(runner.points)} points")
    if not quiet:
        click.echo(f"{runner.name}: {shape} x {size} replications -> {out_dir}/")
    with (resumable(out_dir / "runs", shlex.join(["pathways", "sweep", path, "--out",
                                                  str(out_dir)])),
          writing_results(out_dir), bad_input_on(StoreError, SchedulerError)):
        result = run_sweep(runner, out_dir, workers, scheduler, resume,
                           progress=False if quiet else None)
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
