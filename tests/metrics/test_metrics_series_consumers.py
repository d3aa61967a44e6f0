"""What reads ``timeseries(log)`` keeps working now that ``waiting_list`` is the RTT
list per provider: the report's warm-up check and its figure use it where there are
RTT clocks and fall back to the resources' own lists (``resource_queue``) where there
are none (a plain network)."""

from dataclasses import replace
from pathlib import Path

import pandas as pd
from metrics_logbuilder import make_log, patient_rows

from pathways.metrics import timeseries
from pathways.report.figures import time_series
from pathways.report.load import Results
from pathways.report.provenance import warmup_findings

# One desk; patient k arrives on day 3k and is served 10 days later, for 20 weeks.
ROWS = [row for k in range(45)
        for row in patient_rows(k, 3.0 * k, [(0, 3.0 * k, 3.0 * k + 10, 3.0 * k + 11)],
                                3.0 * k + 11)]


def _results(log) -> Results:
    series = timeseries(log).assign(point=0, scenario="m", replication=0)
    return Results(Path("."), "run", {"warmup_days": 14.0, "horizon_days": 140.0},
                   pd.DataFrame(columns=["point", "scenario", "stage", "metric"]), ("m",),
                   None, timeseries=series)


def _log(rtt: bool):
    log = make_log(ROWS, [("p.desk", 0)], [("desk", 1)], horizon=140.0, warmup=14.0)
    if rtt:
        log = replace(log, stages=(replace(log.stages[0], rtt_stop="non_admitted"),))
    return log


def test_the_warm_up_check_runs_on_either_list():
    for rtt in (False, True):
        findings, _ = warmup_findings(_results(_log(rtt)))
        assert [f.where for f in findings] == ["m"], rtt


def test_the_figure_plots_the_rtt_list_or_else_the_resource_queues():
    no_rtt = time_series(_results(_log(False))).figure
    assert no_rtt.layout.annotations[0].text.startswith("Waiting on resource lists")
    assert time_series(_results(_log(True))).figure.layout.annotations[0].text.startswith(
        "Waiting list (patients, all providers)")
