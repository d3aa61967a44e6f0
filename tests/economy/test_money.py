"""Money is counted from the event log: who pays whom, for what, under each contract.

Two trusts, one clinic and one ward each; a referral is seen in clinic (a first
attendance) and a share are admitted (an elective spell with a trim point). Expected
income is recounted here from the log's raw START rows, not through the metrics'
visit table, so the two ways of counting check each other.
"""

import re

import numpy as np
import pandas as pd
import pytest

from pathways.engine import simulate_replication
from pathways.log import END, START
from pathways.metrics import kpis

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
west_practice,20000,-6,0,2
east_practice,20000,6,0,4
"""
ECONOMY = """
name: money
horizon_days: 400
warmup_days: 100
practices: {file: practices.csv, organisation: PRACTICE_ORG}
organisations:
  ico: {type: ico}
  west_trust: {type: acute, owner: WEST_OWNER, sites: {west: {x_km: -5, y_km: 0}}}
  east_trust: {type: acute, sites: {east: {x_km: 5, y_km: 0}}}
resources:
  west_clinic: {organisation: west_trust, site: west, kind: outpatients, capacity: 2}
  east_clinic: {organisation: east_trust, site: east, kind: outpatients, capacity: 2}
  west_ward: {organisation: west_trust, site: west, kind: beds, capacity: 30}
  east_ward: {organisation: east_trust, site: east, kind: beds, capacity: 30}
pathways:
  care:
    referrals_per_1000_per_year: 60
    stages:
      first: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
              currency: first_attendance, next: {stay: 0.3, exit: 0.7}}
      stay: {kind: beds, duration: {dist: exponential, mean: 4}, rtt_stop: admitted,
             currency: spell}
MONEY
"""
PRICES = """
money:
  tariff: test prices
  prices:
    first_attendance: FIRST
    spell: {price: 2000, trim_point_days: 6}
  excess_bed_day_price: 250
  server_day_cost_by_kind: {beds: 200}
"""
YEARS = 300 / 365.0


EMERGENCY = """
  emergency:
    referrals_per_1000_per_year: 30
    stages:
      admit: {kind: beds, duration: {dist: exponential, mean: 3}, currency: spell}
"""


def _log(economy, name: str, money: str | None = PRICES, first: float = 100,
         contracts: str = "", practice_org: str = "null", west_owner: str = "null",
         pathways: str = ""):
    """A replication of the economy; ``money`` None: no money block, no currencies;
    ``pathways`` more pathways."""
    text = (ECONOMY.replace("MONEY", pathways + (money or "").replace("FIRST", str(first))
                            + contracts)
            .replace("PRACTICE_ORG", practice_org).replace("WEST_OWNER", west_owner))
    if money is None:
        text = re.sub(r",\s*currency: \w+", "", text)
    return simulate_replication(economy(text, PRACTICES, f"{name}.yaml"), 11, 0)


def _value(table: pd.DataFrame, stage: str, metric: str) -> float:
    return table[(table.stage == stage) & (table.metric == metric)].value.item()


def _tariff_income(log, resource: str, first_price: float) -> float:
    """A trust's activity at the tariff a year, counted from raw START/END rows."""
    r = [res.name for res in log.resources].index(resource)
    stage_names = [s.name for s in log.stages]
    first, stay = stage_names.index("care.first"), stage_names.index("care.stay")
    inside = (log.time >= log.warmup_days) & (log.time <= log.horizon_days)
    starts = (log.event == START) & (log.resource == r) & inside
    pounds = first_price * np.sum(starts & (log.stage == first))
    for patient, began in zip(log.patient[starts & (log.stage == stay)],
                              log.time[starts & (log.stage == stay)], strict=False):
        ended = log.time[(log.patient == patient) & (log.stage == stay) & (log.event == END)]
        until = min(ended[0], log.horizon_days) if len(ended) else log.horizon_days
        pounds += 2000 + 250 * max(0.0, until - began - 6)
    return pounds / YEARS


def test_activity_is_paid_per_unit_by_the_commissioner(economy):
    log = _log(economy, "activity")
    table = kpis(log)
    for trust, ward in (("west_trust", "west_ward"), ("east_trust", "east_ward")):
        clinic = ward.replace("ward", "clinic")
        expected = _tariff_income(log, clinic, 100) + _tariff_income(log, ward, 100)
        assert _value(table, f"provider:{trust}", "income_per_year") == pytest.approx(
            expected, rel=1e-9)
        assert _value(table, f"flow:commissioner->{trust}", "payment_per_year") == \
            pytest.approx(expected, rel=1e-9)
        beds = 30 * 200 * 300 / YEARS
        assert _value(table, f"provider:{trust}", "cost_per_year") == pytest.approx(beds)
    spend = sum(_value(table, f"flow:commissioner->{t}", "payment_per_year")
                for t in ("west_trust", "east_trust"))
    assert _value(table, "", "spend_per_1000_population_per_year") == pytest.approx(
        spend / 40.0)
    assert np.isnan(_value(table, "", "budget_variance_per_year"))


def test_a_dearer_first_attendance_raises_income_by_the_attendances_alone(economy):
    cheap, dear = kpis(_log(economy, "cheap", first=100)), kpis(_log(economy, "dear", first=300))
    log = _log(economy, "count", first=100)
    r = [res.name for res in log.resources].index("east_clinic")
    inside = (log.time >= log.warmup_days) & (log.time <= log.horizon_days)
    attendances = np.sum((log.event == START) & (log.resource == r) & inside)
    rise = (_value(dear, "provider:east_trust", "income_per_year")
            - _value(cheap, "provider:east_trust", "income_per_year"))
    assert attendances > 100
    assert rise == pytest.approx(200 * attendances / YEARS, rel=1e-9)


def test_with_every_price_and_cost_at_zero_money_is_zero_and_nothing_else_changes(economy):
    zero = "money: {prices: {first_attendance: 0, spell: 0}}"
    without = kpis(_log(economy, "without", money=None))
    with_zero = kpis(_log(economy, "zero", money=zero))
    money_rows = with_zero.stage.str.startswith("flow:") | with_zero.metric.isin(
        ["spend_per_1000_population_per_year", "activity_value_per_year",
         "cost_per_completed_pathway", "budget_variance_per_year", "income_per_year",
         "cost_per_year", "surplus_per_year"])
    values = with_zero[money_rows].value
    assert (values.fillna(0) == 0).all() and len(values) > 10
    pd.testing.assert_frame_equal(with_zero[~money_rows].reset_index(drop=True), without)


def test_a_block_contract_is_paid_its_sum_whatever_it_does(economy):
    block = "contracts: {providers: {west_trust: block}, block_sums_per_year: {west_trust: 1.0e6}}"
    table = kpis(_log(economy, "block", contracts="\n" + block))
    assert _value(table, "provider:west_trust", "income_per_year") == pytest.approx(1.0e6)
    assert _value(table, "flow:commissioner->west_trust", "payment_per_year") == \
        pytest.approx(1.0e6)
    activity = kpis(_log(economy, "unblocked"))
    assert _value(table, "provider:east_trust", "income_per_year") == pytest.approx(
        _value(activity, "provider:east_trust", "income_per_year"))
    # The block sum replaces west's activity income in what the commissioner spends.
    assert _value(table, "", "spend_per_1000_population_per_year") * 40 == pytest.approx(
        1.0e6 + _value(activity, "provider:east_trust", "income_per_year"))


def test_a_contract_by_service_line_pays_elective_work_per_unit_and_the_rest_by_block(economy):
    lines = ("contracts: {providers: {west_trust: {elective: activity, non_elective: block}},"
             " block_sums_per_year: {west_trust: 1.0e5}}")
    log = _log(economy, "lines", contracts="\n" + lines, pathways=EMERGENCY)
    table = kpis(log)
    elective = _tariff_income(log, "west_clinic", 100) + _tariff_income(log, "west_ward", 100)
    assert _value(table, "provider:west_trust", "income_per_year") == pytest.approx(
        elective + 1.0e5, rel=1e-9)
    # The same trust paid by activity for everything earns its emergency spells too.
    activity = kpis(_log(economy, "all_activity", pathways=EMERGENCY))
    emergencies = _value(activity, "provider:west_trust", "income_per_year") - elective
    assert emergencies > 2000 * 10 / YEARS


def test_a_commissioner_that_provides_pays_its_own_service_nothing_and_bears_its_cost(
        economy):
    """The ico becomes the commissioner itself and owns the west trust: west's work is
    not bought, its beds' cost is the commissioner's spending; east is paid as before."""
    log = _log(economy, "provides", west_owner="ico")
    commissioner_run = ECONOMY.replace("ico: {type: ico}", "ico: {type: commissioner}")
    text = (commissioner_run.replace("MONEY", PRICES.replace("FIRST", "100"))
            .replace("PRACTICE_ORG", "null").replace("WEST_OWNER", "ico"))
    provided = simulate_replication(economy(text, PRACTICES, "provided.yaml"), 11, 0)
    table, bought = kpis(provided), kpis(log)
    flows = table[table.stage.str.startswith("flow:")].stage
    assert list(flows) == ["flow:commissioner->east_trust"]
    east = _value(bought, "flow:commissioner->east_trust", "payment_per_year")
    assert _value(table, "flow:commissioner->east_trust", "payment_per_year") == \
        pytest.approx(east)
    beds = 30 * 200 * 300 / YEARS
    assert _value(table, "", "spend_per_1000_population_per_year") * 40 == pytest.approx(
        east + beds)


def test_a_capitated_organisation_is_paid_per_head_and_buys_care_elsewhere(economy):
    capitated = ("  capitation_per_head_per_year: 50\n"
                 "contracts: {providers: {ico: capitated}}")
    log = _log(economy, "capitated", contracts=capitated, practice_org="ico", west_owner="ico")
    table = kpis(log)
    assert _value(table, "flow:commissioner->ico", "payment_per_year") == pytest.approx(
        50 * 40000)
    # east_trust is paid by activity, now by the ico whose patients it treats.
    east = _tariff_income(log, "east_clinic", 100) + _tariff_income(log, "east_ward", 100)
    assert _value(table, "flow:ico->east_trust", "payment_per_year") == pytest.approx(
        east, rel=1e-9)
    assert _value(table, "flow:commissioner->east_trust", "payment_per_year") == 0
    # The ico's own trust's work for its own patients is not a payment, but a cost.
    ico_cost = _value(table, "provider:ico", "cost_per_year")
    assert ico_cost == pytest.approx(30 * 200 * 300 / YEARS + east, rel=1e-9)
    assert _value(table, "", "spend_per_1000_population_per_year") == pytest.approx(50 * 1000)
