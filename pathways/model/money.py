"""Money compiled into arrays: the price of a start of each stage, the cost of each
resource's capacity, the contract of each organisation by service line. The engine
only carries these facts into the event log (``pathways.log.event_log.MoneyInfo``,
built from this mapping); money is counted from the log by ``pathways.metrics.money``."""

from __future__ import annotations

import math
from typing import Any

from pathways.config.derived import contract_of, paying_body, run_by_commissioner
from pathways.config.schema import SERVICE_LINES, Config


def compile_money(config: Config, stage_names: list[str], resource_kinds: list[str],
                  organisations: list[str]) -> dict[str, Any] | None:
    """The fields of the log's MoneyInfo, or None when the config has no money.
    ``stage_names`` "pathway.stage" in model order (a repeat test, unpriced, after the
    configured stages), ``resource_kinds`` per model resource ("" for none),
    ``organisations`` in the economy's order (practices that are their own
    organisations last: paid by activity)."""
    money = config.money
    if money is None:
        return None
    currencies = {f"{p}.{s}": stage.currency for p, pathway in config.pathways.items()
                  for s, stage in pathway.stages.items()}
    prices = [None if (currency := currencies.get(name)) is None else money.price_of(currency)
              for name in stage_names]
    contracts, block_sums = [], []
    for name in organisations:
        if name in config.organisations:
            lines = tuple(contract_of(config, name, line)[0] for line in SERVICE_LINES)
            body = paying_body(config, name)
        else:
            lines, body = ("activity",) * len(SERVICE_LINES), name
        contracts.append(lines)
        # An owned provider's block sum is its owner's: paid once, to the owner.
        block_sums.append(config.contracts.block_sums_per_year.get(body, 0.0)
                          if "block" in lines and body == name else 0.0)
    return {
        "tariff": money.tariff,
        "stage_price": tuple(0.0 if p is None else p.price for p in prices),
        "stage_trim_days": tuple(math.inf if p is None or p.trim_point_days is None
                                 else p.trim_point_days for p in prices),
        "excess_bed_day_price": money.excess_bed_day_price,
        "resource_slot_cost": tuple(money.slot_cost_by_kind.get(k, 0.0) for k in resource_kinds),
        "resource_server_day_cost": tuple(money.server_day_cost_by_kind.get(k, 0.0)
                                          for k in resource_kinds),
        "organisation_contract": tuple(lines[0] for lines in contracts),
        "organisation_non_elective_contract": tuple(lines[1] for lines in contracts),
        "organisation_block_sum_per_year": tuple(block_sums),
        "capitation_per_head_per_year": _or_nan(money.capitation_per_head_per_year),
        "budget_per_head_per_year": _or_nan(money.budget_per_head_per_year),
        "commissioner_organisation": next(
            (i for i, name in enumerate(organisations) if name in config.organisations
             and name == paying_body(config, name) and run_by_commissioner(config, name)), -1),
        "rival_capitation_per_head_per_year": _or_nan(
            config.commissioner_choice.capitation_per_head_per_year),
        "fund_per_head_per_year": _or_nan(config.fundholding.fund_per_head_per_year),
    }


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else value
