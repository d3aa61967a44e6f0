"""Money: who pays whom for what, and what providers earn and spend.

Counted from the event log and its MoneyInfo (the configured prices, costs and
contracts), over the window [warmup_days, horizon_days], in pounds a year (the
window's totals over its length in years of 365 days). Money changes nothing in the
simulation: with every price at 0 every money metric is 0 and every other metric is
as before.

*Activity*: each stage started in the window at a provider's resource is one unit of
the stage's currency at its price; a spell with a trim point adds the days of the
stay past it at the excess bed-day price (a stay not over at the horizon counts to
the horizon). Who pays depends on the provider's contract and the patient's
registration: a provider on `activity` is paid each unit by the commissioner, or by
the patient's capitated organisation where their practice is registered with one; a
provider on `block` is paid its annual sum by the commissioner, whatever it does; a
provider's contract may differ by service line (elective: stages of pathways that
run an RTT clock; non-elective: the rest), and a unit is paid as its line's is; a
capitated organisation receives its capitation for every registered patient from
the commissioner and pays, at the tariff, for its patients' care at providers paid
by activity (its own providers' work for its own patients is not a payment). GP
practices that are their own organisations are paid by activity and reported
together as "practices". Fundholding practices' funds are one party, "fundholders":
the commissioner pays it the fund per registered patient of theirs, and it pays
every provider, whatever that provider's contract, per unit of its patients'
elective care (stages of pathways that run an RTT clock). A rival commissioner
(choice of commissioner) is paid its capitation for its mean share of the registered
patients over the window, and pays providers as the fundholders do for its members.
An organisation of type
`commissioner` is the commissioner itself: the services it (and what it owns)
provides are not paid for, their cost is the commissioner's spending.

*Costs*: a provider's slots offered in bookable sessions in the window at its slot
cost by kind, and its other resources' servers open in the window at their
server-day cost; a capitated organisation's payments to others are costs too.

System rows (stage ""), in MONEY_METRICS order:

spend_per_1000_population_per_year
    The commissioner's payments (activity, block sums, capitations, funds), and the
    cost of the services it provides itself less what they earn, per 1,000 registered
    patients a year.
activity_value_per_year
    All priced activity in the window at the tariff, whoever pays (block and
    capitated providers' work included): what the activity would cost paid by results.
cost_per_completed_pathway
    The tariff value of the activity on RTT pathways started in the window, per RTT
    pathway completed in the window (in a steady state, what a completed referral's
    care costs at the tariff).
budget_variance_per_year
    The commissioner's budget (budget_per_head_per_year x registered) less its
    spending, a year; positive is an underspend. NaN without a budget.

Provider rows (stage "provider:<organisation>", PROVIDER_MONEY_METRICS): income, cost
and surplus a year of every organisation that holds a resource or a budget.
Flow rows (stage "flow:<payer>-><payee>", metric "payment_per_year"): the money flow,
one row per payer that can pay (the commissioner, each capitated organisation) and
payee that can be paid, 0 where nothing was paid, so every replication has the same
rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import NONE, EventLog, MoneyInfo, required

from .calendar import capacity_days
from .grouped import overlap
from .providers import PROVIDER_PREFIX
from .rtt import RttClocks
from .visits import Visits, dense_index, dense_patients

DAYS_PER_YEAR = 365.0
COMMISSIONER = "commissioner"
FUNDHOLDERS = "fundholders"
PRACTICES = "practices"
FLOW_PREFIX = "flow:"
MONEY_METRICS: tuple[str, ...] = (
    "spend_per_1000_population_per_year",
    "activity_value_per_year",
    "cost_per_completed_pathway",
    "budget_variance_per_year",
)
PROVIDER_MONEY_METRICS: tuple[str, ...] = ("income_per_year", "cost_per_year", "surplus_per_year")


def money_kpis(log: EventLog, visits: Visits, clocks: RttClocks | None) -> pd.DataFrame:
    """The system, provider and flow rows of the money metrics (see the module)."""
    money = required(log.money, "money settings (prices, costs, contracts)")
    lo, hi = float(log.warmup_days), float(log.horizon_days)
    years = (hi - lo) / DAYS_PER_YEAR
    party, names = _parties(log, money)
    n = len(names)
    commissioner = names.index(COMMISSIONER)
    contract = np.array(money.organisation_contract, dtype=object)  # per organisation
    non_elective = np.array(money.organisation_non_elective_contract, dtype=object)

    fundholders = names.index(FUNDHOLDERS) if FUNDHOLDERS in names else NONE
    rival = NONE if log.commissioners is None else names.index(log.commissioners.rival)
    value, payee, payer, rtt = _activity(log, money, visits, party, commissioner, fundholders,
                                         rival, lo, hi)
    # The practices, one party, are all paid by activity; elective work is RTT work.
    payee_contract = np.where(rtt, _by_party(contract, party, n)[payee],
                              _by_party(non_elective, party, n)[payee])
    per_case = (payer != commissioner) & ((payer == fundholders) | (payer == rival))
    paid = (payee_contract == "activity") | ((payee_contract == "capitated") & (payer != payee)) \
        | (per_case & (payer != payee))
    flows = np.zeros((n, n))
    np.add.at(flows, (payer[paid], payee[paid]), value[paid])
    registered = _registered(log)
    block = (contract == "block") | (non_elective == "block")
    np.add.at(flows[commissioner], party[block],
              np.asarray(money.organisation_block_sum_per_year, dtype=float)[block] * years)
    capitated = contract == "capitated"
    np.add.at(flows[commissioner], party[capitated],
              money.capitation_per_head_per_year * registered[capitated] * years)
    if fundholders != NONE:
        held = sum(p.list_size for p in log.practices if p.fundholding)
        flows[commissioner, fundholders] += money.fund_per_head_per_year * held * years
    if rival != NONE:
        members = registered.sum() * _mean_share(log.commissioners, lo, hi)
        flows[commissioner, rival] += money.rival_capitation_per_head_per_year * members * years

    cost = _capacity_cost(log, money, party, n, lo, hi)
    income, paid_out = flows.sum(axis=0), flows.sum(axis=1)
    population = float(registered.sum())
    spend = paid_out[commissioner] + cost[commissioner] - income[commissioner]
    completed = np.nan if clocks is None else float(np.sum(
        (clocks.stopped >= lo) & (clocks.stopped <= hi) & ~clocks.removed))
    budget = money.budget_per_head_per_year * population * years
    system = {
        "spend_per_1000_population_per_year": _ratio(spend, years * population / 1000.0),
        "activity_value_per_year": _ratio(value.sum(), years),
        "cost_per_completed_pathway": _ratio(value[rtt].sum(), completed),
        "budget_variance_per_year": _ratio(budget - spend, years),
    }
    stages = [""] * len(MONEY_METRICS)
    metrics = list(MONEY_METRICS)
    values = [system[m] for m in MONEY_METRICS]
    shown = [p for p in range(n) if p != commissioner and (
        cost[p] > 0 or income[p] > 0 or paid_out[p] > 0 or _holds(log, party, p))]
    for p in shown:
        stages += [PROVIDER_PREFIX + names[p]] * len(PROVIDER_MONEY_METRICS)
        metrics += PROVIDER_MONEY_METRICS
        spent = cost[p] + paid_out[p]
        values += [income[p] / years, spent / years, (income[p] - spent) / years]
    payers = [commissioner] + sorted({int(p) for p in party[capitated]}) + [
        p for p in (fundholders, rival) if p != NONE]
    for a in payers:
        for b in shown:
            if a != b:
                stages.append(f"{FLOW_PREFIX}{names[a]}->{names[b]}")
                metrics.append("payment_per_year")
                values.append(flows[a, b] / years)
    return pd.DataFrame({"stage": pd.Series(stages, dtype=object),
                         "metric": pd.Series(metrics, dtype=object),
                         "value": np.asarray(values, dtype=np.float64)})


def _by_party(per_organisation: np.ndarray, party: np.ndarray, n: int) -> np.ndarray:
    """A per-organisation value per party (the commissioner's: COMMISSIONER)."""
    out = np.full(n, COMMISSIONER, dtype=object)
    out[party] = per_organisation
    return out


def _parties(log: EventLog, money: MoneyInfo) -> tuple[np.ndarray, list[str]]:
    """Each organisation's party (practices that are their own organisations are one
    party, "practices"; an organisation that is the commissioner, the commissioner's),
    and the party names: the organisations', "fundholders" (the fundholding practices'
    funds, together) where there are any, the commissioner's."""
    practice_orgs = {p.organisation for p in log.practices} if log.practices else set()
    own_practices = len(practice_orgs) == len(log.practices) > 1
    names: list[str] = []
    party = np.empty(len(log.organisations), dtype=np.int64)
    for i, name in enumerate(log.organisations):
        label = PRACTICES if own_practices and i in practice_orgs else name
        if i == money.commissioner_organisation:
            label = COMMISSIONER
        if label not in names:
            names.append(label)
        party[i] = names.index(label)
    if any(p.fundholding for p in log.practices):
        names.append(FUNDHOLDERS)
    if log.commissioners is not None:
        names.append(log.commissioners.rival)
    if COMMISSIONER not in names:
        names.append(COMMISSIONER)
    return party, names


def _activity(log: EventLog, money: MoneyInfo, v: Visits, party: np.ndarray,
              commissioner: int, fundholders: int, rival: int, lo: float, hi: float
              ) -> tuple[np.ndarray, ...]:
    """Priced visits started in the window at an organisation's resource: their value,
    payee party, payer party (for elective care, the rival commissioner of its member,
    the fundholders of a fundholding practice's patient; else the commissioner, or the
    patient's capitated organisation) and whether they are on an RTT pathway."""
    price = np.asarray(money.stage_price, dtype=float)
    trim = np.asarray(money.stage_trim_days, dtype=float)
    resource_org = np.array([r.organisation for r in log.resources] + [NONE], dtype=np.int64)
    org = resource_org[v.resource]
    keep = (v.start >= lo) & (v.start <= hi) & (org != NONE) & (
        (price[v.stage] > 0) | np.isfinite(trim[v.stage]))
    stage, start, end = v.stage[keep], v.start[keep], np.minimum(v.end[keep], hi)
    excess = np.maximum(0.0, end - start - trim[stage])
    value = price[stage] + money.excess_bed_day_price * np.where(np.isfinite(excess), excess, 0.0)
    payee = party[org[keep]]
    payers = _payers(log, money, party, commissioner)
    payer, funded, member = (a[v.patient[keep]] for a in payers)
    rtt_pathway = {s.pathway for s in log.stages if s.rtt_stop is not None}
    rtt = np.array([s.pathway in rtt_pathway for s in log.stages], dtype=bool)[stage]
    payer = np.where(funded & rtt, fundholders, payer)
    return value, payee, np.where(member & rtt, rival, payer), rtt


def _payers(log: EventLog, money: MoneyInfo, party: np.ndarray, commissioner: int
            ) -> tuple[np.ndarray, ...]:
    """Per dense patient of the log: who pays for their activity at a provider paid by
    activity (the capitated organisation their practice is registered with, else the
    commissioner), whether their practice holds a fund, and whether they are the rival
    commissioner's member."""
    n = dense_patients(log.patient)[1]
    payer, funded = np.full(n, commissioner, dtype=np.int64), np.zeros(n, dtype=bool)
    member = np.zeros(n, dtype=bool)
    if not log.practices:
        return payer, funded, member
    contract = money.organisation_contract
    practice_payer = np.array(
        [party[p.organisation] if contract[p.organisation] == "capitated" else commissioner
         for p in log.practices], dtype=np.int64)
    practice_funded = np.array([p.fundholding for p in log.practices], dtype=bool)
    ids, practices = _patient_practices(log)
    slot = dense_index(log.patient, ids)
    known = slot != NONE
    payer[slot[known]] = practice_payer[practices[known]]
    funded[slot[known]] = practice_funded[practices[known]]
    table = log.patients
    if table is not None and table.rival is not None:
        slot = dense_index(log.patient, np.asarray(table.patient, dtype=np.int64)[table.rival])
        member[slot[slot != NONE]] = True
    return payer, funded, member


def _patient_practices(log: EventLog) -> tuple[np.ndarray, np.ndarray]:
    """(patient id, practice) of every referred patient, chronic episode and population
    emergency."""
    ids, practices = [], []
    if log.patients is not None:
        ids.append(np.asarray(log.patients.patient, dtype=np.int64))
        practices.append(np.asarray(log.patients.practice, dtype=np.int64))
    if log.chronic is not None:
        table = log.chronic
        person_practice = np.asarray(table.practice, dtype=np.int64)
        ids.append(np.asarray(table.episode_patient, dtype=np.int64))
        practices.append(person_practice[np.asarray(table.episode_person, dtype=np.int64)])
    if log.emergencies is not None:
        ids.append(np.asarray(log.emergencies.patient, dtype=np.int64))
        practices.append(np.asarray(log.emergencies.practice, dtype=np.int64))
    if not ids:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(ids), np.concatenate(practices)


def _mean_share(table, lo: float, hi: float) -> float:
    """The rival's share of patients over [lo, hi], time-weighted (each recorded share
    holds until the next)."""
    held = overlap(table.time, np.append(table.time[1:], np.inf), lo, hi)
    return float(np.sum(held * table.rival_share) / (hi - lo)) if hi > lo else float("nan")


def _registered(log: EventLog) -> np.ndarray:
    """Registered patients per organisation (the practices' lists)."""
    registered = np.zeros(len(log.organisations))
    for p in log.practices:
        registered[p.organisation] += p.list_size
    return registered


def _capacity_cost(log: EventLog, money: MoneyInfo, party: np.ndarray, n: int,
                   lo: float, hi: float) -> np.ndarray:
    """Each party's cost of the capacity it offered in the window: slots of bookable
    sessions, server-days of other resources."""
    cost = np.zeros(n)
    slot_cost = np.asarray(money.resource_slot_cost, dtype=float)
    server_day_cost = np.asarray(money.resource_server_day_cost, dtype=float)
    offered = np.zeros(len(log.resources))
    if log.sessions is not None:
        t = np.asarray(log.sessions.time)
        inside = (t >= lo) & (t <= hi)
        np.add.at(offered, np.asarray(log.sessions.resource, dtype=np.int64)[inside],
                  np.asarray(log.sessions.offered, dtype=float)[inside])
    server_days = capacity_days(log, lo, hi)
    for r, resource in enumerate(log.resources):
        if resource.organisation == NONE:
            continue
        if resource.slots_per_session is not None:
            spent = offered[r] * slot_cost[r]
        else:
            spent = server_days[r] * server_day_cost[r]
        cost[party[resource.organisation]] += spent
    return cost


def _holds(log: EventLog, party: np.ndarray, p: int) -> bool:
    """True when the party holds a resource (a provider, even one that earned nothing)."""
    return any(r.organisation != NONE and party[r.organisation] == p for r in log.resources)


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den and den > 0 and np.isfinite(den) else float("nan")
