"""A referral management service triages GP referrals before the hospital and sends a
share of them to an alternative (a community clinic): first-outpatient demand falls by
that share, the referrals themselves do not, and the triage delay is inside the RTT
clock. One trust, one community clinic; no demand response, so nothing but the
service moves demand."""

import numpy as np

from pathways.engine import simulate_replication
from pathways.log import ARRIVE, QUEUE
from pathways.metrics import kpis

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
north_practice,30000,0,5,2
south_practice,30000,0,-5,4
"""
ECONOMY = """
name: NAME
horizon_days: 500
warmup_days: 100
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 0, y_km: 0}}}
  community: {type: community, sites: {hub: {x_km: 1, y_km: 0}}}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 3}
  community_clinic: {organisation: community, site: hub, kind: community_clinic, capacity: 2}
pathways:
  elective:
    referrals_per_1000_per_year: 50
    providers: [trust]
    stages:
      first: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
              rtt_stop: non_admitted}
SERVICE
"""
SERVICE = """
referral_management:
  pathways: [elective]
  triage_days: 4
  redirect_share: SHARE
  alternative_kind: community_clinic
  alternative_duration: {dist: exponential, mean: 0.02}
"""
REPLICATIONS = 3


def _log(economy, share: float | None, replication: int):
    name = "unmanaged" if share is None else f"managed_{share}".replace(".", "_")
    service = "" if share is None else SERVICE.replace("SHARE", str(share))
    model = economy(ECONOMY.replace("NAME", name).replace("SERVICE", service), PRACTICES,
                    f"{name}.yaml")
    return simulate_replication(model, 5, replication)


def _first_outpatient_referrals(log) -> tuple[int, int]:
    """(patients referred, first-outpatient list joins) in the window."""
    first = [s.name for s in log.stages].index("elective.first")
    inside = log.time >= log.warmup_days
    referred = int(np.sum((log.event == ARRIVE) & inside))
    joined = int(np.sum((log.event == QUEUE) & (log.stage == first) & inside))
    return referred, joined


def test_managed_referrals_reach_the_hospital_less_by_the_share_redirected(economy):
    for replication in range(REPLICATIONS):
        referred_before, joined_before = _first_outpatient_referrals(
            _log(economy, None, replication))
        referred, joined = _first_outpatient_referrals(_log(economy, 0.3, replication))
        assert referred == referred_before  # the same referrals (common random numbers)
        assert joined_before == referred_before  # unmanaged, every one reaches the clinic
        # managed, Binomial(referred, 0.7) do: within four standard deviations
        assert abs(joined - 0.7 * referred) < 4 * np.sqrt(referred * 0.7 * 0.3)


def _system(table, metric: str) -> float:
    return table[(table.stage == "") & (table.metric == metric)].value.item()


def test_the_triage_delay_is_inside_the_clock_and_nobody_is_redirected_at_share_0(economy):
    before, after = kpis(_log(economy, None, 0)), kpis(_log(economy, 0.0, 0))
    rise = (_system(after, "rtt_non_admitted_median_weeks")
            - _system(before, "rtt_non_admitted_median_weeks"))
    assert 3.0 / 7 < rise < 5.0 / 7  # about the 4 days of triage, in weeks
    log = _log(economy, 0.0, 0)
    assert "elective.referral_alternative" not in [s.name for s in log.stages]


def test_practice_based_commissioning_manages_only_the_named_practices_referrals(economy):
    """Only north_practice's referrals are triaged: north's patients are redirected at
    the share, south's all reach the clinic without the triage delay."""
    service = SERVICE.replace("SHARE", "0.3") + "  practices: [north_practice]\n"
    model = economy(ECONOMY.replace("NAME", "practice_based").replace("SERVICE", service),
                    PRACTICES, "practice_based.yaml")
    log = simulate_replication(model, 5, 0)
    north = np.asarray(log.patients.practice) == [p.name for p in log.practices].index(
        "north_practice")
    ids = np.asarray(log.patients.patient)
    stages = [s.name for s in log.stages]
    triaged = np.unique(log.patient[(log.event == QUEUE)
                                    & (log.stage == stages.index("elective.referral_triage"))])
    redirected = np.unique(log.patient[
        (log.event == QUEUE) & (log.stage == stages.index("elective.referral_alternative"))])
    assert not np.isin(ids[~north], triaged).any()
    assert not np.isin(ids[~north], redirected).any()
    n_north = int(north.sum())
    assert np.isin(ids[north], triaged).sum() > 0.95 * n_north  # all but the last few
    share = np.isin(ids[north], redirected).sum() / n_north
    assert abs(share - 0.3) < 4 * np.sqrt(0.3 * 0.7 / n_north)


def test_a_configured_point_keeps_one_triage_in_front_of_the_pathway(tmp_path):
    # the service is written into the pathways once, on loading: a point's values
    # applied to the loaded configuration must not write it in again (a triage in
    # front of the triage, the first appointment unreachable)
    from pathways.config import load_config
    from pathways.config.overrides import configure

    (tmp_path / "practices.csv").write_text(PRACTICES.strip() + "\n")
    path = tmp_path / "managed.yaml"
    path.write_text(ECONOMY.replace("NAME", "managed").replace(
        "SERVICE", SERVICE.replace("SHARE", "0.3")))
    config = load_config(path).config
    configured = configure(config, {"resources.clinic.capacity": 4})
    assert configured.pathways == config.pathways
    assert configured.pathways["elective"].stages["referral_triage"].routing() == {
        "referral_alternative": 0.3, "first": 0.7}
