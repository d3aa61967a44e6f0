"""Duration distributions compiled to block samplers.

The engine draws durations thousands at a time from one stream per stage; a sampler
is a small callable ``(rng, n) -> ndarray`` so the engine never looks at config.
Samplers are plain data (picklable), so a compiled model can be sent to worker
processes. Every distribution is parameterised by its mean (and spread) in days, so
what a user writes is what the patient experiences on average.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pathways.config import schema


@dataclass(frozen=True)
class Sampler:
    """``n`` draws of ``rng.<method>(*parameters, n)``."""

    method: str
    parameters: tuple[float, ...]

    def __call__(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return getattr(rng, self.method)(*self.parameters, n)


@dataclass(frozen=True)
class Fixed:
    """Always the same duration."""

    value: float

    def __call__(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value)


@dataclass(frozen=True)
class Resample:
    """Observed durations, resampled with replacement."""

    values: tuple[float, ...]

    def __call__(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.asarray(self.values)[rng.integers(0, len(self.values), n)]


DurationSampler = Sampler | Fixed | Resample
"""Any compiled distribution: ``(rng, n) -> n`` durations in days."""


def _lognormal(mean: float, sd: float) -> Sampler:
    """Lognormal given the mean and sd of the duration itself (not of its log)."""
    sigma2 = float(np.log1p((sd / mean) ** 2))
    return Sampler("lognormal", (float(np.log(mean)) - sigma2 / 2.0, float(np.sqrt(sigma2))))


def _gamma(mean: float, cv: float) -> Sampler:
    """Gamma given the mean and coefficient of variation (shape = 1/cv^2)."""
    shape = 1.0 / cv**2
    return Sampler("gamma", (shape, mean / shape))


def compile_distribution(dist: schema.Distribution) -> DurationSampler:
    """A block sampler for a validated distribution from the config schema."""
    if isinstance(dist, schema.Exponential):
        return Sampler("exponential", (dist.mean,))
    if isinstance(dist, schema.Fixed):
        return Fixed(float(dist.value))
    if isinstance(dist, schema.Uniform):
        return Sampler("uniform", (dist.low, dist.high))
    if isinstance(dist, schema.Triangular):
        return Sampler("triangular", (dist.low, dist.mode, dist.high))
    if isinstance(dist, schema.LogNormal):
        return _lognormal(dist.mean, dist.sd)
    if isinstance(dist, schema.Gamma):
        return _gamma(dist.mean, dist.cv)
    if isinstance(dist, schema.Empirical):
        return Resample(tuple(float(v) for v in dist.values))
    raise ValueError(f"unknown distribution {dist!r}")
