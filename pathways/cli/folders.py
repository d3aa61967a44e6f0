"""Names are labels, never paths: the default results folder of a model, a comparison
or a runner is one safe folder name inside results/, whatever its `name:` says (a
name such as `../../elsewhere` must not write, or delete, outside results/); a folder
that cannot be written is one line of error, never a traceback."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

DEFAULT_RESULTS_DIR = Path("results")
MAX_FOLDER_NAME = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
EXIT_CANNOT_WRITE = 3
"""Exit status when results cannot be written (a full disk, a read-only folder)."""


def folder_name(label: str, most: int = MAX_FOLDER_NAME) -> str:
    """``label`` as one safe folder name: each run of characters other than letters,
    digits, '_', '.' and '-' becomes '-' (so no '/' or '\\'), leading dots and dashes
    go (no '..', no hidden folder, nothing read as an option), cut to ``most``
    characters; "unnamed" where nothing is left."""
    return _UNSAFE.sub("-", label).lstrip(".-")[:most] or "unnamed"


def results_folder(label: str) -> Path:
    """The default results folder of a model or a runner named ``label``."""
    return DEFAULT_RESULTS_DIR / folder_name(label)


@contextmanager
def writing_results(out_dir: Path) -> Iterator[None]:
    """Turn an OSError while writing results into one line naming the folder and the
    problem, and exit status 3: a full disk or a read-only folder is the system's to
    fix, not a bug (the writers leave no half-written file)."""
    try:
        yield
    except OSError as error:
        click.echo(f"error: cannot write results to {out_dir}/: {_reason(error)}", err=True)
        sys.exit(EXIT_CANNOT_WRITE)


def _reason(error: OSError) -> str:
    """The problem, and the file it struck where that is not the folder itself."""
    reason = error.strerror or str(error)
    return f"{reason} ({error.filename})" if error.filename else reason
