"""YAML files -> a validated, linted `Config`, or a `ConfigError` listing every problem.

Loading goes in stages, each reporting all the problems it finds before stopping:
read the file and everything it `extends:` (broken YAML, duplicate keys, missing or
circular files), merge them, read CSV columns, validate against the schema, write the
services and stage edits into the pathways (once: a configured copy of the result,
`pathways.config.overrides.configure`, is validated again without rewriting them),
lint.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import reduce
from pathlib import Path
from typing import Any

from pathways.config.empirical_files import read_empirical_files
from pathways.config.errors import ConfigError, ConfigIssue, FieldPath
from pathways.config.files import named_path, read_text
from pathways.config.lint import lint
from pathways.config.practices_file import read_practices_file
from pathways.config.referral_management import with_referral_management
from pathways.config.schema import Config
from pathways.config.sourced import Sourced, SourceMap, merge
from pathways.config.stage_edits import blame_edits, edit_pathways
from pathways.config.validation import validate
from pathways.config.yaml_reader import parse_yaml

EXTENDS_DEPTH_LIMIT = 50
"""Files in one `extends:` chain; the shipped models chain at most 4. Far deeper ones are a
mistake (or generated), and would otherwise end in a RecursionError."""


@dataclass(frozen=True)
class LoadedConfig:
    """A configuration that passed every check, with what it was made from."""

    config: Config
    warnings: tuple[ConfigIssue, ...]
    files: tuple[Path, ...]
    """Every file read (the file itself, its extends chain, CSVs), resolved, in order."""
    merged: dict[str, Any]
    """The data after merging `extends:` and before reading CSVs or validating."""
    path: Path
    before_edits: Config
    """The configuration before its `stage_edits` (the same as `config` without any)."""


def load_config(path: str | os.PathLike[str]) -> LoadedConfig:
    """Loads the YAML file at `path`. Raises ConfigError with every problem found."""
    path = Path(path)
    reader = _Reader()
    itself = Sourced(None, str(path), None)  # a file that cannot be read is reported as itself
    layers = reader.read_file(path, itself, (), ())
    return _check(reduce(merge, [tree for _, tree in layers]), reader, path)


def load_config_text(text: str, path: str | os.PathLike[str] = "<string>") -> LoadedConfig:
    """Loads configuration from `text`, as if read from `path` (which names it in
    errors and anchors relative `extends:` and CSV paths)."""
    path = Path(path)
    reader = _Reader()
    return _check(reader.parse(text, path, ()), reader, path)


def _check(tree: Sourced, reader: _Reader, path: Path) -> LoadedConfig:
    merged = tree.plain()
    tree, csv_files = read_empirical_files(tree)
    tree, practice_files = read_practices_file(tree)
    source_map = SourceMap(tree)
    config, findings = validate(tree.plain())
    if config is None:
        raise ConfigError(map(source_map.issue, findings))
    written = with_referral_management(config)
    config, findings = edit_pathways(written)
    if findings:
        raise ConfigError(map(source_map.issue, findings))
    errors, warnings = lint(config)
    if errors:
        raise ConfigError(map(source_map.issue, blame_edits(errors, written, config)))
    files = tuple(dict.fromkeys([*reader.files, *csv_files, *practice_files]))
    return LoadedConfig(config, tuple(map(source_map.issue, warnings)), files, merged, path,
                        written)


Layer = tuple[Path, Sourced]
"""A file (resolved) and the settings it writes itself."""


class _Reader:
    """Reads a configuration file and, recursively, the files it extends."""

    def __init__(self) -> None:
        self.files: list[Path] = []

    def read_file(
        self, path: Path, named_at: Sourced, field: FieldPath, chain: tuple[Path, ...]
    ) -> list[Layer]:
        text = read_text(path, named_at, field)
        self.files.append(path.resolve())
        return self.layers(text, path, chain)

    def parse(self, text: str, path: Path, chain: tuple[Path, ...]) -> Sourced:
        """The tree of `text` merged over the files it extends."""
        return reduce(merge, [tree for _, tree in self.layers(text, path, chain)])

    def layers(self, text: str, path: Path, chain: tuple[Path, ...]) -> list[Layer]:
        """The settings each file writes itself (without `extends:`), bases first, each
        file once: where two bases share a base (a redesign and a model that both
        extend the demo economy), the shared file comes once, before both, so that the
        second base does not write the shared settings back over the first's changes.
        `chain` holds the files that (transitively) extend this one."""
        tree = parse_yaml(text, str(path))
        if not isinstance(tree.value, dict):
            message = "the file must hold a mapping of settings (name:, pathways:, ...)"
            raise ConfigError([tree.issue((), message)])
        own = {key: child for key, child in tree.value.items() if key != "extends"}
        layers: dict[Path, Sourced] = {}
        for base in self._read_bases(tree.value.get("extends"), (*chain, path)):
            for file, layer in base:
                layers.setdefault(file, layer)
        layers[path.resolve()] = Sourced(own, tree.file, tree.line)
        return list(layers.items())

    def _read_bases(self, extends: Sourced | None, chain: tuple[Path, ...]) -> list[list[Layer]]:
        """The layers of each file named by `extends:` (a name or a list), in order."""
        if extends is None:
            return []
        entries: list[tuple[FieldPath, Sourced]] = (
            [(("extends", i), entry) for i, entry in enumerate(extends.value)]
            if isinstance(extends.value, list) else [(("extends",), extends)])
        bases: list[list[Layer]] = []
        issues: list[ConfigIssue] = []
        for field, entry in entries:
            try:
                bases.append(self._read_base(entry, field, chain))
            except ConfigError as error:
                issues.extend(error.issues)
        if issues:
            raise ConfigError(issues)
        return bases

    def _read_base(self, entry: Sourced, field: FieldPath,
                   chain: tuple[Path, ...]) -> list[Layer]:
        path = named_path(entry, field)
        cycle_start = next((i for i, p in enumerate(chain) if p.resolve() == path.resolve()), None)
        if cycle_start is not None:
            cycle = " -> ".join(str(p) for p in (*chain[cycle_start:], path))
            raise ConfigError([entry.issue(field, f"circular extends: {cycle}")])
        if len(chain) >= EXTENDS_DEPTH_LIMIT:
            message = (f"extends chain deeper than {EXTENDS_DEPTH_LIMIT} files: stops at "
                       f"{path} (the chain starts at {chain[0]})")
            raise ConfigError([entry.issue(field, message)])
        return self.read_file(path, entry, field, chain)
