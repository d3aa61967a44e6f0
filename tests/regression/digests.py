"""Digests of results, to show a refactor changed no number.

``pd.util.hash_pandas_object`` hashes values, not memory layout, so the same numbers
in the same order give the same digest on any machine with the same library versions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

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
