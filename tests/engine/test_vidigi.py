"""Export to vidigi's event-log format."""

from pathways.engine import simulate_replication
from pathways.log.vidigi import to_vidigi
from tests.engine.test_simulation import CLINIC


def test_vidigi_columns_and_event_types(model_from_yaml):
    log = simulate_replication(model_from_yaml(CLINIC), 1, 0)
    frame = to_vidigi(log.to_frame())
    assert list(frame.columns) == ["entity_id", "patient", "pathway", "event_type", "event",
                                   "time", "resource_id", "run_number"]
    assert set(frame.event_type) == {"arrival_departure", "queue", "resource_use",
                                     "resource_use_end"}
    arrivals = frame[frame.event == "arrival"]
    assert (arrivals.event_type == "arrival_departure").all()
    use = frame[frame.event_type == "resource_use"]
    assert use.resource_id.notna().all() and set(use.resource_id.astype(int)) == {1, 2}
    assert set(use.event) == {"visit.see_begins"}
    assert frame[frame.event_type == "queue"].resource_id.isna().all()
    assert "visit.test_begins" in set(frame[frame.event_type == "queue"].event)
