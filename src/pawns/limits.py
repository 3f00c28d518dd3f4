"""Limits checked before any work starts: the memory a request needs against what the machine has."""

from __future__ import annotations

import os

from pawns.errors import PawnsError

GIB = 2**30


class ResourceError(PawnsError):
    """A request this machine cannot hold (refused before any work)."""


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation, None if unknown.

    Linux's ``MemAvailable`` (else the free physical memory), and no more than a container's
    memory limit leaves (cgroup v2 ``memory.max`` less ``memory.current``).
    """
    found = [value for value in (_meminfo_available(), _cgroup_available()) if value is not None]
    if not found:
        try:
            found = [os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")]
        except (AttributeError, ValueError, OSError):
            return None
    return min(found)


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_available() -> int | None:
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as handle:
            limit = handle.read().strip()
        with open("/sys/fs/cgroup/memory.current", encoding="ascii") as handle:
            used = int(handle.read().strip())
    except (OSError, ValueError):
        return None
    return None if limit == "max" else max(int(limit) - used, 0) if limit.isdigit() else None


def require_memory(needed: float, request: str, advice: str) -> None:
    """Refuse ``request`` when it needs more memory than is available.

    Parameters
    ----------
    needed
        Estimated bytes the request holds at its peak.
    request
        The request in words, e.g. ``"10,000,000 members x 730 days"``.
    advice
        What to do instead, e.g. ``"use --outcomes-only"``.

    Raises
    ------
    ResourceError
        Naming the request, its estimated need and the memory available.
    """
    available = available_memory()
    if available is not None and needed > available:
        raise ResourceError(f"{request} needs about {_size(needed)} of memory, and {_size(available)} is available: {advice}")


def _size(value: float) -> str:
    if value >= 1024 * GIB:
        return f"{value / (1024 * GIB):,.1f} TiB"
    return f"{value / GIB:,.1f} GiB"


# Seeds are stored as 64-bit signed integers (results.nc attributes, JSON readers); the
# generator reads 64 bits, so a larger seed would only repeat a smaller one.
MAX_SEED = 2**63 - 1


def check_seed(seed: int) -> None:
    """Refuse, before any work, a seed that is not a whole number from 0 to 2**63 - 1."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ResourceError(f"--seed {seed}: expected a whole number from 0 to 2**63 - 1 ({MAX_SEED:,})")
