"""Schema validation, with pydantic's errors reworded as `Finding`s a person can act on.

A pydantic error location mixes data keys with the labels of union branches
(`duration.exponential.mean`); walking it against the data keeps the keys and drops
the labels, so the field path is exactly where the value sits in the YAML. The same
location, walked against the schema, tells which fields a mapping allows.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError
from pydantic_core import ErrorDetails

from pathways.config.errors import MISSING_FIELD, FieldPath, Finding, closest, name_list
from pathways.config.schema import Config

Schema = TypeVar("Schema", bound=BaseModel)


class InvalidValue(ValueError):
    """Raised by a schema's own check that can say what is allowed, or what was meant."""

    def __init__(self, message: str, allowed: str | None = None,
                 suggestion: str | None = None):
        super().__init__(message)
        self.allowed = allowed
        self.suggestion = suggestion


def validate(data: Any) -> tuple[Config | None, list[Finding]]:
    """The validated Config, or None and everything wrong with `data`."""
    return validate_as(Config, data)


def validate_as(schema: type[Schema], data: Any) -> tuple[Schema | None, list[Finding]]:
    """`data` validated as `schema` (Config, or another file's schema written the same
    way), or None and everything wrong with it."""
    try:
        return schema.model_validate(data), []
    except ValidationError as error:
        findings = [_finding(details, data, schema)
                    for details in error.errors(include_url=False)]
        return None, _without_explained_missing(findings)


def _finding(details: ErrorDetails, data: Any, schema: type[BaseModel]) -> Finding:
    path = _data_path(details["loc"], data, keep_missing=details["type"] == "missing")
    explain = _EXPLAIN.get(details["type"], _explain_plainly)
    return explain(details, path, schema)


def _without_explained_missing(findings: list[Finding]) -> list[Finding]:
    """Drops "missing required field" where an unknown field next to it is probably the
    same field misspelt (`capcity: 5`): the unknown field's "did you mean" says it all."""
    meant = {(*f.path[:-1], f.suggestion) for f in findings if f.suggestion}
    return [f for f in findings if not (f.path in meant and f.message == MISSING_FIELD)]


def _data_path(loc: tuple, data: Any, keep_missing: bool) -> FieldPath:
    """The keys of `loc` that exist in `data` (plus a missing field's own name)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if _has(node, part):
            path.append(part)
            node = node[part]
    if keep_missing:
        path.append(loc[-1])
    return tuple(path)


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def describe(value: Any) -> str:
    """How a wrong value is shown to a person: the YAML they wrote, or what kind it is."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _quoted_words(text: str) -> list[str]:
    return re.findall(r"'([^']*)'", text)


# --- one explanation per kind of error -------------------------------------------------

Explain = Callable[[ErrorDetails, FieldPath, type[BaseModel]], Finding]
"""Error details, the field path and the schema -> what a person is told."""


def _expected(what: str) -> Explain:
    return lambda d, path, _: Finding(path, f"expected {what}, got {describe(d['input'])}")


def _bound(relation: str, key: str) -> Explain:
    return lambda d, path, _: Finding(
        path, f"must be {relation} {d['ctx'][key]:g}, got {describe(d['input'])}"
    )


def _explain_length(details: ErrorDetails, path: FieldPath, _: type[BaseModel]) -> Finding:
    ctx = details["ctx"]
    if ctx.get("min_length") == 1 and details["type"] == "too_short":
        return Finding(path, "must not be empty")
    limit = "at least" if details["type"] == "too_short" else "at most"
    bound = ctx.get("min_length", ctx.get("max_length"))
    return Finding(path, f"must have {limit} {bound} items, got {ctx['actual_length']}")


def _explain_unknown_field(details: ErrorDetails, path: FieldPath,
                           schema: type[BaseModel]) -> Finding:
    fields = _fields_at(schema, details["loc"][:-1])
    return Finding(
        path, f"unknown field {path[-1]!r}", name_list(fields) or None, closest(path[-1], fields)
    )


def _explain_choice(details: ErrorDetails, path: FieldPath, _: type[BaseModel]) -> Finding:
    choices = _quoted_words(details["ctx"]["expected"])
    given = details["input"]
    return Finding(path, f"unknown value {given!r}", name_list(choices), closest(given, choices))


def _explain_unknown_tag(details: ErrorDetails, path: FieldPath,
                         _: type[BaseModel]) -> Finding:
    ctx = details["ctx"]
    (key,) = _quoted_words(ctx["discriminator"])
    tags = _quoted_words(ctx["expected_tags"])
    tag = ctx["tag"]
    return Finding((*path, key), f"unknown {key} {tag!r}", name_list(tags), closest(tag, tags))


def _explain_missing_tag(details: ErrorDetails, path: FieldPath,
                         schema: type[BaseModel]) -> Finding:
    (key,) = _quoted_words(details["ctx"]["discriminator"])
    tags = _tags_at(schema, details["loc"])
    return Finding((*path, key), MISSING_FIELD, name_list(tags))


def _explain_own_check(details: ErrorDetails, path: FieldPath, _: type[BaseModel]) -> Finding:
    error = details["ctx"]["error"]
    if isinstance(error, InvalidValue):
        return Finding(path, str(error), error.allowed, error.suggestion)
    return Finding(path, str(error))


def _explain_plainly(details: ErrorDetails, path: FieldPath, _: type[BaseModel]) -> Finding:
    return Finding(path, details["msg"])


_EXPLAIN: dict[str, Explain] = {
    "missing": lambda d, path, _: Finding(path, MISSING_FIELD),
    "extra_forbidden": _explain_unknown_field,
    "literal_error": _explain_choice,
    "union_tag_invalid": _explain_unknown_tag,
    "union_tag_not_found": _explain_missing_tag,
    "value_error": _explain_own_check,
    "invalid_key": _expected("a field name"),
    "float_type": _expected("a number"),
    "int_type": _expected("a whole number"),
    "string_type": _expected("text"),
    "bool_type": _expected("true or false"),
    "list_type": _expected("a list"),
    "dict_type": _expected("a mapping"),
    "model_type": _expected("a mapping"),
    "model_attributes_type": _expected("a mapping"),
    "finite_number": _expected("a finite number"),
    "greater_than": _bound("greater than", "gt"),
    "greater_than_equal": _bound("at least", "ge"),
    "less_than": _bound("less than", "lt"),
    "less_than_equal": _bound("at most", "le"),
    "too_short": _explain_length,
    "too_long": _explain_length,
    "string_too_short": lambda d, path, _: Finding(path, "must not be empty"),
}


# --- what the schema allows at a location ----------------------------------------------


def _annotation_at(schema: type[BaseModel], loc: tuple) -> Any:
    """The schema annotation that validated the value at pydantic location `loc`."""
    annotation: Any = schema
    for part in loc:
        annotation = _child(annotation, part)
    return annotation


def _fields_at(schema: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the model at `loc` (empty if the value there is not a model)."""
    model = _unwrap(_annotation_at(schema, loc))
    return list(model.model_fields) if _is_model(model) else []


def _tags_at(schema: type[BaseModel], loc: tuple) -> list[str | None]:
    """The labels of the union branches at `loc`, e.g. the distribution names."""
    return [_tag(member) for member in _union_members(_annotation_at(schema, loc))]


def _child(annotation: Any, part: str | int) -> Any:
    """The annotation one step down along a pydantic location."""
    annotation = _unwrap(annotation)
    if _is_model(annotation):
        field = annotation.model_fields.get(part)
        return field.annotation if field else None
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is dict:
        return args[1]
    if origin is list:
        return args[0]
    by_tag: dict[str | int | None, Any] = {_tag(m): m for m in _union_members(annotation)}
    return by_tag.get(part)


def _unwrap(annotation: Any) -> Any:
    """Strips `Annotated[...]` and `Optional[...]` down to the type that validates values."""
    if get_origin(annotation) is Annotated:
        return _unwrap(get_args(annotation)[0])
    members = [arg for arg in _union_args(annotation) if arg is not type(None)]
    return _unwrap(members[0]) if len(members) == 1 else annotation


def _union_args(annotation: Any) -> tuple:
    return get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else ()


def _union_members(annotation: Any) -> tuple:
    return _union_args(_unwrap(annotation))


def _tag(member: Any) -> str | None:
    """The label pydantic gives a union branch in error locations: its `Tag`, or the
    value of its literal discriminator field (`dist: Literal["exponential"]`)."""
    if get_origin(member) is Annotated:
        return next((meta.tag for meta in get_args(member)[1:] if isinstance(meta, Tag)), None)
    fields = member.model_fields.values() if _is_model(member) else []
    literals = [get_args(f.annotation)[0] for f in fields if get_origin(f.annotation) is Literal]
    return literals[0] if literals else None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
