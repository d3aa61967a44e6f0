"""Seed question (reported, not judged): how much of integrated care's difference in
emergency admissions comes from mechanism alone, with no assumed effect of case
management?

Future directions for PCTs (2003) (integration for chronic and non-elective care) and
PCTs and US HMOs (1999) (case management of patients with complex conditions). In
models/integrated.yaml case management is provided (`chronic.case_management.provided:
true`) and multiplies every exacerbation rate by `rate_multiplier` (1.0, no direct
effect, in the base economy: an assumption, not an outcome). With the multiplier at 1.0
what remains is mechanism: pooled beds, handoffs within one organisation, the block
contract, and any change in overdue reviews (which raise exacerbation rates).

The test runs models/competitive.yaml, models/integrated.yaml with an assumed
multiplier of 0.8 and models/integrated.yaml with `chronic.case_management.rate_multiplier:
1.0`, on common random numbers (shortened with `configure` to 240 days, 60 of warm-up:
the chronic cohorts start in their steady state) and prints the paired difference in
emergency admissions per 1,000 patient-years with its 95% interval. It asserts only
that the difference is computed and finite, and that with the multiplier at 1.0 it is
no larger in magnitude than with 0.8 assumed (the assumed effect is removed): the board
sees what comes from mechanism alone. Run with -s to see the intervals.
"""

import math

import pytest

from tests.scenarios.paired import MODELS, model_file, paired_ci, run, values

pytestmark = pytest.mark.slow

REPLICATIONS, SEED = 3, 0
SHORT = {"horizon_days": 240, "warmup_days": 60}
ADMISSIONS = "emergency_admissions_per_1000_patient_years"


@pytest.fixture(scope="module")
def admissions():
    arms = {
        "competitive": model_file(MODELS / "competitive.yaml", SHORT),
        "integrated": model_file(
            MODELS / "integrated.yaml", {**SHORT, "chronic.case_management.rate_multiplier": 0.8}),
        "integrated_no_assumed_effect": model_file(
            MODELS / "integrated.yaml", {**SHORT, "chronic.case_management.rate_multiplier": 1.0}),
    }
    return {name: values(run(model, REPLICATIONS, SEED), ADMISSIONS)
            for name, model in arms.items()}


def test_integrations_emergency_admission_difference_from_mechanism_alone(admissions):
    """Future directions for PCTs (2003) and PCTs and US HMOs (1999): with the
    case-management multiplier at 1.0 (no assumed effect), what is integrated minus
    competitive in emergency admissions per 1,000 patient-years? Reported with its
    paired 95% interval; asserted only finite, and no larger in magnitude than at the
    multiplier 0.8 assumed."""
    mechanism = paired_ci(admissions["competitive"], admissions["integrated_no_assumed_effect"])
    assumed = paired_ci(admissions["competitive"], admissions["integrated"])
    print(f"emergency admissions per 1,000 patient-years, integrated - competitive: "
          f"multiplier 1.0 (mechanism alone) {mechanism}; multiplier 0.8 assumed {assumed}")
    for ci in (mechanism, assumed):
        assert ci.n == REPLICATIONS
        assert all(math.isfinite(x) for x in (ci.mean, ci.low, ci.high)), ci
    assert abs(mechanism.mean) <= abs(assumed.mean), (mechanism, assumed)
