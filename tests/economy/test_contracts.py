"""How a provider is paid changes how it manages its list: on activity (paid per unit)
it adds sessions as its list grows; on a block contract (added sessions are a cost)
it adds fewer, so its list and its waits grow longer.

Two trusts, each with its own overloaded clinic (load 1.15) and the supply response
of the demo economy. The west trust's contract is switched from activity to block;
the east trust stays on activity. Paired by replication (common random numbers).
"""

import numpy as np

from pathways.engine import simulate_replication
from pathways.metrics import kpis
from pathways.stats import paired_difference

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
west_practice,30000,-6,0,2
east_practice,30000,6,0,4
"""
TWO_TRUSTS = """
name: NAME
horizon_days: 900
warmup_days: 300
practices: {file: practices.csv}
organisations:
  west_trust: {type: acute, sites: {west: {x_km: -5, y_km: 0}}}
  east_trust: {type: acute, sites: {east: {x_km: 5, y_km: 0}}}
calendars:
  clinic_days: {sessions: [{days: [mon, wed, fri], start: "09:00", end: "17:00"}]}
resources:
  west_clinic: {organisation: west_trust, site: west, kind: outpatients, capacity: 1,
                calendar: clinic_days, slots_per_session: 20}
  east_clinic: {organisation: east_trust, site: east, kind: outpatients, capacity: 1,
                calendar: clinic_days, slots_per_session: 20}
pathways:
  clinic:
    referrals_per_1000_per_year: 119.6   # 69 a week from each practice, 60 slots each
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
                    rtt_stop: non_admitted}
waiting_list:
  supply: {max_extra_share: 0.3, trigger_wait_weeks: 1.5, cap_wait_weeks: 3.5,
           delay_days: 28, review_every_days: 7}
  removals: {monthly_rate: 0.03}
contracts: {providers: {west_trust: CONTRACT}, added_sessions_share: {block: BLOCK_SHARE}}
"""
REPLICATIONS = 4
WEST, EAST = 0, 1


def _run(economy, contract: str, block_share: float, replication: int):
    name = f"{contract}_{block_share}".replace(".", "_")
    text = (TWO_TRUSTS.replace("NAME", name).replace("CONTRACT", contract)
            .replace("BLOCK_SHARE", str(block_share)))
    return simulate_replication(economy(text, PRACTICES, f"{name}.yaml"), 3, replication)


def _added_share(log, resource: int) -> float:
    """Mean share of slots added to the resource's sessions in the window."""
    sessions = log.sessions
    mine = (sessions.resource == resource) & (sessions.time >= log.warmup_days)
    return float(np.mean(sessions.extra_share[mine]))


def _median_wait(log, provider: str) -> float:
    table = kpis(log)
    rows = table[(table.stage == f"provider:{provider}")
                 & (table.metric == "rtt_non_admitted_median_weeks")]
    return rows.value.item()


def test_a_block_contract_adds_fewer_sessions_and_its_list_waits_longer(economy):
    activity = [_run(economy, "activity", 0.5, r) for r in range(REPLICATIONS)]
    block = [_run(economy, "block", 0.5, r) for r in range(REPLICATIONS)]
    fewer = paired_difference([_added_share(b, WEST) for b in block],
                              [_added_share(a, WEST) for a in activity])
    assert fewer[1] > 0, fewer
    longer = paired_difference([_median_wait(a, "west_trust") for a in activity],
                               [_median_wait(b, "west_trust") for b in block])
    assert longer[1] > 0, longer
    # the east trust's contract did not change, nor (its patients staying local) its list
    east = np.array([_added_share(a, EAST) - _added_share(b, EAST)
                     for a, b in zip(activity, block, strict=False)])
    assert np.all(east == 0), east


def test_a_block_contract_that_allows_the_whole_response_changes_nothing(economy):
    activity, block = _run(economy, "activity", 1.0, 0), _run(economy, "block", 1.0, 0)
    np.testing.assert_array_equal(activity.sessions.extra_share, block.sessions.extra_share)
    np.testing.assert_array_equal(activity.time, block.time)


def _pool_shares(economy, contracts: str, policy: str = "nearest") -> dict[str, float]:
    text = (TWO_TRUSTS.replace("NAME", "shares")
            .replace("contracts: {providers: {west_trust: CONTRACT}, added_sessions_share: "
                     "{block: BLOCK_SHARE}}", contracts)
            .replace("organisations:\n", "organisations:\n  ico: {type: ico}\n")
            .replace("west_trust: {type: acute,", "west_trust: {type: acute, owner: ico,")
            + f"allocation: {{policy: {policy}, pool_across: all}}\n")
    model = economy(text, PRACTICES, "shares.yaml")
    return {pool.name: pool.added_sessions_share for pool in model.pools}


def test_an_owned_provider_takes_its_owners_contract_and_a_pool_the_mean(economy):
    shares = _pool_shares(economy, "contracts: {providers: {ico: block}}")
    assert shares == {"west_clinic": 0.5, "east_clinic": 1.0}
    shares = _pool_shares(economy, "contracts: {providers: {ico: block, west_trust: activity}}")
    assert shares == {"west_clinic": 1.0, "east_clinic": 1.0}
    shares = _pool_shares(economy, "contracts: {providers: {ico: block}}", policy="pooled")
    assert shares == {"west_clinic+east_clinic": 0.75}


REVIEWS = """
  west_reviews: {organisation: west_trust, site: west, kind: reviews, capacity: 1,
                 calendar: clinic_days, slots_per_session: 20}
"""
REVIEW_PATHWAY = """
  review:
    referrals_per_1000_per_year: 10
    stages:
      review: {kind: reviews, duration: {dist: exponential, mean: 0.02}}
"""


def test_a_contract_by_service_line_sets_each_lists_response_by_its_line(economy):
    """The clinic runs RTT clocks (elective); the review clinic does not (non-elective)."""
    text = (TWO_TRUSTS.replace("NAME", "lines").replace("CONTRACT", "LINES")
            .replace("BLOCK_SHARE", "0.5")
            .replace("pathways:\n", REVIEWS + "pathways:\n" + REVIEW_PATHWAY))

    def shares(lines: str) -> dict[str, float]:
        model = economy(text.replace("LINES", lines), PRACTICES, "lines.yaml")
        return {pool.name: pool.added_sessions_share for pool in model.pools}

    assert shares("{elective: activity, non_elective: block}") == {
        "west_clinic": 1.0, "east_clinic": 1.0, "west_reviews": 0.5}
    assert shares("{elective: block, non_elective: activity}") == {
        "west_clinic": 0.5, "east_clinic": 1.0, "west_reviews": 1.0}


def test_the_commissioners_own_services_respond_as_a_block_contract_does(economy):
    """An added session at a service the commissioner provides itself is a cost to it,
    as under a block contract, whatever the default contract says."""
    text = (TWO_TRUSTS.replace("NAME", "provided")
            .replace("contracts: {providers: {west_trust: CONTRACT}, added_sessions_share: "
                     "{block: BLOCK_SHARE}}", "contracts: {added_sessions_share: {block: 0.4}}")
            .replace("organisations:\n", "organisations:\n  pct: {type: commissioner}\n")
            .replace("west_trust: {type: acute,", "west_trust: {type: acute, owner: pct,"))
    model = economy(text, PRACTICES, "provided.yaml")
    assert {pool.name: pool.added_sessions_share for pool in model.pools} == {
        "west_clinic": 0.4, "east_clinic": 1.0}
