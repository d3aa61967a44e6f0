"""Seed question: does a larger population gain more from pooling lists?

PCTs and US HMOs (1999) (primary care trusts as bodies responsible for a defined
population, pooling resources at locality or trust level); the two sizes are the
smallest and largest primary care trust populations of the time, about 57,000 and
334,000. The mechanism is pooled allocation (`allocation.policy: pooled`: one list
served by every site of the organisation) against `nearest` (each site its own list).

The small economy scales in population with its load held fixed: one trust with two
sites 20 km apart, each the nearest site of one practice of equal list size; the
clinic at each site has `servers` parallel servers (appointments exponential, mean one
day) and each practice refers 0.8 x servers patients a day, so every server runs at
load 0.8 at both sizes. Small: 2 x 28,500 = 57,000 registered, one server a site.
Large: 2 x 171,000 = 342,000 (about 334,000: six times the small one, so that whole
servers scale exactly with the list sizes), six servers a site. Separate lists are
then two M/M/c queues, the pooled list one M/M/2c queue.

"Gains more" can be read two ways, and the mechanism answers them differently, so
both are tested (paired 95% intervals over replications; the two sizes use the same
seed and replication indices):

* the share of the wait that pooling removes (1 - pooled / separate mean wait):
  larger for the larger population (Erlang C: 56% at one server a site, 64% at six);
  the seed's claim holds in this reading;
* the weeks of waiting pooling saves per patient (separate - pooled mean wait): far
  smaller for the larger population, because six servers a site already absorb most
  random variation (economies of scale: its separate lists wait about a tenth as
  long); the seed's claim fails in this reading, so that test asserts the seed's
  direction and is marked xfail(strict=True), and a companion test asserts the
  direction the mechanism gives.
"""

import numpy as np
import pytest

from tests.scenarios.paired import paired_ci, run, small_economy, values

pytestmark = pytest.mark.slow

REPLICATIONS, SEED = 10, 4
LOAD = 0.8                                   # per server, both sizes
SMALL_LIST, SCALE = 28_500, 6                # per practice: 57,000 and 342,000 registered
WAIT = ("wait_mean", "clinic.appointment")   # days on the list

TWO_SITES = """
name: NAME
horizon_days: 2000
warmup_days: 200
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {north: {x_km: 0, y_km: 10}, south: {x_km: 0, y_km: -10}}}
resources:
  north_clinic: {organisation: trust, site: north, kind: outpatients, capacity: SERVERS}
  south_clinic: {organisation: trust, site: south, kind: outpatients, capacity: SERVERS}
pathways:
  clinic:
    referrals_per_1000_per_year: RATE
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 1.0}}
allocation: {policy: POLICY}
"""


def _mean_waits(workdir, servers: int, policy: str) -> np.ndarray:
    """Mean wait (days) per replication with `servers` a site, both lists scaled."""
    list_size = SMALL_LIST * servers
    practices = f"""
    name,list_size,x_km,y_km,deprivation_quintile
    north_practice,{list_size},0,10,2
    south_practice,{list_size},0,-10,4
    """
    rate = LOAD * 365 / (SMALL_LIST / 1000)  # 0.8 x servers a day from list_size registered
    text = (TWO_SITES.replace("NAME", f"{policy}-{servers}").replace("SERVERS", str(servers))
            .replace("RATE", f"{rate:.9g}").replace("POLICY", policy))
    model = small_economy(workdir / f"servers{servers}", text, practices, policy)
    return values(run(model, REPLICATIONS, SEED), *WAIT)


@pytest.fixture(scope="module")
def waits(workdir):
    """(servers a site, policy) -> mean wait per replication, in days."""
    return {(servers, policy): _mean_waits(workdir, servers, policy)
            for servers in (1, SCALE) for policy in ("nearest", "pooled")}


def _weeks_saved(waits, servers: int) -> np.ndarray:
    return (waits[servers, "nearest"] - waits[servers, "pooled"]) / 7.0


def _share_removed(waits, servers: int) -> np.ndarray:
    return 1.0 - waits[servers, "pooled"] / waits[servers, "nearest"]


def test_pooling_shortens_waits_at_both_sizes(waits):
    """PCTs and US HMOs (1999): does pooling the two sites' lists shorten the
    mean wait at 57,000 and at 342,000 registered? (separate - pooled, paired 95%
    interval above 0.) The premise of the size comparison below."""
    for servers in (1, SCALE):
        saved = paired_ci(np.zeros(REPLICATIONS), _weeks_saved(waits, servers))
        print(f"weeks saved per patient, {servers} server(s) a site: {saved}")
        assert saved.excludes_zero_above(), (servers, saved)


def test_larger_population_removes_a_larger_share_of_its_wait_by_pooling(waits):
    """PCTs and US HMOs (1999): does the larger population (342,000) gain more
    from pooling than the smaller (57,000), reading the gain as the share of the mean
    wait that pooling removes? (large - small, paired 95% interval above 0.)"""
    more = paired_ci(_share_removed(waits, 1), _share_removed(waits, SCALE))
    print(f"share of the wait removed by pooling, large - small: {more}")
    assert more.excludes_zero_above(), more


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=(
    "The mechanism gives the opposite: with load per server held at 0.8, the larger "
    "population's sites have six servers each, which already absorb most random "
    "variation (economies of scale), so its separate lists wait far less than one-server "
    "sites do, and pooling them saves fewer weeks per patient, although it removes a "
    "larger share of that much shorter wait."))
def test_larger_population_saves_more_weeks_per_patient_by_pooling(waits):
    """PCTs and US HMOs (1999): does the larger population (342,000) gain more
    from pooling than the smaller (57,000), reading the gain as the weeks of waiting
    saved per patient? (large - small, paired 95% interval above 0: the seed's
    direction; expected to fail, see the xfail reason.)"""
    more = paired_ci(_weeks_saved(waits, 1), _weeks_saved(waits, SCALE))
    print(f"weeks saved per patient by pooling, large - small: {more}")
    assert more.excludes_zero_above(), more


def test_smaller_population_saves_more_weeks_per_patient_by_pooling(waits):
    """PCTs and US HMOs (1999), what the mechanism shows instead: pooling saves
    more weeks per patient at 57,000 registered than at 342,000 (large - small,
    paired 95% interval below 0)."""
    fewer = paired_ci(_weeks_saved(waits, 1), _weeks_saved(waits, SCALE))
    print(f"weeks saved per patient by pooling, large - small: {fewer}")
    assert fewer.excludes_zero_below(), fewer
