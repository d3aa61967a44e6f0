"""Files that a configuration names (`extends:`, CSV columns): where they are, their text.

A file name is relative to the folder of the YAML file that wrote it, so a base
configuration can be extended from anywhere and still find its own files. Only regular
files of bounded size are read (pathways.config.limits): a FIFO or a device such as
/dev/zero would block or never end, and a huge file would exhaust memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pathways.config.errors import ConfigError, FieldPath
from pathways.config.limits import FILE_LIMIT_VARIABLE, file_limit_bytes
from pathways.config.sourced import Sourced


def named_path(node: Sourced, field: FieldPath) -> Path:
    """The file named by `node` (at `field`), relative to the file that names it."""
    if not isinstance(node.value, str) or not node.value:
        raise ConfigError([node.issue(field, f"expected a file name, got {node.value!r}")])
    return Path(os.path.normpath(Path(node.file).parent / node.value))


def read_text(path: Path, named_at: Sourced, field: FieldPath, kind: str = "YAML") -> str:
    """The text of `path`, a `kind` ("YAML" or "CSV") file; if it cannot be read, is not a
    regular file or is too large, the error points at `field` of `named_at`."""
    try:
        reason = _unreadable(path, os.stat(path), kind)
        if reason is None:
            return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        reason = error.strerror or str(error)
    except UnicodeDecodeError:
        reason = "not UTF-8 text"
    raise ConfigError([named_at.issue(field, f"cannot read '{path}': {reason}")])


_NOT_REGULAR = (  # (test, what the file is)
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _unreadable(path: Path, status: os.stat_result, kind: str) -> str | None:
    """Why `path` is refused before opening it (opening a FIFO blocks), or None."""
    if not stat.S_ISREG(status.st_mode):
        what = next((words for test, words in _NOT_REGULAR if test(status.st_mode)), "special")
        return f"{what}, not a regular file"
    limit_bytes = file_limit_bytes(kind)
    if status.st_size > limit_bytes:
        return (f"{_megabytes(status.st_size)} is over the {_megabytes(limit_bytes)} limit "
                f"for a {kind} file (raise it with the environment variable "
                f"{FILE_LIMIT_VARIABLE}, in MB)")
    return None


def _megabytes(size_bytes: float) -> str:
    return f"{size_bytes / 2**20:.3g} MB"
