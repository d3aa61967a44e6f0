"""Experiment designs: the points at which a sweep runs its models.

A *grid* is the full product of every parameter's values, in the order the parameters
are written, the last varying fastest. A *Latin hypercube* of N points cuts each
parameter's range into N equal strata and gives every stratum exactly one point
(scipy.stats.qmc.LatinHypercube, seeded, so the same seed gives the same points).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import qmc

from pathways.config.overrides import OverrideSource, values_label

Value = float | int | str | bool | None
"""A parameter's value at a point (bool and None: true/false and null in YAML)."""

Levels = tuple[Value, ...]
"""The values a parameter takes (a grid: each in turn; a hypercube: each about equally
often)."""


@dataclass(frozen=True)
class Range:
    """A number parameter drawn anywhere in [low, high] (Latin hypercube only)."""

    low: float
    high: float


Axis = Levels | Range


@dataclass(frozen=True)
class Point:
    """One point of a design: a value for every parameter (none: the models as written)."""

    index: int
    values: dict[str, Value]
    source: OverrideSource | None = field(default=None, compare=False, repr=False)
    """Where the parameters were written (set by `load_runner`), so that
    `pathways.config.overrides.configure` can point at the runner file's lines."""

    @property
    def label(self) -> str:
        """`choice.wait_weeks=-0.01, capacity_multiplier.beds=1.2`, or `base`."""
        return values_label(self.values)


def grid(axes: Sequence[Levels]) -> list[tuple[Value, ...]]:
    """Every combination of the axes' values, the last axis varying fastest."""
    return list(itertools.product(*axes))


def latin_hypercube(axes: Sequence[Axis], count: int, seed: int) -> list[tuple[Value, ...]]:
    """`count` points in which stratum k of `count` of every axis gives exactly one point
    its value. A range gives a value inside the stratum; levels give stratum k the level
    at index k x len(levels) // count, so each level comes about equally often."""
    unit = qmc.LatinHypercube(d=len(axes), seed=seed).random(count)
    columns = [_column(axis, unit[:, j], count) for j, axis in enumerate(axes)]
    return list(zip(*columns, strict=True))


def _column(axis: Axis, unit: np.ndarray, count: int) -> list[Value]:
    """One axis's values at the hypercube's points (`unit`: their positions in [0, 1))."""
    strata = [min(int(u * count), count - 1) for u in unit]
    if isinstance(axis, Range):
        return [_in_stratum(axis, count, k, float(u) * count - k)
                for k, u in zip(strata, unit, strict=True)]
    return [axis[k * len(axis) // count] for k in strata]


def _in_stratum(axis: Range, count: int, stratum: int, offset: float) -> float:
    """The value at `offset` (0-1) through stratum `stratum` of `count` of the range,
    rounded to at most a thousandth of a stratum's width where that keeps it there
    (so that labels stay short). "There" is judged as anyone reading the value back
    would: floor((value - low) / (high - low) x count), so a value rounded onto an edge
    (in floating point, either side of it) never reads as the neighbouring stratum's."""
    width = (axis.high - axis.low) / count
    exact = axis.low + (stratum + offset) * width
    rounded = round(exact, 3 - math.floor(math.log10(width)))
    inside = math.floor((rounded - axis.low) / (axis.high - axis.low) * count) == stratum
    return float(rounded if inside else exact)
