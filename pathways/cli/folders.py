"""Names are labels, never paths: the default results folder of a model, a comparison
or a runner is one safe folder name inside results/, whatever its `name:` says (a
name such as `../../elsewhere` must not write, or delete, outside results/)."""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_RESULTS_DIR = Path("results")
MAX_FOLDER_NAME = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def folder_name(label: str, most: int = MAX_FOLDER_NAME) -> str:
    """``label`` as one safe folder name: each run of characters other than letters,
    digits, '_', '.' and '-' becomes '-' (so no '/' or '\\'), leading dots and dashes
    go (no '..', no hidden folder, nothing read as an option), cut to ``most``
    characters; "unnamed" where nothing is left."""
    return _UNSAFE.sub("-", label).lstrip(".-")[:most] or "unnamed"


def results_folder(label: str) -> Path:
    """The default results folder of a model or a runner named ``label``."""
    return DEFAULT_RESULTS_DIR / folder_name(label)
