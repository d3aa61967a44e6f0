"""Providers entering and leaving the market (``market_entry`` in the configuration).

System rows (stage ""), in MARKET_METRICS order, counted over the whole run (an entry
during the warm-up shapes the window as much as one inside it):

provider_entries
    Entrants that entered the market.
provider_exits
    Entrants that left it again.
provider_entry_day
    The day the first entrant entered (NaN: none did), to read against the warm-up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathways.log.event_log import EventLog, required

MARKET_METRICS: tuple[str, ...] = ("provider_entries", "provider_exits", "provider_entry_day")


def market_kpis(log: EventLog) -> pd.DataFrame:
    table = required(log.market, "market table")
    entered = np.asarray(table.entered, dtype=bool)
    times = np.asarray(table.time, dtype=float)
    values = [float(entered.sum()), float((~entered).sum()),
              float(times[entered].min()) if entered.any() else float("nan")]
    return pd.DataFrame({"stage": pd.Series([""] * len(MARKET_METRICS), dtype=object),
                         "metric": pd.Series(MARKET_METRICS, dtype=object),
                         "value": np.asarray(values, dtype=np.float64)})
