"""Where a batch's recorded variables go: one float32 array per variable of the registry.

Both engines record the variables :data:`pawns.model.recorded.RECORDED` lists with the same
function, :func:`record_day`, written elementwise like the equations: members ``i`` are one
member's index in the compiled engine and ``slice(None)`` in the numpy engine. A
:class:`Recording` holds the output arrays and hands each engine the state fields they read,
viewed as ``(N, K)`` rows (a per-member field as ``(N, 1)``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from pawns.model.recorded import DAILY, FORMATION_SECTOR, LOSSES, MEMBER, POINTS, Recorded, recorded, side_losses
from pawns.model.state import State


class Sources(NamedTuple):
    """The state fields a state buffer's recorded variables read, as ``(N, K)`` views."""

    points: tuple[np.ndarray, ...]
    daily: tuple[np.ndarray, ...]


class Outputs(NamedTuple):
    """Output arrays of a batch, and what the engines need to fill them."""

    record_days: np.ndarray  # days of the recorded points
    points: tuple[np.ndarray, ...]  # (N, T, K) per variable recorded at points
    daily: tuple[np.ndarray, ...]  # (N, H + 1, K) per daily variable read from the state
    loss_picks: np.ndarray  # index in LOSSES of each daily loss variable
    losses: tuple[np.ndarray, ...]  # (N, H + 1, S) per daily loss variable
    killed_start: np.ndarray  # killed at the start, (N, F): losses count from there


def record_day(i, day, st: State, src, out, formation_side, foreign, sides, slot):
    """Record members ``i``'s daily variables of ``day`` from ``st``, and a recorded point if ``day`` is one.

    ``src`` are the recorded fields of ``st`` (:class:`Sources`), ``out`` the outputs
    (:class:`Outputs`); returns the slot of the next recorded point.
    """
    for s in range(sides):
        sums = side_losses(i, st, out.killed_start, formation_side, foreign, s)
        for v in range(out.loss_picks.shape[0]):
            out.losses[v][i, day, s] = sums[out.loss_picks[v]]
    record_rows(i, day, src.daily, out.daily)
    if slot < out.record_days.shape[0] and day == out.record_days[slot]:
        record_rows(i, slot, src.points, out.points)
        slot += 1
    return slot


def record_rows(i, slot, sources, outs):
    """Copy members ``i``'s rows of each source into ``slot`` of its output (``out[i, slot, :] = source[i, :]``)."""
    for v in range(len(sources)):
        source = sources[v]
        out = outs[v]
        for c in range(source.shape[1]):
            out[i, slot, c] = source[i, c]


class Recording:
    """The recorded variables of a batch of members (nothing when ``keep`` is false).

    Parameters
    ----------
    start
        The batch's state at the start.
    formations, sides, sectors
        How many formations, sides and sectors the scenario has.
    record_days
        Days of the recorded points of the trajectories.
    horizon_days
        Days of the run (daily variables have ``horizon_days + 1`` values, day 0 included).
    keep
        Record at all; without, outputs are empty and the engines skip recording.
    """

    def __init__(self, start: State, *, formations: int, sides: int, record_days: np.ndarray, horizon_days: int,
                 keep: bool, sectors: int = 1) -> None:
        n = len(start[0])
        self.n, self.keep = n, bool(keep)
        self.sectors = sectors
        self.widths = {"formation": formations, "side": sides, "member": 1, "sector": sectors, "formation_sector": formations * sectors}
        self.points = recorded(POINTS)
        daily = recorded(DAILY)
        self.daily = tuple(v for v in daily if v.source == "state")
        self.losses = tuple(v for v in daily if v.source == "losses")
        rows = n if keep else 0
        days = np.ascontiguousarray(record_days if keep else np.zeros(1), dtype=np.int64)
        self.outputs = Outputs(
            record_days=days,
            points=self._allocate(self.points, rows, days.size if keep else 0),
            daily=self._allocate(self.daily, rows, horizon_days + 1 if keep else 0),
            loss_picks=np.array([LOSSES.index(v.field) for v in self.losses], dtype=np.int64),
            losses=self._allocate(self.losses, rows, horizon_days + 1 if keep else 0),
            killed_start=np.ascontiguousarray(start.killed).copy(),
        )

    def _allocate(self, variables: tuple[Recorded, ...], rows: int, length: int) -> tuple[np.ndarray, ...]:
        arrays = tuple(np.zeros((rows, length, self.widths[v.per]), dtype=np.float32) for v in variables)
        # The compiled engine types a tuple of arrays by its length: an empty one becomes one empty column.
        return arrays or (np.zeros((rows, length, 0), dtype=np.float32),)

    def sources(self, state: State) -> Sources:
        """The fields of ``state`` the recorded variables read, as ``(N, K)`` views (writes to the state show through)."""
        return Sources(_rows(state, self.points, self.n), _rows(state, self.daily, self.n))

    def series(self) -> dict[str, np.ndarray]:
        """Trajectories at the recorded points, ``(N, T, K)`` or ``(N, T)`` per variable (empty when not kept)."""
        return _by_name(self.points, self.outputs.points, self.sectors) if self.keep else {}

    def daily_series(self) -> dict[str, np.ndarray]:
        """Daily variables, ``(N, H + 1, K)`` or ``(N, H + 1)`` per variable (empty when not kept)."""
        if not self.keep:
            return {}
        return {**_by_name(self.daily, self.outputs.daily, self.sectors), **_by_name(self.losses, self.outputs.losses, self.sectors)}


def _rows(state: State, variables: tuple[Recorded, ...], n: int) -> tuple[np.ndarray, ...]:
    rows = tuple(np.reshape(getattr(state, v.field), (n, -1)) for v in variables)
    return rows or (np.zeros((n, 0)),)


def _by_name(variables: tuple[Recorded, ...], arrays: tuple[np.ndarray, ...], sectors: int) -> dict[str, np.ndarray]:
    """Each variable's rows by name: ``(N, T)`` per member, ``(N, T, F, Z)`` per formation and sector, else ``(N, T, K)``."""
    def shaped(v: Recorded, out: np.ndarray) -> np.ndarray:
        if v.per == MEMBER:
            return out[:, :, 0]
        if v.per == FORMATION_SECTOR:
            return out.reshape(out.shape[0], out.shape[1], -1, sectors)
        return out
    return {v.name: shaped(v, out) for v, out in zip(variables, arrays)}
