"""Distances and choice utilities computed on demand equal, bit for bit, the dense
practice x site matrices they replace, however they are indexed."""

import numpy as np

from pathways.model.site_distances import ChoiceUtility, SiteDistances

RNG = np.random.default_rng(7)
PRACTICES, SITES = RNG.uniform(0, 40, (30, 2)), RNG.uniform(0, 40, (12, 2))
DENSE = np.linalg.norm(PRACTICES[:, None, :] - SITES[None, :, :], axis=2)


def test_distances_equal_the_dense_matrix_for_every_kind_of_index():
    table = SiteDistances(PRACTICES, SITES)
    candidates = np.array([3, 0, 11])
    assert table.shape == DENSE.shape
    assert table[4, 9] == DENSE[4, 9]
    assert np.array_equal(table[4, candidates], DENSE[4, candidates])
    assert np.array_equal(table[:, candidates], DENSE[:, candidates])
    assert np.array_equal(table[np.array([1, 2]), 5], DENSE[np.array([1, 2]), 5])


def test_the_choice_utility_equals_the_dense_polynomial_plus_the_site_constant():
    per_km, constant = (-0.1, 0.002, -0.00003), RNG.normal(size=len(SITES))
    utility = ChoiceUtility(SiteDistances(PRACTICES, SITES), per_km, constant)
    dense = (per_km[0] * DENSE + per_km[1] * DENSE**2 + per_km[2] * DENSE**3
             + constant[None, :])
    candidates = np.array([2, 7])
    assert np.array_equal(utility[5, candidates], dense[5, candidates])
    assert np.array_equal(utility[:, candidates], dense[:, candidates])
