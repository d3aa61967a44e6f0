"""A runner file's fields, read like a configuration: a pydantic schema, then the rules
that need more than one field, every problem located at its file, line and field.

The schema checks each field on its own (types, unknown and missing fields, bounds,
names of metrics, the form of parameter keys); `_rules` then checks what depends on
another field (ranges need a Latin hypercube, a grid's values must differ, questions
stand alone). Both report `Finding`s that the file's `SourceMap` locates, exactly as
pathways.config.loader does for configurations. What needs the models (parameter
paths, names, levels) is checked later (pathways.experiment.model_checks, runner).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pathways.config.errors import ConfigError, ConfigIssue, FieldPath, Finding, closest, name_list
from pathways.config.files import read_text
from pathways.config.overrides import CAPACITY_MULTIPLIER, is_positive_number, parse_path
from pathways.config.sourced import Sourced, SourceMap
from pathways.config.validation import InvalidValue, describe, validate_as
from pathways.config.yaml_reader import parse_yaml
from pathways.experiment.designs import Value
from pathways.experiment.questions import EXPECTATIONS
from pathways.metrics import (
    ALLOCATION_METRICS,
    CANCELLATION_METRICS,
    CHOICE_METRICS,
    CHRONIC_METRICS,
    HANDOFF_METRICS,
    METRICS,
    OFFER_METRICS,
    RTT_METRICS,
)
from pathways.metrics.pathway_visits import KIND_METRICS

DEFAULT_REPLICATIONS = 10
DEFAULT_METRICS = (
    "rtt_admitted_median_weeks",
    "wait_mean",
    "emergency_admissions_per_1000_patient_years",
)
KNOWN_METRICS = tuple(dict.fromkeys((*METRICS, *RTT_METRICS, *HANDOFF_METRICS, "handoffs_per_day",
                                     *ALLOCATION_METRICS, *CHOICE_METRICS, *OFFER_METRICS,
                                     *CHRONIC_METRICS, *CANCELLATION_METRICS,
                                     "visits_per_pathway", *KIND_METRICS)))
_REPLICATIONS = "a whole number (at least 2) or auto"
_DESIGNS = "grid, or {lhs: N, seed: S} for a Latin hypercube of N points"


class _Fields(BaseModel):
    """Base of the runner file's mappings: strict like a configuration's (YAML gives
    values their types), unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def _listed(value: Any) -> Any:
    """A single item written without a list, as a list of one."""
    return value if isinstance(value, list) else [value]


def _mapping_or_not(value: Any) -> str:
    """Picks a union's branch by the value's YAML shape, so that a wrong value gets the
    one error of its branch instead of one per branch."""
    return "mapping" if isinstance(value, dict) else "other"


def _text_or_not(value: Any) -> str:
    return "text" if isinstance(value, str) else "other"


def _parameter_shape(value: Any) -> str:
    return "list" if isinstance(value, list) else _mapping_or_not(value)


Text = Annotated[str, Field(min_length=1)]


# --- replications ------------------------------------------------------------------------


def _auto_word(word: str) -> str:
    if word != "auto":
        raise InvalidValue(f"unknown value {word!r}", _REPLICATIONS, closest(word, ["auto"]))
    return word


def _enough_replications(count: int) -> int:
    if count < 2:
        raise InvalidValue("must be at least 2 (an interval needs two replications), got "
                           f"{count}", _REPLICATIONS)
    return count


Replications = Annotated[
    Annotated[str, AfterValidator(_auto_word), Tag("text")]
    | Annotated[int, AfterValidator(_enough_replications), Tag("other")],
    Discriminator(_text_or_not),
]


def _known_metric(name: str) -> str:
    """A KPI that pathways.metrics reports (summary.csv's metric column)."""
    if name not in KNOWN_METRICS:
        raise InvalidValue(f"unknown metric {name!r}", "KPIs of pathways.metrics (summary.csv's "
                           "metric column), e.g. " + name_list(DEFAULT_METRICS),
                           closest(name, KNOWN_METRICS))
    return name


def _distinct(metrics: list[str]) -> list[str]:
    twice = next((metric for i, metric in enumerate(metrics) if metric in metrics[:i]), None)
    if twice is not None:
        raise InvalidValue(f"metric {twice!r} is listed twice")
    return metrics


Metric = Annotated[str, AfterValidator(_known_metric)]


def _share_of_mean(width: float) -> float:
    if width <= 0:
        raise InvalidValue(f"must be greater than 0 (a share of the mean), got {width:g}")
    return width


class AutoFields(_Fields):
    """`auto:` as written (pathways.experiment.runner.AutoReplications fills it in)."""

    target_half_width: Annotated[float, AfterValidator(_share_of_mean)] = 0.05
    initial: Annotated[int, Field(ge=2)] = 5
    max: Annotated[int, Field(ge=2)] | None = None
    metrics: Annotated[list[Metric], BeforeValidator(_listed), Field(min_length=1),
                       AfterValidator(_distinct)] = Field(default_factory=list)

    @field_validator("max")
    @classmethod
    def _not_below_initial(cls, most: int | None, info: ValidationInfo) -> int | None:
        initial = info.data.get("initial")
        if most is not None and initial is not None and most < initial:
            raise InvalidValue(f"must be at least auto.initial ({initial}), got {most}")
        return most


# --- the design and its parameters ------------------------------------------------------


def _design_name(name: Any) -> str:
    if not isinstance(name, str):
        raise InvalidValue(f"expected {_DESIGNS}, got {describe(name)}")
    if name == "lhs":
        raise InvalidValue("a Latin hypercube needs its number of points", _DESIGNS)
    if name != "grid":
        raise InvalidValue(f"unknown design {name!r}", _DESIGNS, closest(name, ["grid", "lhs"]))
    return name


class LatinHypercubeFields(_Fields):
    """`design: {lhs: N, seed: S}`."""

    lhs: Annotated[int, Field(ge=2)]
    seed: Annotated[int, Field(ge=0)] | None = None


Design = Annotated[
    Annotated[str, PlainValidator(_design_name), Tag("other")]
    | Annotated[LatinHypercubeFields, Tag("mapping")],
    Discriminator(_mapping_or_not),
]


def _configuration_path(key: str) -> str:
    """A parameter key that can name a field: its form only (the models say whether it
    does)."""
    path = parse_path(key)
    if path is None:
        raise InvalidValue(f"{key!r} is not a configuration path", "dotted field names with "
                           "list indices as numbers, e.g. choice.wait_weeks, "
                           "arrivals.0.rate_per_day, capacity_multiplier.beds")
    if path == ("name",):
        raise InvalidValue("a model's name cannot be swept: results are told apart by it")
    if path[0] == CAPACITY_MULTIPLIER and len(path) != 2:
        raise InvalidValue(f"expected {CAPACITY_MULTIPLIER}.KIND, a kind of resource, e.g. "
                           "capacity_multiplier.beds")
    return key


def _scalar(value: Any) -> Value:
    if isinstance(value, dict | list):
        raise InvalidValue(f"expected a value, got {describe(value)}",
                           "numbers, text, true/false or null")
    return value


def _one_value(value: Any) -> Value:
    if isinstance(value, dict | list):
        raise InvalidValue(f"expected one value, got {describe(value)}", "a number, text, "
                           "true/false or null: an arm holds each parameter at one value "
                           "(ask one question per value)")
    return value


ParameterKey = Annotated[str, AfterValidator(_configuration_path)]
Scalar = Annotated[Value, PlainValidator(_scalar)]


class RangeFields(_Fields):
    """`{low: A, high: B}`: a number parameter anywhere in [A, B] (Latin hypercube)."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> RangeFields:
        if not self.low < self.high:
            raise ValueError(f"high ({self.high:g}) must be greater than low ({self.low:g})")
        return self


ParameterValues = Annotated[
    Annotated[RangeFields, Tag("mapping")]
    | Annotated[list[Scalar], Field(min_length=1), Tag("list")]
    | Annotated[Scalar, Tag("other")],
    Discriminator(_parameter_shape),
]
"""A range, a list of values, or one value (held at that value in every point)."""


# --- questions ---------------------------------------------------------------------------


def _expectation(word: str) -> str:
    if word not in EXPECTATIONS:
        raise InvalidValue(f"unknown expectation {word!r}", f"{name_list(EXPECTATIONS)} "
                           "(compare minus against below zero, above zero, or no direction "
                           "claimed)", closest(word, EXPECTATIONS))
    return word


class ArmFields(_Fields):
    """A question's arm: a model (its `name:`) at single parameter values."""

    model: Text
    at: dict[ParameterKey, Annotated[Value, PlainValidator(_one_value)]] = Field(
        default_factory=dict)


class QuestionFields(_Fields):
    """A question as written (pathways.experiment.questions.Question once placed)."""

    seed: Annotated[list[Text], BeforeValidator(_listed), Field(min_length=1)] = Field(
        default_factory=list)
    ask: Text
    compare: ArmFields
    against: ArmFields
    metric: Metric
    stage: str = ""
    expect: Annotated[str, AfterValidator(_expectation)]


class RunnerFile(_Fields):
    """Everything a runner file may hold (see pathways.experiment.runner)."""

    name: Text | None = None
    models: Annotated[list[Text], BeforeValidator(_listed), Field(min_length=1)]
    baseline: Text | None = None
    replications: Replications = DEFAULT_REPLICATIONS
    auto: AutoFields = Field(default_factory=AutoFields)
    seed: Annotated[int, Field(ge=0)] = 0
    design: Design = "grid"
    parameters: dict[ParameterKey, ParameterValues] | None = None
    questions: Annotated[dict[str, QuestionFields], Field(min_length=1)] | None = None


# --- the file as written -----------------------------------------------------------------


@dataclass(frozen=True)
class WrittenRunner:
    """A runner file's checked fields, and where each was written."""

    fields: RunnerFile
    tree: Sourced
    where: SourceMap

    def node(self, path: FieldPath) -> Sourced:
        """What was written at `path` (which the file has)."""
        node = self.tree
        for part in path:
            node = node.value[part]
        return node

    def issue(self, finding: Finding) -> ConfigIssue:
        """The finding, located on the line where its field was written."""
        return self.where.issue(finding)

    def model_field(self, index: int) -> FieldPath:
        """Where model `index` was written: `models[i]`, or `models` for a single file."""
        return ("models", index) if isinstance(self.node(("models",)).value, list) else ("models",)


def read_runner_file(path: Path) -> WrittenRunner:
    """The fields of the runner file at `path`, checked on their own and against each
    other. Raises ConfigError with every problem found."""
    itself = Sourced(None, str(path), None)
    tree = parse_yaml(read_text(path, itself, ()), str(path))
    if not isinstance(tree.value, dict):
        raise ConfigError([tree.issue((), "the file must hold a mapping of settings "
                                          "(name:, models:, parameters:, ...)")])
    where = SourceMap(tree)
    fields, findings = validate_as(RunnerFile, tree.plain())
    if fields is not None:
        findings = _rules(fields)
    if fields is None or findings:
        raise ConfigError(map(where.issue, findings))
    return WrittenRunner(fields, tree, where)


# --- the rules that need more than one field ----------------------------------------------


def _rules(fields: RunnerFile) -> list[Finding]:
    """What the schema cannot see field by field."""
    findings: list[Finding] = []
    lhs = isinstance(fields.design, LatinHypercubeFields)
    if fields.questions:
        written = {"parameters": bool(fields.parameters), "design": lhs}
        findings += [Finding((key,), "a runner with questions runs exactly the arms its "
                             f"questions name, so it cannot also have {key}:", "questions "
                             "alone (give each arm its values under `at:`), or a separate "
                             "runner file for the sweep") for key, bad in written.items() if bad]
    elif lhs and not fields.parameters:
        findings.append(Finding(("design",), "a Latin hypercube needs parameters; without them "
                                "the sweep is one point (design: grid)"))
    findings += _parameter_rules(fields.parameters or {}, ("parameters",), lhs)
    for id_, question in (fields.questions or {}).items():
        for side, arm in (("compare", question.compare), ("against", question.against)):
            findings += _parameter_rules(arm.at, ("questions", id_, side, "at"), lhs=False)
    return findings


def _parameter_rules(parameters: Mapping[str, Any], under: FieldPath,
                     lhs: bool) -> list[Finding]:
    """Each field swept once; ranges only in a Latin hypercube; a grid's values distinct;
    capacity multipliers greater than 0."""
    findings: list[Finding] = []
    seen: dict[FieldPath | None, str] = {}
    for key, values in parameters.items():
        field = (*under, key)
        path = parse_path(key)
        if path in seen:
            findings.append(Finding(field, f"the same field as parameter {seen[path]!r}"))
            continue
        seen[path] = key
        multiplier = path is not None and path[0] == CAPACITY_MULTIPLIER
        if isinstance(values, RangeFields):
            if not lhs:
                findings.append(Finding(field, "a range ({low, high}) needs design {lhs: N}; "
                                        "with a grid give a list of values"))
            elif multiplier and values.low <= 0:
                findings.append(Finding((*field, "low"), "a capacity multiplier must be "
                                        f"greater than 0, got {values.low:g}"))
            continue
        listed = isinstance(values, list)
        items = list(enumerate(values)) if listed else [(None, values)]
        for i, value in items:
            at = field if i is None else (*field, i)
            if multiplier and not is_positive_number(value):
                findings.append(Finding(at, "a capacity multiplier must be a number greater "
                                        f"than 0, got {describe(value)}"))
            elif not lhs and listed and any(_same(value, other) for other in values[:i]):
                findings.append(Finding(at, f"value {describe(value)} is listed twice (a grid "
                                        "would run the same point twice)"))
    return findings


def _same(a: Value, b: Value) -> bool:
    """Whether two values are the same point's: 2 is 2.0, but true is not 1."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
    return a == b and (numbers or type(a) is type(b))
