"""`pathways compare`: run several models on common random numbers and report differences.

``pathways.cli.main`` registers this command when it is imported, so this module
must not import ``main`` at import time: whichever of the two is imported first, the
other would find it half-initialised. The shared helpers are imported when the command
runs instead.
"""

from __future__ import annotations

import math
import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pathways.cli.options import (
    no_report_option,
    out_option,
    quiet_option,
    replications_option,
    seed_option,
    workers_option,
)

if TYPE_CHECKING:  # pandas loads lazily: `pathways check` and `--help` should start fast
    import pandas as pd

#: Whole-system metrics the headline reports (the files hold every metric).
HEADLINE_METRICS = (  # those a run does not produce (RTT, handoffs in plain networks) are skipped
    "rtt_admitted_median_weeks", "rtt_non_admitted_median_weeks",
    "rtt_non_admitted_median_from_referral_weeks", "referral_transfer_days_mean",
    "rtt_time_share_queue", "rtt_completed_within_18_weeks_share", "rtt_incomplete_within_18_weeks_share",
    "handoffs_per_pathway", "handoff_delay_days_per_pathway",
    "wait_mean", "time_in_system_mean", "throughput_per_day", "utilisation",
    "emergency_admissions_per_1000_patient_years", "emergency_bed_days_per_1000_patient_years",
    "reviews_overdue_share", "review_days_overdue_mean", "handoffs_per_chronic_patient_year",
    "delayed_discharge_days_mean", "cancelled_operations_per_year",
)
#: Longest default folder name; longer comparisons name the first two models and a count.
_MAX_FOLDER_NAME = 80
_MAX_LABEL_IN_FOLDER = 30


def _at_least_two(ctx: click.Context, param: click.Parameter,
                  models: tuple[str, ...]) -> tuple[str, ...]:
    """A comparison needs a baseline and something to compare with it (else exit 2)."""
    if len(models) < 2:
        raise click.BadParameter(f"compare needs at least two models (the first is the "
                                 f"baseline), got {len(models)}", ctx, param)
    return models


@click.command()
@click.argument("models", nargs=-1, required=True, metavar="MODEL...",
                type=click.Path(dir_okay=False), callback=_at_least_two)
@replications_option("Replications per model (paired across models).")
@seed_option("Root seed shared by every model; the same seed gives byte-identical results.")
@out_option("results/compare-<first>-vs-<others>")
@workers_option
@quiet_option
@no_report_option
def compare(models: tuple[str, ...], replications: int, seed: int, out: str | None,
            workers: int, quiet: bool, no_report: bool) -> None:
    """Run MODEL... on the same random numbers; report each one and its paired difference
    from the first (the baseline) in summary.csv, differences.csv, replications.parquet
    and report.html."""
    from pathways.cli.main import _reports_bad_input

    _reports_bad_input(_compare)(models, replications, seed, out, workers, quiet, no_report)


def _compare(paths: tuple[str, ...], replications: int, seed: int, out: str | None,
             workers: int, quiet: bool, no_report: bool = False) -> None:
    """Load every model before simulating any, so bad input costs no simulation time."""
    from pathways.cli.main import _load
    from pathways.cli.report import write_default_report
    from pathways.experiment import (
        compare_models,
        comparison_manifest,
        unique_labels,
        write_comparison,
    )
    from pathways.model import compile_loaded

    loaded = [_load(path) for path in paths]
    compiled = [compile_loaded(config) for config in loaded]
    labels = unique_labels([model.name for model in compiled], [Path(p).stem for p in paths])
    models = dict(zip(labels, compiled, strict=True))
    out_dir = Path(out) if out else default_out_dir(labels)
    command = shlex.join(["pathways", "compare", *paths, "--replications", str(replications),
                          "--seed", str(seed), "--out", str(out_dir)])
    comparison = compare_models(models, replications, seed,
                                progress=False if quiet else None, workers=workers)
    files = {label: config.files for label, config in zip(labels, loaded, strict=True)}
    written = write_comparison(out_dir, comparison,
                               comparison_manifest(models, files, seed, replications, command))
    if not quiet:
        _print_headline(comparison.summary, comparison.differences)
    click.echo(f"results written to {out_dir}/ ({', '.join(written)})")
    write_default_report(out_dir, no_report)


def default_out_dir(labels: list[str]) -> Path:
    """``results/compare-<first>-vs-<others>``, cut to the first two and a count if long."""
    from pathways.cli.main import DEFAULT_RESULTS_DIR

    slugs = [_slug(label) for label in labels]
    name = f"compare-{slugs[0]}-vs-{'-'.join(slugs[1:])}"
    if len(name) > _MAX_FOLDER_NAME:
        name = f"compare-{slugs[0]}-vs-{slugs[1]}-and-{len(slugs) - 2}-more"
    return DEFAULT_RESULTS_DIR / name


def _slug(label: str) -> str:
    """A label as a safe, bounded piece of a folder name ('#' and the like become '-')."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", label)[:_MAX_LABEL_IN_FOLDER]


def _print_headline(summary: pd.DataFrame, differences: pd.DataFrame) -> None:
    """Whole-system means and paired differences with 95% CIs: sizes and signs, no verdicts."""
    system = summary[summary["stage"] == ""]
    changes = differences[differences["stage"] == ""]
    click.echo("whole system: mean (95% CI); difference = model minus baseline, "
               "paired by replication")
    for metric in HEADLINE_METRICS:
        means = system[system["metric"] == metric]
        if means.empty:
            continue
        click.echo(f"  {metric}")
        for row in means.itertuples():
            click.echo(f"    {row.scenario:<28} {_estimate(row.mean, row.ci_low, row.ci_high)}")
        for row in changes[changes["metric"] == metric].itertuples():
            note = "" if row.significant or math.isnan(row.ci_low) else "  not significant"
            estimate = _estimate(row.mean_difference, row.ci_low, row.ci_high, sign="+")
            click.echo(f"    {row.scenario + ' - ' + row.baseline:<28} {estimate}{note}")


def _estimate(mean: float, low: float, high: float, sign: str = "") -> str:
    """``mean  (low to high)``; without the interval where there were too few replications."""
    interval = "" if math.isnan(low) else f"  ({low:{sign}.4g} to {high:{sign}.4g})"
    return f"{mean:{sign}10.4g}{interval}"
