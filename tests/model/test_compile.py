"""Compiling a configuration: what the Model's numbers must be, worked out from the
configuration by hand (routing, list management in days, the configuration's hash,
pooled lists and what their providers' contracts allow)."""

import hashlib
import json
import textwrap

import pytest

import pathways
from pathways.config import load_config_text
from pathways.model.compile import compile_config, compile_loaded, config_hash
from pathways.model.model import EXIT
from tests.config.samples import MMC

CLINIC = """
name: clinic
horizon_days: 400
warmup_days: 40
calendars:
  mornings: {sessions: [{days: [weekdays], start: "09:00", end: "12:00"}]}
  evenings: {sessions: [{days: [weekdays], start: "17:00", end: "20:00"}]}
resources:
  clinicians: {capacity: 2, calendar: mornings}
arrivals:
  - {pathway: clinic, rate_per_day: 1}
pathways:
  clinic:
    start: consult
    stages:
      consult: {resource: clinicians, duration: {dist: exponential, mean: 0.1},
                next: {review: 0.1, followup: 0.0, scan: 0.2, exit: 0.7}}
      scan: {resource: clinicians, duration: {dist: fixed, value: 0.1}, next: review}
      review: {resource: clinicians, duration: {dist: fixed, value: 0.1},
               next: {followup: 1.0}}
      followup: {resource: clinicians, duration: {dist: fixed, value: 0.1}, next: exit}
"""


def _compile(text: str, name: str = "clinic.yaml"):
    return compile_config(load_config_text(text, name).config)


def test_routing_keeps_the_targets_patients_can_go_to_with_cumulative_probabilities():
    """consult goes on to review 0.1, scan 0.2 and exit 0.7; followup (0.0) never."""
    model = _compile(CLINIC)
    index = {stage.name: i for i, stage in enumerate(model.stages)}
    consult = model.stages[index["clinic.consult"]]
    assert consult.targets == (index["clinic.review"], index["clinic.scan"], EXIT)
    assert consult.cumulative_probabilities[:2] == pytest.approx((0.1, 0.3))
    assert consult.cumulative_probabilities[-1] == 1.0  # exactly, whatever the rounding
    assert model.stages[index["clinic.review"]].targets == (index["clinic.followup"],)
    assert model.stages[index["clinic.followup"]].cumulative_probabilities == (1.0,)


def test_the_hash_is_of_the_configuration_not_of_how_its_file_is_written():
    """Comments, flow or block style and the order of named entries (calendars) do not
    change it; any value does."""
    base = config_hash(load_config_text(CLINIC, "a.yaml").config)
    relaid = (CLINIC.replace("  evenings: {sessions: [{days: [weekdays], start: \"17:00\", "
                             "end: \"20:00\"}]}\n", "")
              .replace("calendars:\n", "calendars:\n  evenings:\n    sessions:\n"
                       "      - {days: [weekdays], start: \"17:00\", end: \"20:00\"}\n")
              .replace("horizon_days: 400", "horizon_days: 400  # days"))
    assert relaid != CLINIC
    assert config_hash(load_config_text(relaid, "elsewhere/b.yaml").config) == base
    for old, new in (("capacity: 2", "capacity: 3"), ("value: 0.1}, next: exit",
                                                       "value: 0.2}, next: exit"),
                     ("start: \"17:00\"", "start: \"18:00\"")):
        changed = load_config_text(CLINIC.replace(old, new), "a.yaml").config
        assert config_hash(changed) != base, new
    # SHA-256 of canonical JSON (sorted keys, no spaces), so any tool can recompute it
    canonical = json.dumps(load_config_text(CLINIC, "a.yaml").config.model_dump(mode="json"),
                           sort_keys=True, separators=(",", ":"))
    assert base == hashlib.sha256(canonical.encode()).hexdigest()
    assert _compile(CLINIC).config_hash == base


def test_a_compiled_loaded_configuration_keeps_the_loaders_warnings():
    """5 arrivals a day of 1 day each on 5 clinicians: offered load 1."""
    loaded = load_config_text(MMC.replace("rate_per_day: 4.5", "rate_per_day: 5"), "mmc.yaml")
    assert loaded.warnings
    model = compile_loaded(loaded)
    assert model.warnings == tuple(issue.format() for issue in loaded.warnings)
    assert "mmc.yaml:5: resources.clinicians" in model.warnings[0]
    assert compile_loaded(load_config_text(MMC, "mmc.yaml")).warnings == ()


def test_list_management_is_compiled_to_days():
    text = CLINIC + textwrap.dedent("""\
        waiting_list:
          supply: {max_extra_share: 0.3, trigger_wait_weeks: 2, cap_wait_weeks: 5,
                   delay_days: 21, review_every_days: 14}
          demand: {elasticity: -0.4, reference_wait_weeks: 6}
          removals: {monthly_rate: 0.0761}
          did_not_attend_share: 0.05
          booked_in_turn_share: 0.8
        """)
    managed = _compile(text).managed_list
    assert managed.max_extra_share == 0.3
    assert managed.trigger_wait_days == 14.0 and managed.cap_wait_days == 35.0
    assert managed.response_delay_days == 21.0 and managed.review_every_days == 14.0
    assert managed.elasticity == -0.4 and managed.reference_wait_days == 42.0
    assert managed.removal_rate_per_day == pytest.approx(0.0761 / 30.44)  # a month of 30.44 days
    assert managed.did_not_attend_share == 0.05 and managed.booked_in_turn_share == 0.8


PRACTICES = """\
name,list_size,x_km,y_km,deprivation_quintile
west_practice,30000,-6,0,2
east_practice,30000,6,0,4
"""
# Three trusts: west and east owned by one ICO, south on its own. Each runs a clinic
# (west's with 2 servers) and a scanner.
TRUSTS = """
name: trusts
horizon_days: 200
practices: {file: practices.csv}
organisations:
  ico: {type: ico}
  west_trust: {type: acute, owner: ico, sites: {west: {x_km: -5, y_km: 0}}}
  east_trust: {type: acute, owner: ico, sites: {east: {x_km: 5, y_km: 0}}}
  south_trust: {type: acute, sites: {south: {x_km: 0, y_km: -5}}}
resources:
  west_clinic: {organisation: west_trust, site: west, kind: outpatients, capacity: 2}
  east_clinic: {organisation: east_trust, site: east, kind: outpatients, capacity: 1}
  south_clinic: {organisation: south_trust, site: south, kind: outpatients, capacity: 1}
  west_scanner: {organisation: west_trust, site: west, kind: diagnostics, capacity: 1}
  east_scanner: {organisation: east_trust, site: east, kind: diagnostics, capacity: 1}
pathways:
  clinic:
    referrals_per_1000_per_year: 10
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
                    next: scan}
      scan: {kind: diagnostics, duration: {dist: fixed, value: 0.02}}
"""
CLINICS, SCANNERS = ("west_clinic", "east_clinic", "south_clinic"), ("west_scanner",
                                                                      "east_scanner")


@pytest.fixture
def trusts(tmp_path):
    """trusts(extra YAML) -> the compiled three-trust economy."""
    (tmp_path / "practices.csv").write_text(PRACTICES)

    def build(extra: str = ""):
        (tmp_path / "trusts.yaml").write_text(TRUSTS + textwrap.dedent(extra))
        return pathways.load(tmp_path / "trusts.yaml")
    return build


def _lists(model) -> dict[str, tuple[str, ...]]:
    """Each pool's servers by resource name, one entry a server."""
    return {pool.name: tuple(model.resources[r].name for r in pool.unit_resource)
            for pool in model.pools}


def test_without_pooling_every_resource_has_its_own_list_of_its_servers(trusts):
    model = trusts()
    assert _lists(model) == {
        "west_clinic": ("west_clinic", "west_clinic"), "east_clinic": ("east_clinic",),
        "south_clinic": ("south_clinic",), "west_scanner": ("west_scanner",),
        "east_scanner": ("east_scanner",)}
    assert model.resource_pool == (0, 1, 2, 3, 4)
    assert model.pools[0].unit_local == (0, 1)


def test_pooled_lists_join_one_owners_resources_of_a_kind(trusts):
    """west and east are the ICO's; south is on its own."""
    model = trusts("allocation: {policy: pooled}\n")
    assert _lists(model) == {
        "west_clinic+east_clinic": ("west_clinic", "west_clinic", "east_clinic"),
        "south_clinic": ("south_clinic",),
        "west_scanner+east_scanner": ("west_scanner", "east_scanner")}
    assert model.resource_pool == (0, 0, 1, 2, 2)
    assert model.pools[0].unit_local == (0, 1, 0)


def test_pooled_across_all_providers_one_list_a_kind(trusts):
    model = trusts("allocation: {policy: pooled, pool_across: all}\n")
    assert _lists(model) == {"+".join(CLINICS): ("west_clinic", "west_clinic", *CLINICS[1:]),
                             "+".join(SCANNERS): SCANNERS}
    assert model.resource_pool == (0, 0, 0, 1, 1)


def test_a_pooled_lists_response_is_the_mean_over_its_servers(trusts):
    """The ICO's trusts on block contracts (half the response), south on activity:
    pooled across all, the clinics' 4 servers allow (2 x 0.5 + 0.5 + 1) / 4."""
    contracts = "contracts: {providers: {ico: block, south_trust: activity}}\n"
    own = {pool.name: pool.added_sessions_share for pool in trusts(contracts).pools}
    assert own["west_clinic"] == own["east_clinic"] == 0.5 and own["south_clinic"] == 1.0
    pooled = trusts(contracts + "allocation: {policy: pooled, pool_across: all}\n").pools
    assert pooled[0].added_sessions_share == pytest.approx((2 * 0.5 + 0.5 + 1.0) / 4)
    assert pooled[1].added_sessions_share == 0.5


def test_reviews_are_queued_by_the_lists_contract_and_in_turn_on_a_mixed_pool(trusts):
    """Paid per unit of activity, elective patients go first (reviews after, a higher
    number); on a block contract reviews go first; a list of mixed contracts: in turn."""
    contracts = "contracts: {providers: {ico: block, south_trust: activity}}\n"
    own = {pool.name: pool.review_priority for pool in trusts(contracts).pools}
    assert own["west_clinic"] < 0 < own["south_clinic"]
    pooled = trusts(contracts + "allocation: {policy: pooled, pool_across: all}\n").pools
    assert pooled[0].review_priority == 0  # block and activity together
    assert pooled[1].review_priority == own["west_scanner"] < 0  # both block


ARRIVING = """
name: arriving
horizon_days: 100
warmup_days: 10
resources:
  clinicians: {capacity: 2}
arrivals:
  - {pathway: clinic, rate_per_day: 2,
     hour_of_day_factors: [0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0],
     day_of_week_factors: [1.4, 1.4, 1.4, 1.4, 1.4, 0, 0]}
  - {pathway: clinic, rate_per_day: 0.5}
  - {pathway: clinic, start: review, rate_per_day: 1}
pathways:
  clinic:
    start: consult
    stages:
      consult: {resource: clinicians, duration: {dist: fixed, value: 0.1}, next: review,
                lead_days: 3}
      review: {resource: clinicians, duration: {dist: fixed, value: 0.1}, next: exit}
"""


def test_an_arrival_stream_keeps_its_hour_and_day_profile():
    """2 a day x 3 from 09:00 to 17:00 x 1.4 on weekdays: 8.4 a day in a weekday's
    working hour, none at night or at the weekend; a flat stream is flat."""
    profiled, flat, _ = _compile(ARRIVING).arrivals
    week = profiled.hourly_rates_per_day.reshape(7, 24)
    assert week[0, 9] == pytest.approx(8.4) and week[4, 16] == pytest.approx(8.4)
    assert week[0, 8] == 0 and week[0, 17] == 0 and week[5, 10] == 0 and week[6, 12] == 0
    assert week.mean() == pytest.approx(2.0)  # the factors average 1
    assert flat.hourly_rates_per_day.shape == (168,)
    assert (flat.hourly_rates_per_day == 0.5).all()


def test_arrival_streams_are_named_by_where_they_enter():
    """Named by pathway and stage, numbered among the streams entering there, so that
    their random numbers do not depend on their order in the file."""
    model = _compile(ARRIVING)
    index = {stage.name: i for i, stage in enumerate(model.stages)}
    assert [a.name for a in model.arrivals] == [
        "clinic.consult#1", "clinic.consult#2", "clinic.review#1"]
    assert [a.start_stage for a in model.arrivals] == [
        index["clinic.consult"], index["clinic.consult"], index["clinic.review"]]


def test_a_stage_keeps_its_lead_time():
    model = _compile(ARRIVING)
    lead = {stage.name: stage.lead_days for stage in model.stages}
    assert lead == {"clinic.consult": 3.0, "clinic.review": 0.0}
