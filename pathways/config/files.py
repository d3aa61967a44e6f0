"""Files that a configuration names (`extends:`, CSV columns): where they are, their text.

A file name is relative to the folder of the YAML file that wrote it, so a base
configuration can be extended from anywhere and still find its own files.
"""

from __future__ import annotations

import os
from pathlib import Path

from pathways.config.errors import ConfigError, FieldPath
from pathways.config.sourced import Sourced


def named_path(node: Sourced, field: FieldPath) -> Path:
    """The file named by `node` (at `field`), relative to the file that names it."""
    if not isinstance(node.value, str) or not node.value:
        raise ConfigError([node.issue(field, f"expected a file name, got {node.value!r}")])
    return Path(os.path.normpath(Path(node.file).parent / node.value))


def read_text(path: Path, named_at: Sourced, field: FieldPath) -> str:
    """The text of `path`; if it cannot be read, the error points at `field` of `named_at`."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        reason = error.strerror or str(error)
    except UnicodeDecodeError:
        reason = "not UTF-8 text"
    raise ConfigError([named_at.issue(field, f"cannot read '{path}': {reason}")])
