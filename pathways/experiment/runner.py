"""Runner files: which models a parameter sweep runs, how often, and at which points.

A runner file is YAML, read like a configuration (every problem reported at once,
with file, line and field, what is allowed and what was probably meant):

```yaml
name: choice_and_spare_capacity   # default: the file's name without .yaml
models: [../models/competitive.yaml, ../models/integrated.yaml]   # relative to this file
baseline: integrated              # a model's `name:`; default: the first model
replications: 10                  # a whole number, at least 2, or auto (default 10)
auto: {target_half_width: 0.05, initial: 5, max: 40, metrics: [rtt_admitted_median_weeks]}
seed: 0                           # default 0
design: grid                      # grid (default) or {lhs: N, seed: S}
parameters:                       # optional
  choice.wait_weeks: [-0.005, -0.01, -0.02]
  handoff.between_organisations.delay_days: {low: 1, high: 3}   # lhs only
  capacity_multiplier.beds: [0.9, 1.0, 1.2]
```

`models` are configuration files (each may `extends:` others); their `name:`s must
differ, since results are told apart by them. Every model runs at every point
(with questions, only where an arm needs it: see Questions).

`replications: auto` adds replications until the 95% interval of every `auto.metrics`
KPI (system level) is within `target_half_width` x its mean on either side, starting
from `initial` and stopping at `max`. Defaults: 0.05, 5, 50, and whichever of
rtt_admitted_median_weeks, wait_mean, emergency_admissions_per_1000_patient_years
the models report (RTT only with an `rtt_stop: admitted` stage, emergency admissions
only with chronic care). `auto:` is kept, and ignored, with a number of replications.

**Parameters.** A key is the dotted path of a field of a model's configuration after
loading (so `extends:` and defaults are filled in): `choice.wait_weeks`,
`resources.city_beds.capacity`, `pathways.orthopaedics.stages.listing.duration.mean`,
`arrivals.0.rate_per_day` (list indices as numbers; `arrivals[0]` works too). The
path must exist in every model. Values are numbers, text, true/false or null; a single
value instead of a list holds the parameter at that value in every point. A whole-
number field takes whole numbers only (2.0 is read as 2). `name` cannot be swept.

`capacity_multiplier.KIND` is special: it multiplies the `slots_per_session` of every
bookable resource of that kind (`kind:`) by the factor exactly (1.1: 10% more slots),
the capacity of every other resource of that kind by the factor, rounding to the
nearest whole number (halves up), at least 1, and the `servers_per_1000` of practice
clinics of that kind (the engine rounds those up per practice). Multipliers apply
after every other parameter of the point. The factor must be greater than 0; the kind
must exist in every model; a factor other than 1 that changes nothing (servers that
round back to what they were) is an error, never a silent no-op.

**Designs.** `grid`: every parameter is a list of distinct values; the points are the
full product, in the order the parameters are written, the last varying fastest.
`{lhs: N, seed: S}` (S defaults to the runner's seed): a Latin hypercube of N points.
Each parameter's range is cut into N equal strata; every stratum gives exactly one
point its value, and the strata are shuffled independently for each parameter with
numpy's `default_rng(S)`, so the same file gives the same points. A range
`{low: A, high: B}` draws a value uniformly inside the stratum (rounded to at most a
thousandth of a stratum's width, so labels stay short); a list gives stratum k the
item at index k x len(list) // N (each item about equally often). Ranges need a
number field (not a whole-number one: give a list of whole numbers instead).

With no parameters the design is one point, labelled `base`: every model as written.

**Questions.** Instead of a design, a runner may ask questions, each answered by the
paired difference of two arms (pathways.experiment.questions):

```yaml
questions:
  choice_spread:                                  # the question's id
    seed: "Making it happen (2008)"               # the policy paper (or a list; optional)
    ask: Does choice lower the spread of provider waits where there is spare capacity?
    compare: {model: competitive, at: {capacity_multiplier.outpatients: 1.3}}
    against: {model: demo-economy, at: {capacity_multiplier.outpatients: 1.3}}
    metric: rtt_non_admitted_median_weeks         # a KPI, as for auto.metrics
    stage: ""                                     # its level: "" (the system, default),
                                                  # a stage, resource:NAME, provider:NAME, ...
    expect: lower                                 # lower, higher or report (no direction)
```

An arm is a model (its `name:`) and, under `at`, single parameter values written and
checked as under `parameters:` (`capacity_multiplier.KIND` included); without `at` the
model runs as written. A runner with questions runs exactly the arms they need, and
nothing else: each distinct set of `at` values is one point (numbered in the order
the arms are written; two arms with the same values, in any order, share it), and at
each point only the models some arm names run, once however many questions use
them. Every arm runs with the runner's seed and the same replication indices, so
each question's two arms are paired on common random numbers. So a runner with
questions cannot also have `parameters:` or a Latin hypercube `design:` (a located
error), every model it lists must be used by some question, and a question's two
arms must differ. `baseline` still gives differences.csv at the points where the
baseline runs. With `replications: auto` each point's replications are decided on
their own; an answer pairs the replications both arms ran.

`load_runner` also applies every point to every model (`configure`), so a point
that makes a model invalid (a probability above 1, routing that no longer sums to 1)
is reported before anything runs, at the line of the parameter that caused it.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

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
from pathways.config.files import named_path, read_text
from pathways.config.lint import capacity_per_day, lint
from pathways.config.loader import load_config
from pathways.config.schema import Config
from pathways.config.sourced import Sourced
from pathways.config.validation import describe, validate
from pathways.config.yaml_reader import parse_yaml
from pathways.experiment.questions import EXPECTATIONS, Arm, Question
from pathways.metrics import (
    ALLOCATION_METRICS,
    CANCELLATION_METRICS,
    CHOICE_METRICS,
    CHRONIC_METRICS,
    CONDITION_PREFIX,
    DEPRIVATION_PREFIX,
    HANDOFF_METRICS,
    HANDOFF_PREFIX,
    METRICS,
    OFFER_METRICS,
    PROVIDER_PREFIX,
    RESOURCE_PREFIX,
    RTT_METRICS,
    distance_band_labels,
)
from pathways.metrics.equity import COMMISSIONER_GROUPS, PRACTICE_GROUPS, QUINTILES
from pathways.metrics.handoffs import HANDOFF_ARROW
from pathways.metrics.pathway_visits import KIND_METRICS, KIND_PREFIX
from pathways.model.compile import REPEAT_TEST_STAGE

Value = float | int | str | bool | None
"""A parameter's value at a point (bool and None: true/false and null in YAML)."""

CAPACITY_MULTIPLIER = "capacity_multiplier"
DEFAULT_REPLICATIONS = 10
DEFAULT_METRICS = (
    "rtt_admitted_median_weeks",
    "wait_mean",
    "emergency_admissions_per_1000_patient_years",
)
KNOWN_METRICS = tuple(dict.fromkeys((*METRICS, *RTT_METRICS, *HANDOFF_METRICS, "handoffs_per_day",
                                     *ALLOCATION_METRICS, *CHOICE_METRICS, *OFFER_METRICS,
                                     *CHRONIC_METRICS,
                                     *CANCELLATION_METRICS, "visits_per_pathway",
                                     *KIND_METRICS)))
_FIELDS = ("name", "models", "baseline", "replications", "auto", "seed", "design", "parameters",
           "questions")
_QUESTION_FIELDS = ("seed", "ask", "compare", "against", "metric", "stage", "expect")
_REQUIRED_QUESTION_FIELDS = ("ask", "compare", "against", "metric", "expect")
_ARM_FIELDS = ("model", "at")
_AUTO_FIELDS = ("target_half_width", "initial", "max", "metrics")
_LHS_FIELDS = ("lhs", "seed")
_RANGE_FIELDS = ("low", "high")
_INDEX = re.compile(r"\[(\d+)\]")
_PART = re.compile(r"^(?:\d+|[A-Za-z_][A-Za-z0-9_\-]*)$")
_MODELS = "\x00models\x00"
"""Stands for the models a problem was found in, until they are all known."""
_ROUND_HALF_UP = 1e-9
"""Added before flooring x + 0.5, so that 0.7 x 5 (3.4999999999999996) rounds to 4."""


# --- what a runner file holds -----------------------------------------------------------


@dataclass(frozen=True)
class AutoReplications:
    """How `replications: auto` decides when to stop."""

    target_half_width: float = 0.05
    """The 95% half-width to reach, as a share of the mean."""
    initial: int = 5
    max: int = 50
    metrics: tuple[str, ...] = DEFAULT_METRICS
    """System-level KPIs that must all reach the target."""


@dataclass(frozen=True)
class _Source:
    """Where a runner's parameters were written, for errors about a point."""

    file: str
    line: int | None
    """The line of `parameters:` (None: the file as a whole)."""
    lines: Mapping[str, int | None]
    """Parameter key -> the line it was written on."""
    prefix: str = "parameters"
    """The field the keys were written under (an arm's `questions.ID.compare.at`)."""


@dataclass(frozen=True)
class Point:
    """One point of a design: a value for every parameter (none: the models as written)."""

    index: int
    values: dict[str, Value]
    source: _Source | None = field(default=None, compare=False, repr=False)
    """Where the parameters were written (set by `load_runner`), so that `configure`
    can point at the runner file's lines."""

    @property
    def label(self) -> str:
        """`choice.wait_weeks=-0.01, capacity_multiplier.beds=1.2`, or `base`."""
        return _label(self.values)


@dataclass(frozen=True)
class Runner:
    """A validated runner file, its design expanded into points."""

    name: str
    path: Path
    models: tuple[Path, ...]
    """Model files, relative to the runner file's folder (normalised, not resolved)."""
    baseline: str
    replications: int | None
    """None for `auto` (see `auto`)."""
    auto: AutoReplications
    seed: int
    points: tuple[Point, ...]
    text_sha256: str
    model_names: tuple[str, ...] = ()
    """The models' `name:`s, in the order of `models`."""
    parameters: tuple[str, ...] = ()
    """Parameter keys, as written and in order (the keys of every point's values)."""
    design: str = "grid"
    """`grid` or `lhs`."""
    design_seed: int | None = None
    """The Latin hypercube's seed (None for a grid)."""
    questions: tuple[Question, ...] = ()
    """The file's questions, in order; their arms are the points."""
    cells: tuple[tuple[int, int], ...] = ()
    """(point, model index) pairs that run, in order: every model at every point, or with
    questions those some arm needs (empty: every model at every point)."""

    def models_at(self, point: int) -> tuple[int, ...]:
        """Indices of the models run at `point`."""
        if not self.cells:
            return tuple(range(len(self.models)))
        return tuple(model for p, model in self.cells if p == point)


class PointError(ConfigError):
    """A point of a sweep that makes a model's configuration invalid."""

    def __init__(self, issues: Iterable[ConfigIssue], model: str, label: str):
        self.model = model
        self.label = label
        super().__init__(issues)

    def __reduce__(self):  # so that it can come back from a worker process
        return PointError, (self.issues, self.model, self.label)


# --- loading ------------------------------------------------------------------------------


def load_runner(path: str | os.PathLike[str], check_points: bool = True) -> Runner:
    """Reads and checks the runner file at `path`, its models and every point.

    Raises ConfigError with every problem found, stage by stage: the file's own
    fields, then the models (their own errors, names, baseline), then whether every
    parameter exists in every model (with questions: the arms' models, each used,
    and the questions' levels), then (with `check_points`) every point applied to
    every model run there."""
    path = Path(path)
    itself = Sourced(None, str(path), None)
    text = read_text(path, itself, ())
    tree = parse_yaml(text, str(path))
    reader = _RunnerReader(tree, path)
    spec = reader.read()
    configs = _load_models(spec, tree)
    names = tuple(config.name for config in configs)
    _check_names(spec, tree, names)
    if spec.questions:
        questions, points, cells = _question_design(spec, tree, names, configs)
    else:
        _check_parameters((config, p) for config in configs for p in spec.parameters)
        points = _expand(spec)
        questions, cells = (), tuple((p.index, m) for p in points for m in range(len(configs)))
    auto = spec.auto if spec.auto.metrics else AutoReplications(
        spec.auto.target_half_width, spec.auto.initial, spec.auto.max, _default_metrics(configs))
    if check_points:
        _check_points([(points[p], configs[m]) for p, m in cells])
    return Runner(
        name=spec.name, path=path, models=spec.models,
        baseline=spec.baseline if spec.baseline is not None else names[0],
        replications=spec.replications, auto=auto, seed=spec.seed, points=points,
        text_sha256=hashlib.sha256(path.read_bytes()).hexdigest(), model_names=names,
        parameters=tuple(dict.fromkeys(key for p in points for key in p.values)),
        design=spec.design, design_seed=spec.design_seed, questions=questions, cells=cells,
    )


@dataclass(frozen=True)
class _Parameter:
    key: str
    path: FieldPath
    node: Sourced
    field: FieldPath
    """Where it was written: ("parameters", key), or under an arm's `at`."""
    values: tuple[Value, ...] | None = None
    """A list of values (or one value); None for a range."""
    low: float | None = None
    high: float | None = None

    @property
    def is_range(self) -> bool:
        return self.values is None


@dataclass(frozen=True)
class _Spec:
    """The runner file's fields, checked on their own."""

    name: str
    models: tuple[Path, ...]
    model_nodes: tuple[Sourced, ...]
    baseline: str | None
    baseline_node: Sourced | None
    replications: int | None
    auto: AutoReplications
    """With `metrics` empty where the file does not set them."""
    seed: int
    design: str
    design_seed: int | None
    lhs_points: int
    parameters: tuple[_Parameter, ...]
    source: _Source
    questions: tuple[_QuestionSpec, ...] = ()


@dataclass(frozen=True)
class _ArmSpec:
    """One arm of a question as written: a model's name and single parameter values."""

    model: str
    model_node: Sourced
    at: tuple[_Parameter, ...]
    node: Sourced
    field: FieldPath
    """("questions", ID, "compare") or ("questions", ID, "against")."""


@dataclass(frozen=True)
class _QuestionSpec:
    """A question as written, checked on its own (model names are checked later)."""

    id: str
    seeds: tuple[str, ...]
    ask: str
    compare: _ArmSpec
    against: _ArmSpec
    metric: str
    stage: str
    stage_node: Sourced | None
    expect: str
    node: Sourced

    @property
    def arms(self) -> tuple[_ArmSpec, _ArmSpec]:
        return self.compare, self.against


class _RunnerReader:
    """Checks a runner file's fields against its shape, collecting every problem."""

    def __init__(self, tree: Sourced, path: Path):
        self.tree = tree
        self.path = path
        self.issues: list[ConfigIssue] = []

    def report(self, node: Sourced, field: FieldPath, message: str, allowed: str | None = None,
               suggestion: str | None = None) -> None:
        self.issues.append(node.issue(field, message, allowed, suggestion))

    def read(self) -> _Spec:
        tree = self.tree
        if not isinstance(tree.value, dict):
            raise ConfigError([tree.issue((), "the file must hold a mapping of settings "
                                              "(name:, models:, parameters:, ...)")])
        fields: dict[str, Sourced] = tree.value
        for key, node in fields.items():
            if key not in _FIELDS:
                self.report(node, (key,), f"unknown field {key!r}", name_list(_FIELDS),
                            closest(key, _FIELDS))
        name = self._name(fields.get("name"))
        models, model_nodes = self._models(fields.get("models"))
        baseline_node = fields.get("baseline")
        baseline = self._text(baseline_node, ("baseline",), "a model's name")
        replications = self._replications(fields.get("replications"))
        auto = self._auto(fields.get("auto"))
        seed = self._whole(fields.get("seed"), ("seed",), 0, default=0)
        design, design_seed, lhs_points = self._design(fields.get("design"), seed)
        parameters_node = fields.get("parameters")
        parameters = self._parameters(parameters_node, design)
        questions = self._questions(fields.get("questions"))
        if questions:
            self._alone(fields)
        elif design == "lhs" and not parameters and not self.issues:
            self.report(fields["design"], ("design",), "a Latin hypercube needs parameters; "
                        "without them the sweep is one point (design: grid)")
        if self.issues:
            raise ConfigError(self.issues)
        line = parameters_node.line if parameters_node is not None else None
        source = _Source(str(self.path), line, {p.key: p.node.line for p in parameters})
        return _Spec(name, models, model_nodes, baseline, baseline_node, replications,
                     auto, seed, design, design_seed, lhs_points, parameters, source, questions)

    def _alone(self, fields: Mapping[str, Sourced]) -> None:
        """Questions name every arm they run, so they cannot be combined with a design."""
        for key in ("parameters", "design"):
            node = fields.get(key)
            if node is not None and node.value not in (None, "grid", {}):
                self.report(node, (key,), f"a runner with questions runs exactly the arms its "
                            f"questions name, so it cannot also have {key}:", "questions "
                            "alone (give each arm its values under `at:`), or a separate "
                            "runner file for the sweep")

    # --- scalars

    def _text(self, node: Sourced | None, field: FieldPath, what: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node.value, str) or not node.value:
            self.report(node, field, f"expected {what} (text), got {describe(node.value)}")
            return None
        return node.value

    def _whole(self, node: Sourced | None, field: FieldPath, minimum: int,
               default: int) -> int:
        if node is None:
            return default
        value = node.value
        if not _is_whole(value):
            self.report(node, field, f"expected a whole number, got {describe(value)}")
            return default
        if value < minimum:
            self.report(node, field, f"must be at least {minimum}, got {value}")
            return default
        return value

    def _number(self, node: Sourced, field: FieldPath) -> float | None:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.report(node, field, f"expected a number, got {describe(value)}")
            return None
        return value

    # --- fields

    def _name(self, node: Sourced | None) -> str:
        name = self._text(node, ("name",), "the sweep's name")
        return name if name is not None else self.path.stem

    def _models(self, node: Sourced | None) -> tuple[tuple[Path, ...], tuple[Sourced, ...]]:
        if node is None:
            self.report(self.tree, ("models",), "missing required field",
                        "a list of model files, relative to this file")
            return (), ()
        if isinstance(node.value, str):
            entries = [(("models",), node)]
        elif isinstance(node.value, list) and node.value:
            entries = [(("models", i), item) for i, item in enumerate(node.value)]
        else:
            what = "an empty list" if node.value == [] else describe(node.value)
            self.report(node, ("models",), f"expected a list of model files, got {what}")
            return (), ()
        paths, nodes = [], []
        for path, item in entries:
            if not isinstance(item.value, str) or not item.value:
                self.report(item, path, f"expected a file name, got {describe(item.value)}")
                continue
            paths.append(named_path(item, path))
            nodes.append(item)
        return tuple(paths), tuple(nodes)

    def _replications(self, node: Sourced | None) -> int | None:
        allowed = "a whole number (at least 2) or auto"
        if node is None:
            return DEFAULT_REPLICATIONS
        if isinstance(node.value, str):
            if node.value != "auto":
                self.report(node, ("replications",), f"unknown value {node.value!r}", allowed,
                            closest(node.value, ["auto"]))
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            self.report(node, ("replications",),
                        f"expected {allowed}, got {describe(node.value)}")
            return DEFAULT_REPLICATIONS
        replications = self._whole(node, ("replications",), 1, DEFAULT_REPLICATIONS)
        if replications < 2:
            self.report(node, ("replications",), "must be at least 2 (an interval needs two "
                        f"replications), got {replications}", allowed)
        return replications

    def _auto(self, node: Sourced | None) -> AutoReplications:
        base = AutoReplications(metrics=())
        if node is None:
            return base
        if not isinstance(node.value, dict):
            self.report(node, ("auto",), f"expected a mapping, got {describe(node.value)}",
                        name_list(_AUTO_FIELDS))
            return base
        fields: dict[str, Sourced] = node.value
        for key, child in fields.items():
            if key not in _AUTO_FIELDS:
                self.report(child, ("auto", key), f"unknown field {key!r}",
                            name_list(_AUTO_FIELDS), closest(key, _AUTO_FIELDS))
        width = base.target_half_width
        if "target_half_width" in fields:
            child = fields["target_half_width"]
            given = self._number(child, ("auto", "target_half_width"))
            if given is not None and given <= 0:
                self.report(child, ("auto", "target_half_width"),
                            f"must be greater than 0 (a share of the mean), got {given:g}")
            elif given is not None:
                width = float(given)
        initial = self._whole(fields.get("initial"), ("auto", "initial"), 2, base.initial)
        most = self._whole(fields.get("max"), ("auto", "max"), 2, max(base.max, initial))
        if most < initial:
            self.report(fields["max"], ("auto", "max"),
                        f"must be at least auto.initial ({initial}), got {most}")
        metrics = self._metrics(fields.get("metrics"))
        return AutoReplications(width, initial, most, metrics)

    def _metrics(self, node: Sourced | None) -> tuple[str, ...]:
        if node is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        if not items:
            self.report(node, ("auto", "metrics"), "must not be empty")
            return ()
        metrics: list[str] = []
        for i, item in enumerate(items):
            field = ("auto", "metrics", i) if isinstance(node.value, list) else ("auto", "metrics")
            metric = self._metric(item, field)
            if metric is not None and metric in metrics:
                self.report(item, field, f"metric {item.value!r} is listed twice")
            elif metric is not None:
                metrics.append(metric)
        return tuple(metrics)

    def _metric(self, node: Sourced, field: FieldPath) -> str | None:
        """A KPI's name, if `node` holds one that pathways.metrics reports."""
        if not isinstance(node.value, str):
            self.report(node, field, f"expected a metric's name, got {describe(node.value)}")
            return None
        if node.value not in KNOWN_METRICS:
            self.report(node, field, f"unknown metric {node.value!r}", "KPIs of "
                        "pathways.metrics (summary.csv's metric column), e.g. "
                        + name_list(DEFAULT_METRICS), closest(node.value, KNOWN_METRICS))
            return None
        return node.value

    def _design(self, node: Sourced | None, seed: int) -> tuple[str, int | None, int]:
        allowed = "grid, or {lhs: N, seed: S} for a Latin hypercube of N points"
        if node is None or node.value == "grid":
            return "grid", None, 0
        if isinstance(node.value, str):
            message = f"unknown design {node.value!r}"
            if node.value == "lhs":
                message = "a Latin hypercube needs its number of points"
            self.report(node, ("design",), message, allowed,
                        None if node.value == "lhs" else closest(node.value, ["grid", "lhs"]))
            return "grid", None, 0
        if not isinstance(node.value, dict):
            self.report(node, ("design",), f"expected {allowed}, got {describe(node.value)}")
            return "grid", None, 0
        fields: dict[str, Sourced] = node.value
        for key, child in fields.items():
            if key not in _LHS_FIELDS:
                self.report(child, ("design", key), f"unknown field {key!r}",
                            name_list(_LHS_FIELDS), closest(key, _LHS_FIELDS))
        if "lhs" not in fields:
            self.report(node, ("design", "lhs"), "missing required field",
                        "the number of points of the Latin hypercube")
            return "lhs", seed, 2
        count = self._whole(fields["lhs"], ("design", "lhs"), 2, 2)
        design_seed = self._whole(fields.get("seed"), ("design", "seed"), 0, seed)
        return "lhs", design_seed, count

    def _parameters(self, node: Sourced | None, design: str,
                    under: FieldPath = ("parameters",),
                    single: bool = False) -> tuple[_Parameter, ...]:
        """The parameters written under `under`; `single`: one value each (an arm's `at`)."""
        if node is None or node.value is None:
            return ()
        if not isinstance(node.value, dict):
            self.report(node, under, "expected a mapping of configuration paths "
                        f"to values, got {describe(node.value)}")
            return ()
        parameters: list[_Parameter] = []
        seen: dict[FieldPath, str] = {}
        for key, child in node.value.items():
            field = (*under, key)
            path = _parse_path(key)
            if path is None:
                self.report(child, field, f"{key!r} is not a configuration path",
                            "dotted field names with list indices as numbers, e.g. "
                            "choice.wait_weeks, arrivals.0.rate_per_day, "
                            "capacity_multiplier.beds")
                continue
            if path in seen:
                self.report(child, field, f"the same field as parameter {seen[path]!r}")
                continue
            seen[path] = key
            if path == ("name",):
                self.report(child, field, "a model's name cannot be swept: results are told "
                            "apart by it")
                continue
            if path[0] == CAPACITY_MULTIPLIER and len(path) != 2:
                self.report(child, field, f"expected {CAPACITY_MULTIPLIER}.KIND, a kind of "
                            "resource, e.g. capacity_multiplier.beds")
                continue
            if single and isinstance(child.value, dict | list):
                self.report(child, field, f"expected one value, got {describe(child.value)}",
                            "a number, text, true/false or null: an arm holds each parameter "
                            "at one value (ask one question per value)")
                continue
            parameter = self._parameter(key, path, child, design, field)
            if parameter is not None:
                parameters.append(parameter)
        return tuple(parameters)

    def _parameter(self, key: str, path: FieldPath, node: Sourced, design: str,
                   field: FieldPath) -> _Parameter | None:
        if isinstance(node.value, dict):
            return self._range(key, path, node, design, field)
        items = list(enumerate(node.value)) if isinstance(node.value, list) else [(None, node)]
        if not items:
            self.report(node, field, "must not be empty", "a list of values")
            return None
        values: list[Value] = []
        for i, item in items:
            item_field = field if i is None else (*field, i)
            value = item.value
            if isinstance(value, dict | list):
                self.report(item, item_field, f"expected a value, got {describe(value)}",
                            "numbers, text, true/false or null")
                continue
            if path[0] == CAPACITY_MULTIPLIER and not _positive_number(value):
                self.report(item, item_field, "a capacity multiplier must be a number greater "
                            f"than 0, got {describe(value)}")
                continue
            if design == "grid" and any(_same(value, other) for other in values):
                self.report(item, item_field, f"value {describe(value)} is listed twice "
                            "(a grid would run the same point twice)")
                continue
            values.append(value)
        return _Parameter(key, path, node, field, values=tuple(values))

    def _range(self, key: str, path: FieldPath, node: Sourced, design: str,
               field: FieldPath) -> _Parameter | None:
        if design == "grid":
            self.report(node, field, "a range ({low, high}) needs design {lhs: N}; with a "
                        "grid give a list of values")
            return None
        fields: dict[str, Sourced] = node.value
        misspelt = set()
        for name, child in fields.items():
            if name not in _RANGE_FIELDS:
                meant = closest(name, _RANGE_FIELDS)
                misspelt.add(meant)
                self.report(child, (*field, name), f"unknown field {name!r}",
                            name_list(_RANGE_FIELDS), meant)
        bounds = []
        for name in _RANGE_FIELDS:
            if name not in fields:
                if name not in misspelt:  # else "did you mean" says it
                    self.report(node, (*field, name), "missing required field",
                                "a range is {low: A, high: B}")
                bounds.append(None)
            else:
                bounds.append(self._number(fields[name], (*field, name)))
        low, high = bounds
        if low is None or high is None:
            return None
        if not low < high:
            self.report(node, field, f"high ({high:g}) must be greater than low ({low:g})")
            return None
        if path[0] == CAPACITY_MULTIPLIER and low <= 0:
            self.report(fields["low"], (*field, "low"), "a capacity multiplier must be greater "
                        f"than 0, got {low:g}")
            return None
        return _Parameter(key, path, node, field, low=low, high=high)

    # --- questions

    def _questions(self, node: Sourced | None) -> tuple[_QuestionSpec, ...]:
        if node is None:
            return ()
        if not isinstance(node.value, dict) or not node.value:
            what = "an empty mapping" if node.value == {} else describe(node.value)
            self.report(node, ("questions",), f"expected a mapping of question ids to "
                        f"questions, got {what}", name_list(_QUESTION_FIELDS) + " under each id")
            return ()
        questions = [self._question(str(key), child) for key, child in node.value.items()]
        return tuple(q for q in questions if q is not None)

    def _question(self, id_: str, node: Sourced) -> _QuestionSpec | None:
        field: FieldPath = ("questions", id_)
        fields = self._mapping(node, field, _QUESTION_FIELDS, _REQUIRED_QUESTION_FIELDS)
        if fields is None:
            return None
        seeds = self._seeds(fields.get("seed"), (*field, "seed"))
        ask = self._text(fields.get("ask"), (*field, "ask"), "the question in one sentence")
        arms = [self._arm(fields.get(side), (*field, side)) for side in ("compare", "against")]
        metric = self._metric(fields["metric"], (*field, "metric")) if "metric" in fields else None
        stage_node = fields.get("stage")
        stage = "" if stage_node is None or stage_node.value == "" else self._text(
            stage_node, (*field, "stage"), "a level of summary.csv's stage column")
        expect = self._expect(fields.get("expect"), (*field, "expect"))
        if None in (seeds, ask, *arms, metric, stage, expect):
            return None
        return _QuestionSpec(id_, seeds, ask, arms[0], arms[1], metric, stage, stage_node,
                             expect, node)

    def _mapping(self, node: Sourced, field: FieldPath, allowed: Sequence[str],
                 required: Sequence[str]) -> dict[str, Sourced] | None:
        """`node`'s fields, after reporting unknown and missing ones (None: not a mapping)."""
        if not isinstance(node.value, dict):
            self.report(node, field, f"expected a mapping, got {describe(node.value)}",
                        name_list(allowed))
            return None
        fields: dict[str, Sourced] = node.value
        misspelt = set()
        for key, child in fields.items():
            if key not in allowed:
                meant = closest(key, allowed)
                misspelt.add(meant)
                self.report(child, (*field, key), f"unknown field {key!r}", name_list(allowed),
                            meant)
        for key in required:
            if key not in fields and key not in misspelt:  # else "did you mean" says it
                self.report(node, (*field, key), "missing required field")
        return fields

    def _seeds(self, node: Sourced | None, field: FieldPath) -> tuple[str, ...] | None:
        if node is None:  # a question of no policy paper (a redesign's own mechanism)
            return ()
        listed = isinstance(node.value, list)
        seeds = [self._text(item, (*field, i) if listed else field, "the policy paper's name")
                 for i, item in enumerate(node.value if listed else [node])]
        if not seeds:
            self.report(node, field, "must not be empty", "the policy paper's name")
            return None
        return tuple(seeds) if None not in seeds else None

    def _expect(self, node: Sourced | None, field: FieldPath) -> str | None:
        if node is None:
            return None
        if node.value not in EXPECTATIONS:
            value = node.value if isinstance(node.value, str) else describe(node.value)
            self.report(node, field, f"unknown expectation {value!r}",
                        f"{name_list(EXPECTATIONS)} (compare minus against below zero, above "
                        "zero, or no direction claimed)", closest(value, EXPECTATIONS))
            return None
        return node.value

    def _arm(self, node: Sourced | None, field: FieldPath) -> _ArmSpec | None:
        if node is None:
            return None
        fields = self._mapping(node, field, _ARM_FIELDS, ("model",))
        if fields is None or "model" not in fields:
            return None
        model = self._text(fields["model"], (*field, "model"), "a model's name")
        at = self._parameters(fields.get("at"), "grid", (*field, "at"), single=True)
        return None if model is None else _ArmSpec(model, fields["model"], at, node, field)


def _load_models(spec: _Spec, tree: Sourced) -> list[Config]:
    """Every model's validated configuration, or every model's errors."""
    configs, issues = [], []
    for i, (path, node) in enumerate(zip(spec.models, spec.model_nodes, strict=True)):
        field = ("models", i) if isinstance(tree.value["models"].value, list) else ("models",)
        try:
            read_text(path, node, field)
            configs.append(load_config(path).config)
        except ConfigError as error:
            issues.extend(error.issues)
    if issues:
        raise ConfigError(issues)
    return configs


def _check_names(spec: _Spec, tree: Sourced, names: tuple[str, ...]) -> None:
    issues = []
    list_field = isinstance(tree.value["models"].value, list)
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in first:
            other = spec.models[first[name]]
            issues.append(spec.model_nodes[i].issue(
                ("models", i) if list_field else ("models",),
                f"'{spec.models[i]}' and '{other}' are both named {name!r}: a sweep tells "
                "models apart by their name:, so give each its own"))
        first.setdefault(name, i)
    unknown = (_unknown_model(spec.baseline_node, ("baseline",), names)
               if spec.baseline is not None else None)
    if unknown is not None:
        issues.append(unknown)
    if issues:
        raise ConfigError(issues)


def _check_parameters(pairs: Iterable[tuple[Config, _Parameter]]) -> None:
    """Every parameter's path exists in the model it is applied to, with values that fit
    the field. A problem several models share is reported once, naming them all."""
    problems: dict[tuple, tuple[Sourced, list[str]]] = {}

    def report(node: Sourced, field: FieldPath, finding: Finding, model: str) -> None:
        key = (id(node), field, finding.message, finding.allowed, finding.suggestion)
        problems.setdefault(key, (node, []))[1].append(model)

    dumps: dict[int, dict] = {}
    for config, parameter in pairs:
        data = dumps.setdefault(id(config), config.model_dump())
        field = parameter.field
        if parameter.path[0] == CAPACITY_MULTIPLIER:
            finding = _unknown_kind(config, parameter.path, _MODELS)
            if finding is not None:
                report(parameter.node, field, finding, config.name)
            continue
        finding = _walk(data, parameter.path, _MODELS)
        if finding is not None:
            report(parameter.node, field, finding, config.name)
            continue
        if not _is_whole(_get(data, parameter.path)):
            continue
        if parameter.is_range:
            report(parameter.node, field, Finding(field, f"a whole number in {_MODELS}, so a "
                   "range would give fractions: give a list of whole numbers instead"),
                   config.name)
            continue
        listed = isinstance(parameter.node.value, list)
        for i, node in enumerate(parameter.node.value if listed else [parameter.node]):
            if isinstance(node.value, float) and not node.value.is_integer():
                message = f"a whole number in {_MODELS}, got {node.value:g}"
                report(node, (*field, i) if listed else field, Finding(field, message),
                       config.name)
    if problems:
        raise ConfigError(
            node.issue(field, message.replace(_MODELS, _models_phrase(models)), allowed,
                       suggestion)
            for (_, field, message, allowed, suggestion), (node, models) in problems.items())


def _models_phrase(models: Sequence[str]) -> str:
    """`model 'a'`, `models 'a' and 'b'`, `models 'a', 'b' and 'c'`."""
    names = [repr(model) for model in models]
    if len(names) == 1:
        return f"model {names[0]}"
    return f"models {', '.join(names[:-1])} and {names[-1]}"


def _check_points(cells: Iterable[tuple[Point, Config]]) -> None:
    """Applies each point to each model run there. Each problem (a parameter and the
    field it breaks) is reported once, at its first point, with how many others have it."""
    problems: dict[tuple[str | None, FieldPath], tuple[dict, dict[int, tuple]]] = {}
    for point, config in cells:
        _, blamed = _apply(config, point.values)
        for key, finding in blamed:
            models, bad = problems.setdefault((key, finding.path), ({}, {}))
            models[config.name] = True
            bad.setdefault(point.index, (point, finding))
    issues = []
    for (key, _), (models, bad) in problems.items():
        first, finding = bad[min(bad)]
        where = f"point {first.index} ({first.label})"
        if len(bad) > 1:
            where += f" and {_count(len(bad) - 1, 'other point')}"
        issues.append(_point_issue(first.source, _models_phrase(list(models)), where, key,
                                   finding))
    if issues:
        raise ConfigError(issues)


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'s' if number != 1 else ''}"


# --- questions: their arms as points ------------------------------------------------------


def _question_design(spec: _Spec, tree: Sourced, names: tuple[str, ...],
                     configs: Sequence[Config]
                     ) -> tuple[tuple[Question, ...], tuple[Point, ...], tuple[tuple[int, int], ...]]:
    """The questions with their arms placed on points: each distinct set of `at` values is
    one point (in the order the arms are written), and only the (point, model) pairs some
    arm needs run, once however many questions share them."""
    _check_arms(spec, tree, names)
    _check_parameters((configs[names.index(arm.model)], parameter)
                      for question in spec.questions for arm in question.arms
                      for parameter in arm.at)
    _check_levels(spec.questions, configs, names)
    points: dict[tuple, Point] = {}
    questions = tuple(Question(q.id, q.seeds, q.ask, *(_place(arm, points, spec.source.file)
                                                       for arm in q.arms),
                               q.metric, q.stage, q.expect) for q in spec.questions)
    cells = sorted({(arm.point, names.index(arm.model))
                    for question in questions for arm in (question.compare, question.against)})
    return questions, tuple(points.values()), tuple(cells)


def _check_arms(spec: _Spec, tree: Sourced, names: tuple[str, ...]) -> None:
    """Every arm names a model; a question's two arms differ; every model is used."""
    issues = [issue for question in spec.questions for arm in question.arms
              if (issue := _unknown_model(arm.model_node, (*arm.field, "model"), names))]
    for question in spec.questions:
        compare, against = question.arms
        if compare.model == against.model and _identity(compare.at) == _identity(against.at):
            issues.append(against.node.issue(
                against.field, "the same arm as compare (the same model at the same values): "
                "their difference would be zero by construction"))
    if issues:  # an unknown name may be the misspelt name of an unused model
        raise ConfigError(issues)
    used = {arm.model for question in spec.questions for arm in question.arms}
    list_field = isinstance(tree.value["models"].value, list)
    issues += [spec.model_nodes[i].issue(
        ("models", i) if list_field else ("models",),
        f"no question uses model {name!r}: a runner with questions runs only the arms they "
        "name", "remove the model, or ask a question of it")
        for i, name in enumerate(names) if name not in used]
    if issues:
        raise ConfigError(issues)


def _unknown_model(node: Sourced, field: FieldPath, names: Sequence[str]) -> ConfigIssue | None:
    """Why `node` names no model of the runner, if it does not."""
    if node.value in names:
        return None
    return node.issue(field, f"no model is named {node.value!r}",
                      f"the models' names ({name_list(names)})", closest(node.value, names))


def _identity(at: Sequence[_Parameter]) -> tuple:
    """What makes two arms' values the same point: the fields and their values, in any
    order and spelling (arrivals[0] is arrivals.0; 2 is 2.0, but true is not 1)."""
    return tuple(sorted((_dotted(p.path), _typed(p.values[0])) for p in at))


def _typed(value: Value) -> tuple:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    return ("number", float(value))


def _place(arm: _ArmSpec, points: dict[tuple, Point], file: str) -> Arm:
    """The arm on its point, adding the point if no arm before it had the same values."""
    identity = _identity(arm.at)
    if identity not in points:
        source = _Source(file, arm.node.line, {p.key: p.node.line for p in arm.at},
                         format_path((*arm.field, "at")))
        points[identity] = Point(len(points), {p.key: p.values[0] for p in arm.at}, source)
    point = points[identity]
    return Arm(arm.model, point.index, point.label if point.values else "")


def _check_levels(questions: Sequence[_QuestionSpec], configs: Sequence[Config],
                  names: tuple[str, ...]) -> None:
    """Every question's `stage:` is a level that each of its arms' models reports."""
    issues = []
    for question in questions:
        if not question.stage or _is_handoff_level(question.stage):
            continue
        for model in dict.fromkeys(arm.model for arm in question.arms):
            levels = _levels(configs[names.index(model)])
            if question.stage not in levels:
                issues.append(question.stage_node.issue(
                    ("questions", question.id, "stage"),
                    f"model {model!r} reports no level {question.stage!r}", _LEVELS,
                    closest(question.stage, levels)))
    if issues:
        raise ConfigError(issues)


_LEVELS = ('"" (the whole system, the default), PATHWAY.STAGE, resource:NAME, '
           "provider:NAME, kind:KIND, condition:NAME, deprivation_quintile:1 to 5, a distance band "
           "such as distance_km:0-5, practice_group:fundholding or :other where "
           "practices hold funds, commissioner:home or :rival where patients choose "
           "their commissioner, or handoff:FROM->TO")


def _levels(config: Config) -> list[str]:
    """The levels of summary.csv's stage column a model can report, but handoff pairs."""
    stages = [f"{name}.{stage}" for name, pathway in config.pathways.items()
              for stage in (*pathway.stages, REPEAT_TEST_STAGE)]
    resources = [*config.resources, *(name for name, *_ in practice_clinics(config))]
    levels = [*stages, *(RESOURCE_PREFIX + name for name in resources)]
    if config.is_economy:
        levels += [PROVIDER_PREFIX + name for name in (*config.organisations, *resources)]
        levels += [KIND_PREFIX + kind for kind in sorted(resource_kinds(config))]
        levels += [f"{DEPRIVATION_PREFIX}{q}" for q in QUINTILES]
        levels += list(distance_band_labels())
        if config.fundholding.practices:
            levels += list(PRACTICE_GROUPS)
        if config.commissioner_choice.rival is not None:
            levels += list(COMMISSIONER_GROUPS)
    if config.chronic is not None:
        levels += [CONDITION_PREFIX + name for name in config.chronic.conditions]
    return levels


def _is_handoff_level(level: str) -> bool:
    return level.startswith(HANDOFF_PREFIX) and HANDOFF_ARROW in level


# --- the design ---------------------------------------------------------------------------


def _expand(spec: _Spec) -> tuple[Point, ...]:
    keys = [p.key for p in spec.parameters]
    if spec.design == "lhs":
        columns = _latin_hypercube(spec.parameters, spec.lhs_points, spec.design_seed or 0)
        rows = list(zip(*columns, strict=True))
    else:
        rows = list(itertools.product(*(p.values for p in spec.parameters)))
    return tuple(Point(i, dict(zip(keys, row, strict=True)), spec.source)
                 for i, row in enumerate(rows))


def _latin_hypercube(parameters: Sequence[_Parameter], count: int,
                     seed: int) -> list[list[Value]]:
    """One column of `count` values per parameter: stratum k of N gives exactly one point
    its value; strata are shuffled independently per parameter."""
    rng = np.random.default_rng(seed)
    columns = []
    for parameter in parameters:
        strata = rng.permutation(count)
        offsets = rng.random(count)
        if parameter.is_range:
            columns.append([_in_stratum(parameter.low, parameter.high, count, int(k), u)
                            for k, u in zip(strata, offsets, strict=True)])
        else:
            values = parameter.values
            columns.append([values[int(k) * len(values) // count] for k in strata])
    return columns


def _in_stratum(low: float, high: float, count: int, stratum: int, offset: float) -> float:
    """A value at `offset` (0-1) through stratum `stratum` of `count` of [low, high],
    rounded to at most a thousandth of a stratum's width where that keeps it there."""
    width = (high - low) / count
    exact = low + (stratum + offset) * width
    rounded = round(exact, 3 - math.floor(math.log10(width)))
    inside = low + stratum * width <= rounded <= low + (stratum + 1) * width
    return float(rounded if inside else exact)


# --- one point's values applied to a model -------------------------------------------------


def configure(config: Config, values: Mapping[str, Any] | Point) -> Config:
    """A new validated, linted Config: `config` with the point's values applied.

    `values` maps parameter keys (dotted paths, `capacity_multiplier.KIND`) to values;
    `config` itself is left untouched. Pass the `Point` itself to have errors point at
    the runner file's lines. Raises PointError (a ConfigError) naming the model and the
    point when a key does not exist in the model, or the values make it invalid."""
    point = values if isinstance(values, Point) else None
    values = dict(point.values if point is not None else values)
    configured, blamed = _apply(config, values)
    if blamed:
        label = _label(values)
        where = f"point {point.index} ({label})" if point is not None else f"point {label}"
        source = point.source if point is not None else None
        raise PointError([_point_issue(source, _models_phrase([config.name]), where, key, finding)
                          for key, finding in blamed], config.name, label)
    return configured


Blamed = list[tuple[str | None, Finding]]
"""Findings with the parameter key that (most likely) caused each, None if unknown."""


def _apply(config: Config, values: Mapping[str, Any]) -> tuple[Config | None, Blamed]:
    data = config.model_dump()
    problems: Blamed = []
    paths: dict[str, FieldPath] = {}
    multipliers: list[tuple[str, FieldPath, Any]] = []
    for key, value in values.items():
        path = _parse_path(key)
        if path is None:
            problems.append((key, Finding((), f"{key!r} is not a configuration path")))
            continue
        paths[key] = path
        if path[0] == CAPACITY_MULTIPLIER:
            finding = (_unknown_kind(config, path, _models_phrase([config.name]))
                       or _bad_factor(path, value))
            if finding is not None:
                problems.append((key, finding))
            else:
                multipliers.append((key, path, value))
            continue
        finding = _walk(data, path, _models_phrase([config.name]))
        if finding is None:
            parent = _get(data, path[:-1])
            fitted, finding = _fitted(parent[path[-1]], value, path)
            if finding is None:
                parent[path[-1]] = fitted
        if finding is not None:
            problems.append((key, finding))
    if problems:  # each at its parameter's whole path, which the message explains
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
    silent = [(key, finding) for key, finding in silent if finding is not None]
    if silent:
        return None, silent
    return configured, []


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


def _parse_path(key: object) -> FieldPath | None:
    """`arrivals.0.rate_per_day` (or `arrivals[0].rate_per_day`) -> its parts."""
    if not isinstance(key, str):
        return None
    parts = _INDEX.sub(r".\1", key).split(".")
    if not all(_PART.match(part) for part in parts):
        return None
    return tuple(int(part) if part.isdigit() else part for part in parts)


def _dotted(path: FieldPath) -> str:
    return ".".join(str(part) for part in path)


def _walk(data: Any, path: FieldPath, in_model: str) -> Finding | None:
    """Why `path` does not lead to a field of `data` (of `in_model`, as `model 'a'`), or
    None if it does."""
    node = data
    for depth, part in enumerate(path):
        here, there = path[:depth], path[: depth + 1]
        if isinstance(node, dict):
            if part not in node:
                where = f"under '{_dotted(here)}'" if here else "at the top level"
                keys = [str(key) for key in node]
                if not keys:
                    return Finding(there, f"nothing {where} in {in_model} (it is empty), so "
                                   f"no {part!r}")
                meant = closest(part, keys)
                return Finding(there, f"no {part!r} {where} in {in_model}", name_list(keys),
                               _dotted((*here, meant, *path[depth + 1:])) if meant else None)
        elif isinstance(node, list):
            if not isinstance(part, int) or part >= len(node):
                indices = f"0 to {len(node) - 1}" if node else "none: it is empty"
                return Finding(there, f"'{_dotted(here)}' is a list of {len(node)} in "
                               f"{in_model}", f"indices {indices}")
        else:
            what = "not set (null)" if node is None else f"a single value ({describe(node)})"
            return Finding(there, f"'{_dotted(here)}' is {what} in {in_model}, so it has no "
                           f"{part!r}")
        node = node[part]
    return None


def _get(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _fitted(existing: Any, value: Any, path: FieldPath) -> tuple[Any, Finding | None]:
    """`value` as the field needs it: a whole-number field takes 2.0 as 2, not 2.5."""
    if _is_whole(existing) and isinstance(value, float):
        if value.is_integer():
            return int(value), None
        return value, Finding(path, f"expected a whole number (the model has {existing}), "
                              f"got {value:g}")
    return value, None


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0)


def _bad_factor(path: FieldPath, value: Any) -> Finding | None:
    if _positive_number(value):
        return None
    return Finding(path, f"a capacity multiplier must be a number greater than 0, got "
                   f"{describe(value)}")


def _unknown_kind(config: Config, path: FieldPath, in_model: str) -> Finding | None:
    """Why `capacity_multiplier.KIND` names no kind of resource in `config`, if it does not."""
    if len(path) != 2:
        return Finding(path, f"expected {CAPACITY_MULTIPLIER}.KIND, a kind of resource")
    kinds = sorted(resource_kinds(config))
    kind = str(path[1])
    if kind in kinds:
        return None
    if not kinds:
        return Finding(path, f"no resource has a kind in {in_model}, so {_dotted(path)} would "
                       "change nothing; set resources.NAME.capacity instead")
    meant = closest(kind, kinds)
    return Finding(path, f"no resources of kind {kind!r} in {in_model}",
                   f"kinds of resource ({name_list(kinds)})",
                   f"{CAPACITY_MULTIPLIER}.{meant}" if meant else None)


def _multiply(data: dict, kind: str, factor: float) -> None:
    """Slots per session of every bookable resource of `kind` x factor (exactly);
    capacity of every other resource of `kind` x factor (nearest whole number, at least
    1), and servers_per_1000 of practice clinics of that kind. What another parameter of
    the point made into something else is left as it is, for validation to report."""
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


def _blame(path: FieldPath, paths: Mapping[str, FieldPath], config: Config) -> str | None:
    """The parameter most likely behind a problem at `path` of the configured model:
    one whose path contains it or lies inside it, a capacity multiplier of the
    resource's kind, one sharing the longest start with it, or the only parameter."""
    nested = [(min(len(p), len(path)), key) for key, p in paths.items()
              if p[: len(path)] == path[: len(p)]]
    if nested:
        return max(nested)[1]
    kind = _kind_at(path, config)
    for key, p in paths.items():
        if p[0] == CAPACITY_MULTIPLIER and kind is not None and p[1] == kind:
            return key
    shared = [(_shared_length(p, path), key) for key, p in paths.items()]
    best = max(shared, default=(0, None))
    if best[0] >= 2:
        return best[1]
    return next(iter(paths)) if len(paths) == 1 else None


def _shared_length(a: FieldPath, b: FieldPath) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def _kind_at(path: FieldPath, config: Config) -> str | None:
    """The kind of the resource or practice clinic a field path is about, if any."""
    if len(path) >= 2 and path[0] == "resources" and path[1] in config.resources:
        return config.resources[path[1]].kind
    if (len(path) >= 3 and path[:2] == ("practices", "clinics") and config.practices
            and path[2] in config.practices.clinics):
        return config.practices.clinics[path[2]].kind
    return None


def _point_issue(source: _Source | None, models: str, where: str, key: str | None,
                 finding: Finding) -> ConfigIssue:
    """A problem a point causes in a model: at the runner file's line of the parameter
    behind it when the runner is known, else at the model's configuration path."""
    inner = format_path(finding.path)
    key_path = _parse_path(key) if key is not None else None
    if source is None:
        return ConfigIssue(models, None, inner or (key or ""),
                           f"{finding.message} (at {where})", finding.allowed, finding.suggestion)
    detail = finding.message
    if inner and finding.path != key_path:
        detail = f"{inner}: {detail}"
    line = source.lines.get(key, source.line) if key is not None else source.line
    field_path = f"{source.prefix}.{key}" if key is not None else source.prefix
    return ConfigIssue(source.file, line, field_path, f"{models}, {where}: {detail}",
                       finding.allowed, finding.suggestion)


# --- small helpers --------------------------------------------------------------------------


def _default_metrics(configs: Sequence[Config]) -> tuple[str, ...]:
    """The default auto metrics the models report."""
    admitted = any(stage.rtt_stop == "admitted" for config in configs
                   for pathway in config.pathways.values() for stage in pathway.stages.values())
    chronic = any(config.chronic is not None and config.practices is not None
                  for config in configs)
    present = {"rtt_admitted_median_weeks": admitted, "wait_mean": True,
               "emergency_admissions_per_1000_patient_years": chronic}
    return tuple(metric for metric in DEFAULT_METRICS if present[metric])


def _label(values: Mapping[str, Value]) -> str:
    if not values:
        return "base"
    return ", ".join(f"{key}={_format(value)}" for key, value in values.items())


def _format(value: Value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    return str(value)


def _same(a: Value, b: Value) -> bool:
    return type(a) is type(b) and a == b or (
        _is_number(a) and _is_number(b) and a == b)


def _is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


