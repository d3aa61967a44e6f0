"""M/M/c against Erlang C and M/D/1 against Pollaczek-Khinchine (standard queueing results)."""

import pytest

from tests.validation.harness import (
    CONFIGS,
    EXAMPLES,
    SUPPLEMENTARY_LEVEL,
    assert_covers,
    replicate,
    values,
)
from tests.validation.oracles import mg1_mean_wait, mmc_mean_wait

CASES = [  # config, stage, servers, arrival rate, replications
    # statistical validation, about 12 s: `make test-all` (M/M/1 stays in `make test`)
    pytest.param(CONFIGS / "mm2.yaml", "queue.service", 2, 1.6, 30, marks=pytest.mark.slow),
    # the heaviest check (load 0.9, 30 replications): in `make test-all`
    pytest.param(EXAMPLES / "mmc.yaml", "clinic.consult", 5, 4.5, 30, marks=pytest.mark.slow),
    (CONFIGS / "mm1.yaml", "queue.service", 1, 0.5, 12),
]


@pytest.mark.parametrize("config, stage, servers, arrival_rate, replications", CASES,
                         ids=["M/M/2 load 0.8", "M/M/5 load 0.9", "M/M/1 load 0.5"])
def test_mmc_mean_wait_matches_erlang_c(config, stage, servers, arrival_rate, replications):
    kpis = replicate(config, replications)
    expected = mmc_mean_wait(arrival_rate, 1.0, servers)
    assert_covers(values(kpis, stage, "wait_mean"), expected, f"{config.stem} Wq")
    assert_covers(values(kpis, stage, "utilisation"), arrival_rate / servers,
                  f"{config.stem} utilisation", SUPPLEMENTARY_LEVEL)


def test_md1_mean_wait_matches_pollaczek_khinchine():
    kpis = replicate(CONFIGS / "md1.yaml", 12)
    expected = mg1_mean_wait(0.5, 1.0, 0.0)
    assert expected == pytest.approx(0.5)
    assert_covers(values(kpis, "queue.service", "wait_mean"), expected, "M/D/1 Wq")
