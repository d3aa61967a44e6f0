"""Distributions of durations: how long a stage, a delay or a rebooking takes."""

from __future__ import annotations

from statistics import fmean
from typing import Annotated, Literal

from pydantic import Field, model_validator

from pathways.config.schema.base import NonNegative, Positive, StrictModel


def _check_range(low: float, high: float) -> None:
    if not low < high:
        raise ValueError(f"high ({high:g}) must be greater than low ({low:g})")


class Exponential(StrictModel):
    """Memoryless durations (the M of M/M/c)."""

    dist: Literal["exponential"]
    mean: Positive

    def mean_days(self) -> float:
        return self.mean


class Fixed(StrictModel):
    """The same duration every time."""

    dist: Literal["fixed"]
    value: NonNegative

    def mean_days(self) -> float:
        return self.value


class Uniform(StrictModel):
    """Any duration between low and high, equally likely."""

    dist: Literal["uniform"]
    low: NonNegative
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        _check_range(self.low, self.high)
        return self

    def mean_days(self) -> float:
        return (self.low + self.high) / 2


class Triangular(StrictModel):
    """A rough three-point estimate: shortest, most likely, longest."""

    dist: Literal["triangular"]
    low: NonNegative
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        _check_range(self.low, self.high)
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"mode ({self.mode:g}) must lie between low ({self.low:g}) and high ({self.high:g})"
            )
        return self

    def mean_days(self) -> float:
        return (self.low + self.mode + self.high) / 3


class LogNormal(StrictModel):
    """Right-skewed durations, given by their own mean and standard deviation
    (not those of the underlying normal)."""

    dist: Literal["lognormal"]
    mean: Positive
    sd: Positive

    def mean_days(self) -> float:
        return self.mean


class Gamma(StrictModel):
    """Right-skewed durations given by mean and coefficient of variation (sd / mean)."""

    dist: Literal["gamma"]
    mean: Positive
    cv: Positive

    def mean_days(self) -> float:
        return self.mean


class Empirical(StrictModel):
    """Observed durations, resampled. In YAML they may come from a CSV column
    (`file:`, `column:`); the loader reads it, so a model always holds `values`."""

    dist: Literal["empirical"]
    values: list[NonNegative] = Field(min_length=1)

    def mean_days(self) -> float:
        return fmean(self.values)


Distribution = Annotated[
    Exponential | Fixed | Uniform | Triangular | LogNormal | Gamma | Empirical,
    Field(discriminator="dist"),
]
