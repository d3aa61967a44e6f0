"""Where RTT time goes: the shares of completed pathways' clock time spent in each
kind of delay.

Between the provider receiving a referral and the clock stopping, a patient is always
in one of four states: in an administrative lead time (a stage's fixed ``lead_days``
before joining a list, or a stage with no resource, such as results reporting), in a
handoff delay between two organisations' or sites' contacts, in service (a contact
with a resource, from START to END), or waiting for capacity on a list (everything
else: from joining a list to being served, including rebooking after a cancellation).
The shares are of the summed clock time of all completed pathways, so they sum to 1.
"""

from __future__ import annotations

import numpy as np

from pathways.log.event_log import NONE, EventLog

from .visits import Stays, Visits, build, dense_index


def rtt_time_shares(log: EventLog, clocks, done: np.ndarray,
                    built: tuple[Visits, Stays] | None = None) -> list[float]:
    """[queue, admin, handoff, service] shares of the clock time of the completed
    pathways ``done`` (a mask over ``clocks``); NaNs when there are none. ``built``:
    ``build(log)`` where the caller has it already."""
    received, stopped = clocks.referred[done], clocks.stopped[done]
    total = float(np.sum(stopped - received))
    if not total > 0:
        return [np.nan] * 4
    visits, stays = build(log) if built is None else built
    dense = dense_index(log.patient, clocks.patient[done])
    clock_of = np.full(len(stays), -1, dtype=np.int64)  # dense patient -> its clock
    clock_of[dense[dense >= 0]] = np.flatnonzero(dense >= 0)
    c = clock_of[visits.patient]
    mine = c >= 0
    c_safe = np.where(mine, c, 0)
    inside = mine & (visits.queue >= received[c_safe]) & (visits.start <= stopped[c_safe])
    served = inside & (visits.end <= stopped[c_safe])
    duration = np.zeros(len(served))
    duration[served] = visits.end[served] - visits.start[served]
    has_resource = visits.resource != NONE
    lead = np.array([s.lead_days for s in log.stages])[visits.stage]
    service = float(np.sum(duration[has_resource]))
    admin = float(np.sum(lead[inside & has_resource]) + np.sum(duration[~has_resource]))
    handoff = _handoff_days(log, clocks.patient[done], received, stopped)
    queue = total - service - admin - handoff
    return [queue / total, admin / total, handoff / total, service / total]


def _handoff_days(log: EventLog, patients: np.ndarray, received: np.ndarray,
                  stopped: np.ndarray) -> float:
    """Handoff and transfer delays that start inside each patient's clock."""
    handoffs = log.handoffs
    if handoffs is None or not len(handoffs.patient):
        return 0.0
    order = np.argsort(patients, kind="stable")
    sorted_ids = patients[order]
    at = np.minimum(np.searchsorted(sorted_ids, handoffs.patient), len(sorted_ids) - 1)
    known = sorted_ids[at] == handoffs.patient
    clock = order[at]
    inside = known & (handoffs.time >= received[clock]) & (handoffs.time < stopped[clock])
    return float(np.sum(handoffs.delay_days[inside]))
