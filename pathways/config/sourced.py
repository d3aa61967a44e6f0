"""Configuration data that remembers where each value was written.

A `Sourced` tree is the YAML data with the file and line of every mapping key and
list item. Overlays (`extends:`) merge whole trees, so after a merge every field still
points into the file that last set it; `SourceMap` then answers "where is this field?"
for any field path, falling back to the nearest written parent (a missing field is
reported where its parent is).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pathways.config.errors import ConfigIssue, FieldPath, Finding, format_path


@dataclass(frozen=True)
class Sourced:
    """A value (a dict or list of `Sourced`, or a scalar) and where it was written.

    `line` is 1-based; for a mapping entry it is the line of its key. The top of a
    file has no line."""

    value: Any
    file: str
    line: int | None

    def plain(self) -> Any:
        """The data without positions: dicts, lists and scalars."""
        if isinstance(self.value, dict):
            return {key: child.plain() for key, child in self.value.items()}
        if isinstance(self.value, list):
            return [child.plain() for child in self.value]
        return self.value

    def children(self) -> list[tuple[str | int, Sourced]]:
        if isinstance(self.value, dict):
            return list(self.value.items())
        if isinstance(self.value, list):
            return list(enumerate(self.value))
        return []

    def with_children(self, children: list[tuple[str | int, Sourced]]) -> Sourced:
        """The same node holding `children` (as returned by `children()`) instead."""
        if isinstance(self.value, dict):
            return Sourced(dict(children), self.file, self.line)
        if isinstance(self.value, list):
            return Sourced([child for _, child in children], self.file, self.line)
        return self

    def issue(
        self,
        path: FieldPath,
        message: str,
        allowed: str | None = None,
        suggestion: str | None = None,
    ) -> ConfigIssue:
        """A problem with the field at `path`: this node, or a child it lacks."""
        return ConfigIssue(self.file, self.line, format_path(path), message, allowed, suggestion)


#: Keys whose value an overlay replaces whole, even a mapping: a stage's routing, whose
#: shares must sum to 1 as written (merged key by key, an overlay's new shares would be
#: added to the base's).
REPLACED_WHOLE = frozenset({"next"})


def merge(base: Sourced, overlay: Sourced) -> Sourced:
    """Deep merge: mappings merge key by key (but REPLACED_WHOLE), anything else in
    `overlay` replaces."""
    if not (isinstance(base.value, dict) and isinstance(overlay.value, dict)):
        return overlay
    merged = dict(base.value)
    for key, child in overlay.value.items():
        merged[key] = (merge(merged[key], child) if key in merged and key not in REPLACED_WHOLE
                       else child)
    return Sourced(merged, overlay.file, overlay.line)


class SourceMap:
    """Finds where any field path of a `Sourced` tree was written."""

    def __init__(self, root: Sourced):
        self._nodes: dict[FieldPath, Sourced] = {}
        self._record((), root)

    def _record(self, path: FieldPath, node: Sourced) -> None:
        self._nodes[path] = node
        for key, child in node.children():
            self._record((*path, key), child)

    def _nearest(self, path: FieldPath) -> Sourced:
        """The node at `path`, or at its nearest parent that was written."""
        known = next(path[:end] for end in range(len(path), -1, -1) if path[:end] in self._nodes)
        return self._nodes[known]

    def issue(self, finding: Finding) -> ConfigIssue:
        """The finding, located in the file and on the line where its field was written."""
        node = self._nearest(finding.path)
        return node.issue(finding.path, finding.message, finding.allowed, finding.suggestion)
