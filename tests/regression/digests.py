"""Digests of results, to show a refactor changed no number.

``pd.util.hash_pandas_object`` hashes values, not memory layout, so the same numbers
in the same order give the same digest on any machine with the same library versions.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable

import numpy as np
import pandas as pd


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's column names, dtypes and values, row order included."""
    h = hashlib.sha256()
    for name in frame.columns:
        h.update(f"{name}:{frame[name].dtype}".encode())
    h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()


def digests(frames: Iterable[tuple[str, pd.DataFrame]]) -> dict[str, str]:
    return {name: frame_digest(frame) for name, frame in frames}


def log_digest(value: object) -> str:
    """SHA-256 of everything an event log holds: every column, every table the engine
    fills beside it (handoffs, sessions, chronic episodes...) and the name tables, each
    array with its dtype and shape, in field order."""
    h = hashlib.sha256()
    _update(h, value)
    return h.hexdigest()


def _update(h: hashlib._Hash, value: object) -> None:
    if isinstance(value, np.ndarray):
        h.update(f"array:{value.dtype}:{value.shape}".encode())
        h.update(np.ascontiguousarray(value).tobytes())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(type(value).__name__.encode())
        for field in dataclasses.fields(value):
            h.update(field.name.encode())
            _update(h, getattr(value, field.name))
    elif isinstance(value, tuple | list):
        h.update(f"seq:{len(value)}".encode())
        for item in value:
            _update(h, item)
    elif isinstance(value, dict):
        h.update(f"dict:{len(value)}".encode())
        for key in sorted(value, key=repr):
            h.update(repr(key).encode())
            _update(h, value[key])
    else:
        h.update(f"{type(value).__name__}:{value!r}".encode())
