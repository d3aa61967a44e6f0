"""Export events in vidigi's event-log format, so a run can be animated.

vidigi (an animation library for DES event logs) expects one row per event with
``entity_id`` (older releases: ``patient``), ``event_type`` in arrival_departure /
queue / resource_use / resource_use_end, a free-text ``event`` naming the step,
``time``, a 1-based ``resource_id`` on resource rows, ``pathway`` and ``run_number``.
Works on the tidy frame of ``EventLog.to_frame()`` or a stored events.parquet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_EVENT_TYPE = {"arrive": "arrival_departure", "queue": "queue", "start": "resource_use",
               "end": "resource_use_end", "exit": "arrival_departure"}
_EVENT = {"arrive": "arrival", "exit": "depart"}
_SUFFIX = {"queue": "_wait_begins", "start": "_begins", "end": "_complete"}


def to_vidigi(events: pd.DataFrame) -> pd.DataFrame:
    """A vidigi event log; steps of stages without a resource appear as queue rows."""
    kind = events["event"].astype(str)
    uses_resource = events["resource"].notna().to_numpy()
    on_resource = kind.isin(["start", "end"]).to_numpy() & uses_resource
    stage = events["stage"].astype(object).fillna("").astype(str)
    event = np.where(kind.isin(list(_EVENT)), kind.map(_EVENT), stage + kind.map(_SUFFIX))
    event_type = np.where(kind.isin(["start", "end"]) & ~uses_resource, "queue",
                          kind.map(_EVENT_TYPE))
    resource_id = pd.array(np.where(on_resource, events["unit"].to_numpy() + 1, 0), dtype="Int64")
    resource_id[~on_resource] = pd.NA
    return pd.DataFrame({
        "entity_id": events["patient"].to_numpy(),
        "patient": events["patient"].to_numpy(),
        "pathway": events["pathway"].astype(str).to_numpy(),
        "event_type": event_type,
        "event": event,
        "time": events["time"].to_numpy(),
        "resource_id": resource_id,
        "run_number": events["replication"].to_numpy(),
    })
