"""Duration distributions compiled to block samplers.

The engine draws durations thousands at a time from one stream per stage; a sampler
is a plain function ``(rng, n) -> ndarray`` so the engine never looks at config.
Every distribution is parameterised by its mean (and spread) in days, so what a
user writes is what the patient experiences on average.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Sampler = Callable[[np.random.Generator, int], np.ndarray]


def _exponential(mean: float) -> Sampler:
    return lambda rng, n: rng.exponential(mean, n)


def _fixed(value: float) -> Sampler:
    return lambda rng, n: np.full(n, float(value))


def _uniform(low: float, high: float) -> Sampler:
    return lambda rng, n: rng.uniform(low, high, n)


def _triangular(low: float, mode: float, high: float) -> Sampler:
    return lambda rng, n: rng.triangular(low, mode, high, n)


def _lognormal(mean: float, sd: float) -> Sampler:
    """Lognormal given the mean and sd of the duration itself (not of its log)."""
    sigma2 = np.log1p((sd / mean) ** 2)
    mu = np.log(mean) - sigma2 / 2.0
    sigma = float(np.sqrt(sigma2))
    return lambda rng, n: rng.lognormal(mu, sigma, n)


def _gamma(mean: float, cv: float) -> Sampler:
    """Gamma given the mean and coefficient of variation (shape = 1/cv^2)."""
    shape = 1.0 / cv**2
    scale = mean / shape
    return lambda rng, n: rng.gamma(shape, scale, n)


def _empirical(values) -> Sampler:
    """Resample observed durations with replacement."""
    table = np.asarray(values, dtype=np.float64)
    return lambda rng, n: table[rng.integers(0, len(table), n)]


def compile_distribution(dist) -> Sampler:
    """A block sampler for a validated distribution from the config schema."""
    kind = dist.dist
    if kind == "exponential":
        return _exponential(dist.mean)
    if kind == "fixed":
        return _fixed(dist.value)
    if kind == "uniform":
        return _uniform(dist.low, dist.high)
    if kind == "triangular":
        return _triangular(dist.low, dist.mode, dist.high)
    if kind == "lognormal":
        return _lognormal(dist.mean, dist.sd)
    if kind == "gamma":
        return _gamma(dist.mean, dist.cv)
    if kind == "empirical":
        return _empirical(dist.values)
    raise ValueError(f"unknown distribution {kind!r}")
