"""Protected social priorities: patients from deprived practices seen first.

One clinic (one server, exponential, mean 1 day), two equal practices in deprivation
quintiles 1 and 5, 0.35 referrals a day each (load 0.7). Without priority both wait
as in M/M/1 (Wq = 2.33 days); with quintile 1 protected, Cobham's non-preemptive
priority formula gives 1.08 days for quintile 1 and 3.59 days for quintile 5.
"""

import pytest

from pathways.experiment import run_replications
from tests.validation.harness import assert_covers, values
from tests.validation.oracles import mmc_mean_wait
from tests.validation.test_priority import cobham_waits

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
deprived_practice,50000,0,1,1
affluent_practice,50000,0,-1,5
"""
ONE_CLINIC = """
name: NAME
horizon_days: 20000
warmup_days: 500
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 0, y_km: 0}}}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 1}
pathways:
  clinic:
    referrals_per_1000_per_year: 2.555    # 100,000 registered -> 0.7 a day
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 1.0}}
EQUITY
"""


def _kpis(economy, equity: str, name: str):
    text = ONE_CLINIC.replace("NAME", name).replace("EQUITY", equity)
    return run_replications(economy(text, PRACTICES, f"{name}.yaml"), 12, seed=17,
                            progress=False).kpis


def test_protected_quintile_waits_as_cobham_predicts(economy):
    protected, others = cobham_waits([0.35, 0.35], [1.0, 1.0], [2.0, 2.0])
    kpis = _kpis(economy, "equity: {priority_deprivation_quintiles: [1]}", "protected")
    assert_covers(values(kpis, "deprivation_quintile:1", "wait_mean"), protected, "quintile 1")
    assert_covers(values(kpis, "deprivation_quintile:5", "wait_mean"), others, "quintile 5")


@pytest.mark.slow  # the null case of the validation above (about 6 s): `make test-all`
def test_without_priority_both_quintiles_wait_as_in_mm1(economy):
    kpis = _kpis(economy, "", "unprotected")
    expected = mmc_mean_wait(0.7, 1.0, 1)
    for quintile in (1, 5):
        assert_covers(values(kpis, f"deprivation_quintile:{quintile}", "wait_mean"), expected,
                      f"quintile {quintile}")
