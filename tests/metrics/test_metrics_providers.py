"""Per-provider RTT rows and the waiting_list / resource_queue series, on a hand-built
health economy whose answers are worked out by hand in the comments: a patient first
seen by one trust and treated by another, one moved away from the trust they were
referred to, one not yet seen, one whose referral reached the provider late, and one
removed from a list untreated."""

from dataclasses import replace

import numpy as np
import pytest
from metrics_logbuilder import make_log, patient_rows, values, with_economy

from pathways.log.event_log import ARRIVE, QUEUE, START, RemovalTable, SiteInfo
from pathways.metrics import (
    PROVIDER_METRICS,
    chronic_kpis,
    equity_kpis,
    kpis,
    provider_kpis,
    rtt_kpis,
    timeseries,
)

WEEK = 7.0
FIRST_A, FIRST_B, SURGERY_B, TREAT_A, TREAT_B = range(5)
STAGES = [("p.first_a", 0), ("p.first_b", 1), ("p.surgery_b", 2), ("p.treat_a", 0),
          ("p.treat_b", 1)]
STOPS = (None, None, "admitted", "non_admitted", "non_admitted")
RESOURCES = [("a_clinic", 1), ("b_clinic", 1), ("b_theatre", 1), ("c_clinic", 1)]
ORGANISATIONS = ("trust_a", "trust_b", "gp_org", "trust_c")
TRUST_A, TRUST_B, GP, TRUST_C = range(4)
SITE_A, SITE_B = 0, 1
SITES = (SiteInfo("a_site", TRUST_A, 0.0, 0.0), SiteInfo("b_site", TRUST_B, 5.0, 0.0),
         SiteInfo("gp_site", GP, 1.0, 1.0), SiteInfo("c_site", TRUST_C, 9.0, 9.0))

# Window [7, 35]: snapshots at 7, 14, 21, 28, 35 (timeseries: also at 0). One pathway
# with RTT clocks; a_clinic is trust_a's, b_clinic and b_theatre trust_b's, c_clinic
# trust_c's (no patient ever goes there: trust_c gets no rows).
#   P1 referred to a_site: arrives 0, first_a 0-7-8 (a_clinic), surgery_b 8-21-22
#      (trust_b's theatre), exits 22. Clock 0..21, admitted, 21 days = 3 weeks. First
#      seen by trust_a: trust_a's, although trust_b treated them.
#   P2 referred to b_site, but first seen at a_clinic (moved to trust_a's list):
#      arrives 2, first_a 2-16-17, treat_a 17-30-30.5, exits 30.5. Clock 2..30,
#      non-admitted, 28 days = 4 weeks. trust_a's (first START), not trust_b's.
#   P3 referred to b_site: arrives 5, first_b 5-12-13, treat_b 13-19-19.5, exits 19.5.
#      Clock 5..19, non-admitted, 14 days = 2 weeks. trust_b's.
#   P4 referred to b_site: arrives 10; the referral's transfer to trust_b takes 5 days
#      (a handoff at 10), so the clock starts at 15; never seen by the horizon (no
#      QUEUE row either). Clock 15..running: trust_b's, by the site referred to.
#   P5 referred to a_site: arrives 3, removed from a_clinic's list untreated at 15
#      (removal row, EXIT at 15; like the engine, no QUEUE row). Clock 3..15, removed:
#      not completed. trust_a's (by the site referred to).
#   P6 referred to b_site: arrives 6, first_b 6-8-9, treat_b 9-34-34.5, exits 34.5.
#      Clock 6..34, non-admitted, 28 days = 4 weeks. trust_b's.
ROWS = (
    patient_rows(1, 0, [(FIRST_A, 0, 7, 8), (SURGERY_B, 8, 21, 22)], 22)
    + patient_rows(2, 2, [(FIRST_A, 2, 16, 17), (TREAT_A, 17, 30, 30.5)], 30.5)
    + patient_rows(3, 5, [(FIRST_B, 5, 12, 13), (TREAT_B, 13, 19, 19.5)], 19.5)
    + patient_rows(4, 10, [])
    + patient_rows(5, 3, [], 15)
    + patient_rows(6, 6, [(FIRST_B, 6, 8, 9), (TREAT_B, 9, 34, 34.5)], 34.5)
)
REFERRED_SITE = {1: SITE_A, 2: SITE_B, 3: SITE_B, 4: SITE_B, 5: SITE_A, 6: SITE_B}

# Clocks running (received at or before t, not stopped at or before t) at each snapshot:
#   t       0   7   14  21  28  35
#   trust_a P1  P1  P1  P2  P2  -      (P5 until 15, P1 until 21, P2 until 30)
#           P2  P2
#           P5  P5
#   trust_b -   P3  P3  P4  P4  P4     (P4 from 15, P3 until 19, P6 until 34)
#               P6  P6  P6  P6
A_LIST = [1, 3, 3, 1, 1, 0]
B_LIST = [0, 2, 2, 2, 2, 1]
# Time waited so far by those (days), medians per snapshot in the window:
#   trust_a: t=7 {7, 5, 4} -> 5; 14 {14, 12, 11} -> 12; 21 {19} -> 19; 28 {26} -> 26;
#            35: empty, skipped. Mean (5 + 12 + 19 + 26) / 4 = 15.5 days.
#   trust_b: t=7 {2, 1} -> 1.5; 14 {9, 8} -> 8.5; 21 {6, 15} -> 10.5; 28 {13, 22} ->
#            17.5; 35 {20} -> 20. Mean 58 / 5 = 11.6 days.
# Completed in the window (removals are not): trust_a admitted {21}, non-admitted {28};
# trust_b admitted none, non-admitted {14, 28}: median 21 days, 95th percentile
# 14 + 0.95 x 14 = 27.3 days.
EXPECTED = {
    "trust_a": {
        "rtt_admitted_median_weeks": 21 / WEEK,
        "rtt_admitted_p95_weeks": 21 / WEEK,
        "rtt_non_admitted_median_weeks": 28 / WEEK,
        "rtt_non_admitted_p95_weeks": 28 / WEEK,
        "rtt_incomplete_median_weeks": 15.5 / WEEK,
        "rtt_waiting_list_mean": (3 + 3 + 1 + 1 + 0) / 5,
    },
    "trust_b": {
        "rtt_admitted_median_weeks": np.nan,
        "rtt_admitted_p95_weeks": np.nan,
        "rtt_non_admitted_median_weeks": 21 / WEEK,
        "rtt_non_admitted_p95_weeks": 27.3 / WEEK,
        "rtt_incomplete_median_weeks": 11.6 / WEEK,
        "rtt_waiting_list_mean": (2 + 2 + 2 + 2 + 1) / 5,
    },
}


def economy_log(rtt=True, patients=True):
    log = make_log(ROWS, STAGES, RESOURCES, horizon=35.0, warmup=7.0)
    log = with_economy(
        log, ORGANISATIONS, [("P1", 1, GP)], (TRUST_A, TRUST_B, TRUST_B, TRUST_C),
        patients=[(p, 0, 1.0) for p in REFERRED_SITE] if patients else None,
        # P4's referral: practice -> trust_b, 5 days, at the moment of referral
        handoffs=[(4, 10.0, GP, TRUST_B, 5.0, False, False, FIRST_B)])
    stages = tuple(replace(s, rtt_stop=k if rtt else None)
                   for s, k in zip(log.stages, STOPS, strict=False))
    table = log.patients
    if table is not None:
        table = replace(table, referred_site=np.array(
            [REFERRED_SITE[p] for p in table.patient.tolist()], dtype=np.int32))
    removals = RemovalTable(patient=np.array([5], dtype=np.int64), time=np.array([15.0]),
                            stage=np.array([FIRST_A], dtype=np.int16),
                            resource=np.array([0], dtype=np.int16))
    return replace(log, stages=stages, sites=SITES, patients=table, removals=removals)


def _series(frame, name):
    """{level: values in time order} of one series."""
    rows = frame[frame["series"] == name]
    return {level: part.sort_values("time_days")["value"].tolist()
            for level, part in rows.groupby("level", sort=False)}


def test_provider_rows_by_hand():
    frame = provider_kpis(economy_log())
    # first-seen providers only, in the log's organisation order: no gp_org, no trust_c
    assert list(dict.fromkeys(frame["stage"])) == ["provider:trust_a", "provider:trust_b"]
    assert frame["metric"].tolist() == list(PROVIDER_METRICS) * 2
    got = values(frame)
    for provider, expected in EXPECTED.items():
        for metric, value in expected.items():
            assert got[("provider:" + provider, metric)] == pytest.approx(
                value, nan_ok=True), (provider, metric)


def test_provider_lists_add_up_to_the_system_list():
    log = economy_log()
    system = values(rtt_kpis(log))[("", "rtt_waiting_list_mean")]
    got = values(provider_kpis(log))
    assert system == pytest.approx(17 / 5)  # (5 + 5 + 3 + 3 + 1) / 5
    assert got[("provider:trust_a", "rtt_waiting_list_mean")] + got[
        ("provider:trust_b", "rtt_waiting_list_mean")] == pytest.approx(system)


def test_kpis_give_provider_rows_after_equity_and_only_in_an_economy_with_rtt():
    log = economy_log()
    frame = kpis(log)
    rows = frame[frame["stage"].str.startswith("provider:")]
    assert rows.reset_index(drop=True).equals(provider_kpis(log))
    # right after the equity rows, at the end here (no chronic table)
    equity = equity_kpis(log)
    start = rows.index[0]
    assert frame.iloc[start - len(equity):start].reset_index(drop=True).equals(equity)
    assert rows.index[-1] == len(frame) - 1
    for other in (economy_log(patients=False), economy_log(rtt=False)):
        assert not kpis(other)["stage"].str.startswith("provider:").any()


def test_chronic_rows_stay_last():
    from metrics_logbuilder import with_chronic
    log = with_chronic(economy_log(), cancellations=[(3, 12.0, TREAT_B, 1)])
    frame = kpis(log)
    tail = chronic_kpis(log)
    assert frame.iloc[len(frame) - len(tail):].reset_index(drop=True).equals(tail)
    assert frame["stage"].str.startswith("provider:").sum() == 2 * len(PROVIDER_METRICS)


def test_waiting_list_series_counts_rtt_clocks_per_provider():
    series = timeseries(economy_log())
    assert sorted(set(series["series"])) == [
        "choice_share", "occupancy", "resource_queue", "rtt_incomplete",
        "rtt_incomplete_within_18_weeks_share", "waiting_list"]
    times = sorted(set(series.loc[series["series"] == "waiting_list", "time_days"]))
    assert times == [0.0, 7.0, 14.0, 21.0, 28.0, 35.0]
    assert _series(series, "waiting_list") == {"trust_a": A_LIST, "trust_b": B_LIST}
    # the levels add up to the whole list, the system's own series
    assert _series(series, "rtt_incomplete") == {
        "": [a + b for a, b in zip(A_LIST, B_LIST, strict=False)]}


def test_resource_queue_series_counts_each_resource_list():
    # joined (QUEUE) and not started (START) at t:
    #   a_clinic: P1 0-7, P2 2-16, P2 17-30 -> 1 at 0 (P1), 7 (P2), 14, 21, 28; 0 at 35
    #   b_clinic: P3 5-12 and 13-19, P6 6-8 and 9-34 -> 2 at 7 and 14, 1 at 21 and 28
    #   b_theatre: P1 8-21 -> 1 at 14 only; c_clinic: nobody. P5, removed from a_clinic's
    #   list, has no QUEUE row (as in the engine's log), so it is in no resource queue.
    assert _series(timeseries(economy_log()), "resource_queue") == {
        "a_clinic": [1, 1, 1, 1, 1, 0], "b_clinic": [0, 2, 2, 1, 1, 0],
        "b_theatre": [0, 0, 1, 0, 0, 0], "c_clinic": [0, 0, 0, 0, 0, 0]}


def test_without_rtt_clocks_there_is_no_waiting_list_series():
    series = timeseries(economy_log(rtt=False))
    assert set(series["series"]) == {"choice_share", "occupancy", "resource_queue"}


# A plain network (no patient table) with RTT clocks: desk and room are providers of
# their own (no organisation holds them). Window [0, 14], snapshots 0, 7, 14.
#   Q1: arrives 0, first at desk 0-3-4, treated in the room 4-10: clock 0..10; desk's
#       (first START), not room's.
#   Q2: arrives 1, waiting for the desk at the horizon (QUEUE at 1, no START): desk's,
#       by the list it joined.
#   Q3: arrives 2, nothing else logged: no provider, level "(none)".
#   running: t=0 {Q1}; 7 {Q1, Q2, Q3}; 14 {Q2, Q3}. desk [1, 2, 1], (none) [0, 1, 1].
def test_plain_network_providers_are_resources_and_the_rest_is_none():
    rows = (patient_rows(1, 0, [(0, 0, 3, 4), (1, 4, 10, 11)], 11)
            + [(2, None, ARRIVE, 1.0), (2, 0, QUEUE, 1.0), (3, None, ARRIVE, 2.0)])
    log = make_log(rows, [("p.first", 0), ("p.treat", 1)], [("desk", 1), ("room", 1)],
                   horizon=14.0)
    log = replace(log, stages=(log.stages[0], replace(log.stages[1], rtt_stop="non_admitted")))
    series = timeseries(log)
    assert _series(series, "waiting_list") == {"desk": [1, 2, 1], "(none)": [0, 1, 1]}
    assert _series(series, "rtt_incomplete") == {"": [1, 3, 2]}
    assert not kpis(log)["stage"].str.startswith("provider:").any()
    assert START not in log.event[log.patient == 2]
