"""A provider's contract decides what it treats first where reviews and elective
patients queue for the same clinic (`chronic.contract: by_provider`): paid by
activity, elective patients first; on a block contract, reviews first.

Two mirror-image trusts, each with one clinic loaded to about 0.93 by elective
referrals and the chronic reviews of its nearest practice; the west trust is paid by
activity, the east on a block contract. Swapping the contracts swaps the waits.
"""

import numpy as np

from pathways.engine import simulate_replication
from pathways.metrics.visits import build

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
west_practice,30000,-6,0,3
east_practice,30000,6,0,3
"""
ECONOMY = """
name: NAME
horizon_days: 500
warmup_days: 100
practices: {file: practices.csv}
organisations:
  west_trust: {type: acute, sites: {west: {x_km: -5, y_km: 0}}}
  east_trust: {type: acute, sites: {east: {x_km: 5, y_km: 0}}}
resources:
  west_clinic: {organisation: west_trust, site: west, kind: outpatients, capacity: 1}
  east_clinic: {organisation: east_trust, site: east, kind: outpatients, capacity: 1}
  west_ward: {organisation: west_trust, site: west, kind: beds, capacity: 100}
  east_ward: {organisation: east_trust, site: east, kind: beds, capacity: 100}
pathways:
  elective:
    referrals_per_1000_per_year: 480   # 39 a day per practice x 0.02 d: 0.79 of a clinic
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.02}}
  review:
    stages:
      review: {kind: outpatients, duration: {dist: exponential, mean: 0.02}}
  admission:
    stages:
      stay: {kind: beds, duration: {dist: exponential, mean: 3}}
chronic:
  contract: CHRONIC
  conditions:
    heart_failure:   # 1,500 a practice reviewed every 214 days: 7 a day x 0.02 d, 0.14
      prevalence: 0.05
      review_pathway: review
      review_interval_days: 214
      admission_pathway: admission
      admissions_per_year: 0.1
contracts: {providers: {west_trust: WEST, east_trust: EAST},
            added_sessions_share: {block: 1.0}}
"""


def _review_minus_elective_wait(economy, west: str, east: str, chronic: str = "by_provider"):
    """Per trust: mean review wait less mean elective wait (days), in the window."""
    name = f"{west}_{east}_{chronic}"
    text = (ECONOMY.replace("NAME", name).replace("WEST", west).replace("EAST", east)
            .replace("CHRONIC", chronic))
    log = simulate_replication(economy(text, PRACTICES, f"{name}.yaml"), 2, 0)
    visits, _ = build(log)
    stage = {s.name: i for i, s in enumerate(log.stages)}
    resource = {r.name: i for i, r in enumerate(log.resources)}
    inside = np.isfinite(visits.start) & (visits.queue >= log.warmup_days)
    waited = visits.start - visits.queue
    gaps = {}
    for trust in ("west", "east"):
        here = inside & (visits.resource == resource[f"{trust}_clinic"])
        review = waited[here & (visits.stage == stage["review.review"])].mean()
        elective = waited[here & (visits.stage == stage["elective.appointment"])].mean()
        gaps[trust] = review - elective
    return gaps


def test_each_provider_treats_first_what_its_contract_pays_for(economy):
    gaps = _review_minus_elective_wait(economy, "activity", "block")
    # In first-come order the two waits are the same (within 0.01 days here).
    assert gaps["west"] > 0.5  # activity: reviews wait behind elective patients
    assert gaps["east"] < -0.15  # block: reviews go first
    swapped = _review_minus_elective_wait(economy, "block", "activity")
    assert swapped["west"] < -0.15 and swapped["east"] > 0.5


def test_one_contract_for_all_chronic_care_ignores_the_providers_contracts(economy):
    gaps = _review_minus_elective_wait(economy, "activity", "block", chronic="block")
    assert gaps["west"] < -0.15 and gaps["east"] < -0.15
