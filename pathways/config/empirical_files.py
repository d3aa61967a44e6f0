"""Reads the CSV columns that empirical distributions name, before validation.

`{dist: empirical, file: times.csv, column: minutes}` becomes
`{dist: empirical, values: [...]}`, so the schema and everything downstream only ever
see `values`. Each value remembers its CSV row, so a bad value is reported there.
Blank cells are skipped (columns of a CSV may differ in length).
"""

from __future__ import annotations

import csv
from pathlib import Path

from pathways.config.errors import (
    MISSING_FIELD,
    ConfigError,
    ConfigIssue,
    FieldPath,
    closest,
    name_list,
)
from pathways.config.files import named_path, read_text
from pathways.config.sourced import Sourced


def read_empirical_files(tree: Sourced) -> tuple[Sourced, list[Path]]:
    """`tree` with every CSV reference replaced by its values, and the CSV files read.

    Raises ConfigError naming every reference that could not be read."""
    reader = _EmpiricalFiles()
    resolved = reader.resolve(tree, ())
    if reader.issues:
        raise ConfigError(reader.issues)
    return resolved, reader.files


def _names_csv(node: Sourced) -> bool:
    entries = node.value
    if not (isinstance(entries, dict) and "file" in entries and "dist" in entries):
        return False
    return entries["dist"].value == "empirical"


class _EmpiricalFiles:
    """Walks a tree replacing CSV references, collecting problems and files read."""

    def __init__(self) -> None:
        self.issues: list[ConfigIssue] = []
        self.files: list[Path] = []

    def resolve(self, node: Sourced, path: FieldPath) -> Sourced:
        if not _names_csv(node):
            children = [(key, self.resolve(child, (*path, key))) for key, child in node.children()]
            return node.with_children(children)
        try:
            return self._read(node, path)
        except ConfigError as error:
            self.issues.extend(error.issues)
            return node

    def _read(self, node: Sourced, path: FieldPath) -> Sourced:
        entries: dict[str, Sourced] = node.value
        if "values" in entries:
            message = "give either values, or file and column, not both"
            raise ConfigError([entries["values"].issue((*path, "values"), message)])
        if "column" not in entries:
            raise ConfigError([node.issue((*path, "column"), MISSING_FIELD)])
        file_node, column_node = entries["file"], entries["column"]
        csv_path = named_path(file_node, (*path, "file"))
        rows = csv.DictReader(read_text(csv_path, file_node, (*path, "file"), "CSV").splitlines())
        columns = rows.fieldnames or []
        column = column_node.value
        if column not in columns:
            message = f"no column {column!r} in '{csv_path}'"
            issue = column_node.issue(
                (*path, "column"), message, name_list(columns), closest(column, columns)
            )
            raise ConfigError([issue])
        values = Sourced(
            _numbers(rows, column, str(csv_path), path), file_node.file, file_node.line
        )
        self.files.append(csv_path.resolve())
        kept = {key: child for key, child in entries.items() if key not in ("file", "column")}
        return Sourced({**kept, "values": values}, node.file, node.line)


def _numbers(rows: csv.DictReader, column: str, csv_file: str, path: FieldPath) -> list[Sourced]:
    """The non-blank cells of `column`, each located on its CSV line."""
    values, issues = [], []
    for row in rows:
        cell = Sourced((row[column] or "").strip(), csv_file, rows.line_num)
        if not cell.value:
            continue
        try:
            values.append(Sourced(float(cell.value), cell.file, cell.line))
        except ValueError:
            issues.append(cell.issue((*path, "column"), f"expected a number, got {cell.value!r}"))
    if issues:
        raise ConfigError(issues)
    return values
