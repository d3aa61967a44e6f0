"""Overrides: a configuration with some fields set to other values, checked again.

An override's key is the dotted path of a field of the configuration after loading
(`choice.wait_weeks`, `arrivals.0.rate_per_day` or `arrivals[0].rate_per_day`), or
`capacity_multiplier.KIND`, which scales every resource and practice clinic of a kind.
Sweeps apply a point's values this way (pathways.experiment.runner), and so can a
notebook; either way a value that makes the model invalid is reported as a ConfigError
naming the key most likely behind it, never as a traceback.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pathways.config.derived import practice_clinics, resource_kinds
from pathways.config.errors import (
    ConfigError,
    ConfigIssue,
    FieldPath,
    Finding,
    closest,
    format_path,
    name_list,
)
from pathways.config.lint import capacity_per_day, lint
from pathways.config.schema import Config
from pathways.config.validation import describe, validate

CAPACITY_MULTIPLIER = "capacity_multiplier"
_INDEX = re.compile(r"\[(\d+)\]")
_PART = re.compile(r"^(?:\d+|[A-Za-z_][A-Za-z0-9_\-]*)$")
_ROUND_HALF_UP = 1e-9
"""Added before flooring x + 0.5, so that 0.7 x 5 (3.4999999999999996) rounds to 4."""

Blamed = list[tuple[str | None, Finding]]
"""Findings with the key that (most likely) caused each, None if unknown."""


@dataclass(frozen=True)
class OverrideSource:
    """Where overrides were written (a runner file's parameters), for errors about them."""

    file: str
    line: int | None
    """The line of the mapping they were written in (None: the file as a whole)."""
    lines: Mapping[str, int | None]
    """Key -> the line it was written on."""
    prefix: str = "parameters"
    """The field the keys were written under (an arm's `questions.ID.compare.at`)."""


class LocatedOverrides(Protocol):
    """Overrides that know where they were written: a sweep's point."""

    @property
    def index(self) -> int: ...

    @property
    def values(self) -> Mapping[str, Any]: ...

    @property
    def source(self) -> OverrideSource | None: ...


class PointError(ConfigError):
    """Overrides (a point of a sweep) that make a model's configuration invalid."""

    def __init__(self, issues: Iterable[ConfigIssue], model: str, label: str):
        self.model = model
        self.label = label
        super().__init__(issues)

    def __reduce__(self) -> tuple[type[PointError], tuple[Any, ...]]:
        return PointError, (self.issues, self.model, self.label)  # back from a worker process


def configure(config: Config, values: Mapping[str, Any] | LocatedOverrides) -> Config:
    """A new validated, linted Config: `config` with `values` applied.

    `values` maps keys (dotted paths, `capacity_multiplier.KIND`) to values; `config`
    itself is left untouched. Pass a sweep's point itself to have errors point at the
    runner file's lines. Raises PointError (a ConfigError) naming the model and the
    values when a key does not exist in the model, or the values make it invalid."""
    point = None if isinstance(values, Mapping) else values
    plain = dict(values) if isinstance(values, Mapping) else dict(values.values)
    configured, blamed = apply_overrides(config, plain)
    if configured is None:
        label = values_label(plain)
        where = f"point {point.index} ({label})" if point is not None else f"point {label}"
        source = point.source if point is not None else None
        raise PointError([override_issue(source, models_phrase([config.name]), where, key,
                                         finding) for key, finding in blamed],
                         config.name, label)
    return configured


def values_label(values: Mapping[str, Any]) -> str:
    """`choice.wait_weeks=-0.01, capacity_multiplier.beds=1.2`, or `base` for none."""
    if not values:
        return "base"
    return ", ".join(f"{key}={_yaml_text(value)}" for key, value in values.items())


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "null" if value is None else str(value)


def apply_overrides(config: Config, values: Mapping[str, Any]) -> tuple[Config | None, Blamed]:
    """`config` with `values` applied (validated and linted), or None and what went wrong,
    each finding with the key behind it. Capacity multipliers apply last."""
    data = config.model_dump()
    problems: list[tuple[str, Finding]] = []
    paths: dict[str, FieldPath] = {}
    multipliers: list[tuple[str, FieldPath, Any]] = []
    in_model = models_phrase([config.name])
    for key, value in values.items():
        path = parse_path(key)
        if path is None:
            problems.append((key, Finding((), f"{key!r} is not a configuration path")))
            continue
        paths[key] = path
        if path[0] == CAPACITY_MULTIPLIER:
            finding = unknown_kind(config, path, in_model) or _bad_factor(path, value)
            if finding is None:
                multipliers.append((key, path, value))
        else:
            finding = missing_field(data, path, in_model) or _set(data, path, value)
        if finding is not None:
            problems.append((key, finding))
    if problems:  # each at its key's whole path, which the message explains
        return None, [(key, Finding(paths.get(key, ()), f.message, f.allowed, f.suggestion))
                      for key, f in problems]
    for _, path, factor in multipliers:
        _multiply(data, str(path[1]), factor)
    configured, findings = validate(data)
    if configured is None:
        return None, [(_blame(f.path, paths, config), f) for f in findings]
    errors, _ = lint(configured)
    if errors:
        return None, [(_blame(f.path, paths, config), f) for f in errors]
    silent = [(key, _no_change(config, configured, path, factor))
              for key, path, factor in multipliers if factor != 1]
    changed_nothing: Blamed = [(key, finding) for key, finding in silent if finding is not None]
    return (None, changed_nothing) if changed_nothing else (configured, [])


def _set(data: Any, path: FieldPath, value: Any) -> Finding | None:
    """Sets the field at `path` (which exists) to `value`, or says why it does not fit."""
    parent = field_value(data, path[:-1])
    fitted, finding = _fitted(parent[path[-1]], value, path)
    if finding is None:
        parent[path[-1]] = fitted
    return finding


# --- keys and the fields they name ---------------------------------------------------------


def parse_path(key: object) -> FieldPath | None:
    """`arrivals.0.rate_per_day` (or `arrivals[0].rate_per_day`) -> its parts."""
    if not isinstance(key, str):
        return None
    parts = _INDEX.sub(r".\1", key).split(".")
    if not all(_PART.match(part) for part in parts):
        return None
    return tuple(int(part) if part.isdigit() else part for part in parts)


def dotted(path: FieldPath) -> str:
    """A field path as an override key: `arrivals.0.rate_per_day`."""
    return ".".join(str(part) for part in path)


def field_value(data: Any, path: FieldPath) -> Any:
    """The value at `path` of plain data (which `missing_field` found there)."""
    for part in path:
        data = data[part]
    return data


def missing_field(data: Any, path: FieldPath, in_model: str) -> Finding | None:
    """Why `path` does not lead to a field of `data` (of `in_model`, as `model 'a'`), or
    None if it does."""
    node = data
    for depth, part in enumerate(path):
        here, there = path[:depth], path[: depth + 1]
        if isinstance(node, dict):
            if part not in node:
                return _no_key(node, here, there, path, in_model)
        elif isinstance(node, list):
            if not isinstance(part, int) or part >= len(node):
                indices = f"0 to {len(node) - 1}" if node else "none: it is empty"
                return Finding(there, f"'{dotted(here)}' is a list of {len(node)} in "
                               f"{in_model}", f"indices {indices}")
        else:
            what = "not set (null)" if node is None else f"a single value ({describe(node)})"
            return Finding(there, f"'{dotted(here)}' is {what} in {in_model}, so it has no "
                           f"{there[-1]!r}")
        node = node[part]
    return None


def _no_key(node: dict, here: FieldPath, there: FieldPath, path: FieldPath,
            in_model: str) -> Finding:
    part = there[-1]
    where = f"under '{dotted(here)}'" if here else "at the top level"
    keys = [str(key) for key in node]
    if not keys:
        return Finding(there, f"nothing {where} in {in_model} (it is empty), so no {part!r}")
    meant = closest(part, keys)
    return Finding(there, f"no {part!r} {where} in {in_model}", name_list(keys),
                   dotted((*here, meant, *path[len(there):])) if meant else None)


def is_whole(value: Any) -> bool:
    """Whether a field holds a whole number (so that overrides must be whole too)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _fitted(existing: Any, value: Any, path: FieldPath) -> tuple[Any, Finding | None]:
    """`value` as the field needs it: a whole-number field takes 2.0 as 2, not 2.5."""
    if is_whole(existing) and isinstance(value, float):
        if value.is_integer():
            return int(value), None
        return value, Finding(path, f"expected a whole number (the model has {existing}), "
                              f"got {value:g}")
    return value, None


# --- capacity multipliers ------------------------------------------------------------------


def is_positive_number(value: Any) -> bool:
    """Whether `value` can be a capacity multiplier."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0)


def _bad_factor(path: FieldPath, value: Any) -> Finding | None:
    if is_positive_number(value):
        return None
    return Finding(path, f"a capacity multiplier must be a number greater than 0, got "
                   f"{describe(value)}")


def unknown_kind(config: Config, path: FieldPath, in_model: str) -> Finding | None:
    """Why `capacity_multiplier.KIND` names no kind of resource in `config`, if it does not."""
    if len(path) != 2:
        return Finding(path, f"expected {CAPACITY_MULTIPLIER}.KIND, a kind of resource")
    kinds = sorted(resource_kinds(config))
    kind = str(path[1])
    if kind in kinds:
        return None
    if not kinds:
        return Finding(path, f"no resource has a kind in {in_model}, so {dotted(path)} would "
                       "change nothing; set resources.NAME.capacity instead")
    meant = closest(kind, kinds)
    return Finding(path, f"no resources of kind {kind!r} in {in_model}",
                   f"kinds of resource ({name_list(kinds)})",
                   f"{CAPACITY_MULTIPLIER}.{meant}" if meant else None)


def _multiply(data: dict, kind: str, factor: float) -> None:
    """Slots per session of every bookable resource of `kind` x factor (exactly);
    capacity of every other resource of `kind` x factor (nearest whole number, at least
    1), and servers_per_1000 of practice clinics of that kind. What another override
    made into something else is left as it is, for validation to report."""
    for resource in _mappings(data.get("resources")):
        if resource.get("kind") == kind and _is_number(resource.get("slots_per_session")):
            resource["slots_per_session"] = resource["slots_per_session"] * factor
        elif resource.get("kind") == kind and _is_number(resource.get("capacity")):
            scaled = resource["capacity"] * factor
            resource["capacity"] = max(1, math.floor(scaled + 0.5 + _ROUND_HALF_UP))
    practices = data.get("practices")
    clinics = practices.get("clinics") if isinstance(practices, dict) else None
    for clinic in _mappings(clinics):
        if clinic.get("kind") == kind and _is_number(clinic.get("servers_per_1000")):
            clinic["servers_per_1000"] = clinic["servers_per_1000"] * factor


def _mappings(named: Any) -> list[dict]:
    """The mappings among the values of `named`, if it is a mapping."""
    values = named.values() if isinstance(named, dict) else []
    return [value for value in values if isinstance(value, dict)]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _kind_capacity(config: Config, kind: str) -> list[float]:
    """What each resource and practice clinic of `kind` offers a day."""
    return ([capacity_per_day(config, r) for r in config.resources.values() if r.kind == kind]
            + [servers for _, _, clinic, servers in practice_clinics(config)
               if clinic.kind == kind])


def _no_change(before: Config, after: Config, path: FieldPath, factor: float) -> Finding | None:
    """Why a capacity multiplier other than 1 changes no capacity at all (whole servers
    rounded back to what they were), if it does not."""
    kind = str(path[1])
    if _kind_capacity(before, kind) != _kind_capacity(after, kind):
        return None
    return Finding(path, f"a capacity multiplier of {factor:g} changes nothing for kind "
                   f"{kind!r}: its servers round back to the same whole numbers",
                   "a factor that changes at least one resource's servers, or bookable "
                   "capacity (slots_per_session), which scales by any factor")


# --- which override a problem is blamed on, and where it was written ------------------------


def _blame(path: FieldPath, paths: Mapping[str, FieldPath], config: Config) -> str | None:
    """The key most likely behind a problem at `path` of the configured model: one whose
    path contains it or lies inside it, a capacity multiplier of the resource's kind,
    one sharing the longest start with it, or the only key."""
    nested = [(min(len(p), len(path)), key) for key, p in paths.items()
              if p[: len(path)] == path[: len(p)]]
    if nested:
        return max(nested)[1]
    kind = _kind_at(path, config)
    for key, p in paths.items():
        if p[0] == CAPACITY_MULTIPLIER and kind is not None and p[1] == kind:
            return key
    shared: list[tuple[int, str | None]] = [(_shared_length(p, path), key)
                                            for key, p in paths.items()]
    length, nearest = max(shared, default=(0, None))
    if length >= 2:
        return nearest
    return next(iter(paths)) if len(paths) == 1 else None


def _shared_length(a: FieldPath, b: FieldPath) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)))


def _kind_at(path: FieldPath, config: Config) -> str | None:
    """The kind of the resource or practice clinic a field path is about, if any."""
    if len(path) >= 2 and path[0] == "resources" and path[1] in config.resources:
        return config.resources[str(path[1])].kind
    if (len(path) >= 3 and path[:2] == ("practices", "clinics") and config.practices
            and path[2] in config.practices.clinics):
        return config.practices.clinics[str(path[2])].kind
    return None


def models_phrase(models: Sequence[str]) -> str:
    """`model 'a'`, `models 'a' and 'b'`, `models 'a', 'b' and 'c'`."""
    names = [repr(model) for model in models]
    if len(names) == 1:
        return f"model {names[0]}"
    return f"models {', '.join(names[:-1])} and {names[-1]}"


def override_issue(source: OverrideSource | None, models: str, where: str, key: str | None,
                   finding: Finding) -> ConfigIssue:
    """A problem overrides cause in a model: at the line of the key behind it where the
    overrides were written in a file, else at the model's configuration path."""
    inner = format_path(finding.path)
    if source is None:
        return ConfigIssue(models, None, inner or (key or ""),
                           f"{finding.message} (at {where})", finding.allowed, finding.suggestion)
    detail = finding.message
    key_path = parse_path(key) if key is not None else None
    if inner and finding.path != key_path:
        detail = f"{inner}: {detail}"
    line = source.lines.get(key, source.line) if key is not None else source.line
    field_path = f"{source.prefix}.{key}" if key is not None else source.prefix
    return ConfigIssue(source.file, line, field_path, f"{models}, {where}: {detail}",
                       finding.allowed, finding.suggestion)
