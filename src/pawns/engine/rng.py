"""Counter-based random numbers: a draw depends only on (seed, member, stream, step).

A stateful generator would make member i's draws depend on how many members ran before it
in the same chunk. Hashing the coordinates instead (SplitMix64 finalizer) makes every member
reproducible on its own: ensembles can be split, extended or spread over workers without
changing any member, and two scenarios that share a parameter name give member i the same
uniform for it (common random numbers).
"""

from __future__ import annotations

import hashlib

import numpy as np

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def stream_key(name: str) -> int:
    """A stable 64-bit key for a named stream (a parameter name, an event process)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finalizer, elementwise on uint64 (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * _M1
        x = x ^ (x >> np.uint64(27))
        x = x * _M2
        x = x ^ (x >> np.uint64(31))
    return x


def uniforms(seed: int, members: np.ndarray, key: int, step: int = 0) -> np.ndarray:
    """Uniforms strictly inside (0, 1), one per member.

    Parameters
    ----------
    seed
        The ensemble seed (any non-negative integer; 0 is a seed like any other).
    members
        Global member indices (int64 array).
    key
        Stream key from :func:`stream_key`.
    step
        A further counter (e.g. the day) for processes that draw repeatedly.

    Returns
    -------
    numpy.ndarray
        float64 array, same shape as ``members``.
    """
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")
    m = np.asarray(members, dtype=np.uint64)
    with np.errstate(over="ignore"):
        x = _mix(np.uint64(seed & 0xFFFFFFFFFFFFFFFF) * _GOLDEN + np.uint64(key & 0xFFFFFFFFFFFFFFFF))
        x = _mix(x ^ (m * _GOLDEN + np.uint64(0x632BE59BD9B4E019)))
        x = _mix(x + np.uint64(step) * _GOLDEN)
    return ((x >> np.uint64(11)).astype(np.float64) + 0.5) * (1.0 / 9007199254740992.0)
