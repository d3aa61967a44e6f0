"""Metrics: pure functions from one replication's EventLog to KPIs.

``kpis(log)`` returns a long DataFrame with columns ``stage``, ``metric``, ``value``:
one row per (level, metric). Levels, in this order:

* the whole system: ``stage == ""``;
* each stage, in the log's stage order: ``stage == StageInfo.name`` (e.g. "clinic.consult");
* each resource, in the log's resource order: ``stage == "resource:" + ResourceInfo.name``.

Metrics appear in the order of ``METRICS``; a level gets only the metrics that apply
to it (the system has no ``sojourn_mean``; stages and resources have no
``time_in_system_*``; a stage without a resource has no ``utilisation``). Where a
metric has no data (say, no visit was queued in the window) its value is NaN.

Everything is measured over the window [warmup_days, horizon_days]; the warm-up is
removed everywhere. "In the window" means warmup_days <= t <= horizon_days. Times are
in days. A *visit* is one patient's pass through one stage (QUEUE, START, END); a
stage-or-resource metric uses the visits of that stage, or of all stages served by
that resource. Events after the horizon are not in the log, so a visit may lack its
START or END and a patient may lack an EXIT.

Metrics (system level / stage and resource level):

arrivals_per_day
    System: patients arriving (ARRIVE) in the window, per day of window.
    Stage/resource: visits joining the queue (QUEUE) in the window, per day.
throughput_per_day
    System: patients leaving (EXIT) in the window, per day.
    Stage/resource: services finishing (END) in the window, per day.
wait_mean, wait_median, wait_p90, wait_p95
    Stage/resource: mean, median, 90th and 95th percentile of the wait in the queue
    (START - QUEUE) of visits that joined the queue in the window and started before
    the horizon (visits still waiting at the horizon are left out, so waits are
    under-stated when queues are long at the horizon).
    System: the same statistics of each patient's total queueing time over all their
    visits, for patients who arrived in the window and left before the horizon.
    Percentiles use numpy's default (linear interpolation) definition.
sojourn_mean
    Stage/resource only: mean time from joining the queue to the end of service
    (END - QUEUE) of visits that joined in the window and ended before the horizon.
time_in_system_mean, time_in_system_median, time_in_system_p95
    System only: mean, median and 95th percentile of EXIT - ARRIVE for patients who
    arrived in the window and left before the horizon.
queue_length_mean
    Time-average number of patients waiting (queued, not yet started) over the window.
    Patients already waiting at warmup_days count from warmup_days on; those still
    waiting at the horizon count up to the horizon. System: total over all stages.
number_present_mean
    Time-average number of patients present over the window: stage/resource from QUEUE
    to END (waiting or being served); system from ARRIVE to EXIT. Same windowing.
    With Little's law, number_present_mean = arrival rate x mean sojourn when the
    window covers the whole run and everyone has left.
utilisation
    Busy server-time inside the window (service intervals START..END clipped to the
    window; a service still running at the horizon counts up to the horizon) divided
    by the capacity-time available inside the window: capacity x the time the
    resource's weekly calendar is open inside the window (the whole window length for
    an always-open resource). Resource: its own services. Stage: the stage's own
    services over its resource's capacity-time, so the stages sharing a resource add
    up to the resource's figure. System: all resources pooled (total busy time over
    total capacity-time). Busy time outside opening hours (a service running past
    closing) still counts, so a calendar resource can exceed 1. NaN where there is
    no capacity-time.

Helpers: ``open_time_days(open_intervals, start, end)`` (how long a weekly calendar is
open within [start, end]); ``build_visits(log)`` (visits and stays, one row each).
"""

from .calendar import open_time_days
from .kpis import METRICS, RESOURCE_PREFIX, SYSTEM_METRICS, VISIT_METRICS, kpis
from .visits import Stays, Visits
from .visits import build as build_visits

__all__ = [
    "METRICS",
    "RESOURCE_PREFIX",
    "SYSTEM_METRICS",
    "VISIT_METRICS",
    "Stays",
    "Visits",
    "build_visits",
    "kpis",
    "open_time_days",
]
