"""Checks of a runner file against its models: the files load, their names differ,
every parameter names a field of every model it applies to, and every point keeps
every model it runs valid. Each problem is reported at the runner file's line that
causes it, once, naming every model that has it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pathways.config.errors import ConfigError, ConfigIssue, FieldPath, Finding, closest, name_list
from pathways.config.files import named_path, read_text
from pathways.config.loader import load_config
from pathways.config.overrides import (
    CAPACITY_MULTIPLIER,
    apply_overrides,
    field_value,
    is_whole,
    missing_field,
    models_phrase,
    override_issue,
    parse_path,
    unknown_kind,
)
from pathways.config.schema import Config
from pathways.experiment.designs import Point
from pathways.experiment.runner_file import RangeFields, WrittenRunner

_MODELS = "\x00models\x00"
"""Stands for the models a problem was found in, until they are all known."""


def model_files(written: WrittenRunner) -> tuple[Path, ...]:
    """The model files, relative to the runner file's folder."""
    fields = [written.model_field(i) for i in range(len(written.fields.models))]
    return tuple(named_path(written.node(field), field) for field in fields)


def load_models(written: WrittenRunner, models: Sequence[Path]) -> list[Config]:
    """Every model's validated configuration, or every model's errors."""
    configs: list[Config] = []
    issues: list[ConfigIssue] = []
    for i, path in enumerate(models):
        field = written.model_field(i)
        try:
            read_text(path, written.node(field), field)
            configs.append(load_config(path).config)
        except ConfigError as error:
            issues.extend(error.issues)
    if issues:
        raise ConfigError(issues)
    return configs


def check_names(written: WrittenRunner, models: Sequence[Path], names: Sequence[str]) -> None:
    """The models' names differ, and the baseline is one of them."""
    findings = []
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in first:
            findings.append(Finding(written.model_field(i), f"'{models[i]}' and "
                                    f"'{models[first[name]]}' are both named {name!r}: a sweep "
                                    "tells models apart by their name:, so give each its own"))
        first.setdefault(name, i)
    baseline = written.fields.baseline
    if baseline is not None and baseline not in names:
        findings.append(unknown_model(("baseline",), baseline, names))
    if findings:
        raise ConfigError(map(written.issue, findings))


def unknown_model(field: FieldPath, name: str, names: Sequence[str]) -> Finding:
    return Finding(field, f"no model is named {name!r}", f"the models' names ({name_list(names)})",
                   closest(name, names))


def check_parameters(written: WrittenRunner,
                      parameters: Iterable[tuple[Config, FieldPath, Any]]) -> None:
    """Every parameter (the model it is applied to, where it was written, its values)
    names a field of that model, with values that fit the field. A problem several
    models share is reported once, naming them all."""
    problems: dict[Finding, dict[str, None]] = {}
    dumps: dict[int, dict] = {}
    for config, field, values in parameters:
        data = dumps.setdefault(id(config), config.model_dump())
        for finding in _misfits(data, config, field, values):
            problems.setdefault(finding, {})[config.name] = None
    if problems:
        raise ConfigError(written.issue(Finding(
            f.path, f.message.replace(_MODELS, models_phrase(list(models))), f.allowed,
            f.suggestion)) for f, models in problems.items())


def _misfits(data: dict, config: Config, field: FieldPath, values: Any) -> list[Finding]:
    """Why the parameter written at `field` does not fit `config` (as `data`), if it does
    not: no such field (or kind), or fractions for a whole-number field."""
    path = parse_path(field[-1])
    if path is None:  # the schema refuses such keys
        return []
    finding = (unknown_kind(config, path, _MODELS) if path[0] == CAPACITY_MULTIPLIER
               else missing_field(data, path, _MODELS))
    if finding is not None:
        return [Finding(field, finding.message, finding.allowed, finding.suggestion)]
    if path[0] == CAPACITY_MULTIPLIER or not is_whole(field_value(data, path)):
        return []
    if isinstance(values, RangeFields):
        return [Finding(field, f"a whole number in {_MODELS}, so a range would give "
                        "fractions: give a list of whole numbers instead")]
    listed = isinstance(values, list)
    return [Finding((*field, i) if listed else field, f"a whole number in {_MODELS}, got {v:g}")
            for i, v in enumerate(values if listed else [values])
            if isinstance(v, float) and not v.is_integer()]


def check_cells(cells: Iterable[tuple[Point, Config]]) -> None:
    """Applies each point to each model run there. Each problem (a parameter and the
    field it breaks) is reported once, at its first point, with how many others have it."""
    problems: dict[tuple[str | None, FieldPath], tuple[dict, dict[int, tuple]]] = {}
    for point, config in cells:
        _, blamed = apply_overrides(config, point.values)
        for key, finding in blamed:
            models, bad = problems.setdefault((key, finding.path), ({}, {}))
            models[config.name] = True
            bad.setdefault(point.index, (point, finding))
    issues = []
    for (key, _), (models, bad) in problems.items():
        first, finding = bad[min(bad)]
        where = f"point {first.index} ({first.label})"
        if len(bad) > 1:
            others = len(bad) - 1
            where += f" and {others} other point{'s' if others != 1 else ''}"
        issues.append(override_issue(first.source, models_phrase(list(models)), where, key,
                                     finding))
    if issues:
        raise ConfigError(issues)
