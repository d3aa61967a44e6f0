"""Where patients were sent: travel and how many passed their nearest provider.

Patients referred inside [warmup, horizon] count. `bypassed_nearest_share` is the
share referred to a site other than the nearest one offering their pathway (the
published figure is about 40%, Beckert et al. 2012); `distance_km_mean` is the mean
distance from their practice to the site they were referred to.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import ARRIVE, EventLog, required

ALLOCATION_METRICS = ("bypassed_nearest_share", "distance_km_mean")


def referred_in_window(log: EventLog) -> np.ndarray:
    """Per row of the patient table: referred (ARRIVE) inside [warmup, horizon]."""
    arrive = log.event == ARRIVE
    referred = log.patient[arrive][(log.time[arrive] >= log.warmup_days)
                                   & (log.time[arrive] <= log.horizon_days)]
    return np.isin(required(log.patients, "patient table").patient, referred)


def allocation_kpis(log: EventLog) -> pd.DataFrame:
    """System rows (stage "") in ALLOCATION_METRICS order; none without a patient table."""
    table = log.patients
    if table is None or table.nearest_site is None:
        return pd.DataFrame({"stage": pd.Series([], dtype=object),
                             "metric": pd.Series([], dtype=object), "value": []})
    counted = referred_in_window(log)
    with np.errstate(invalid="ignore"):
        values = [
            np.mean(table.referred_site[counted] != table.nearest_site[counted])
            if counted.any() else np.nan,
            np.mean(table.distance_km[counted]) if counted.any() else np.nan,
        ]
    return pd.DataFrame({"stage": pd.Series([""] * len(values), dtype=object),
                         "metric": pd.Series(ALLOCATION_METRICS, dtype=object),
                         "value": np.asarray(values, dtype=np.float64)})
