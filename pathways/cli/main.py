"""The ``pathways`` command line: the entry point, `run`, `check` and `vidigi`; the
other commands live in their own modules and are added here.

Bad input is the user's to fix, so it gets a located message and exit status 2,
never a traceback (pathways.cli.common). Exit statuses: 0 done; 1 some runs of a sweep
failed; 2 bad input (a configuration, a runner, a results folder the report cannot
read, a Dask scheduler not installed or not reached within 10 s); 3 results that
cannot be written (a full disk, a read-only folder:
``pathways.cli.folders.writing_results``); 130 interrupted (Ctrl-C, SIGTERM).
"""

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
from pathways.cli.compare import compare
from pathways.cli.folders import results_folder, writing_results
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
from pathways.cli.report import report
from pathways.cli.sweep import sweep
from pathways.config import LoadedConfig
from pathways.config.lint import held_by_added_sessions, offered_loads
from pathways.config.resource_demand import allocation_note, list_loads
from pathways.config.schema import Config
from pathways.config.waiting_list_relations import column_notes, provider_relations
from pathways.model import compile_loaded
from pathways.model.pathway_outline import differing_pathways, outline_text, pathway_outlines


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pathways")
def cli() -> None:
    """Simulate NHS patient pathways and compare ways of organising care."""


@cli.command()
@click.argument("config", type=click.Path(dir_okay=False))
@replications_option("Independent replications to run.")
@seed_option("Root seed; the same seed gives byte-identical results.")
@out_option("results/<config name>")
@click.option("--keep-events", is_flag=True, help="Also write every event to events.parquet.")
@animation_option(ANIMATION_HELP)
@workers_option
@scheduler_option
@resume_option(RESUME_HELP)
@quiet_option
@no_report_option
@reports_bad_input
def run(config: str, replications: int, seed: int, out: str | None, keep_events: bool,
        animation: bool, workers: int, scheduler: str | None, resume: bool, quiet: bool,
        no_report: bool) -> None:
    """Run CONFIG for N replications and write summary.csv, replications.parquet,
    manifest.json and report.html (each replication is stored in the folder's
    replications/ as it finishes, for --resume)."""
    import pandas as pd

    from pathways.cli.headline import headline_lines, terminal_warnings
    from pathways.cli.report import write_default_report
    from pathways.experiment import manifest, write_results
    from pathways.experiment.executors import SchedulerError
    from pathways.experiment.resume import StoredReplications, replicate_stored
    from pathways.experiment.store import StoreError

    loaded = load_with_warnings(config)
    model = compile_loaded(loaded)
    out_dir = Path(out) if out else results_folder(model.name)
    command = shlex.join(["pathways", "run", config, "--replications", str(replications),
                          "--seed", str(seed), "--out", str(out_dir)]
                         + (["--keep-events"] if keep_events else [])
                         + ([] if animation else ["--no-animation"]))
    with (writing_results(out_dir), bad_input_on(SchedulerError, StoreError),
          StoredReplications(out_dir, resume, say) as stored,
          resumable(stored.store.runs, command)):
        results = replicate_stored({model.name: model}, replications, seed, stored,
                                   keep_events=keep_events, progress=False if quiet else None,
                                   workers=workers, animation=animation,
                                   scheduler=scheduler)[model.name]
    with writing_results(out_dir):
        written = write_results(out_dir, results, manifest(model, loaded.config, seed,
                                                           replications, loaded.files, command))
    if not quiet:
        for line in headline_lines(pd.read_csv(written["summary.csv"], keep_default_na=False,
                                               na_values=[""])):
            click.echo(line)
    click.echo(f"results written to {out_dir}/ ({', '.join(written)})")
    for warning in terminal_warnings(out_dir):
        click.echo(f"warning: {warning}", err=True)
    write_default_report(out_dir, no_report)


@cli.command()
@click.argument("config", type=click.Path(dir_okay=False))
@click.option("--pathways", "every_pathway", is_flag=True,
              help="Print the outline of every pathway, not only those stage edits change.")
@reports_bad_input
def check(config: str, every_pathway: bool) -> None:
    """Validate CONFIG and print the pathways its stage edits change (before and after),
    offered loads (of each kind of resource, then of each resource's own list) and the
    waiting-list relations of every bookable list, without simulating."""
    loaded = load_with_warnings(config)
    compile_loaded(loaded)
    _print_outlines(loaded, every_pathway)
    for name, load in offered_loads(loaded.config).items():
        click.echo(f"  {name:<24} offered load {load:.3g}")
    if loaded.config.is_economy:
        _print_list_loads(loaded.config)
    _print_relations(loaded.config)
    click.echo(f"{config}: ok")


def _print_outlines(loaded: LoadedConfig, every_pathway: bool) -> None:
    """Each pathway the stage edits change, before and after, so that a redesign team
    sees the shape it wrote; with `every_pathway`, the others as they are too."""
    after = pathway_outlines(loaded.config)
    edited = loaded.before_edits is not loaded.config or bool(loaded.config.stage_edits)
    before = pathway_outlines(loaded.before_edits) if edited else after
    changed = differing_pathways(before, after)
    if every_pathway:
        click.echo("Pathways (stage edits applied; those they change before and after):"
                   if edited else "Pathways:")
    elif edited:
        click.echo("Pathways the stage edits change:" if changed
                   else "The stage edits change no pathway's outline.")
    for name in list(after) if every_pathway else changed:
        click.echo(f"  {name}")
        if name not in changed:
            _echo_block(outline_text(after[name]), "    ")
            continue
        for heading, outlines in (("before", before), ("after", after)):
            click.echo(f"    {heading}:")
            _echo_block(outline_text(outlines[name]), "      ")


def _echo_block(lines: list[str], indent: str) -> None:
    for line in lines:
        click.echo(indent + line)


def _print_list_loads(config: Config) -> None:
    """Each resource's own list (a pool's under pooled allocation); the practices'
    clinics, one per practice, as a range."""
    click.echo(f"Each resource's own list ({allocation_note(config)}; repeat tests after "
               "handoffs left out):")
    lines: list[tuple[str, str]] = []
    clinics: dict[str, list[float]] = {}
    for entry in list_loads(config):
        if entry.path[0] == "practices":
            clinics.setdefault(str(entry.path[-1]), []).append(entry.load)
            continue
        flag = "" if entry.load < 1 else (
            "  held by added sessions" if held_by_added_sessions(config, entry.load,
                                                                 entry.bookable)
            else "  will grow without limit")
        pooled = f" ({len(entry.resources)} resources pooled)" if len(entry.resources) > 1 else ""
        lines.append((entry.name + pooled, f"{entry.load:.3g}{flag}"))
    lines += [(f"{clinic} clinics of {len(loads)} practices",
               f"{min(loads):.3g} to {max(loads):.3g}") for clinic, loads in clinics.items()]
    width = max(len(name) for name, _ in lines)
    for name, load in lines:
        click.echo(f"  {name:<{width}} offered load {load}")


def _print_relations(config: Config) -> None:
    """The waiting-list relations of each provider's bookable lists of first
    appointments, a row per provider and pathway, then what each column means."""
    from pathways.report.waiting_list import RELATION_COLUMNS, relation_cells  # slow import

    rows = provider_relations(config)
    if not rows:
        return
    table = [RELATION_COLUMNS] + [relation_cells(row) for row in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(RELATION_COLUMNS))]
    click.echo(f"Waiting lists for first appointments, per provider and pathway "
               f"(relations of Fong et al. 2022: target {rows[0].target_weeks:g} weeks, "
               f"factor {rows[0].factor:g}, so a target mean wait of "
               f"{rows[0].target_mean_wait:g} weeks):")
    for row in table:
        cells = [cell.ljust(w) if i < 2 else cell.rjust(w)
                 for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
        click.echo("  " + "  ".join(cells))
    for note in column_notes(config):
        click.echo(f"  {note}")


@cli.command()
@click.argument("events", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "-o", type=click.Path(dir_okay=False), required=True,
              help="CSV file to write.")
@click.option("--replication", "-r", type=int, default=None,
              help="Keep one replication only (vidigi animates one run at a time).")
def vidigi(events: str, out: str, replication: int | None) -> None:
    """Convert a stored events.parquet into vidigi's event-log format (CSV)."""
    import pandas as pd

    from pathways.log.vidigi import to_vidigi

    frame = pd.read_parquet(events)
    if replication is not None:
        frame = frame[frame["replication"] == replication]
    to_vidigi(frame).to_csv(out, index=False)
    click.echo(f"vidigi event log written to {out}")


cli.add_command(compare)
cli.add_command(sweep)
cli.add_command(report)


def main() -> None:
    """The `pathways` command: SIGTERM stops it as Ctrl-C does, so that `run`, `compare`
    and `sweep` say how to resume and no command leaves worker processes behind."""
    from pathways.experiment.workers import terminate_as_interrupt

    terminate_as_interrupt()
    cli()
