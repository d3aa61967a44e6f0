"""Problems found in configuration files, worded for the person who has to fix them.

Every check in this package reports a `Finding` (where in the data, what is wrong);
the loader turns findings into `ConfigIssue`s, which also say in which file and on
which line the offending field was written.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

FieldPath = tuple[str | int, ...]
"""Keys and list indices from the top of the merged data down to one field."""

MISSING_FIELD = "missing required field"


@dataclass(frozen=True)
class Finding:
    """A problem at a field path, not yet located in a file."""

    path: FieldPath
    message: str
    allowed: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True)
class ConfigIssue:
    """A problem located in a file: what a person reads to fix their configuration."""

    file: str
    line: int | None
    field_path: str
    message: str
    allowed: str | None = None
    suggestion: str | None = None

    def format(self) -> str:
        """`file:line: field.path: message; allowed: ...; did you mean '...'?`"""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = ": ".join(part for part in (where, self.field_path, self.message) if part)
        if self.allowed:
            text += f"; allowed: {self.allowed}"
        if self.suggestion:
            text += f"; did you mean '{self.suggestion}'?"
        return text

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.field_path)


class ConfigError(Exception):
    """One or more problems that stop a configuration from being used."""

    def __init__(self, issues: Iterable[ConfigIssue]):
        self.issues: tuple[ConfigIssue, ...] = tuple(sorted(issues, key=ConfigIssue.sort_key))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(issue.format() for issue in self.issues)


def format_path(path: FieldPath) -> str:
    """`("arrivals", 0, "rate_per_day")` -> `arrivals[0].rate_per_day`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def closest(word: object, candidates: Iterable[object]) -> str | None:
    """The candidate a misspelt `word` most likely meant, if any is close enough."""
    matches = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=0.6)
    return matches[0] if matches else None


def name_list(names: Iterable[object]) -> str:
    """`a, b, c` for an `allowed:` hint."""
    return ", ".join(str(name) for name in names)


def unknown_name(kind: str, name: str, known: Iterable[str], path: FieldPath,
                 allowed: str) -> list[Finding]:
    """An error if ``name`` is not among ``known``, with the closest known name."""
    known = list(known)
    if name in known:
        return []
    return [Finding(path, f"unknown {kind} {name!r}", allowed, closest(name, known))]
