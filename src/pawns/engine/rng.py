"""Counter-based random numbers: a draw depends only on (seed, member, stream, step).

A stateful generator would make member i's draws depend on how many members ran before it
in the same chunk. Hashing the coordinates instead (SplitMix64 finalizer) makes every member
reproducible on its own: ensembles can be split, extended or spread over workers without
changing any member, and two scenarios that share a parameter name give member i the same
uniform for it (common random numbers).

The hash is written elementwise, so the same functions run on numpy arrays of members and,
compiled, on one member's numbers in the compiled engine (:mod:`pawns.engine.kernel`).
"""

from __future__ import annotations

import hashlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_MEMBER_SALT = np.uint64(0x632BE59BD9B4E019)
_MASK = 0xFFFFFFFFFFFFFFFF


def stream_key(name: str) -> int:
    """A stable 64-bit key for a named stream (a parameter name, an event process)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def mix(x):
    """SplitMix64 finalizer, elementwise on uint64 (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def member_stream(stream, member):
    """The hash state of one member in a stream (``stream`` from :func:`stream_state`)."""
    return mix(stream ^ (member * _GOLDEN + _MEMBER_SALT))


def member_uniform(member_state, step):
    """The uniform strictly inside (0, 1) of a member's stream at ``step``."""
    x = mix(member_state + step * _GOLDEN)
    return (np.float64(x >> np.uint64(11)) + 0.5) * (1.0 / 9007199254740992.0)


def stream_state(seed: int, key: int) -> np.uint64:
    """The hash of (seed, stream key), shared by all members of a stream."""
    with np.errstate(over="ignore"):
        return np.uint64(mix(np.uint64(seed & _MASK) * _GOLDEN + np.uint64(key & _MASK)))


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
    with np.errstate(over="ignore"):
        states = member_stream(stream_state(seed, key), np.asarray(members, dtype=np.uint64))
        return np.asarray(member_uniform(states, np.uint64(step)), dtype=np.float64)
