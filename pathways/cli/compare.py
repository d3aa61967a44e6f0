"""`pathways compare`: run several models on common random numbers and report differences."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from pathways.cli.common import (
    bad_input_on,
    load_with_warnings,
    reports_bad_input,
    resumable,
    say,
)
from pathways.cli.folders import (
    DEFAULT_RESULTS_DIR,
    MAX_FOLDER_NAME,
    folder_name,
    writing_results,
)
from pathways.cli.options import (
    ANIMATION_HELP,
    RESUME_HELP,
    animation_option,
    no_report_option,
    out_option,
    quiet_option,
    replications_option,
    resume_option,
    scheduler_option,
    seed_option,
    workers_option,
)

#: Longest default folder name; longer comparisons name the first two models and a count.
_MAX_LABEL_IN_FOLDER = 30


def _at_least_two(ctx: click.Context, param: click.Parameter,
                  models: tuple[str, ...]) -> tuple[str, ...]:
    """A comparison needs a baseline and something to compare with it (else exit 2)."""
    if len(models) < 2:
        raise click.BadParameter(f"compare needs at least two models (the first is the "
                                 f"baseline), got {len(models)}", ctx, param)
    return models


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="MODEL...",
                type=click.Path(dir_okay=False), callback=_at_least_two)
@replications_option("Replications per model (paired across models).")
@seed_option("Root seed shared by every model; the same seed gives byte-identical results.")
@out_option("results/compare-<first>-vs-<others>")
@animation_option(ANIMATION_HELP)
@workers_option
@scheduler_option
@resume_option(RESUME_HELP)
@quiet_option
@no_report_option
@reports_bad_input
def compare(paths: tuple[str, ...], replications: int, seed: int, out: str | None,
            animation: bool, workers: int, scheduler: str | None, resume: bool, quiet: bool,
            no_report: bool) -> None:
    """Run MODEL... on the same random numbers; report each one and its paired difference
    from the first (the baseline) in summary.csv, differences.csv, replications.parquet
    and report.html (each replication is stored in the folder's replications/ as it
    finishes, for --resume).

    Every model is loaded before any is simulated, so bad input costs no simulation time."""
    from pathways.cli.headline import headline_lines, terminal_warnings
    from pathways.cli.report import write_default_report
    from pathways.experiment import (
        compare_models,
        comparison_manifest,
        unique_labels,
        write_comparison,
    )
    from pathways.experiment.executors import SchedulerError
    from pathways.experiment.resume import StoredReplications
    from pathways.experiment.store import StoreError
    from pathways.model import compile_loaded

    loaded = [load_with_warnings(path) for path in paths]
    compiled = [compile_loaded(config) for config in loaded]
    labels = unique_labels([model.name for model in compiled], [Path(p).stem for p in paths])
    models = dict(zip(labels, compiled, strict=True))
    out_dir = Path(out) if out else default_out_dir(labels)
    command = shlex.join(["pathways", "compare", *paths, "--replications", str(replications),
                          "--seed", str(seed), "--out", str(out_dir)]
                         + ([] if animation else ["--no-animation"]))
    with (writing_results(out_dir), bad_input_on(SchedulerError, StoreError),
          StoredReplications(out_dir, resume, say) as stored,
          resumable(stored.store.runs, command)):
        comparison = compare_models(models, replications, seed,
                                    progress=False if quiet else None, workers=workers,
                                    animation=animation, scheduler=scheduler, stored=stored)
    files = {label: config.files for label, config in zip(labels, loaded, strict=True)}
    configs = {label: config.config for label, config in zip(labels, loaded, strict=True)}
    with writing_results(out_dir):
        written = write_comparison(out_dir, comparison, comparison_manifest(
            models, configs, files, seed, replications, command))
    if not quiet:
        for line in headline_lines(comparison.summary, comparison.differences):
            click.echo(line)
    click.echo(f"results written to {out_dir}/ ({', '.join(written)})")
    for warning in terminal_warnings(out_dir):
        click.echo(f"warning: {warning}", err=True)
    write_default_report(out_dir, no_report)


def default_out_dir(labels: list[str]) -> Path:
    """``results/compare-<first>-vs-<others>``, cut to the first two and a count if long."""
    slugs = [folder_name(label, _MAX_LABEL_IN_FOLDER) for label in labels]
    name = f"compare-{slugs[0]}-vs-{'-'.join(slugs[1:])}"
    if len(name) > MAX_FOLDER_NAME:
        name = f"compare-{slugs[0]}-vs-{slugs[1]}-and-{len(slugs) - 2}-more"
    return DEFAULT_RESULTS_DIR / name
