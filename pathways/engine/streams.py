"""Random streams: one per replication and purpose, keyed by name.

Each stream is a numpy Generator from ``SeedSequence(seed, spawn_key=(replication,
key))`` where ``key`` is a stable hash of the purpose and the element's name (a stage,
an arrival stream). Keying by name rather than position means that adding a stage
to a model does not shift the random numbers of any other stage, so the same
patients arrive in every scenario of a replication (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(purpose: str, name: str) -> int:
    """A stable 32-bit key for a purpose and a name (CRC-32: same on every platform)."""
    return zlib.crc32(f"{purpose}:{name}".encode())


def stream(seed: int, replication: int, purpose: str, name: str) -> np.random.Generator:
    """The generator for one purpose of one element in one replication."""
    sequence = np.random.SeedSequence(seed, spawn_key=(replication, stream_key(purpose, name)))
    return np.random.Generator(np.random.PCG64(sequence))
