"""The oracles reproduce reference values of the Erlang C and Pollaczek-Khinchine formulas."""

import numpy as np
import pytest

from tests.validation.oracles import jackson_arrival_rates, mg1_mean_wait, mmc_mean_wait


@pytest.mark.parametrize("servers, arrival_rate, expected", [(2, 1.6, 1.778), (5, 4.5, 1.525),
                                                             (1, 0.5, 1.000)])
def test_erlang_c_reference_values(servers, arrival_rate, expected):
    assert mmc_mean_wait(arrival_rate, 1.0, servers) == pytest.approx(expected, abs=5e-4)


def test_md1_is_half_of_mm1():
    assert mg1_mean_wait(0.5, 1.0, 0.0) == pytest.approx(0.5)
    assert mg1_mean_wait(0.5, 1.0, 1.0) == pytest.approx(mmc_mean_wait(0.5, 1.0, 1))


def test_traffic_equations_tandem():
    routing = np.array([[0, 0.6, 0], [0, 0, 0.5], [0, 0, 0]])
    assert jackson_arrival_rates(np.array([4.0, 0, 0]), routing) == pytest.approx([4, 2.4, 1.2])
