"""Reads the GP practices CSV that `practices: {file: ...}` names, before validation.

`practices: {file: practices.csv}` becomes `practices: {rows: [...]}`, one mapping a
row, each cell remembering its CSV line so that a bad list size or quintile is
reported where it is written. Numbers are converted here (CSV cells are text); a
cell that is not a number stays text, and the schema reports it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pathways.config.errors import MISSING_FIELD, ConfigError, FieldPath, name_list
from pathways.config.files import named_path, read_text
from pathways.config.sourced import Sourced

COLUMNS = {"name": str, "list_size": int, "x_km": float, "y_km": float,
           "deprivation_quintile": int}
OPTIONAL_COLUMNS = {"referral_factor": float}  # read where the file has them


def read_practices_file(tree: Sourced) -> tuple[Sourced, list[Path]]:
    """`tree` with the practices CSV read into rows, and the files read."""
    practices = tree.value.get("practices") if isinstance(tree.value, dict) else None
    if practices is None or not isinstance(practices.value, dict):
        return tree, []
    entries: dict[str, Sourced] = practices.value
    path: FieldPath = ("practices",)
    if "file" not in entries:
        if "rows" in entries:
            return tree, []
        raise ConfigError([practices.issue((*path, "file"), MISSING_FIELD)])
    file_node = entries["file"]
    csv_path = named_path(file_node, (*path, "file"))
    rows = csv.DictReader(read_text(csv_path, file_node, (*path, "file"), "CSV").splitlines())
    missing = [column for column in COLUMNS if column not in (rows.fieldnames or [])]
    if missing:
        message = f"'{csv_path}' lacks the column(s) {name_list(missing)}"
        raise ConfigError([file_node.issue((*path, "file"), message, name_list(COLUMNS))])
    columns = {**COLUMNS, **{name: kind for name, kind in OPTIONAL_COLUMNS.items()
                             if name in (rows.fieldnames or [])}}
    read = [_row(row, columns, str(csv_path), rows.line_num) for row in rows]
    kept = {key: child for key, child in entries.items() if key != "file"}
    replaced = Sourced({**kept, "rows": Sourced(read, file_node.file, file_node.line)},
                       practices.file, practices.line)
    merged = Sourced({**tree.value, "practices": replaced}, tree.file, tree.line)
    return merged, [csv_path.resolve()]


def _row(row: dict[str, str], columns: dict[str, type], csv_file: str, line: int) -> Sourced:
    return Sourced({column: Sourced(_convert((row[column] or "").strip(), kind), csv_file, line)
                    for column, kind in columns.items()}, csv_file, line)


def _convert(text: str, kind: type) -> object:
    try:
        return kind(text)
    except ValueError:
        return text
