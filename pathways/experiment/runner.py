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

`capacity_multiplier.KIND` is special (pathways.config.overrides): it multiplies the
`slots_per_session` of every bookable resource of that kind (`kind:`) by the factor
exactly (1.1: 10% more slots), the capacity of every other resource of that kind by the
factor, rounding to the nearest whole number (halves up), at least 1, and the
`servers_per_1000` of practice clinics of that kind (the engine rounds those up per
practice). Multipliers apply after every other parameter of the point. The factor must
be greater than 0; the kind must exist in every model; a factor other than 1 that
changes nothing (servers that round back to what they were) is an error, never a
silent no-op.

**Designs** (pathways.experiment.designs). `grid`: every parameter is a list of
distinct values; the points are the full product, in the order the parameters are
written, the last varying fastest. `{lhs: N, seed: S}` (S defaults to the runner's
seed): a Latin hypercube of N points from scipy's `qmc.LatinHypercube(seed=S)`, so the
same file gives the same points. Each parameter's range is cut into N equal strata and
every stratum gives exactly one point its value. A range `{low: A, high: B}` gives a
value inside the stratum (rounded to at most a thousandth of a stratum's width, so
labels stay short); a list gives stratum k the item at index k x len(list) // N (each
item about equally often). Ranges need a number field (not a whole-number one: give a
list of whole numbers instead).

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

The file's own fields are checked by pathways.experiment.runner_file; `load_runner`
then checks them against the models, and applies every point to every model
(pathways.config.overrides.configure), so a point
that makes a model invalid (a probability above 1, routing that no longer sums to 1)
is reported before anything runs, at the line of the parameter that caused it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pathways.config.errors import ConfigError, FieldPath, Finding, closest, format_path
from pathways.config.overrides import OverrideSource, dotted, parse_path
from pathways.config.schema import Config
from pathways.experiment.designs import Axis, Levels, Point, Range, Value, grid, latin_hypercube
from pathways.experiment.levels import LEVELS, is_handoff_level, reported_levels
from pathways.experiment.model_checks import (
    check_cells,
    check_names,
    check_parameters,
    load_models,
    model_files,
    unknown_model,
)
from pathways.experiment.questions import Arm, Question
from pathways.experiment.runner_file import (
    DEFAULT_METRICS,
    ArmFields,
    AutoFields,
    LatinHypercubeFields,
    RangeFields,
    WrittenRunner,
    read_runner_file,
)


@dataclass(frozen=True)
class AutoReplications:
    """How `replications: auto` decides when to stop."""

    target_half_width: float = 0.05
    """The 95% half-width to reach, as a share of the mean."""
    initial: int = 5
    max: int = 50
    metrics: tuple[str, ...] = DEFAULT_METRICS
    """System-level KPIs that must all reach the target."""


Cells = tuple[tuple[int, int], ...]
"""(point, model index) pairs."""


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
    cells: Cells = ()
    """(point, model index) pairs that run, in order: every model at every point, or with
    questions those some arm needs (empty: every model at every point)."""

    def models_at(self, point: int) -> tuple[int, ...]:
        """Indices of the models run at `point`."""
        if not self.cells:
            return tuple(range(len(self.models)))
        return tuple(model for p, model in self.cells if p == point)


def load_runner(path: str | os.PathLike[str], check_points: bool = True) -> Runner:
    """Reads and checks the runner file at `path`, its models and every point.

    Raises ConfigError with every problem found, stage by stage: the file's own
    fields, then the models (their own errors, names, baseline), then whether every
    parameter exists in every model (with questions: the arms' models, each used,
    and the questions' levels), then (with `check_points`) every point applied to
    every model run there."""
    path = Path(path)
    written = read_runner_file(path)
    fields = written.fields
    models = model_files(written)
    configs = load_models(written, models)
    names = tuple(config.name for config in configs)
    check_names(written, models, names)
    questions: tuple[Question, ...] = ()
    if fields.questions:
        questions, points, cells = _question_design(written, names, configs)
    else:
        parameters = fields.parameters or {}
        check_parameters(written, ((config, ("parameters", key), values) for config in configs
                                    for key, values in parameters.items()))
        points = _expand(written)
        cells = tuple((p.index, m) for p in points for m in range(len(configs)))
    if check_points:
        check_cells([(points[p], configs[m]) for p, m in cells])
    lhs = fields.design if isinstance(fields.design, LatinHypercubeFields) else None
    return Runner(
        name=fields.name if fields.name is not None else path.stem, path=path, models=models,
        baseline=fields.baseline if fields.baseline is not None else names[0],
        replications=None if fields.replications == "auto" else int(fields.replications),
        auto=_auto(fields.auto, configs), seed=fields.seed, points=points,
        text_sha256=hashlib.sha256(path.read_bytes()).hexdigest(), model_names=names,
        parameters=tuple(dict.fromkeys(key for p in points for key in p.values)),
        design="lhs" if lhs is not None else "grid",
        design_seed=_seed(lhs, fields.seed) if lhs is not None else None,
        questions=questions, cells=cells,
    )


def _auto(auto: AutoFields, configs: Sequence[Config]) -> AutoReplications:
    """`auto:` with its defaults: a max of at least 50, the KPIs the models report."""
    most = auto.max if auto.max is not None else max(AutoReplications.max, auto.initial)
    metrics = tuple(auto.metrics) or _default_metrics(configs)
    return AutoReplications(auto.target_half_width, auto.initial, most, metrics)


def _default_metrics(configs: Sequence[Config]) -> tuple[str, ...]:
    """The default auto metrics the models report."""
    admitted = any(stage.rtt_stop == "admitted" for config in configs
                   for pathway in config.pathways.values() for stage in pathway.stages.values())
    chronic = any(config.chronic is not None and config.practices is not None
                  for config in configs)
    present = {"rtt_admitted_median_weeks": admitted, "wait_mean": True,
               "emergency_admissions_per_1000_patient_years": chronic}
    return tuple(metric for metric in DEFAULT_METRICS if present[metric])


# --- the design -------------------------------------------------------------------------------


def _expand(written: WrittenRunner) -> tuple[Point, ...]:
    """The design's points (one, `base`, without parameters)."""
    parameters = written.fields.parameters or {}
    design = written.fields.design
    if isinstance(design, LatinHypercubeFields):
        rows = latin_hypercube([_axis(v) for v in parameters.values()], design.lhs,
                               _seed(design, written.fields.seed))
    else:
        rows = grid([_levels(v) for v in parameters.values()])
    source = OverrideSource(written.tree.file, _line(written, ("parameters",)),
                            {key: _line(written, ("parameters", key)) for key in parameters})
    return tuple(Point(i, dict(zip(parameters, row, strict=True)), source)
                 for i, row in enumerate(rows))


def _seed(design: LatinHypercubeFields, runner_seed: int) -> int:
    """The Latin hypercube's seed: its own, or by default the runner's."""
    return design.seed if design.seed is not None else runner_seed


def _axis(values: Any) -> Axis:
    return Range(values.low, values.high) if isinstance(values, RangeFields) else _levels(values)


def _levels(values: Any) -> Levels:
    """A parameter's values as a grid takes them (a single value: held there)."""
    if isinstance(values, RangeFields):  # the file's rules keep ranges out of grids
        raise ValueError("a range needs a Latin hypercube")
    return tuple(values) if isinstance(values, list) else (values,)


def _line(written: WrittenRunner, path: FieldPath) -> int | None:
    return written.node(path).line if path[0] in written.tree.value else None


# --- questions: their arms as points ----------------------------------------------------------


def _question_design(written: WrittenRunner, names: tuple[str, ...], configs: Sequence[Config]
                     ) -> tuple[tuple[Question, ...], tuple[Point, ...], Cells]:
    """The questions with their arms placed on points: each distinct set of `at` values is
    one point (in the order the arms are written), and only the (point, model) pairs some
    arm needs run, once however many questions share them."""
    arms = _arms(written)
    _check_arms(written, arms, names)
    check_parameters(written, ((configs[names.index(arm.model)], (*field, "at", key), value)
                                for field, arm in arms for key, value in arm.at.items()))
    _check_levels(written, names, configs)
    points: dict[tuple, Point] = {}
    placed = {field: _place(written, field, arm, points) for field, arm in arms}
    questions = tuple(
        Question(id_, tuple(q.seed), q.ask, placed[("questions", id_, "compare")],
                 placed[("questions", id_, "against")], q.metric, q.stage, q.expect)
        for id_, q in (written.fields.questions or {}).items())
    cells = sorted({(arm.point, names.index(arm.model)) for arm in placed.values()})
    return questions, tuple(points.values()), tuple(cells)


def _arms(written: WrittenRunner) -> list[tuple[FieldPath, ArmFields]]:
    """Every arm and where it was written, in order: `questions.ID.compare`, `...against`."""
    return [(("questions", id_, side), arm)
            for id_, question in (written.fields.questions or {}).items()
            for side, arm in (("compare", question.compare), ("against", question.against))]


def _check_arms(written: WrittenRunner, arms: Sequence[tuple[FieldPath, ArmFields]],
                names: tuple[str, ...]) -> None:
    """Every arm names a model; a question's two arms differ; every model is used."""
    findings = [unknown_model((*field, "model"), arm.model, names)
                for field, arm in arms if arm.model not in names]
    for id_, question in (written.fields.questions or {}).items():
        compare, against = question.compare, question.against
        if compare.model == against.model and _identity(compare.at) == _identity(against.at):
            findings.append(Finding(("questions", id_, "against"), "the same arm as compare "
                                    "(the same model at the same values): their difference "
                                    "would be zero by construction"))
    if findings:  # an unknown name may be the misspelt name of an unused model
        raise ConfigError(map(written.issue, findings))
    used = {arm.model for _, arm in arms}
    findings = [Finding(written.model_field(i), f"no question uses model {name!r}: a runner "
                        "with questions runs only the arms they name",
                        "remove the model, or ask a question of it")
                for i, name in enumerate(names) if name not in used]
    if findings:
        raise ConfigError(map(written.issue, findings))


def _identity(at: dict[str, Value]) -> tuple:
    """What makes two arms' values the same point: the fields and their values, in any
    order and spelling (arrivals[0] is arrivals.0; 2 is 2.0, but true is not 1)."""
    return tuple(sorted((dotted(parse_path(key) or ()), _typed(value))
                        for key, value in at.items()))


def _typed(value: Value) -> tuple:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    return ("number", float(value))


def _place(written: WrittenRunner, field: FieldPath, arm: ArmFields,
           points: dict[tuple, Point]) -> Arm:
    """The arm on its point, adding the point if no arm before it had the same values."""
    identity = _identity(arm.at)
    if identity not in points:
        source = OverrideSource(written.tree.file, written.node(field).line,
                                {key: written.node((*field, "at", key)).line for key in arm.at},
                                format_path((*field, "at")))
        points[identity] = Point(len(points), dict(arm.at), source)
    point = points[identity]
    return Arm(arm.model, point.index, point.label if point.values else "")


def _check_levels(written: WrittenRunner, names: tuple[str, ...],
                  configs: Sequence[Config]) -> None:
    """Every question's `stage:` is a level that each of its arms' models reports."""
    findings = []
    for id_, question in (written.fields.questions or {}).items():
        if not question.stage or is_handoff_level(question.stage):
            continue
        for model in dict.fromkeys((question.compare.model, question.against.model)):
            levels = reported_levels(configs[names.index(model)])
            if question.stage not in levels:
                findings.append(Finding(("questions", id_, "stage"),
                                        f"model {model!r} reports no level {question.stage!r}",
                                        LEVELS, closest(question.stage, levels)))
    if findings:
        raise ConfigError(map(written.issue, findings))
