"""Random streams: one per replication and purpose, keyed by name.

Each stream is a numpy Generator from ``SeedSequence(seed, spawn_key=(replication,
key))`` where ``key`` is a stable hash of the purpose and the element's name (a stage,
an arrival stream). Keying by name rather than position means that adding a stage
to a model does not shift the random numbers of any other stage, so the same
patients arrive in every scenario of a replication (common random numbers).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import partial
from itertools import chain

import numpy as np

BLOCK = 2048  # random numbers drawn per refill of a buffer
#: sampler(rng, n): n values (a stage's duration distribution, a delay's)
BlockSampler = Callable[[np.random.Generator, int], np.ndarray]


def stream_key(purpose: str, name: str) -> int:
    """A stable 32-bit key for a purpose and a name (CRC-32: same on every platform)."""
    return zlib.crc32(f"{purpose}:{name}".encode())


def stream(seed: int, replication: int, purpose: str, name: str) -> np.random.Generator:
    """The generator for one purpose of one element in one replication."""
    sequence = np.random.SeedSequence(seed, spawn_key=(replication, stream_key(purpose, name)))
    return np.random.Generator(np.random.PCG64(sequence))


class Draws:
    """Numbers from one generator, drawn a block at a time (one numpy call per BLOCK
    numbers, not per number) and handed out one by one, last of the block first:
    uniforms, or a sampler's values. ``next()`` is a C-level iterator's next, not a
    Python method: some streams hand out a number at nearly every event."""

    __slots__ = ("next",)

    def __init__(self, rng: np.random.Generator, sampler: BlockSampler | None = None):
        def block() -> list[float]:
            values = rng.random(BLOCK) if sampler is None else sampler(rng, BLOCK)
            return values[::-1].tolist()

        #: next(): the next number (a block is drawn when the last one is used up)
        self.next: Callable[[], float] = partial(next, chain.from_iterable(iter(block, None)))
