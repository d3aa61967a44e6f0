"""Options shared by the commands that simulate (`run`, `compare`, `sweep`): one definition each,
so their flags, types and defaults cannot drift apart; only the help may differ."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def replications_option(help_text: str) -> Callable[[F], F]:
    return click.option("--replications", "-n", default=10, show_default=True,
                        type=click.IntRange(min=1), help=help_text)


def seed_option(help_text: str) -> Callable[[F], F]:
    return click.option("--seed", "-s", default=0, show_default=True,
                        type=click.IntRange(min=0), help=help_text)


def out_option(default_folder: str) -> Callable[[F], F]:
    return click.option("--out", "-o", type=click.Path(file_okay=False), default=None,
                        help=f"Output folder [default: {default_folder}].")


workers_option = click.option(
    "--workers", "-w", default=1, show_default=True, type=click.IntRange(min=0),
    help="Processes running replications (0: every core); results do not depend on it.")

scheduler_option = click.option(
    "--scheduler", default=None, metavar="ADDRESS",
    help="Run on a Dask distributed cluster instead of local processes, e.g. "
         "tcp://host:8786 (needs pip install 'pathways[distributed]').")

def resume_option(help_text: str) -> Callable[[F], F]:
    return click.option("--resume", is_flag=True, help=help_text)


#: What `run` and `compare` say of their --resume flag.
RESUME_HELP = ("Continue an interrupted command in the same --out folder: replications "
               "stored in its replications/ from the same inputs (model, data files, seed, "
               "version) are reused, only the missing ones run; results are identical to "
               "an uninterrupted run. Without it every replication runs again.")

quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar or table.")


def animation_option(help_text: str) -> Callable[[F], F]:
    return click.option("--animation/--no-animation", default=True, show_default=True,
                        help=help_text)


#: What `run` and `compare` say of their --animation flag.
ANIMATION_HELP = ("Also write animation.parquet: where replication 0's patients are, daily "
                  "for 4 weeks after the warm-up, for the report's animation "
                  "(--no-animation: a smaller folder and report).")

no_report_option = click.option(
    "--no-report", is_flag=True,
    help="Do not write report.html into the output folder (`pathways report` can, later).")
