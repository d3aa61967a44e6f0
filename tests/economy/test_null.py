"""Null tests: labels and mechanisms that cannot matter change nothing.

With a single provider, choosing, pooling and going to the nearest are the same
thing, so an integrated-style and a competitive-style allocation must give the same
patients the same care: every number equal, replication by replication. And a model
file copied under another name gives identical results.
"""

import shutil

import pandas as pd

import pathways
from pathways.experiment import compare_models, run_replications

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
a_practice,30000,0,3,1
b_practice,20000,4,0,4
c_practice,10000,-6,-2,5
"""
ONE_PROVIDER = """
name: NAME
horizon_days: 800
warmup_days: 200
practices: {file: practices.csv}
organisations:
  trust: {type: teaching, sites: {hospital: {x_km: 0, y_km: 0}}}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 2, calendar: weekdays}
  scanner: {organisation: trust, site: hospital, kind: diagnostics, capacity: 1}
pathways:
  care:
    referrals_per_1000_per_year: 30
    stages:
      referral_processing: {duration: {dist: lognormal, mean: 10, sd: 5}, next: first_outpatient}
      first_outpatient: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
                         next: {test: 0.5, treatment: 0.3, exit: 0.2}}
      test: {kind: diagnostics, duration: {dist: exponential, mean: 0.1}, next: treatment}
      treatment: {kind: outpatients, duration: {dist: exponential, mean: 0.03},
                  rtt_stop: non_admitted, next: {first_outpatient: 0.1, exit: 0.9}}
handoff:
  between_organisations: {delay_days: 2.0, record_missing: 0.5, repeat_test: 0.3}
  within_organisation: {delay_days: 0.5, record_missing: 0.1, repeat_test: 0.3}
"""
ALLOCATION = {
    "integrated_style": "allocation: {policy: pooled}\n",
    "competitive_style": ("allocation: {policy: choice, rechoose_at: [treatment]}\n"
                          "navigators: {share: 0.3}\n"
                          "published_wait: {information_lag_days: 56}\n"),
}


def test_single_provider_allocation_policies_give_identical_results(economy):
    runs = {}
    for name, allocation in ALLOCATION.items():
        model = economy(ONE_PROVIDER.replace("NAME", name) + allocation, PRACTICES, f"{name}.yaml")
        runs[name] = run_replications(model, 3, seed=5, progress=False).kpis.drop(
            columns="scenario")
    # The one KPI that describes the policy, not what happened: the elasticity the
    # logit implies is 0 where patients choose among one provider, and there is none
    # where nobody chooses.
    elasticity = {name: kpis[kpis.metric == "choice_wait_elasticity_mean"].value
                  for name, kpis in runs.items()}
    assert (elasticity["competitive_style"] == 0).all()
    assert elasticity["integrated_style"].isna().all()
    runs = {name: kpis[kpis.metric != "choice_wait_elasticity_mean"].reset_index(drop=True)
            for name, kpis in runs.items()}
    pd.testing.assert_frame_equal(runs["integrated_style"], runs["competitive_style"],
                                  check_exact=True)
    values = runs["integrated_style"].set_index(["stage", "metric"])["value"]
    assert values[("", "handoffs_per_pathway")].min() > 0  # boundaries are still crossed


def test_the_same_file_under_two_names_gives_identical_results(economy, tmp_path):
    economy(ONE_PROVIDER.replace("NAME", "first") + ALLOCATION["competitive_style"], PRACTICES,
            "first.yaml")
    shutil.copy(tmp_path / "first.yaml", tmp_path / "second.yaml")
    text = (tmp_path / "second.yaml").read_text().replace("name: first", "name: second")
    (tmp_path / "second.yaml").write_text(text)
    models = {"first": pathways.load(tmp_path / "first.yaml"),
              "second": pathways.load(tmp_path / "second.yaml")}
    comparison = compare_models(models, replications=2, seed=9, progress=False)
    differences = comparison.differences
    assert len(differences) > 100
    assert (differences["mean_difference"] == 0).all()
    assert not differences["significant"].any()


def test_keep_events_writes_the_patient_and_handoff_tables(economy, tmp_path):
    from click.testing import CliRunner

    from pathways.cli.main import cli
    economy(ONE_PROVIDER.replace("NAME", "kept") + ALLOCATION["competitive_style"], PRACTICES,
            "kept.yaml")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "kept.yaml"), "-n", "2", "-q",
                                      "--keep-events", "--out", str(out)])
    assert result.exit_code == 0, result.output
    patients = pd.read_parquet(out / "patients.parquet")
    handoffs = pd.read_parquet(out / "handoffs.parquet")
    assert set(patients.replication) == {0, 1} and set(handoffs.replication) == {0, 1}
    assert set(patients.practice) <= {"a_practice", "b_practice", "c_practice"}
    assert set(handoffs.to_organisation.dropna()) <= {"trust", "a_practice", "b_practice",
                                                      "c_practice"}
    assert (patients.deprivation_quintile.isin([1, 4, 5])).all()
