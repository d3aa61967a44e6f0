"""The event log's own helpers: stacking replications, and the tables only a health
economy records, asked for by name."""

import numpy as np
import pytest

from pathways.log.event_log import (
    ARRIVE,
    COLUMNS,
    EXIT,
    NONE,
    EventLog,
    HandoffTable,
    StageInfo,
    concat_logs,
    handoffs_frame,
    patients_frame,
    required,
)


def one_patient_log(replication: int) -> EventLog:
    """Patient 1 arrives on day 1 and leaves on day 2: two rows, no stage."""
    return EventLog(
        patient=np.array([1, 1], np.int64), pathway=np.zeros(2, np.int16),
        stage=np.full(2, NONE, np.int16), resource=np.full(2, NONE, np.int16),
        unit=np.full(2, NONE, np.int32), event=np.array([ARRIVE, EXIT], np.int8),
        time=np.array([1.0, 2.0]), replication=np.full(2, replication, np.int32),
        pathways=("p",), stages=(StageInfo("p.s", 0, NONE),), resources=(),
        horizon_days=10.0, warmup_days=0.5, scenario="model")


def test_concat_logs_stacks_every_column_and_keeps_the_first_logs_facts():
    first, second = one_patient_log(0), one_patient_log(1)
    both = concat_logs([first, second])
    assert both.replication.tolist() == [0, 0, 1, 1]
    for name in set(COLUMNS) - {"replication"}:
        assert both.column(name).tolist() == first.column(name).tolist() * 2, name
    assert (both.pathways, both.stages, both.horizon_days, both.warmup_days, both.scenario) == (
        ("p",), first.stages, 10.0, 0.5, "model")


def test_concat_logs_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no event logs to concatenate"):
        concat_logs([])


def test_a_health_economys_table_is_asked_for_by_name():
    log = one_patient_log(0)
    with pytest.raises(ValueError, match="the event log has no patient table"):
        patients_frame(log)
    with pytest.raises(ValueError, match="the event log has no handoff table"):
        handoffs_frame(log)
    table = HandoffTable(*(np.zeros(0) for _ in range(9)))
    assert required(table, "handoff table") is table
