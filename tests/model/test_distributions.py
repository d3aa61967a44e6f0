"""Block samplers reproduce the mean (and spread) the user wrote."""

from types import SimpleNamespace

import numpy as np
import pytest
from pydantic import TypeAdapter

from pathways.config.schema import Distribution
from pathways.model.distributions import compile_distribution


def validated(**fields):
    """A distribution as the schema validates it from a configuration."""
    return TypeAdapter(Distribution).validate_python(fields)

N = 400_000


@pytest.mark.parametrize("spec, mean, sd", [
    (validated(dist="exponential", mean=2.0), 2.0, 2.0),
    (validated(dist="fixed", value=0.5), 0.5, 0.0),
    (validated(dist="uniform", low=1.0, high=3.0), 2.0, 2 / np.sqrt(12)),
    (validated(dist="triangular", low=0.0, mode=1.0, high=2.0), 1.0, np.sqrt(1 / 6)),
    (validated(dist="lognormal", mean=3.0, sd=1.5), 3.0, 1.5),
    (validated(dist="gamma", mean=4.0, cv=0.5), 4.0, 2.0),
    (validated(dist="empirical", values=[1.0, 2.0, 6.0]), 3.0, np.std([1.0, 2.0, 6.0])),
])
def test_sample_moments(spec, mean, sd):
    draws = compile_distribution(spec)(np.random.default_rng(7), N)
    assert len(draws) == N and np.all(draws >= 0)
    assert draws.mean() == pytest.approx(mean, abs=5 * sd / np.sqrt(N) + 1e-12)
    assert draws.std() == pytest.approx(sd, rel=0.02, abs=1e-12)


def test_unknown_distribution():
    with pytest.raises(ValueError, match="unknown distribution"):
        compile_distribution(SimpleNamespace(dist="weibull"))
