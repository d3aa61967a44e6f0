"""Turn the engine's flat records into the columnar, time-sorted event log.

The engine appends a few numbers per happening to flat lists (cheap in the hot
loop); here numpy turns them into rows. Each record carries a global sequence
number; rows are sorted by time and, at the same instant, by it, so rows at one
instant keep their true order. (A slot booked at a session's start is logged then,
with the later time of its slot.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pathways.log.event_log import ARRIVE, END, EXIT, NONE, QUEUE, START, EventLog


class Flat(list):
    """A flat record list that moves what it holds into float64 blocks now and then
    (``pack``): in a list each number is a Python object of 24 bytes and a pointer of 8;
    in a block, 8 bytes. A million registered patients log about four million rows, so
    this is most of a replication's memory, and objects that are never touched again
    would otherwise be scattered among those the engine is working on."""

    __slots__ = ("blocks",)

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[np.ndarray] = []

    def pack(self, at_least: int) -> None:
        """Move the numbers into a block, if there are ``at_least`` of them."""
        if len(self) >= at_least:
            self.blocks.append(np.fromiter(self, np.float64, len(self)))
            self.clear()


@dataclass
class Records:
    """Flat lists the engine fills; the field widths are fixed by the comments."""

    # patient, stage, resource, unit, joined, queue seq, time, seq
    started: Flat = field(default_factory=Flat)
    ended: Flat = field(default_factory=Flat)  # patient, stage, resource, unit, time, seq
    waiting: Flat = field(default_factory=Flat)  # patient, stage, resource, joined, queue seq
    arrived: Flat = field(default_factory=Flat)  # patient, pathway, time, seq
    exited: Flat = field(default_factory=Flat)  # patient, pathway, time, seq
    cancelled: Flat = field(default_factory=Flat)  # patient, time, stage, resource
    held: Flat = field(default_factory=Flat)  # patient, stage, resource, ready, released
    removed: Flat = field(default_factory=Flat)  # patient, time, stage, resource
    missed: Flat = field(default_factory=Flat)  # patient, time, stage, resource (did not attend)
    sessions: Flat = field(default_factory=Flat)  # resource, time, offered, booked, extra share

    def flats(self) -> list[Flat]:
        return [getattr(self, name) for name in self.__dataclass_fields__]


def record_columns(records: list, width: int) -> list[np.ndarray]:
    """Flat records of ``width`` fields as contiguous float64 columns (ids exact below
    2**53): every table the engine fills is a flat list (or a Flat, with its blocks)
    turned into columns here."""
    flat = np.fromiter(records, np.float64, len(records))
    blocks = getattr(records, "blocks", None)
    if blocks:
        flat = np.concatenate([*blocks, flat])
    return list(flat.reshape(-1, width).T.copy())  # each column contiguous


def _rows(patient, event: int, time, seq, *, stage=None, pathway=None, resource=None,
          unit=None) -> dict:
    n = len(time)
    none = np.full(n, NONE, np.int64)
    return {
        "patient": patient, "event": np.full(n, event, np.int8), "time": time, "seq": seq,
        "stage": none if stage is None else stage, "pathway": pathway,
        "resource": none if resource is None else resource,
        "unit": none if unit is None else unit,
    }


def assemble_event_log(records: Records, *, stage_pathway: np.ndarray, replication: int,
                       **meta) -> EventLog:
    """Build an EventLog from one replication's records."""
    (s_patient, s_stage, s_resource, s_unit, joined, queue_seq, started,
     start_seq) = record_columns(records.started, 8)
    e_patient, e_stage, e_resource, e_unit, ended, end_seq = record_columns(records.ended, 6)
    w_patient, w_stage, w_resource, w_joined, w_seq = record_columns(records.waiting, 5)
    a_patient, a_pathway, arrived, arrive_seq = record_columns(records.arrived, 4)
    x_patient, x_pathway, exited, exit_seq = record_columns(records.exited, 4)
    parts = [
        _rows(a_patient, ARRIVE, arrived, arrive_seq, pathway=a_pathway),
        _rows(s_patient, QUEUE, joined, queue_seq, stage=s_stage, resource=s_resource),
        _rows(w_patient, QUEUE, w_joined, w_seq, stage=w_stage, resource=w_resource),
        _rows(s_patient, START, started, start_seq, stage=s_stage, resource=s_resource,
              unit=s_unit),
        _rows(e_patient, END, ended, end_seq, stage=e_stage, resource=e_resource, unit=e_unit),
        _rows(x_patient, EXIT, exited, exit_seq, pathway=x_pathway),
    ]
    def column(name: str, dtype: type) -> np.ndarray:
        return np.concatenate([part[name] for part in parts], dtype=dtype, casting="unsafe")

    time = column("time", np.float64)
    # Rows by time, and at one instant in the order they happened (booked slots are
    # logged ahead of their time): a stable sort by sequence number, then by time.
    by_seq = np.argsort(column("seq", np.float64), kind="stable")
    sort = by_seq[np.argsort(time[by_seq], kind="stable")]
    pathway = np.concatenate([
        stage_pathway[part["stage"].astype(np.int64)] if part["pathway"] is None
        else part["pathway"] for part in parts
    ]).astype(np.int16)
    return EventLog(
        patient=column("patient", np.int64)[sort],
        pathway=pathway[sort],
        stage=column("stage", np.int16)[sort],
        resource=column("resource", np.int16)[sort],
        unit=column("unit", np.int32)[sort],
        event=column("event", np.int8)[sort],
        time=time[sort],
        replication=np.full(len(sort), replication, np.int32),
        **meta,
    )
