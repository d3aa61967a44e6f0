"""What every command shares: how bad input ends a command, and how a configuration
is loaded with its warnings on the terminal.

Bad input is the user's to fix, so it gets a located message and exit status 2, never
a traceback. The commands import this module, and pathways.cli.main imports the
commands, so nothing here may import main. It imports nothing heavier than the
configuration loader, so that `pathways --help` stays fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, ParamSpec, TypeVar

import click

from pathways.config import ConfigError, LoadedConfig, load_config

EXIT_BAD_INPUT = 2
"""Exit status for input the user fixes: a configuration, a runner, a results folder
the report cannot read, a Dask scheduler that cannot be used."""
EXIT_INTERRUPTED = 130
"""The shell's code for a command stopped by Ctrl-C (or SIGTERM, which stops as it does)."""

P = ParamSpec("P")
T = TypeVar("T")


def reports_bad_input(command: Callable[P, T]) -> Callable[P, T]:
    """Turn ConfigError into a readable message and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return command(*args, **kwargs)
        except ConfigError as error:
            click.echo(f"error: invalid configuration\n{error}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper


def exit_bad_input(message: object) -> NoReturn:
    """``error: <message>`` on stderr, and exit status 2."""
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@contextmanager
def bad_input_on(*errors: type[Exception]) -> Iterator[None]:
    """End the command with ``exit_bad_input`` on any of ``errors``: exceptions whose
    message already says what to fix (a Dask scheduler not reached, a results folder
    another sweep holds)."""
    try:
        yield
    except errors as error:
        exit_bad_input(error)


@contextmanager
def resumable(stored: Path, command: str) -> Iterator[None]:
    """End a command that stores what it finishes (Ctrl-C, or SIGTERM: exit status 130)
    by saying where that is and the command that continues it."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: what finished is stored in {stored}/; continue with: "
                   f"{command} --resume", err=True)
        sys.exit(EXIT_INTERRUPTED)


def say(line: str) -> None:
    """A line for the user on stderr, beside the progress bar (not the results)."""
    click.echo(line, err=True)


def load_with_warnings(config_path: str) -> LoadedConfig:
    """Load a configuration (raises ConfigError) and print its warnings on stderr."""
    loaded = load_config(config_path)
    for warning in loaded.warnings:
        click.echo(f"warning: {warning.format()}", err=True)
    return loaded
